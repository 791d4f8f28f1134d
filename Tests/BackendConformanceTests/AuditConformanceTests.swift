import CoordinatorCore
import CoordinatorPostgres
import Foundation
import Logging
import PostgresNIO
import Testing

@Suite("The audit trail is immutable and behaves the same on every backend")
struct AuditConformanceTests {
    /// The real clock's time: the prune path compares against the database's own clock, not the test clock.
    static let now = Date()

    static func entry(_ agent: String, _ operation: String, at time: Date, success: Bool = true,
                      parameters: JSONValue = [:]) -> JSONValue {
        [
            "agent_id": .string(agent), "agent_type": "claude_code", "operation": .string(operation), "parameters": parameters,
            "result": ["success": .bool(success)], "duration_ms": 1.5, "success": .bool(success),
            "error_message": success ? .null : "locked_by_other", "created_at": .string(Timestamp.format(time)),
        ]
    }

    static func insert(_ db: TestDatabase, _ entries: [JSONValue]) async throws {
        let answer = try await db.client.rpc("record_audit_entries", ["p_entries": .array(entries)])
        #expect(answer == ["success": true, "inserted": .int(entries.count)])
    }

    static func allRows(_ db: TestDatabase) async throws -> [JSONObject] {
        try await db.client.query("audit_log", filter: RowFilter().ordered(by: "seq"), select: AuditService.columns)
    }

    static func days(_ count: Double) -> TimeInterval { count * 86_400 }

    @Test(arguments: TestBackend.available)
    func updateAndDeleteAreRefused(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            try await Self.insert(db, [
                Self.entry("alice", "acquire_lock", at: Self.now.addingTimeInterval(-Self.days(400))),
                Self.entry("bob", "release_lock", at: Self.now.addingTimeInterval(-60)),
            ])
            let before = try await Self.allRows(db)
            #expect(before.count == 2)
            let everything = RowFilter().filtered("created_at", .lt, .string("9999-01-01T00:00:00Z"))

            await #expect(throws: DatabaseError.self) {
                _ = try await db.client.update("audit_log", filter: everything, values: ["success": false], returning: false)
            }
            await #expect(throws: DatabaseError.self) {
                _ = try await db.client.update("audit_log", filter: RowFilter().equal("agent_id", "bob"),
                                               values: ["error_message": "rewritten"], returning: true)
            }
            await #expect(throws: DatabaseError.self) { _ = try await db.client.delete("audit_log", filter: everything) }
            await #expect(throws: DatabaseError.self) {
                _ = try await db.client.delete("audit_log", filter: RowFilter().equal("agent_id", "alice"))
            }
            do {
                _ = try await db.client.delete("audit_log", filter: everything)
            } catch let error as DatabaseError {
                #expect(error.message.contains("immutable"), "\(error.message)")
            }
            #expect(try await Self.allRows(db) == before, "entries unchanged")

            if backend == .postgres {
                let sql = try PostgresSession(db)
                // As the owner the tests connect as (a superuser): the triggers refuse, whatever the session says.
                try await sql.expectFailure("TRUNCATE audit_log", containing: "immutable")
                try await sql.expectFailure("DELETE FROM audit_log", containing: "immutable",
                                            setup: ["SET LOCAL session_replication_role = replica"])
                // A hand-made prune window can reach neither young rows nor UPDATE.
                try await sql.expectFailure("DELETE FROM audit_log", containing: "immutable",
                                            setup: ["SET LOCAL coordinator.audit_prune_cutoff = '2999-01-01T00:00:00Z'"])
                try await sql.expectFailure("UPDATE audit_log SET success = false", containing: "immutable",
                                            setup: ["SET LOCAL coordinator.audit_prune_cutoff = '2000-01-01T00:00:00Z'"])
                // As the application role: no UPDATE, DELETE or TRUNCATE privilege at all; SELECT and INSERT work.
                for statement in ["UPDATE audit_log SET success = false", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
                    try await sql.expectFailure(statement, containing: "permission denied", setup: ["SET LOCAL ROLE service_role"])
                }
                try await sql.expectSuccess([
                    "SET LOCAL ROLE service_role", "SELECT count(*) FROM audit_log",
                    "SELECT record_audit_entries('[{\"agent_id\": \"svc\", \"operation\": \"probe\"}]'::jsonb)",
                ])
                // Public API roles see nothing.
                try await sql.expectFailure("SELECT count(*) FROM audit_log", containing: "permission denied", setup: ["SET LOCAL ROLE anon"])
                #expect(try await Self.allRows(db) == before, "entries unchanged (the service role's insert was rolled back)")
            } else {
                // SQLite: a hand-written prune window cannot reach entries younger than a day.
                _ = try await db.client.insert("audit_prune_window", row: ["id": 1, "cutoff": "2999-01-01T00:00:00Z"], returning: false)
                await #expect(throws: DatabaseError.self) {
                    _ = try await db.client.delete("audit_log", filter: RowFilter().equal("agent_id", "bob"))
                }
                await #expect(throws: DatabaseError.self) {
                    _ = try await db.client.update("audit_log", filter: everything, values: ["success": false], returning: false)
                }
                _ = try await db.client.delete("audit_prune_window", filter: RowFilter().equal("id", 1))
                #expect(try await Self.allRows(db) == before)
            }
        }
    }

    @Test(arguments: TestBackend.available)
    func pruneDeletesOnlyEntriesOlderThanTheWindow(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let now = Self.now
            try await Self.insert(db, [
                Self.entry("a", "acquire_lock", at: now.addingTimeInterval(-Self.days(400))),
                Self.entry("b", "acquire_lock", at: now.addingTimeInterval(-Self.days(91))),
                Self.entry("c", "acquire_lock", at: now.addingTimeInterval(-Self.days(89))),
                Self.entry("d", "acquire_lock", at: now.addingTimeInterval(-3_600)),
            ])
            let audit = AuditService(database: db.client)
            let context = RequestContext(identity: AgentIdentity(agentId: "ops", agentType: "cli"), clock: ManualClock(now))

            let pruned = try await audit.prune(olderThanDays: 90, context: context)
            #expect(pruned["success"] == true)
            #expect(pruned["entries_deleted"] == 2)
            #expect(pruned["retention_days"] == 90)
            #expect(try await Self.allRows(db).map { $0["agent_id"] } == ["c", "d"])

            // A time in the future counts as now: the window cannot be pushed forward.
            let future = RequestContext(identity: context.identity, clock: ManualClock(now.addingTimeInterval(Self.days(30))))
            #expect(try await audit.prune(olderThanDays: 90, context: future)["entries_deleted"] == 0)
            // Nothing younger than a day, even with the shortest window.
            #expect(try await audit.prune(olderThanDays: 1, context: context)["entries_deleted"] == 1)
            #expect(try await Self.allRows(db).map { $0["agent_id"] } == ["d"])

            // Out-of-range windows: refused by the service, answered success:false by the storage function.
            await #expect(throws: InputError.self) { try await audit.prune(olderThanDays: 0, context: context) }
            let direct = try await db.client.rpc("cleanup_old_audit_entries", ["p_retention_days": 0])
            #expect(direct["success"] == false && direct["reason"] == "retention_days_out_of_range")

            // The triggers still refuse afterwards (the prune window does not outlive its transaction).
            await #expect(throws: DatabaseError.self) {
                _ = try await db.client.delete("audit_log", filter: RowFilter().equal("agent_id", "d"))
            }
            await #expect(throws: DatabaseError.self) {
                _ = try await db.client.update("audit_log", filter: RowFilter().equal("agent_id", "d"), values: ["success": false],
                                               returning: false)
            }
            if backend == .sqlite {
                #expect(try await db.client.query("audit_prune_window").isEmpty)
            }
            #expect(try await Self.allRows(db).count == 1)
        }
    }

    @Test(arguments: TestBackend.available)
    func scheduledRetentionPrunesAndRecordsItself(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let now = Date()
            try await Self.insert(db, [
                Self.entry("old", "acquire_lock", at: now.addingTimeInterval(-Self.days(120))),
                Self.entry("young", "acquire_lock", at: now.addingTimeInterval(-Self.days(2))),
            ])
            let trail = AuditTrail(database: db.client, config: AuditConfig(flushIntervalMilliseconds: 5))
            let retention = AuditRetention(service: AuditService(database: db.client), recorder: trail)
            let schedule = Task {
                await retention.runSchedule(every: .milliseconds(20), olderThanDays: 90,
                                            identity: AgentIdentity(agentId: "coordinator", agentType: "server"),
                                            logger: Logger(label: "test.retention"))
            }
            // Bounded wait for at least two runs (the first prunes, later ones find nothing).
            var prunes = 0
            for _ in 0..<200 where prunes < 2 {
                try await Task.sleep(for: .milliseconds(20))
                await trail.flush()
                prunes = try await Self.allRows(db).filter { $0["operation"] == "prune_audit" }.count
            }
            schedule.cancel()
            await schedule.value
            await trail.shutdown()

            let rows = try await Self.allRows(db)
            #expect(prunes >= 2)
            #expect(!rows.contains { $0["agent_id"] == "old" })
            #expect(rows.contains { $0["agent_id"] == "young" })
            let first = try #require(rows.first { $0["operation"] == "prune_audit" })
            #expect(first["agent_id"] == "coordinator" && first["success"] == true)
            #expect(first["result"]?["entries_deleted"] == 1)
        }
    }

    @Test(arguments: TestBackend.available)
    func queryFiltersOrdersAndLimits(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let base = Date(timeIntervalSince1970: 1_800_000_000)
            var entries: [JSONValue] = []
            for index in 0..<30 {
                let agent = index % 3 == 0 ? "alice" : "bob"
                let operation = index % 2 == 0 ? "acquire_lock" : "release_lock"
                entries.append(Self.entry(agent, operation, at: base.addingTimeInterval(Double(index) * 60), success: index % 5 != 0,
                                          parameters: ["n": .int(index)]))
            }
            // Two more at the same instant as the last: the later insert comes first.
            entries.append(Self.entry("carol", "heartbeat", at: base.addingTimeInterval(29 * 60), parameters: ["n": 30]))
            entries.append(Self.entry("carol", "heartbeat", at: base.addingTimeInterval(29 * 60), parameters: ["n": 31]))
            try await Self.insert(db, entries)
            let audit = AuditService(database: db.client)
            func numbers(_ result: JSONValue) -> [Int] {
                (result["entries"]?.arrayValue ?? []).compactMap { $0["parameters"]?["n"]?.intValue }
            }

            #expect(numbers(try await audit.query(limit: 4)) == [31, 30, 29, 28], "newest first, ties by insertion")
            let all = try await audit.query(limit: 500)
            #expect(numbers(all).count == 32)
            let first = try #require(all["entries"]?.arrayValue?.last?.objectValue)
            #expect(Set(first.keys) == Set(AuditService.columns))
            #expect(first["agent_id"] == "alice" && first["operation"] == "acquire_lock" && first["success"] == false)
            #expect(first["error_message"] == "locked_by_other")
            #expect(first["duration_ms"]?.doubleValue == 1.5)
            #expect(first["parameters"] == ["n": 0] && first["result"] == ["success": false])
            #expect(first["created_at"]?.stringValue.flatMap(Timestamp.parse) == base)
            #expect(first["id"]?.stringValue.flatMap(UUID.init(uuidString:)) != nil)

            #expect(numbers(try await audit.query(agentId: "alice", limit: 100)) == [27, 24, 21, 18, 15, 12, 9, 6, 3, 0])
            #expect(numbers(try await audit.query(agentId: "alice", operation: "release_lock", limit: 100)) == [27, 21, 15, 9, 3])
            let since = Timestamp.format(base.addingTimeInterval(25 * 60))
            #expect(numbers(try await audit.query(operation: "acquire_lock", since: since, limit: 100)) == [28, 26])
            // Bounds are inclusive, and any zone offset is understood.
            #expect(numbers(try await audit.query(since: "2027-01-15T10:05:00+02:00", until: "2027-01-15T08:07:00Z", limit: 100))
                    == [7, 6, 5])
            #expect(numbers(try await audit.query(agentId: "nobody")).isEmpty)
            #expect(numbers(try await audit.query(since: "0000-01-01T00:00:00Z", until: "9999-12-31T23:59:59Z", limit: 3)) == [31, 30, 29])

            await #expect(throws: InputError.self) { try await audit.query(limit: 0) }
            await #expect(throws: InputError.self) { try await audit.query(limit: 501) }
            await #expect(throws: InputError.self) { try await audit.query(since: "yesterday") }
        }
    }

    @Test(arguments: TestBackend.available)
    func malformedBatchesInsertNothing(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let notArray = try await db.client.rpc("record_audit_entries", ["p_entries": ["agent_id": "a"]])
            #expect(notArray["success"] == false && notArray["reason"] == "invalid_entries")
            let blank = try await db.client.rpc("record_audit_entries", ["p_entries": [
                ["agent_id": "a", "operation": "x"], ["agent_id": " ", "operation": "x"],
            ]])
            #expect(blank["success"] == false && blank["reason"] == "invalid_entry" && blank["index"] == 1)
            let noOperation = try await db.client.rpc("record_audit_entries", ["p_entries": [["agent_id": "a"]]])
            #expect(noOperation["reason"] == "invalid_entry" && noOperation["index"] == 0)
            #expect(try await Self.allRows(db).isEmpty)
            // Defaults: parameters and result {}, created_at now.
            #expect(try await db.client.rpc("record_audit_entries", ["p_entries": [["agent_id": "a", "operation": "x"]]])["inserted"] == 1)
            let row = try #require(try await Self.allRows(db).first)
            #expect(row["parameters"] == [:] && row["result"] == [:] && row["success"] == .null)
            let created = try #require(row["created_at"]?.stringValue.flatMap(Timestamp.parse))
            #expect(abs(created.timeIntervalSinceNow) < 300)
        }
    }

    @Test(arguments: TestBackend.available)
    func theDispatcherRecordsEveryCallThroughTheTrail(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let trail = AuditTrail(database: db.client, config: AuditConfig(batchSize: 3, flushIntervalMilliseconds: 5))
            let dispatcher = OperationDispatcher(coordinator: db.coordinator(), recorder: trail)
            let alice = db.context("alice")
            let bob = db.context("bob", type: "codex")
            _ = try await dispatcher.call("acquire_lock", arguments: ["file_path": "src/a.swift"], context: alice)
            _ = try await dispatcher.call("acquire_lock", arguments: ["file_path": "src/a.swift"], context: bob)
            await #expect(throws: DispatchError.self) {
                _ = try await dispatcher.call("acquire_lock", arguments: ["file_path": "src/b.swift", "ttl_minutes": 0], context: bob)
            }
            await #expect(throws: DispatchError.self) {
                // NUL is refused as input, and stored without it (PostgreSQL cannot store U+0000).
                _ = try await dispatcher.call("write_handoff", arguments: ["summary": "a\u{0}b"], context: alice)
            }
            _ = try await dispatcher.call("submit_work", arguments: [
                "task_type": "t", "description": "d", "input_data": ["token": "secret-value", "keep": 1],
            ], context: alice)
            await trail.shutdown()

            let rows = try await Self.allRows(db)
            #expect(rows.map { $0["operation"] } == ["acquire_lock", "acquire_lock", "acquire_lock", "write_handoff", "submit_work"])
            #expect(rows.map { $0["agent_id"] } == ["alice", "bob", "bob", "alice", "alice"])
            #expect(rows.map { $0["success"] } == [true, false, false, false, true])
            #expect(rows[1]["agent_type"] == "codex")
            #expect(rows[1]["error_message"]?.stringValue?.hasPrefix("locked_by_other") == true)
            #expect(rows[2]["error_message"]?.stringValue?.contains("ttl_minutes") == true)
            #expect(rows[3]["parameters"]?["summary"] == "a\u{FFFD}b")
            #expect(rows[4]["parameters"]?["input_data"] == ["token": "[REDACTED]", "keep": 1])
            #expect(rows.allSatisfy { ($0["duration_ms"]?.doubleValue ?? -1) >= 0 })
            #expect(rows.allSatisfy { $0["created_at"]?.stringValue.flatMap(Timestamp.parse) == db.clock.now() })
            let statistics = await trail.currentStatistics()
            #expect(statistics.written == 5 && statistics.lost == 0)

            // query_audit through the dispatcher sees them (and records itself).
            let trail2 = AuditTrail(database: db.client, config: AuditConfig(async: false))
            let reader = OperationDispatcher(coordinator: db.coordinator(), recorder: trail2)
            let listed = try await reader.call("query_audit", arguments: ["agent_id": "bob", "limit": 10], context: alice)
            #expect(listed["entries"]?.arrayValue?.count == 2)
            #expect(try await Self.allRows(db).last?["operation"] == "query_audit")
        }
    }
}

/// Raw SQL on the test's PostgreSQL database, each check in its own rolled-back transaction.
struct PostgresSession {
    let configuration: PostgresConnection.Configuration

    init(_ db: TestDatabase) throws {
        guard let client = db.client as? DirectPostgresClient, let admin = TestBackend.postgresDSN,
              let components = URLComponents(string: admin), let host = components.host else {
            throw PostgresAdminError(message: "not a PostgreSQL test database")
        }
        configuration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres", password: components.password,
            database: client.dsn.database, tls: .disable)
    }

    /// Runs `setup` then `statement` in one transaction, expects `statement` to fail with a message containing `text`.
    func expectFailure(_ statement: String, containing text: String, setup: [String] = [],
                       sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await withConnection { connection, logger in
            try await connection.query("BEGIN", logger: logger)
            for line in setup { try await connection.query(PostgresQuery(unsafeSQL: line), logger: logger) }
            do {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                Issue.record("\(statement) succeeded", sourceLocation: sourceLocation)
            } catch let error as PSQLError {
                let message = error.serverInfo?[.message] ?? String(reflecting: error)
                #expect(message.contains(text), "\(statement): \(message)", sourceLocation: sourceLocation)
            }
            try await connection.query("ROLLBACK", logger: logger)
        }
    }

    /// Runs every statement in one transaction (rolled back), expecting each to succeed.
    func expectSuccess(_ statements: [String]) async throws {
        try await withConnection { connection, logger in
            try await connection.query("BEGIN", logger: logger)
            for statement in statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
            try await connection.query("ROLLBACK", logger: logger)
        }
    }

    private func withConnection(_ body: (PostgresConnection, Logger) async throws -> Void) async throws {
        let logger = Logger(label: "test-audit-sql")
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 7, logger: logger)
        do {
            try await body(connection, logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
