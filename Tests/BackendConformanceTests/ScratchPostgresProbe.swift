// SCRATCH — verification of CoordinatorPostgres; deleted before hand-off.
import CoordinatorCore
import CoordinatorPostgres
import CoordinatorSchema
import Foundation
import Testing

private func env(_ name: String) -> String? { ProcessInfo.processInfo.environment[name] }

private func expectDBError(_ kind: DatabaseError.Kind, _ label: String, _ body: () async throws -> Void) async {
    do {
        try await body()
        print("SCRATCH FAIL \(label): no error")
        Issue.record("\(label): expected \(kind)")
    } catch let error as DatabaseError {
        print("SCRATCH \(label): [\(error.kind)] \(error.message)")
        #expect(error.kind == kind, "\(label)")
    } catch {
        print("SCRATCH FAIL \(label): other error \(error)")
        Issue.record("\(label): \(error)")
    }
}

@Suite(.serialized) struct ScratchPostgresProbe {
    @Test func dsnParsing() throws {
        let a = try PostgresDSN(parsing: "postgresql://al%40ice:p%3Ass%2Fw@db.example.com:6543/my%20db?sslmode=require")
        #expect(a.username == "al@ice" && a.password == "p:ss/w" && a.host == "db.example.com" && a.port == 6543 && a.database == "my db" && a.tlsMode == .require)
        print("SCRATCH dsn redacted:", a.redacted, "|", "\(a)")
        let b = try PostgresDSN(parsing: "postgres://localhost")
        #expect(b.username == "postgres" && b.database == "postgres" && b.port == 5432 && b.password == nil && b.tlsMode == .prefer)
        let c = try PostgresDSN(parsing: "postgres://bob@[::1]/")
        #expect(c.host == "::1" && c.database == "bob" && c.endpoint == "[::1]:5432")
        let d = try PostgresDSN(parsing: "postgres://u:p@ss@h:1/x?sslmode=disable&application_name=a@b")
        #expect(d.password == "p@ss" && d.host == "h" && d.applicationName == "a@b")
        let e = try PostgresDSN(parsing: "postgresql:///db?host=/var/run/postgresql&port=5433")
        #expect(e.unixSocketPath == "/var/run/postgresql/.s.PGSQL.5433")
        print("SCRATCH socket redacted:", e.redacted)
        for bad in ["mysql://u:secretpw@h/db", "postgres://u:secretpw@h:99999/db", "postgres://u:secretpw@h/db?sslmode=bogus",
                    "postgres://u:secret%zzpw@h/db", "postgres://u:secretpw@h1,h2/db", "postgres://u:secretpw@h/db?foo=1", "",
                    "postgres://u:secretpw@h:port/db"] {
            do {
                _ = try PostgresDSN(parsing: bad)
                Issue.record("accepted \(bad)")
            } catch let error as ConfigurationError {
                print("SCRATCH bad dsn:", error.description)
                #expect(error.variable == "POSTGRES_DSN")
                #expect(!error.description.contains("secret"))
            }
        }
    }

    @Test func everything() async throws {
        guard let dsn = env("SCRATCH_DSN"), let dsn2 = env("SCRATCH_DSN2") else { print("SCRATCH no DSN"); return }
        let client = try await DirectPostgresClient.connect(config: PostgresConfig(dsn: dsn, poolMin: 2, poolMax: 10))
        defer { }
        let first = try await client.migrate()
        print("SCRATCH migrate 1:", first.json.jsonText)
        #expect(first.applied.count == 4 && first.alreadyApplied == 0)
        let second = try await client.migrate()
        print("SCRATCH migrate 2:", second.json.jsonText)
        #expect(second.applied.isEmpty && second.alreadyApplied == 4)
        try await client.ping()

        let now = "2026-01-01T12:00:00Z"
        func call(_ fn: String, _ params: JSONObject) async throws -> JSONValue {
            let result = try await client.rpc(fn, params)
            print("SCRATCH rpc \(fn): \(result.jsonText)")
            return result
        }
        // Locks
        var r = try await call("acquire_lock", ["p_file_path": "src/a.swift", "p_agent_id": "agent-1", "p_agent_type": "claude", "p_reason": "edit", "p_ttl_minutes": 15, "p_now": .string(now)])
        #expect(r["action"] == "acquired")
        #expect(r["expires_at"]?.stringValue == "2026-01-01T12:15:00+00:00")
        r = try await call("acquire_lock", ["p_file_path": "src/a.swift", "p_agent_id": "agent-2", "p_agent_type": "codex", "p_now": .string(now)])
        #expect(r["reason"] == "locked_by_other")
        r = try await call("acquire_lock", ["p_file_path": "src/a.swift", "p_agent_id": "agent-1", "p_agent_type": "claude", "p_session_id": nil, "p_ttl_minutes": 30.0, "p_now": .string(now)])
        #expect(r["action"] == "refreshed")
        r = try await call("acquire_lock", ["p_file_path": "src/b.swift", "p_agent_id": "agent-1", "p_agent_type": "claude"])  // server now()
        r = try await call("release_lock", ["p_file_path": "src/b.swift", "p_agent_id": "agent-1"])
        #expect(r["action"] == "released")
        r = try await call("release_lock", ["p_file_path": "src/zzz", "p_agent_id": "agent-1", "p_now": .string(now)])
        #expect(r["reason"] == "lock_not_found_or_not_owner")

        // Work queue
        r = try await call("submit_task", ["p_task_type": "build", "p_description": "compile", "p_input_data": ["x": 1, "list": [1, "two", nil]], "p_priority": 2, "p_now": .string(now)])
        let t1 = try #require(r["task_id"]?.stringValue)
        r = try await call("submit_task", ["p_task_type": "test", "p_description": "run tests", "p_input_data": "just a string", "p_depends_on": [.string(t1), .string(t1)], "p_deadline": "2026-02-01T00:00:00+01:00", "p_max_attempts": 5, "p_now": .string(now)])
        let t2 = try #require(r["task_id"]?.stringValue)
        r = try await call("submit_task", ["p_task_type": "x", "p_description": "y", "p_depends_on": ["00000000-0000-0000-0000-000000000001"]])
        #expect(r["reason"] == "unknown_dependency")
        r = try await call("submit_task", ["p_task_type": "x", "p_description": "y", "p_depends_on": [], "p_input_data": nil])
        #expect(r["success"] == true)
        r = try await call("claim_task", ["p_agent_id": "w1", "p_agent_type": "claude", "p_task_types": ["build", "test"], "p_lease_minutes": 10, "p_now": .string(now)])
        #expect(r["task_id"]?.stringValue == t1)
        #expect(r["input_data"] == ["x": 1, "list": [1, "two", nil]])
        r = try await call("renew_task_lease", ["p_task_id": .string(t1), "p_agent_id": "w1", "p_lease_minutes": 20, "p_now": .string(now)])
        #expect(r["status"] == "running")
        r = try await call("complete_task", ["p_task_id": .string(t1), "p_agent_id": "w1", "p_success": true, "p_result": ["ok": true], "p_now": .string(now)])
        #expect(r["status"] == "completed")
        r = try await call("claim_task", ["p_agent_id": "w1", "p_agent_type": "claude", "p_task_types": ["test"], "p_now": .string(now)])
        #expect(r["task_id"]?.stringValue == t2)
        #expect(r["input_data"] == "just a string")
        r = try await call("complete_task", ["p_task_id": .string(t2), "p_agent_id": "w1", "p_success": false, "p_error_message": "boom", "p_now": .string(now)])
        r = try await call("cancel_task", ["p_task_id": .string(t2), "p_agent_id": "w1", "p_reason": "nope"])
        #expect(r["reason"] == "task_not_cancellable")
        r = try await call("claim_task", ["p_agent_id": "w1", "p_agent_type": "claude", "p_task_types": nil])

        // Handoffs
        r = try await call("write_handoff", ["p_agent_name": "claude", "p_session_id": "s-1", "p_summary": "did things", "p_completed_work": ["a", "b"], "p_next_steps": [["step": 1]], "p_relevant_files": "[\"x.swift\"]", "p_now": .string(now)])
        #expect(r["success"] == true)
        r = try await call("read_handoff", ["p_agent_name": "claude", "p_limit": 5])
        #expect(r["handoffs"]?[ "0"] == nil)
        #expect(r["handoffs"]?.arrayValue?.first?["completed_work"] == ["a", "b"])

        // Discovery
        r = try await call("register_agent_session", ["p_agent_id": "claude-1", "p_agent_type": "claude", "p_session_id": "sess-1", "p_capabilities": ["swift", "sql", "has \"quote\" and \\ backslash", "with,comma"], "p_current_task": nil, "p_now": .string(now)])
        #expect(r["session_id"] == "sess-1")
        r = try await call("agent_heartbeat", ["p_agent_id": "claude-1", "p_now": "2026-01-01T12:05:00Z"])
        r = try await call("discover_agents", ["p_capability": "has \"quote\" and \\ backslash"])
        #expect(r["agents"]?.arrayValue?.count == 1)
        #expect(r["agents"]?.arrayValue?.first?["capabilities"] == ["swift", "sql", "has \"quote\" and \\ backslash", "with,comma"])
        r = try await call("cleanup_dead_agents", ["p_stale_threshold": "15 minutes", "p_now": "2026-01-01T13:00:00Z"])
        #expect(r["agents_cleaned"] == 1)
        r = try await call("public.discover_agents", [:])

        // rpc errors
        await expectDBError(.invalidRequest, "bogus function") { _ = try await client.rpc("no_such_function", [:]) }
        await expectDBError(.invalidRequest, "unknown param") { _ = try await client.rpc("acquire_lock", ["p_x": 1]) }
        await expectDBError(.invalidRequest, "bad identifier") { _ = try await client.rpc("acquire_lock; drop table x", [:]) }
        await expectDBError(.invalidRequest, "object for text") { _ = try await client.rpc("acquire_lock", ["p_file_path": ["a": 1], "p_agent_id": "x", "p_agent_type": "y"]) }
        await expectDBError(.rejected, "bad uuid") { _ = try await client.rpc("cancel_task", ["p_task_id": "not-a-uuid", "p_agent_id": "x"]) }
        await expectDBError(.invalidRequest, "missing required") { _ = try await client.rpc("acquire_lock", ["p_file_path": "x"]) }
        await expectDBError(.rejected, "bad interval") { _ = try await client.rpc("cleanup_dead_agents", ["p_stale_threshold": "soon"]) }

        // Table access on handoff_documents
        for i in 0..<5 {
            let row = try await client.insert("handoff_documents", row: ["agent_name": .string(i % 2 == 0 ? "even" : "odd"), "summary": .string("s\(i)"), "created_at": .string("2026-01-0\(i + 1)T00:00:00Z"), "completed_work": [.int(i)]], returning: true)
            if i == 0 { print("SCRATCH inserted:", JSONValue.object(row ?? [:]).jsonText) }
            #expect(row?["seq"] != nil && row?["id"] != nil && row?["in_progress"] == [])
        }
        let none = try await client.insert("handoff_documents", row: ["agent_name": "quiet", "summary": "x"], returning: false)
        #expect(none == nil)
        func q(_ filter: RowFilter, _ select: [String]? = ["summary"]) async throws -> [String] {
            let rows = try await client.query("handoff_documents", filter: filter, select: select)
            return rows.map { $0["summary"]?.stringValue ?? "?" }
        }
        let base = RowFilter().filtered("agent_name", .neq, "claude").filtered("agent_name", .neq, "quiet")
        print("SCRATCH all:", try await q(base.ordered(by: "seq")))
        #expect(try await q(base.filtered("agent_name", .eq, "even").ordered(by: "summary", ascending: false)) == ["s4", "s2", "s0"])
        #expect(try await q(base.filtered("created_at", .gt, "2026-01-03T00:00:00Z").ordered(by: "created_at")) == ["s3", "s4"])
        #expect(try await q(base.filtered("created_at", .gte, "2026-01-03T00:00:00+00:00").ordered(by: "created_at")) == ["s2", "s3", "s4"])
        #expect(try await q(base.filtered("created_at", .lt, "2026-01-02T00:00:00Z").ordered(by: "created_at")) == ["s0"])
        #expect(try await q(base.filtered("created_at", .lte, "2026-01-02 00:00:00Z").ordered(by: "created_at")) == ["s0", "s1"])
        #expect(try await q(base.filtered("created_at", .lt, "now()").filtered("agent_name", .neq, "quiet").ordered(by: "created_at").limited(to: 2)) == ["s0", "s1"])
        #expect(try await q(base.among("summary", ["s1", "s3", "zzz"]).ordered(by: "summary")) == ["s1", "s3"])
        #expect(try await q(base.among("summary", [])) == [])
        #expect(try await q(base.among("seq", [2, 3]).ordered(by: "seq", ascending: false)) == ["s1", "s0"])
        #expect(try await q(base.isNull("session_id").filtered("agent_name", .neq, "quiet").ordered(by: "agent_name").ordered(by: "created_at", ascending: false)) == ["s4", "s2", "s0", "s3", "s1"])
        #expect(try await q(RowFilter().filtered("agent_name", .eq, "even").ordered(by: "seq", ascending: false).limited(to: 1)) == ["s4"])
        let starRows = try await client.query("handoff_documents", filter: RowFilter().filtered("summary", .eq, "s0"), select: nil)
        print("SCRATCH star row:", JSONValue.object(starRows.first ?? [:]).jsonText)
        #expect(starRows.first?.keys.contains("coordinator_ordinal__") == false)
        #expect(starRows.first?.count == 11)
        let twoCols = try await client.query("handoff_documents", filter: RowFilter().filtered("summary", .eq, "s0"), select: ["summary", "created_at"])
        print("SCRATCH two cols:", JSONValue.object(twoCols.first ?? [:]).jsonText)

        // file_locks: is true/false on a boolean expression column? (no boolean columns) — use work_queue for is
        let updated = try await client.update("handoff_documents", filter: RowFilter().filtered("agent_name", .eq, "odd"), values: ["session_id": "sess-9", "decisions": ["d": [1, 2]]], returning: true)
        print("SCRATCH updated:", updated.map { JSONValue.object($0).jsonText })
        #expect(updated.count == 2 && updated.allSatisfy { $0["session_id"] == "sess-9" && $0["decisions"] == ["d": [1, 2]] })
        let silent = try await client.update("handoff_documents", filter: RowFilter().filtered("agent_name", .eq, "odd"), values: ["summary": "renamed"], returning: false)
        #expect(silent.isEmpty)
        #expect(try await q(RowFilter().filtered("agent_name", .eq, "odd")) == ["renamed", "renamed"])
        let deleted = try await client.delete("handoff_documents", filter: RowFilter().filtered("agent_name", .eq, "odd"))
        #expect(deleted == 2)
        #expect(try await client.delete("handoff_documents", filter: RowFilter().filtered("agent_name", .eq, "odd")) == 0)

        // file_locks round trip
        let lock = try await client.insert("file_locks", row: ["file_path": "k/1", "locked_by": "me", "agent_type": "t", "expires_at": "2030-01-01T00:00:00Z", "metadata": ["m": true]])
        print("SCRATCH lock row:", JSONValue.object(lock ?? [:]).jsonText)
        #expect(lock?["locked_at"] != nil)  // default now()
        _ = try await client.update("file_locks", filter: RowFilter().equal("file_path", "k/1"), values: ["reason": nil], returning: false)
        let locks = try await client.query("file_locks", filter: RowFilter().equal("file_path", "k/1").isNull("reason").filtered("expires_at", .gt, "now()"))
        #expect(locks.count == 1)
        #expect(try await client.delete("file_locks", filter: RowFilter().equal("file_path", "k/1")) == 1)

        // work_queue: is.true/is.false via a boolean? none; IS on status null check and uuid/array columns
        let wq = try await client.query("work_queue", filter: RowFilter().filtered("status", .eq, "failed").filtered("depends_on", .eq, .string("{\(t1)}")), select: ["id", "depends_on", "error_message"])
        print("SCRATCH wq:", wq.map { JSONValue.object($0).jsonText })
        #expect(wq.count == 1)
        await expectDBError(.invalidRequest, "in on array col") { _ = try await client.query("work_queue", filter: RowFilter().among("depends_on", ["x"]), select: nil) }

        // Table errors
        await expectDBError(.invalidRequest, "unknown column filter") { _ = try await client.query("file_locks", filter: RowFilter().equal("nope", "x"), select: nil) }
        await expectDBError(.invalidRequest, "unknown column order") { _ = try await client.query("file_locks", filter: RowFilter().ordered(by: "nope"), select: nil) }
        await expectDBError(.invalidRequest, "unknown column select") { _ = try await client.query("file_locks", filter: RowFilter(), select: ["nope"]) }
        await expectDBError(.invalidRequest, "unknown table") { _ = try await client.query("nope", filter: RowFilter(), select: nil) }
        await expectDBError(.invalidRequest, "bad table ident") { _ = try await client.query("file_locks\"; --", filter: RowFilter(), select: nil) }
        await expectDBError(.invalidRequest, "update empty filter") { _ = try await client.update("file_locks", filter: RowFilter(), values: ["reason": "x"], returning: true) }
        await expectDBError(.invalidRequest, "delete empty filter") { _ = try await client.delete("file_locks", filter: RowFilter()) }
        await expectDBError(.invalidRequest, "insert unknown column") { _ = try await client.insert("file_locks", row: ["nope": 1], returning: true) }
        await expectDBError(.rejected, "insert not null") { _ = try await client.insert("file_locks", row: ["file_path": "z"], returning: true) }
        await expectDBError(.rejected, "bad literal") { _ = try await client.query("work_queue", filter: RowFilter().equal("id", "nope"), select: nil) }
        let qualified = try await client.query("public.file_locks", filter: RowFilter().limited(to: 1), select: nil)
        print("SCRATCH qualified ok", qualified.count)

        // Concurrency: 200 tasks, 16 claimers
        for i in 0..<200 {
            _ = try await client.rpc("submit_task", ["p_task_type": "bulk", "p_description": .string("t\(i)"), "p_priority": .int(1 + i % 10)])
        }
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<16 {
                group.addTask {
                    var mine: [String] = []
                    while true {
                        let result = try await client.rpc("claim_task", ["p_agent_id": .string("w\(worker)"), "p_agent_type": "bench", "p_task_types": ["bulk"]])
                        guard result["success"] == true, let id = result["task_id"]?.stringValue else { break }
                        mine.append(id)
                    }
                    return mine
                }
            }
            var all: [String] = []
            for try await part in group { all += part }
            return all
        }
        print("SCRATCH concurrency: claimed \(claimed.count), unique \(Set(claimed).count)")
        #expect(claimed.count == 200 && Set(claimed).count == 200)

        // Edited migration refusal
        let tampered = try await client.update("schema_migrations", filter: RowFilter().equal("version", 1), values: ["checksum": "0000000000000000"], returning: true)
        #expect(tampered.count == 1)
        await expectDBError(.schema, "edited migration") { _ = try await client.migrate() }
        // Unknown applied (a newer build)
        _ = try await client.update("schema_migrations", filter: RowFilter().equal("version", 1), values: ["checksum": .string(SchemaFiles.postgres[1].checksum)], returning: false)
        _ = try await client.insert("schema_migrations", row: ["version": 99, "name": "099_future", "checksum": "abc"], returning: false)
        await expectDBError(.schema, "unknown applied") { _ = try await client.migrate() }
        _ = try await client.delete("schema_migrations", filter: RowFilter().equal("version", 99))
        let third = try await client.migrate()
        #expect(third.applied.isEmpty && third.alreadyApplied == 4)

        // A failing migration (custom list) on the second DB
        let client2 = try await DirectPostgresClient.connect(config: PostgresConfig(dsn: dsn2, poolMin: 0, poolMax: 2))
        let broken = [Migration(version: 0, name: "000_ok", sql: "CREATE TABLE a (x int, flag boolean, name varchar(3));\nCREATE TABLE b (y int);\nINSERT INTO a VALUES (1, true, 'abc'), (2, false, 'abd'), (3, NULL, NULL);"),
                      Migration(version: 1, name: "001_broken", sql: "CREATE TABLE c (z int);\n-- comment\nINSERT INTO c VALUES (1);\nSELECT * FROM missing_table;\n")]
        await expectDBError(.schema, "broken migration") { _ = try await PostgresMigrationRunner(migrations: broken).run(on: client2) }
        let afterBroken = try await client2.query("schema_migrations", filter: RowFilter().ordered(by: "version"), select: ["name"])
        print("SCRATCH after broken:", afterBroken.map { JSONValue.object($0).jsonText })
        await expectDBError(.invalidRequest, "table c rolled back") { _ = try await client2.query("c", filter: RowFilter(), select: nil) }
        func xs(_ f: RowFilter) async throws -> [Int] { try await client2.query("a", filter: f.ordered(by: "x"), select: ["x"]).compactMap { $0["x"]?.intValue } }
        #expect(try await xs(RowFilter(conditions: [.init("flag", .is(.true))])) == [1])
        #expect(try await xs(RowFilter(conditions: [.init("flag", .is(.false))])) == [2])
        #expect(try await xs(RowFilter().isNull("flag")) == [3])
        #expect(try await xs(RowFilter().equal("name", "abcd")) == [])
        #expect(try await xs(RowFilter().among("name", ["abcd", "abd"])) == [2])
        #expect(try await xs(RowFilter().equal("flag", false)) == [2])
        #expect(try await xs(RowFilter().filtered("x", .gte, 2).limited(to: 1)) == [2])
        await expectDBError(.rejected, "2.0 for integer") { _ = try await xs(RowFilter().filtered("x", .gte, 2.0)) }
        let a = try await client2.insert("a", row: ["x": 4, "flag": true], returning: true)
        print("SCRATCH a insert:", JSONValue.object(a ?? [:]).jsonText)
        await expectDBError(.rejected, "varchar too long") { _ = try await client2.insert("a", row: ["x": 5, "name": "toolong"], returning: true) }
        try await client2.close()

        try await client.close()
        try await client.close()
    }

    @Test func refusedConnection() async throws {
        // A port nothing listens on.
        let start = ContinuousClock.now
        await expectDBError(.unavailable, "connect refused") {
            _ = try await DirectPostgresClient.connect(config: PostgresConfig(dsn: "postgres://postgres:hunter2secret@127.0.0.1:1/postgres"))
        }
        print("SCRATCH connect refused took", ContinuousClock.now - start)
        let lazy = try DirectPostgresClient(config: PostgresConfig(dsn: "postgres://postgres:hunter2secret@127.0.0.1:1/postgres", poolMin: 0, poolMax: 2), connectionWait: .seconds(2))
        let t0 = ContinuousClock.now
        await expectDBError(.unavailable, "rpc refused") { _ = try await lazy.rpc("acquire_lock", ["p_file_path": "x"]) }
        print("SCRATCH rpc refused took", ContinuousClock.now - t0)
        let t1 = ContinuousClock.now
        await expectDBError(.unavailable, "ping refused") { try await lazy.ping() }
        print("SCRATCH ping refused took", ContinuousClock.now - t1)
        try await lazy.close()
        if let dsn = env("SCRATCH_DSN") {
            // Wrong database name and wrong user.
            let base = dsn.replacingOccurrences(of: "/scratch_", with: "/nosuchdb_")
            await expectDBError(.unavailable, "no such db") { _ = try await DirectPostgresClient.connect(config: PostgresConfig(dsn: base)) }
        }
    }
    @Test func extras() async throws {
        guard let dsn3 = env("SCRATCH_DSN3"), let dsn4 = env("SCRATCH_DSN4") else { return }
        // Two coordinators migrating one fresh database at once.
        let c1 = try await DirectPostgresClient.connect(config: PostgresConfig(dsn: dsn3, poolMin: 0, poolMax: 2))
        let c2 = try await DirectPostgresClient.connect(config: PostgresConfig(dsn: dsn3, poolMin: 0, poolMax: 2))
        async let r1 = c1.migrate()
        async let r2 = c2.migrate()
        let (m1, m2) = try await (r1, r2)
        print("SCRATCH concurrent migrate:", m1.json.jsonText, m2.json.jsonText)
        #expect(m1.applied.count + m2.applied.count == 4)
        try await c1.close(); try await c2.close()

        let c = try await DirectPostgresClient.connect(config: PostgresConfig(dsn: dsn4 + "?application_name=scratch-app", poolMin: 1, poolMax: 3))
        for (fn, params) in [("f_set", ["p_n": 3]), ("f_void", ["p_x": "a"]), ("f_text", [:]), ("f_text", ["p_x": 5]), ("f_table", ["p_n": 2]),
                             ("f_var", ["p_items": ["a", "b", nil]]), ("f_over", ["p_a": 1]), ("f_over", ["p_a": "x", "p_b": "y"]), ("f_null", [:]), ("f_now", [:]),
                             ("f_types", ["p_b": false, "p_i": "15 minutes", "p_ts": "2026-01-01T00:00:00.123456-05:00", "p_n": 1.5, "p_u": ["00000000-0000-0000-0000-000000000001"], "p_j": ["k": "v"], "p_ia": [[1, 2], [3, 4]]])] as [(String, JSONObject)] {
            do {
                let result = try await c.rpc(fn, params)
                print("SCRATCH extra \(fn)(\(JSONValue.object(params).jsonText)) =", result.jsonText)
            } catch {
                print("SCRATCH FAIL extra \(fn):", error)
                Issue.record("\(fn): \(error)")
            }
        }
        await expectDBError(.rejected, "raise") { _ = try await c.rpc("f_raise", [:]) }
        await expectDBError(.invalidRequest, "overload mismatch") { _ = try await c.rpc("f_over", ["p_a": 1, "p_zz": 2]) }
        try await c.close()

        // sslmode=require against a server without TLS
        await expectDBError(.unavailable, "tls required") { _ = try await DirectPostgresClient.connect(config: PostgresConfig(dsn: dsn4 + "?sslmode=require")) }
    }
    @Test func terminatedBackends() async throws {
        guard let dsn4 = env("SCRATCH_DSN4") else { return }
        let c = try await DirectPostgresClient.connect(config: PostgresConfig(dsn: dsn4 + "?application_name=victim", poolMin: 3, poolMax: 3))
        print("SCRATCH before:", try await c.rpc("f_text", ["p_x": "1"]).jsonText)
        try await Task.sleep(for: .seconds(8))  // psql terminates the backends meanwhile
        for i in 0..<3 {
            do {
                print("SCRATCH after \(i):", try await c.rpc("f_text", ["p_x": .int(i)]).jsonText)
            } catch {
                print("SCRATCH after \(i) error:", error)
            }
        }
        try await c.ping()
        try await c.close()
    }
}
