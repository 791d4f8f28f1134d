import CoordinatorCore
import Foundation
import Testing

@Suite("Handoffs behave the same on every backend")
struct HandoffConformanceTests {
    @Test(arguments: TestBackend.available)
    func writeWithoutRegisteredSessionAndReadNewestFirst(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let handoffs = db.coordinator().handoffs
            let first = try await handoffs.write(
                .init(summary: "first", completedWork: ["parser"], inProgress: ["lexer"], decisions: ["use SQLite"],
                      nextSteps: ["tests"], relevantFiles: ["Sources/a.swift"]),
                context: db.context("alice", session: "never-registered"))
            #expect(first["success"] == true)
            #expect(first["handoff_id"]?.stringValue != nil)
            db.clock.advance(by: 1)
            _ = try await handoffs.write(.init(summary: "second"), context: db.context("alice"))
            _ = try await handoffs.write(.init(summary: "same instant"), context: db.context("alice"))
            _ = try await handoffs.write(.init(summary: "bob's"), context: db.context("bob"))

            let newest = try #require(try await handoffs.read(agentName: "alice")["handoffs"]?.arrayValue)
            #expect(newest.count == 1)
            #expect(newest[0]["summary"] == "same instant", "ties are broken by insertion order")

            let all = try #require(try await handoffs.read(agentName: "alice", limit: 10)["handoffs"]?.arrayValue)
            #expect(all.map { $0["summary"] } == ["same instant", "second", "first"])
            let oldest = all[2]
            #expect(oldest["session_id"] == "never-registered")
            #expect(oldest["completed_work"] == ["parser"])
            #expect(oldest["in_progress"] == ["lexer"])
            #expect(oldest["decisions"] == ["use SQLite"])
            #expect(oldest["next_steps"] == ["tests"])
            #expect(oldest["relevant_files"] == ["Sources/a.swift"])
            #expect(all[0]["completed_work"] == [])

            let everyone = try #require(try await handoffs.read(agentName: nil, limit: 100)["handoffs"]?.arrayValue)
            #expect(everyone.count == 4)
            #expect(try await handoffs.read(agentName: "nobody", limit: 5)["handoffs"] == [])
        }
    }

    @Test(arguments: TestBackend.available)
    func badInputIsRefused(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let handoffs = db.coordinator().handoffs
            await #expect(throws: InputError.self) { try await handoffs.write(.init(summary: " "), context: db.context("a")) }
            await #expect(throws: InputError.self) { try await handoffs.read(agentName: nil, limit: 0) }
            let direct = try await db.client.rpc("write_handoff", ["p_agent_name": "a", "p_summary": ""])
            #expect(direct["error"] == "summary_required")
            #expect(try await db.client.query("handoff_documents").isEmpty)
        }
    }
}
