import CoordinatorCore
import CoordinatorSupabase
import Foundation
import Testing

@Suite("Supabase client against a local PostgREST stand-in (speaks the documented PostgREST wire format)")
struct SupabaseClientTests {
    typealias Fixture = SupabaseStandInFixture

    static let lockRows: [JSONObject] = [
        ["file_path": "src/a.swift", "locked_by": "agent-1", "priority": 3],
        ["file_path": "src/b.swift", "locked_by": "agent-2", "priority": 1],
    ]

    var behaviour: PostgRESTBehaviour {
        var behaviour = PostgRESTBehaviour()
        behaviour.functions["acquire_lock"] = { parameters in
            ["success": true, "action": "acquired", "file_path": parameters["p_file_path"] ?? .null]
        }
        behaviour.functions["lock_count"] = { _ in 2 }
        behaviour.tables["file_locks"] = Self.lockRows
        behaviour.tables["work_queue"] = [["id": 1, "status": "pending"]]
        return behaviour
    }

    /// The headers every request carries.
    func expectStandardHeaders(_ request: RecordedRequest?, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(request?.header("apikey") == Fixture.serviceKey, sourceLocation: sourceLocation)
        #expect(request?.header("authorization") == "Bearer " + Fixture.serviceKey, sourceLocation: sourceLocation)
        #expect(request?.header("content-type") == "application/json", sourceLocation: sourceLocation)
        #expect(request?.header("accept") == "application/json", sourceLocation: sourceLocation)
    }

    @Test("rpc POSTs the parameters to /rest/v1/rpc/{fn} and returns the function's JSON")
    func rpc() async throws {
        try await Fixture.withStandIn(behaviour) { standIn, client in
            let result = try await client.rpc("acquire_lock", ["p_file_path": "src/a.swift", "p_agent_id": "agent-1", "p_ttl_minutes": 30])
            #expect(result == ["success": true, "action": "acquired", "file_path": "src/a.swift"])
            #expect(try await client.rpc("lock_count", [:]) == 2)

            let sent = standIn.requests.first
            #expect(standIn.requests.count == 2)
            #expect(sent?.method == "POST")
            #expect(sent?.path == "/rest/v1/rpc/acquire_lock")
            #expect(sent?.query == nil)
            expectStandardHeaders(sent)
            #expect(sent?.header("prefer") == nil)
            #expect(sent?.body == #"{"p_agent_id":"agent-1","p_file_path":"src/a.swift","p_ttl_minutes":30}"#)
            #expect(standIn.requests.last?.body == "{}")
        }
    }

    @Test("A function answering 204 No Content (returns void) gives null")
    func rpcWithoutBody() async throws {
        try await Fixture.withStandIn(script: { _ in .noContent() }) { _, client in
            let result = try await client.rpc("cleanup_expired_locks", [:])
            #expect(result == .null)
        }
    }

    @Test("query sends every filter operator, quoted in-lists, multi-key order, limit and select")
    func queryWithEveryOperator() async throws {
        try await Fixture.withStandIn(behaviour) { standIn, client in
            let filter = RowFilter(
                conditions: [
                    .init("locked_by", .compare(.eq, "agent-1")), .init("reason", .compare(.neq, "two words")),
                    .init("priority", .compare(.gt, "1")), .init("attempts", .compare(.gte, "0")),
                    .init("expires_at", .compare(.lt, "2030-01-01T00:00:00+00:00")), .init("score", .compare(.lte, "9.5")),
                    .init("file_path", .isIn(["src/a.swift", "x,y", #"q"uote"#, "plain"])),
                    .init("session_id", .is(.null)),
                ],
                order: [.init("priority", ascending: false), .init("file_path")],
                limit: 25)
            let rows = try await client.query("file_locks", filter: filter, select: ["file_path", "locked_by", "priority"])
            #expect(rows == Self.lockRows)

            let sent = standIn.requests.first
            #expect(sent?.method == "GET")
            #expect(sent?.path == "/rest/v1/file_locks")
            #expect(sent?.query == "select=file_path,locked_by,priority&locked_by=eq.agent-1&reason=neq.two%20words"
                + "&priority=gt.1&attempts=gte.0&expires_at=lt.2030-01-01T00:00:00%2B00:00&score=lte.9.5"
                + "&file_path=in.(%22src%2Fa.swift%22,%22x,y%22,%22q%5C%22uote%22,plain)&session_id=is.null"
                + "&order=priority.desc,file_path.asc&limit=25")
            #expect(sent?.query == PostgRESTQuery(filter: filter, select: ["file_path", "locked_by", "priority"]).queryString)
            expectStandardHeaders(sent)
            #expect(sent?.body == "")
        }
    }

    @Test("query without filter or select asks for the whole table")
    func plainQuery() async throws {
        try await Fixture.withStandIn(behaviour) { standIn, client in
            let rows = try await client.query("work_queue")
            #expect(rows == [["id": 1, "status": "pending"]])
            #expect(standIn.requests.first?.path == "/rest/v1/work_queue")
            #expect(standIn.requests.first?.query == nil)
        }
    }

    @Test("insert POSTs the row; with a representation the stored row comes back, without one nothing does")
    func insert() async throws {
        try await Fixture.withStandIn(behaviour) { standIn, client in
            let stored = try await client.insert("work_queue", row: ["task_type": "test", "priority": 5], returning: true)
            #expect(stored == ["id": 2, "task_type": "test", "priority": 5])
            let minimal = try await client.insert("work_queue", row: ["task_type": "lint"], returning: false)
            #expect(minimal == nil)

            let (first, second) = (standIn.requests.first, standIn.requests.last)
            #expect(first?.method == "POST")
            #expect(first?.path == "/rest/v1/work_queue")
            #expect(first?.query == nil)
            #expect(first?.header("prefer") == "return=representation")
            #expect(first?.body == #"{"priority":5,"task_type":"test"}"#)
            expectStandardHeaders(first)
            #expect(second?.header("prefer") == "return=minimal")
            #expect(second?.body == #"{"task_type":"lint"}"#)
        }
    }

    @Test("update PATCHes the values to the filtered rows and returns them when asked")
    func update() async throws {
        try await Fixture.withStandIn(behaviour) { standIn, client in
            let filter = RowFilter().equal("locked_by", "agent-1").among("file_path", ["src/a.swift", "src/b.swift"])
            let rows = try await client.update("file_locks", filter: filter, values: ["reason": "refactor"], returning: true)
            #expect(rows.count == 2)
            #expect(rows.allSatisfy { $0["reason"] == "refactor" })
            let none = try await client.update("file_locks", filter: filter, values: ["reason": "x"], returning: false)
            #expect(none.isEmpty)

            let sent = standIn.requests.first
            #expect(sent?.method == "PATCH")
            #expect(sent?.path == "/rest/v1/file_locks")
            #expect(sent?.query == "locked_by=eq.agent-1&file_path=in.(%22src%2Fa.swift%22,%22src%2Fb.swift%22)")
            #expect(sent?.header("prefer") == "return=representation")
            #expect(sent?.body == #"{"reason":"refactor"}"#)
            expectStandardHeaders(sent)
            #expect(standIn.requests.last?.header("prefer") == "return=minimal")
        }
    }

    @Test("delete sends DELETE with the filter and Prefer: return=representation, and counts the rows returned")
    func delete() async throws {
        try await Fixture.withStandIn(behaviour) { standIn, client in
            let count = try await client.delete("file_locks", filter: RowFilter().filtered("expires_at", .lt, "2020-01-01"))
            #expect(count == 2)
            let sent = standIn.requests.first
            #expect(sent?.method == "DELETE")
            #expect(sent?.path == "/rest/v1/file_locks")
            #expect(sent?.query == "expires_at=lt.2020-01-01")
            #expect(sent?.header("prefer") == "return=representation")
            #expect(sent?.body == "")
            expectStandardHeaders(sent)
        }
    }

    @Test("A delete answered with 204 No Content reports an unknown count")
    func deleteWithoutRepresentation() async throws {
        try await Fixture.withStandIn(script: { _ in .noContent() }) { _, client in
            let count = try await client.delete("file_locks", filter: RowFilter().equal("id", 1))
            #expect(count == nil)
        }
    }

    @Test("update and delete with an empty filter are refused before anything is sent")
    func unfilteredWritesAreRefused() async throws {
        try await Fixture.withStandIn(behaviour) { standIn, client in
            let delete = await #expect(throws: DatabaseError.self) { try await client.delete("file_locks", filter: RowFilter()) }
            #expect(delete?.kind == .invalidRequest)
            #expect(delete?.message == "refusing to delete every row of file_locks")
            let update = await #expect(throws: DatabaseError.self) {
                try await client.update("work_queue", filter: RowFilter().limited(to: 1), values: ["status": "x"], returning: true)
            }
            #expect(update?.message == "refusing to update every row of work_queue")
            #expect(standIn.requests.isEmpty)
        }
    }

    @Test("With an empty prefix (bare PostgREST) paths start at the server root")
    func barePostgREST() async throws {
        var bare = behaviour
        bare.prefix = ""
        try await Fixture.withStandIn(bare) { standIn, client in
            _ = try await client.rpc("lock_count", [:])
            _ = try await client.query("file_locks", filter: RowFilter().equal("locked_by", "agent-2"), select: nil)
            try await client.ping()
            #expect(standIn.requests.map(\.path) == ["/rpc/lock_count", "/file_locks", "/"])
            #expect(standIn.requests[1].query == "locked_by=eq.agent-2")
        }
    }

    @Test("ping GETs {base}/ (PostgREST's OpenAPI root) and accepts any 2xx")
    func ping() async throws {
        try await Fixture.withStandIn(behaviour) { standIn, client in
            try await client.ping()
            #expect(standIn.requests.first?.method == "GET")
            #expect(standIn.requests.first?.path == "/rest/v1/")
            expectStandardHeaders(standIn.requests.first)
        }
    }

    @Test("An unknown function is PostgREST's 404 PGRST202, with its message and hint")
    func unknownFunction() async throws {
        try await Fixture.withStandIn(behaviour) { _, client in
            let error = await #expect(throws: DatabaseError.self) { try await client.rpc("no_such_fn", ["p_x": 1]) }
            #expect(error?.kind == .rejected)
            #expect(error?.backend == "supabase")
            #expect(error?.message == "PostgREST 404 PGRST202: Could not find the function public.no_such_fn(p_x) in the schema cache; "
                + "hint: If a new function was created in the database with this name and parameters, try reloading the schema cache. "
                + "(POST /rest/v1/rpc/no_such_fn)")
        }
    }

    @Test("A wrong key is PostgREST's 401, for requests and for ping")
    func wrongKey() async throws {
        try await Fixture.withStandIn(behaviour, key: "not-the-key") { _, client in
            let error = await #expect(throws: DatabaseError.self) { try await client.query("file_locks") }
            #expect(error?.kind == .rejected)
            #expect(error?.message == "PostgREST 401 PGRST301: JWSError JWSInvalidSignature (GET /rest/v1/file_locks)")
            let ping = await #expect(throws: DatabaseError.self) { try await client.ping() }
            #expect(ping?.message.hasPrefix("PostgREST 401") == true)
        }
    }

    static let documentedErrors: [(StandInAnswer, DatabaseError.Kind, String)] = [
        (.error(400, code: "42703", message: "column file_locks.nope does not exist", hint: "Perhaps you meant to reference the column \"file_locks.note\"."),
         .rejected, #"PostgREST 400 42703: column file_locks.nope does not exist; hint: Perhaps you meant to reference the column "file_locks.note"."#),
        (.error(400, code: "PGRST100", message: "\"failed to parse filter (eq)\" (line 1, column 4)", details: "unexpected end of input expecting operator"),
         .rejected, #"PostgREST 400 PGRST100: "failed to parse filter (eq)" (line 1, column 4); details: unexpected end of input expecting operator"#),
        (.error(409, code: "23505", message: "duplicate key value violates unique constraint \"file_locks_pkey\"", details: "Key (file_path)=(src/a.swift) already exists."),
         .rejected, #"PostgREST 409 23505: duplicate key value violates unique constraint "file_locks_pkey"; details: Key (file_path)=(src/a.swift) already exists."#),
        (.error(503, code: "PGRST001", message: "Database client error. Retrying the connection."),
         .unavailable, "PostgREST 503 PGRST001: Database client error. Retrying the connection."),
    ]

    @Test("PostgREST's documented error answers become DatabaseErrors with status, code, message, details and hint",
          arguments: documentedErrors)
    func documentedErrorAnswers(answer: StandInAnswer, kind: DatabaseError.Kind, message: String) async throws {
        try await Fixture.withStandIn(script: { _ in answer }) { _, client in
            let error = await #expect(throws: DatabaseError.self) {
                try await client.insert("file_locks", row: ["file_path": "src/a.swift"], returning: true)
            }
            #expect(error?.kind == kind)
            #expect(error?.message == message + " (POST /rest/v1/file_locks)")
        }
    }

    @Test("A 2xx body that is not the expected JSON is a malformed response, never a crash", arguments: [
        "not json", "[{\"id\":1}", "{\"id\":1}", "[1]", "\u{FF}\u{FE}",
    ])
    func malformedBodies(body: String) async throws {
        try await Fixture.withStandIn(script: { _ in .text(200, body, contentType: "application/json") }) { _, client in
            let error = await #expect(throws: DatabaseError.self) { try await client.query("file_locks") }
            #expect(error?.kind == .malformedResponse)
            #expect(error?.message.hasPrefix("PostgREST answered GET /rest/v1/file_locks with 200 and ") == true)
        }
    }

    @Test("A truncated rpc result is a malformed response")
    func malformedRPCResult() async throws {
        try await Fixture.withStandIn(script: { _ in .text(200, #"{"success": tr"#) }) { _, client in
            let error = await #expect(throws: DatabaseError.self) { try await client.rpc("acquire_lock", [:]) }
            #expect(error?.kind == .malformedResponse)
        }
    }

    @Test("Nothing listening on the port is .unavailable naming host:port, for requests and for ping")
    func connectionRefused() async throws {
        let closedPort = try RefusingPort()
        let client = try SupabaseClient(config: SupabaseConfig(url: "http://127.0.0.1:\(closedPort.port)", serviceKey: "k", timeoutSeconds: 10))
        let started = ContinuousClock.now
        let error = await #expect(throws: DatabaseError.self) { try await client.rpc("acquire_lock", [:]) }
        #expect(error?.kind == .unavailable)
        #expect(error?.message == "cannot reach PostgREST at 127.0.0.1:\(closedPort.port): connection refused")
        let ping = await #expect(throws: DatabaseError.self) { try await client.ping() }
        #expect(ping?.kind == .unavailable)
        // Two calls that waited for the 10 s deadline would take 20 s; a loaded 2-core machine can take several seconds.
        #expect(ContinuousClock.now - started < .seconds(15), "a refused connection fails at once, not at the deadline")
        try await client.close()
    }

    @Test("A server slower than timeoutSeconds is .unavailable")
    func timeout() async throws {
        let slow = StandInAnswer(status: 200, body: "[]", delay: .seconds(4))
        try await Fixture.withStandIn(timeoutSeconds: 1, script: { _ in slow }) { standIn, client in
            let error = await #expect(throws: DatabaseError.self) { try await client.query("file_locks") }
            #expect(error?.kind == .unavailable)
            #expect(error?.message == "cannot reach PostgREST at 127.0.0.1:\(standIn.port): no answer within 1 s")
        }
    }

    @Test("An injected HTTPClient stays usable after close(); a closed client refuses further calls")
    func injectedHTTPClient() async throws {
        let standIn = try await PostgRESTStandIn.start(script: { [behaviour] in behaviour.answer($0) })
        let http = SupabaseClient.makeHTTPClient(timeoutSeconds: 5)
        do {
            let first = try SupabaseClient(config: Fixture.config(standIn), httpClient: http)
            #expect(try await first.rpc("lock_count", [:]) == 2)
            try await first.close()
            try await first.close()
            let closed = await #expect(throws: DatabaseError.self) { try await first.ping() }
            #expect(closed?.message == "the client is closed")

            let second = try SupabaseClient(config: Fixture.config(standIn), httpClient: http)
            try await second.ping()
            try await second.close()
        } catch {
            Issue.record(error)
        }
        try await http.shutdown()
        await standIn.stop()
    }
}
