import CoordinatorCore
import Foundation
import Testing

@Suite("The operation dispatcher validates once for every transport")
struct DispatcherTests {
    @Test func runsValidInputAndRefusesBadInputBeforeStorage() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let dispatcher = OperationDispatcher(coordinator: db.coordinator())
            let alice = db.context("alice")
            let taken = try await dispatcher.call("acquire_lock", arguments: ["file_path": "a.swift", "ttl_minutes": 5], context: alice)
            #expect(taken["action"] == "acquired")

            let bad: [(JSONObject, String)] = [
                ([:], "file_path"),
                (["file_path": 5], "file_path"),
                (["file_path": "b", "ttl_minutes": 0], "ttl_minutes"),
                (["file_path": "b", "ttl_minutes": "ten"], "ttl_minutes"),
                (["file_path": "b", "colour": "red"], "colour"),
                (["file_path": "b\u{0}c"], "file_path"),
            ]
            for (arguments, field) in bad {
                await #expect {
                    try await dispatcher.call("acquire_lock", arguments: arguments, context: alice)
                } throws: { error in
                    guard case DispatchError.invalidInput(let inputError) = error else { return false }
                    return inputError.field == field
                }
            }
            await #expect {
                try await dispatcher.call("submit_work", arguments: ["task_type": "t", "description": "d", "input_data": ["k": "\u{0}"]], context: alice)
            } throws: { error in
                guard case DispatchError.invalidInput(let inputError) = error else { return false }
                return inputError.field == "input_data.k"
            }
            await #expect(throws: DispatchError.self) {
                try await dispatcher.call("acquire_lock", arguments: ["file_path": "c"], context: db.context("nul\u{0}agent"))
            }
            await #expect(throws: DispatchError.self) { try await dispatcher.call("drop_everything", arguments: [:], context: alice) }
            #expect(try await db.client.query("file_locks").count == 1, "only the valid call wrote anything")
        }
    }

    @Test func everyOperationHasASchemaAndUniqueRoute() {
        let operations = OperationCatalog.standard.operations
        let routes = operations.compactMap(\.route).map { "\($0.method.rawValue) \($0.path)" }
        #expect(Set(routes).count == routes.count)
        for operation in operations {
            #expect(operation.input.json["type"] == "object", "\(operation.name)")
            #expect(!operation.summary.isEmpty)
        }
        for name in ["acquire_lock", "release_lock", "check_locks", "get_work", "complete_work", "submit_work", "get_task",
                     "write_handoff", "read_handoff", "register_session", "discover_agents", "heartbeat", "cleanup_dead_agents"] {
            #expect(OperationCatalog.standard[name] != nil, "the original's tool \(name) exists")
        }
    }
}
