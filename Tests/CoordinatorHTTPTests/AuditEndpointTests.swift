import CoordinatorCore
import CoordinatorHTTP
import Foundation
import Testing

@Suite("HTTP calls are audited, refusals included, and GET /audit reads the trail")
struct AuditEndpointTests {
    /// A server whose dispatcher records into a synchronous audit trail over its own database.
    static func withAuditedServer(_ body: (TestServer) async throws -> Void) async throws {
        try await TestServer.with(recorder: { AuditTrail(database: $0, config: AuditConfig(async: false)) }, body)
    }

    static func rows(_ server: TestServer) async throws -> [JSONObject] {
        try await server.sqlite.query("audit_log", filter: RowFilter().ordered(by: "seq"), select: AuditService.columns)
    }

    @Test func refusalsBeforeDispatchAreRecordedAndUnknownKeysAreNot() async throws {
        try await Self.withAuditedServer { server in
            // 403: alice's key acting as bob (body and header), and as another agent type.
            #expect(try await server.post("/locks/acquire", ["file_path": "a.swift", "agent_id": "bob"], key: TestServer.aliceKey).status == 403)
            #expect(try await server.post("/locks/acquire", ["file_path": "a.swift"], key: TestServer.aliceKey,
                                          headers: [("X-Agent-Id", "bob")]).status == 403)
            #expect(try await server.post("/work/claim", ["agent_type": "codex"], key: TestServer.aliceKey).status == 403)
            // 422 before dispatch: a body that is not JSON; and one the dispatcher refuses.
            #expect(try await server.send(.POST, "/handoffs/write", body: "{", key: TestServer.bobKey).status == 422)
            #expect(try await server.post("/locks/acquire", ["file_path": "a.swift", "ttl_minutes": 0], key: TestServer.bobKey).status == 422)
            // 401: not recorded.
            #expect(try await server.post("/locks/acquire", ["file_path": "a.swift"], key: "nope").status == 401)
            #expect(try await server.post("/locks/acquire", ["file_path": "a.swift"]).status == 401)
            // A success.
            #expect(try await server.post("/locks/acquire", ["file_path": "a.swift"], key: TestServer.aliceKey).status == 200)

            let rows = try await Self.rows(server)
            #expect(rows.map { $0["operation"] } == ["acquire_lock", "acquire_lock", "get_work", "write_handoff", "acquire_lock", "acquire_lock"])
            #expect(rows.map { $0["agent_id"] } == ["alice", "alice", "alice", "bob", "bob", "alice"])
            #expect(rows.map { $0["success"] } == [false, false, false, false, false, true])
            #expect(rows[0]["error_message"] == "403 forbidden: API key is not permitted to act as requested agent_id")
            #expect(rows[0]["parameters"] == ["file_path": "a.swift", "requested_agent_id": "bob"])
            #expect(rows[1]["parameters"]?["requested_agent_id"] == "bob")
            #expect(rows[2]["error_message"]?.stringValue?.contains("requested agent_type") == true)
            #expect(rows[3]["error_message"]?.stringValue?.hasPrefix("422 invalid_input: must be a JSON object") == true)
            #expect(rows[4]["error_message"]?.stringValue?.contains("ttl_minutes") == true)
        }
    }

    @Test func mcpToolCallsRefusedBeforeTheyRunAreRecorded() async throws {
        try await Self.withAuditedServer { server in
            let accept = [("Accept", "application/json, text/event-stream")]
            let initialize = #"""
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"swift-test","version":"1"}}}
                """#
            let opened = try await server.send(.POST, "/mcp", body: initialize, key: TestServer.aliceKey, headers: accept)
            let session = try #require(opened.headers["Mcp-Session-Id"].first)
            let sessionHeaders = accept + [("Mcp-Session-Id", session), ("MCP-Protocol-Version", "2025-06-18")]
            let call = #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"release_lock","arguments":{"file_path":"x.swift"}}}"#
            // bob's key in alice's session; alice's key naming bob in a header.
            #expect(try await server.send(.POST, "/mcp", body: call, key: TestServer.bobKey, headers: sessionHeaders).status == 403)
            #expect(try await server.send(.POST, "/mcp", body: call, key: TestServer.aliceKey,
                                          headers: sessionHeaders + [("X-Agent-Id", "bob")]).status == 403)
            // The call itself, in the right session.
            #expect(try await server.send(.POST, "/mcp", body: call, key: TestServer.aliceKey, headers: sessionHeaders).status == 200)
            let rows = try await Self.rows(server)
            #expect(rows.map { $0["operation"] } == ["release_lock", "release_lock", "release_lock"])
            #expect(rows.map { $0["agent_id"] } == ["bob", "alice", "alice"])
            #expect(rows.map { $0["success"] } == [false, false, false], "the last one answered lock_not_found_or_not_owner")
            #expect(rows[0]["error_message"]?.stringValue?.contains("belongs to another agent") == true)
            #expect(rows[1]["error_message"]?.stringValue?.contains("requested agent_id") == true)
            #expect(rows[2]["error_message"]?.stringValue?.hasPrefix("lock_not_found_or_not_owner") == true)
        }
    }

    @Test func getAuditFiltersWithoutActingAsTheFilteredAgent() async throws {
        try await Self.withAuditedServer { server in
            _ = try await server.post("/locks/acquire", ["file_path": "a.swift"], key: TestServer.aliceKey)
            _ = try await server.post("/locks/acquire", ["file_path": "a.swift"], key: TestServer.bobKey)
            _ = try await server.post("/locks/release", ["file_path": "a.swift"], key: TestServer.aliceKey)
            // alice's key may read bob's entries: agent_id in the query is a filter, not an identity (no 403).
            let bobs = try await server.get("/audit?agent_id=bob&limit=5", key: TestServer.aliceKey)
            #expect(bobs.status == 200, "\(bobs.text)")
            let entries = try #require(try bobs.json["entries"]?.arrayValue)
            #expect(entries.count == 1 && entries[0]["agent_id"] == "bob" && entries[0]["success"] == false)
            let since = Timestamp.format(Date().addingTimeInterval(-3_600)).replacingOccurrences(of: "+", with: "%2B")
            let filtered = try await server.get("/audit?operation=acquire_lock&since=\(since)", key: TestServer.aliceKey)
            #expect(try filtered.json["entries"]?.arrayValue?.count == 2)
            let newest = try await server.get("/audit?limit=1", key: TestServer.aliceKey)
            #expect(try newest.json["entries"]?.arrayValue?.first?["operation"] == "query_audit", "the reads are audited too")
            #expect(try await server.get("/audit?limit=0", key: TestServer.aliceKey).status == 422)
            #expect(try await server.get("/audit?since=yesterday", key: TestServer.aliceKey).status == 422)
            #expect(try await server.get("/audit").status == 401)
            let last = try #require(try await Self.rows(server).last)
            #expect(last["operation"] == "query_audit" && last["agent_id"] == "alice" && last["success"] == false)
        }
    }
}
