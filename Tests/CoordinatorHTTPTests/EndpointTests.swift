import AsyncHTTPClient
import CoordinatorCore
import CoordinatorHTTP
import Foundation
import Testing

@Suite("HTTP endpoints against a live server")
struct EndpointTests {
    /// Minimal valid arguments for an operation: required properties with a plausible value of their type.
    static func sampleArguments(_ operation: CoordinatorOperation) -> JSONObject {
        guard case .object(let rules) = operation.input else { return [:] }
        var arguments: JSONObject = [:]
        for property in rules.properties where property.required {
            arguments[property.name] = sample(property.name, property.schema)
        }
        return arguments
    }

    static func sample(_ name: String, _ schema: InputSchema) -> JSONValue {
        switch schema {
        case .string(let rules):
            if let choice = rules.choices?.first { return .string(choice) }
            switch rules.format {
            case "uuid": return .string(UUID().uuidString.lowercased())
            case "date-time": return "2030-01-01T00:00:00Z"
            default: return name == "file_path" ? "src/sample.swift" : "sample"
            }
        case .integer(let minimum, _): return .int(minimum ?? 1)
        case .number: return 1.5
        case .boolean: return true
        case .array: return []
        case .object, .anyObject: return [:]
        }
    }

    static func path(_ route: HTTPRoute, _ arguments: JSONObject) -> String {
        var path = route.path
        for (name, value) in arguments {
            if let text = value.stringValue { path = path.replacingOccurrences(of: "{\(name)}", with: text) }
        }
        return path
    }

    @Test func everyRoutedOperationAnswersOnce() async throws {
        try await TestServer.with { server in
            for operation in server.dispatcher.catalog.operations {
                guard let route = operation.route else { continue }
                let arguments = Self.sampleArguments(operation)
                let reply: TestServer.Reply
                switch route.method {
                case .get: reply = try await server.get(Self.path(route, arguments), key: TestServer.unboundKey)
                case .post: reply = try await server.post(route.path, .object(arguments), key: TestServer.unboundKey)
                }
                #expect(reply.status == 200, "\(operation.name): \(reply.status) \(reply.text)")
                #expect(reply.headers["Content-Type"].first == "application/json", "\(operation.name)")
                #expect(try reply.json.objectValue != nil, "\(operation.name) answers a JSON object")
            }
        }
    }

    @Test func serviceEndpoints() async throws {
        try await TestServer.with { server in
            let health = try await server.get("/health")
            #expect(health.status == 200)
            #expect(try health.json == ["status": "ok", "db": "connected", "backend": "sqlite", "version": .string(HTTPAPI.version)])
            let live = try await server.get("/live")
            #expect(try live.status == 200 && (live.json) == ["status": "ok"])
            let ready = try await server.get("/ready")
            #expect(try ready.status == 200 && (ready.json) == ["status": "ready"])
            let head = try await server.send(.HEAD, "/live")
            #expect(head.status == 200 && head.text.isEmpty)
        }
    }

    @Test func openAPIDocumentIsServedAndListsEveryRoute() async throws {
        try await TestServer.with { server in
            let reply = try await server.get("/openapi.json")
            #expect(reply.status == 200)
            let document = try reply.json
            #expect(document["openapi"] == "3.1.0")
            #expect(document["info"]?["title"] == "Agent Coordination API")
            for operation in server.dispatcher.catalog.operations {
                guard let route = operation.route else { continue }
                #expect(document["paths"]?[route.path]?[route.method.rawValue.lowercased()]?["operationId"] == .string(operation.name))
            }
        }
    }

    @Test func lockStatusAcceptsPathsWithSlashes() async throws {
        try await TestServer.with { server in
            let taken = try await server.post("/locks/acquire", ["file_path": "Sources/App/Deep/File.swift"], key: TestServer.aliceKey)
            #expect(try taken.json["success"] == true)
            for path in ["/locks/status/Sources/App/Deep/File.swift", "/locks/status/Sources%2FApp%2FDeep%2FFile.swift"] {
                let status = try await server.get(path)
                #expect(status.status == 200)
                #expect(try status.json["locked"] == true, "\(path)")
                #expect(try status.json["lock"]?["locked_by"] == "alice")
            }
            let free = try await server.get("/locks/status/Sources/Other.swift")
            #expect(try free.json["locked"] == false)
            // Sent over a raw socket: URL types refuse to carry broken percent-encoding.
            let broken = try await RawHTTP.exchange(port: server.port, "GET /locks/status/%zz%C3%28 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            #expect(broken.hasPrefix("HTTP/1.1 422"), "\(broken)")
            #expect(broken.contains(#""field":"file_path""#))
        }
    }

    @Test func unknownPathsAndMethods() async throws {
        try await TestServer.with { server in
            let missing = try await server.get("/no/such/thing")
            #expect(missing.status == 404)
            #expect(try missing.json["reason"] == "not_found" && (missing.json["success"]) == false)
            let wrongMethod = try await server.send(.PUT, "/locks/acquire", key: TestServer.aliceKey)
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.headers["Allow"].first == "POST")
            #expect(try wrongMethod.json["reason"] == "method_not_allowed")
            let getOnPost = try await server.get("/locks/acquire", key: TestServer.aliceKey)
            #expect(getOnPost.status == 405)
            let deleteStatus = try await server.send(.DELETE, "/locks/status/a.swift")
            #expect(deleteStatus.status == 405 && deleteStatus.headers["Allow"].first == "GET, HEAD")
            let options = try await server.send(.OPTIONS, "/work/submit")
            #expect(options.status == 204 && options.headers["Allow"].first == "POST")
        }
    }

    @Test func idleKeepAliveConnectionsAreClosed() async throws {
        var config = TestServer.keyedConfig
        config.keepAliveTimeout = .milliseconds(300)
        try await TestServer.with(config: config) { server in
            let started = ContinuousClock.now
            // No `Connection: close`: the exchange ends only when the server closes the idle connection.
            let reply = try await RawHTTP.exchange(port: server.port, "GET /live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(reply.hasPrefix("HTTP/1.1 200"))
            #expect(started.duration(to: .now) < .seconds(5))
        }
    }

    @Test func sessionHeaderNamesTheCallersSession() async throws {
        try await TestServer.with { server in
            _ = try await server.post("/locks/acquire", ["file_path": "a.swift"], key: TestServer.aliceKey, headers: [("X-Session-Id", "sess-h")])
            #expect(try await server.get("/locks/status/a.swift").json["lock"]?["session_id"] == "sess-h")
            _ = try await server.post("/locks/acquire", ["file_path": "b.swift", "session_id": "sess-b"], key: TestServer.aliceKey,
                                      headers: [("X-Session-Id", "sess-h")])
            #expect(try await server.get("/locks/status/b.swift").json["lock"]?["session_id"] == "sess-b", "the body wins over the header")
        }
    }

    @Test func heartbeatKeepsItsOwnSessionParameter() async throws {
        try await TestServer.with { server in
            let registered = try await server.post("/discovery/register", ["capabilities": ["swift"]], key: TestServer.aliceKey)
            let sessionId = try #require(try registered.json["session_id"]?.stringValue)
            let beat = try await server.post("/discovery/heartbeat", ["session_id": .string(sessionId)], key: TestServer.aliceKey)
            #expect(beat.status == 200)
            #expect(try beat.json["success"] == true, "\(beat.text)")
        }
    }

    @Test func mcpEndpointIsMountedAndAuthenticated() async throws {
        try await TestServer.with { server in
            let initialize = #"""
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"swift-test","version":"1"}}}
                """#
            let accept = [("Accept", "application/json, text/event-stream")]
            let refused = try await server.send(.POST, "/mcp", body: initialize, headers: accept)
            #expect(refused.status == 401)
            #expect(try refused.json == ["success": false, "reason": "unauthorized", "detail": "Invalid API key"])

            let opened = try await server.send(.POST, "/mcp", body: initialize, key: TestServer.aliceKey, headers: accept)
            #expect(opened.status == 200, "\(opened.text)")
            #expect(opened.headers["Content-Type"].first?.hasPrefix("text/event-stream") == true)
            let session = try #require(opened.headers["Mcp-Session-Id"].first)
            #expect(opened.text.contains("\"serverInfo\""), "\(opened.text)")

            let list = #"{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}"#
            let sessionHeaders = accept + [("Mcp-Session-Id", session), ("MCP-Protocol-Version", "2025-06-18")]
            let tools = try await server.send(.POST, "/mcp", body: list, key: TestServer.aliceKey, headers: sessionHeaders)
            #expect(tools.status == 200 && tools.text.contains("acquire_lock"), "\(tools.status) \(tools.text)")
            let stolen = try await server.send(.POST, "/mcp", body: list, key: TestServer.bobKey, headers: sessionHeaders)
            #expect(stolen.status == 403, "another agent's key cannot use alice's MCP session")

            // The standalone GET stream is streamed: its head arrives while the body is still open, and ending the
            // session ends it.
            var listen = HTTPClientRequest(url: server.baseURL + "/mcp")
            listen.method = .GET
            listen.headers.add(name: "X-API-Key", value: TestServer.aliceKey)
            for (name, value) in sessionHeaders where name != "Accept" { listen.headers.add(name: name, value: value) }
            listen.headers.add(name: "Accept", value: "text/event-stream")
            let stream = try await HTTPClient.shared.execute(listen, timeout: .seconds(30))
            #expect(stream.status.code == 200)
            #expect(stream.headers["Content-Type"].first?.hasPrefix("text/event-stream") == true)
            async let events = stream.body.collect(upTo: 1 << 20)
            let closed = try await server.send(.DELETE, "/mcp", key: TestServer.aliceKey, headers: sessionHeaders)
            #expect(closed.status == 200)
            _ = try await events
            let gone = try await server.send(.POST, "/mcp", body: list, key: TestServer.aliceKey, headers: sessionHeaders)
            #expect(gone.status == 404, "the session is over")
        }
    }
}
