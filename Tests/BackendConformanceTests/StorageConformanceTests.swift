import CoordinatorCore
import Foundation
import Testing

@Suite("Table access and migrations behave the same on every backend")
struct StorageConformanceTests {
    func lockRow(_ path: String, agent: String, minutes: Int, reason: String? = nil) -> JSONObject {
        [
            "file_path": .string(path), "locked_by": .string(agent), "agent_type": "claude_code",
            "locked_at": .string(Timestamp.format(Date(timeIntervalSince1970: 1_800_000_000))),
            "expires_at": .string(Timestamp.format(Date(timeIntervalSince1970: 1_800_000_000 + Double(minutes) * 60))),
            "reason": JSONValue(reason),
        ]
    }

    @Test(arguments: TestBackend.available)
    func insertQueryUpdateDelete(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let client = db.client
            let inserted = try #require(try await client.insert("file_locks", row: lockRow("a", agent: "x", minutes: 10, reason: "r")))
            #expect(inserted["file_path"] == "a")
            #expect(inserted["metadata"] == [:], "column defaults apply")
            _ = try await client.insert("file_locks", row: lockRow("b", agent: "y", minutes: 20), returning: false)
            _ = try await client.insert("file_locks", row: lockRow("c", agent: "x", minutes: 30, reason: "r,\"q\""))
            _ = try await client.insert("file_locks", row: lockRow("d", agent: "y", minutes: 30))

            func paths(_ filter: RowFilter) async throws -> [String] {
                try await client.query("file_locks", filter: filter, select: ["file_path"]).compactMap { $0["file_path"]?.stringValue }
            }
            let base = RowFilter().ordered(by: "file_path")
            #expect(try await paths(base.equal("locked_by", "x")) == ["a", "c"])
            #expect(try await paths(base.filtered("locked_by", .neq, "x")) == ["b", "d"])
            let twenty = JSONValue.string(Timestamp.format(Date(timeIntervalSince1970: 1_800_000_000 + 1200)))
            #expect(try await paths(base.filtered("expires_at", .gt, twenty)) == ["c", "d"])
            #expect(try await paths(base.filtered("expires_at", .gte, twenty)) == ["b", "c", "d"])
            #expect(try await paths(base.filtered("expires_at", .lt, twenty)) == ["a"])
            #expect(try await paths(base.filtered("expires_at", .lte, twenty)) == ["a", "b"])
            #expect(try await paths(base.among("file_path", ["a", "d", "zz"])) == ["a", "d"])
            #expect(try await paths(base.among("file_path", [])) == [])
            #expect(try await paths(base.isNull("reason")) == ["b", "d"])
            #expect(try await paths(base.equal("reason", "r,\"q\"")) == ["c"])
            let multi = RowFilter().ordered(by: "locked_by", ascending: false).ordered(by: "expires_at", ascending: false)
            #expect(try await paths(multi) == ["d", "b", "c", "a"], "every order key is honoured")
            #expect(try await paths(multi.limited(to: 2)) == ["d", "b"])
            let parsed = try PostgRESTQuery(parsing: "locked_by=eq.y&order=expires_at.desc,file_path.asc&limit=1")
            #expect(try await paths(parsed.filter) == ["d"])

            let updated = try await client.update("file_locks", filter: RowFilter().equal("locked_by", "y"), values: ["reason": "moved"], returning: true)
            #expect(updated.count == 2)
            #expect(Set(updated.compactMap { $0["reason"]?.stringValue }) == ["moved"])
            #expect(try await client.delete("file_locks", filter: RowFilter().equal("locked_by", "x")) == 2)
            #expect(try await paths(base) == ["b", "d"])
        }
    }

    @Test(arguments: TestBackend.available)
    func refusesUnsafeRequests(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let client = db.client
            await #expect(throws: DatabaseError.self) { try await client.query("file_locks; DROP TABLE x", filter: RowFilter(), select: nil) }
            await #expect(throws: DatabaseError.self) {
                try await client.query("file_locks", filter: RowFilter().equal("locked_by\" OR 1=1 --", "x"), select: nil)
            }
            await #expect(throws: DatabaseError.self) { try await client.query("file_locks", filter: RowFilter(), select: ["*"]) }
            await #expect(throws: DatabaseError.self) { try await client.delete("file_locks", filter: RowFilter()) }
            await #expect(throws: DatabaseError.self) { try await client.update("file_locks", filter: RowFilter(), values: ["reason": "x"], returning: false) }
            await #expect(throws: DatabaseError.self) { try await client.rpc("no_such_function", [:]) }
            await #expect(throws: DatabaseError.self) { try await client.rpc("acquire_lock", ["p_bogus": 1]) }
            _ = try await client.insert("file_locks", row: lockRow("kept", agent: "x", minutes: 5))
            let hostile = "x' OR '1'='1"
            #expect(try await client.query("file_locks", filter: RowFilter().equal("locked_by", .string(hostile)), select: nil).isEmpty)
            #expect(try await client.query("file_locks").count == 1)
            try await client.ping()
        }
    }

    @Test(arguments: TestBackend.available)
    func migratingAgainIsANoOp(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let migrating = try #require(db.client as? any SchemaMigrating)
            let report = try await migrating.migrate()
            #expect(report.applied.isEmpty)
            #expect(report.alreadyApplied > 0)
        }
    }
}

@Suite("A closed database says so")
struct ClosedDatabaseTests {
    @Test func sqliteCallsAfterCloseAreUnavailable() async throws {
        try await TestDatabase.with(.sqlite) { db in
            try await db.client.close()
            await #expect { try await db.client.ping() } throws: { error in
                (error as? DatabaseError)?.kind == .unavailable && "\(error)".contains("closed")
            }
            await #expect(throws: DatabaseError.self) { try await db.client.rpc("release_lock", ["p_file_path": "a", "p_agent_id": "b"]) }
        }
    }
}
