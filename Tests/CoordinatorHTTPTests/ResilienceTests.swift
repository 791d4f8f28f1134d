import AsyncHTTPClient
import CoordinatorCore
import CoordinatorHTTP
import CoordinatorSQLite
import Foundation
import Synchronization
import Testing

@Suite("Health, backend failures, shutdown and transports")
struct ResilienceTests {
    @Test func healthIs503WhenTheDatabaseFails() async throws {
        let scripted = Mutex<ScriptedDatabase?>(nil)
        try await TestServer.with(wrap: { base in
            let database = ScriptedDatabase(base)
            scripted.withLock { $0 = database }
            return database
        }) { server in
            let database = try #require(scripted.withLock { $0 })
            database.setPing(.fail)
            let health = try await server.get("/health")
            #expect(health.status == 503)
            #expect(try health.json == ["status": "degraded", "db": "unreachable", "backend": "sqlite", "version": .string(HTTPAPI.version)])
            let ready = try await server.get("/ready")
            #expect(try ready.status == 503 && (ready.json["status"]) == "not_ready")
            #expect(try await server.get("/live").status == 200, "the process is alive even when the database is not")
            database.setPing(.answer)
            #expect(try await server.get("/health").status == 200)
        }
    }

    @Test func healthGivesUpOnAHangingDatabase() async throws {
        var config = TestServer.keyedConfig
        config.healthTimeout = .milliseconds(300)
        let scripted = Mutex<ScriptedDatabase?>(nil)
        try await TestServer.with(config: config, wrap: { base in
            let database = ScriptedDatabase(base)
            scripted.withLock { $0 = database }
            return database
        }) { server in
            try #require(scripted.withLock { $0 }).setPing(.hang)
            let started = ContinuousClock.now
            let health = try await server.get("/health")
            let elapsed = started.duration(to: .now)
            #expect(health.status == 503)
            // The hung ping lasts 10 s; the probe gives up after 0.3 s. 8 s leaves room for a loaded 2-core machine (the
            // process-spawning suites run beside this one) and still proves the answer did not wait for the ping.
            #expect(elapsed < .seconds(8), "answered after \(elapsed), not after the hung ping")
        }
    }

    @Test func unreachableBackendIs503AndUnexpectedErrorsAre500() async throws {
        let scripted = Mutex<ScriptedDatabase?>(nil)
        try await TestServer.with(wrap: { base in
            let database = ScriptedDatabase(base)
            scripted.withLock { $0 = database }
            return database
        }) { server in
            let database = try #require(scripted.withLock { $0 })
            database.setRPC(.unavailable)
            let down = try await server.post("/locks/acquire", ["file_path": "a.swift"], key: TestServer.aliceKey)
            #expect(down.status == 503)
            #expect(try down.json["reason"] == "database_unavailable" && (down.json["success"]) == false)
            database.setRPC(.crash)
            let crashed = try await server.post("/locks/acquire", ["file_path": "a.swift"], key: TestServer.aliceKey)
            #expect(crashed.status == 500)
            #expect(try crashed.json["reason"] == "internal_error")
            #expect(!crashed.text.contains("Crash"), "the cause is logged, not revealed")
            database.setRPC(.answer)
            let fine = try await server.post("/locks/acquire", ["file_path": "a.swift"], key: TestServer.aliceKey)
            #expect(fine.status == 200)
        }
    }

    @Test func gracefulShutdownFinishesInFlightRequests() async throws {
        let scripted = Mutex<ScriptedDatabase?>(nil)
        let server = try await TestServer.start(wrap: { base in
            let database = ScriptedDatabase(base)
            scripted.withLock { $0 = database }
            return database
        })
        let database = try #require(scripted.withLock { $0 })
        database.setRPCDelay(.milliseconds(800))
        async let slow = server.post("/locks/acquire", ["file_path": "slow.swift"], key: TestServer.aliceKey)
        var started = database.rpcStarted.makeAsyncIterator()
        #expect(await started.next() == "acquire_lock")
        await server.group.triggerGracefulShutdown()
        let reply = try await slow
        #expect(reply.status == 200)
        #expect(try reply.json["success"] == true, "the request in flight when shutdown began completed")
        try await server.waitUntilStopped()
        // A raw connect: an HTTP client's pool would keep retrying until its deadline.
        await #expect(throws: (any Error).self, "no new connections after shutdown") {
            _ = try await RawHTTP.exchange(port: server.port, "GET /live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        }
        let rows = try await server.sqlite.query("file_locks")
        #expect(rows.contains { $0["file_path"] == "slow.swift" }, "its write was committed")
        try? await server.sqlite.close()
        try? FileManager.default.removeItem(at: server.folder)
    }

    /// An open MCP event stream does not hold shutdown up: the sessions are closed when it begins.
    @Test func gracefulShutdownClosesMCPStreams() async throws {
        let server = try await TestServer.start()
        let initialize = #"""
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}
            """#
        let opened = try await server.send(.POST, "/mcp", body: initialize, key: TestServer.aliceKey,
                                           headers: [("Accept", "application/json, text/event-stream")])
        let session = try #require(opened.headers["Mcp-Session-Id"].first)
        var listen = HTTPClientRequest(url: server.baseURL + "/mcp")
        listen.method = .GET
        listen.headers.add(name: "X-API-Key", value: TestServer.aliceKey)
        listen.headers.add(name: "Accept", value: "text/event-stream")
        listen.headers.add(name: "Mcp-Session-Id", value: session)
        listen.headers.add(name: "MCP-Protocol-Version", value: "2025-06-18")
        let stream = try await HTTPClient.shared.execute(listen, timeout: .seconds(30))
        #expect(stream.status.code == 200)
        async let events = stream.body.collect(upTo: 1 << 20)
        let started = ContinuousClock.now
        await server.group.triggerGracefulShutdown()
        try await server.waitUntilStopped()
        _ = try? await events
        #expect(started.duration(to: .now) < .seconds(10), "stopped without waiting for the grace period")
        try? await server.sqlite.close()
        try? FileManager.default.removeItem(at: server.folder)
    }

    /// A lock taken over HTTP is refused through the dispatcher (the path the CLI and MCP take) on another
    /// connection to the same database file, and the other way round.
    @Test func locksAreConsistentAcrossTransports() async throws {
        try await TestServer.with { server in
            let other = try SQLiteDatabaseClient(config: SQLiteConfig(path: server.databasePath))
            let cli = OperationDispatcher(coordinator: Coordinator(config: CoordinatorConfig(agent: AgentConfig(agentId: "cli")), database: other))
            let asCarol = CoordinatorCore.RequestContext(identity: AgentIdentity(agentId: "carol", agentType: "claude_code"))

            let http = try await server.post("/locks/acquire", ["file_path": "Shared/Model.swift"], key: TestServer.aliceKey)
            #expect(try http.json["success"] == true)
            let refused = try await cli.call("acquire_lock", arguments: ["file_path": "Shared/Model.swift"], context: asCarol)
            #expect(refused["success"] == false && refused["reason"] == "locked_by_other" && refused["locked_by"] == "alice")

            let local = try await cli.call("acquire_lock", arguments: ["file_path": "./Shared//View.swift"], context: asCarol)
            #expect(local["success"] == true)
            let refusedOverHTTP = try await server.post("/locks/acquire", ["file_path": "Shared/View.swift"], key: TestServer.bobKey)
            #expect(refusedOverHTTP.status == 200)
            #expect(try refusedOverHTTP.json["success"] == false && (refusedOverHTTP.json["locked_by"]) == "carol")
            let status = try await server.get("/locks/status/Shared/View.swift").json
            #expect(status["locked"] == true && status["lock"]?["locked_by"] == "carol")
            try await other.close()
        }
    }
}
