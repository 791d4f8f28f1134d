import CoordinatorCore
import Foundation
import Testing

@Suite("Locks behave the same on every backend")
struct LockConformanceTests {
    @Test(arguments: TestBackend.available)
    func acquireRefreshAndConflict(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let locks = db.coordinator().locks
            let first = try await locks.acquire(path: "src/app.swift", reason: "edit", ttlMinutes: 10, context: db.context("alice"))
            #expect(first["success"] == true)
            #expect(first["action"] == "acquired")
            #expect(first["file_path"] == "src/app.swift")
            let firstExpiry = try #require(first["expires_at"]?.stringValue.flatMap(Timestamp.parse))
            #expect(abs(firstExpiry.timeIntervalSince(db.clock.now()) - 600) < 0.01)

            db.clock.advance(minutes: 5)
            let refresh = try await locks.acquire(path: "./src//app.swift", ttlMinutes: 30, context: db.context("alice"))
            #expect(refresh["action"] == "refreshed")
            let refreshedExpiry = try #require(refresh["expires_at"]?.stringValue.flatMap(Timestamp.parse))
            #expect(abs(refreshedExpiry.timeIntervalSince(db.clock.now()) - 1800) < 0.01)

            let conflict = try await locks.acquire(path: "src/app.swift", context: db.context("bob", type: "codex"))
            #expect(conflict["success"] == false)
            #expect(conflict["reason"] == "locked_by_other")
            #expect(conflict["locked_by"] == "alice")
            #expect(conflict["agent_type"] == "claude_code")
            #expect(conflict["lock_reason"] == "edit", "a refresh without a reason keeps the old one")
            #expect(conflict["detail"]?.stringValue != nil)

            let rows = try await locks.check(context: db.context("bob"))
            #expect(rows.count == 1)
            #expect(rows.first?["locked_by"] == "alice")
        }
    }

    @Test(arguments: TestBackend.available)
    func releaseOnlyByOwner(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let locks = db.coordinator().locks
            _ = try await locks.acquire(path: "db:Schema:Public", context: db.context("alice"))
            let byOther = try await locks.release(path: "db:schema:public", context: db.context("bob"))
            #expect(byOther["success"] == false)
            #expect(byOther["reason"] == "lock_not_found_or_not_owner")
            let byOwner = try await locks.release(path: "db:SCHEMA:public", context: db.context("alice"))
            #expect(byOwner["success"] == true)
            #expect(byOwner["action"] == "released")
            let again = try await locks.release(path: "db:schema:public", context: db.context("alice"))
            #expect(again["reason"] == "lock_not_found_or_not_owner")
            #expect(try await locks.check(context: db.context("alice")).isEmpty)
        }
    }

    @Test(arguments: TestBackend.available)
    func expiredLockIsFreeAndInvisible(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let locks = db.coordinator().locks
            _ = try await locks.acquire(path: "api:get /v1//users/", ttlMinutes: 1, context: db.context("alice"))
            let status = try await locks.status(path: "api:GET /v1/users", context: db.context("bob"))
            #expect(status["locked"] == true)
            #expect(status["lock"]?["locked_by"] == "alice")

            db.clock.advance(by: 59)
            #expect(try await locks.acquire(path: "api:GET /v1/users", context: db.context("bob"))["reason"] == "locked_by_other")
            db.clock.advance(by: 2)
            #expect(try await locks.check(context: db.context("bob")).isEmpty, "an expired lock is not listed")
            #expect(try await locks.status(path: "api:GET /v1/users", context: db.context("bob"))["locked"] == false)
            #expect(try await locks.release(path: "api:GET /v1/users", context: db.context("alice"))["success"] == false,
                    "an expired lock is no longer its holder's")
            let taken = try await locks.acquire(path: "api:GET /v1/users", context: db.context("bob"))
            #expect(taken["action"] == "acquired")
        }
    }

    @Test(arguments: TestBackend.available)
    func badInputIsRefusedAndWritesNothing(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let locks = db.coordinator().locks
            let alice = db.context("alice")
            for (path, ttl) in [("", 10), ("   ", 10), ("/etc/passwd", 10), ("../outside", 10), ("api:", 10),
                                ("src/a.swift", 0), ("src/a.swift", 481), ("src/a.swift", -5)] {
                await #expect(throws: InputError.self) { try await locks.acquire(path: path, ttlMinutes: ttl, context: alice) }
            }
            #expect(try await locks.check(context: alice).isEmpty)

            // The storage functions validate too, for callers that reach them directly (psql, PostgREST).
            let direct: [(JSONObject, String)] = [
                (["p_file_path": "", "p_agent_id": "a", "p_agent_type": "t"], "invalid_file_path"),
                (["p_file_path": "x", "p_agent_id": " ", "p_agent_type": "t"], "invalid_agent_id"),
                (["p_file_path": "x", "p_agent_id": "a", "p_agent_type": "t", "p_ttl_minutes": 0], "ttl_out_of_range"),
                (["p_file_path": "x", "p_agent_id": "a", "p_agent_type": "t", "p_ttl_minutes": 481], "ttl_out_of_range"),
            ]
            for (parameters, reason) in direct {
                let result = try await db.client.rpc("acquire_lock", parameters.merging(["p_now": alice.now]) { old, _ in old })
                #expect(result["success"] == false)
                #expect(result["reason"] == .string(reason))
            }
            #expect(try await db.client.query("file_locks").isEmpty)
        }
    }

    @Test(arguments: TestBackend.available)
    func sixteenContendersNeverTwoHolders(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend, poolMax: 16) { db in
            let locks = db.coordinator().locks
            for round in 0..<5 {
                let outcomes = try await withThrowingTaskGroup(of: JSONValue.self) { group in
                    for contender in 0..<16 {
                        let context = db.context("agent-\(contender)")
                        group.addTask { try await locks.acquire(path: "contended/\(round).txt", context: context) }
                    }
                    return try await group.reduce(into: [JSONValue]()) { $0.append($1) }
                }
                #expect(outcomes.filter { $0["action"] == "acquired" }.count == 1)
                #expect(outcomes.filter { $0["reason"] == "locked_by_other" }.count == 15)
                let holders = try await locks.check(paths: ["contended/\(round).txt"], context: db.context("x"))
                #expect(holders.count == 1)
            }
        }
    }
}
