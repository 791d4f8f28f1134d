import CoordinatorCore
@testable import CoordinatorMCP
import Foundation
import MCP
import Testing

@Suite("MCP calls are audited and audit://recent shows them")
struct MCPAuditTests {
    @Test func toolCallsAreRecordedAndTheResourceRendersThem() async throws {
        try await MCPFixture.with { fixture in
            let trail = AuditTrail(database: fixture.database, config: AuditConfig(async: false))
            let coordinator = Coordinator(config: CoordinatorConfig(agent: AgentConfig(agentId: "fixture")), database: fixture.database)
            let dispatcher = OperationDispatcher(coordinator: coordinator, recorder: trail)
            let server = await CoordinatorMCPServer.make(
                dispatcher: dispatcher, identity: AgentIdentity(agentId: "alice", agentType: "claude_code"), clock: fixture.clock)
            let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
            try await server.start(transport: serverTransport)
            let client = Client(name: "coordinator-tests", version: "1.0")
            _ = try await client.connect(transport: clientTransport)
            func read() async throws -> String {
                try await client.readResource(uri: "audit://recent").first?.text ?? ""
            }

            #expect(try await read() == "No audit log entries.")
            _ = try await client.send(CallTool.request(.init(name: "acquire_lock", arguments: ["file_path": "src/a.swift"]))).value
            _ = try await client.send(CallTool.request(.init(name: "acquire_lock", arguments: ["file_path": "src/b.swift", "ttl_minutes": 0]))).value
            _ = try await client.send(CallTool.request(.init(name: "no_such_tool", arguments: [:]))).value
            let markdown = try await read()
            #expect(markdown.hasPrefix("# Recent Audit Log\n"))
            // Newest first: the refused acquire, the acquire, the first resource read (query_audit). Unknown tools are
            // not operations and are not recorded.
            let lines = markdown.split(separator: "\n").filter { $0.hasPrefix("- [") }
            #expect(lines.count == 3)
            #expect(lines[0].hasPrefix("- [FAIL] **acquire_lock** by alice ("))
            #expect(lines[1].hasPrefix("- [OK] **acquire_lock** by alice ("))
            #expect(lines[2].hasPrefix("- [OK] **query_audit** by alice ("))
            #expect(markdown.contains("  - Error: ttl_minutes: must be at least 1, got 0"))
            #expect(markdown.contains("  - 2027-01-15T08:00:00"))
            let listed = try await client.send(CallTool.request(.init(name: "query_audit", arguments: ["operation": "acquire_lock"]))).value
            let entries = listed.structuredContent.map { JSONValue(mcpValue: $0) }?["entries"]?.arrayValue ?? []
            #expect(entries.count == 2)
            await client.disconnect()
            await server.stop()
        }
    }

    @Test func renderingWithoutEntriesAndWithDurations() {
        #expect(MCPResources.renderAudit([]) == "No audit log entries.")
        let text = MCPResources.renderAudit([
            ["operation": "release_lock", "agent_id": "bob", "success": false, "duration_ms": 12.345, "created_at": "2027-01-15T08:00:00Z",
             "error_message": "lock_not_found_or_not_owner"],
            ["operation": "heartbeat", "agent_id": "carol", "success": true, "duration_ms": 0.4, "created_at": "2027-01-15T07:00:00Z"],
        ])
        #expect(text == """
            # Recent Audit Log

            - [FAIL] **release_lock** by bob (12.3ms)
              - 2027-01-15T08:00:00Z
              - Error: lock_not_found_or_not_owner

            - [OK] **heartbeat** by carol (0.40ms)
              - 2027-01-15T07:00:00Z

            """)
    }
}
