import CoordinatorCore
import CoordinatorSupabase
import Foundation
import Testing

@Suite("PostgREST request values (pure, no server)")
struct PostgRESTRequestTests {
    let endpoint = try! PostgRESTEndpoint(url: "https://abc.supabase.co/", serviceKey: "k3y")

    @Test("SUPABASE_URL loses its trailing slashes and the prefix is normalised", arguments: [
        ("https://abc.supabase.co/", "/rest/v1", "https://abc.supabase.co/rest/v1", "abc.supabase.co:443"),
        ("http://127.0.0.1:3000//", "", "http://127.0.0.1:3000", "127.0.0.1:3000"),
        ("http://localhost", "rest/v1/", "http://localhost/rest/v1", "localhost:80"),
        ("http://localhost:54321/base", "/", "http://localhost:54321/base", "localhost:54321"),
        ("http://[::1]:8080", "/rest/v1", "http://[::1]:8080/rest/v1", "[::1]:8080"),
    ])
    func endpointJoinsURLAndPrefix(url: String, prefix: String, base: String, hostAndPort: String) throws {
        let endpoint = try PostgRESTEndpoint(url: url, restPrefix: prefix, serviceKey: "k")
        #expect(endpoint.baseURL == base)
        #expect(endpoint.hostAndPort == hostAndPort)
    }

    @Test("A URL that is not http(s) with a host, or an unsendable key, is refused", arguments: [
        ("ftp://abc.supabase.co", "k"), ("abc.supabase.co", "k"), ("http://", "k"), ("http://h?x=1", "k"),
        ("http://h", ""), ("http://h", "two words"), ("http://h", "line\nbreak"), ("http://h", "ключ"),
    ])
    func endpointRefusesBadSettings(url: String, key: String) {
        let error = #expect(throws: DatabaseError.self) { try PostgRESTEndpoint(url: url, serviceKey: key) }
        #expect(error?.kind == .invalidRequest)
        #expect(error?.backend == "supabase")
    }

    @Test("rpc is POST {base}/rpc/{fn} with the four standard headers and the parameters as sorted JSON")
    func rpcRequest() throws {
        let request = try PostgRESTRequest.rpc("acquire_lock", parameters: ["p_ttl_minutes": 5, "p_file_path": "src/a b.swift"], at: endpoint)
        #expect(request.method == .post)
        #expect(request.url == "https://abc.supabase.co/rest/v1/rpc/acquire_lock")
        #expect(request.headers == [
            .init("apikey", "k3y"), .init("Authorization", "Bearer k3y"),
            .init("Content-Type", "application/json"), .init("Accept", "application/json"),
        ])
        #expect(request.bodyText == #"{"p_file_path":"src/a b.swift","p_ttl_minutes":5}"#)
        #expect(request.path == "/rest/v1/rpc/acquire_lock")
    }

    @Test("query prints every operator, order, limit and select with the shared PostgREST printer")
    func queryRequest() throws {
        let filter = RowFilter(
            conditions: [
                .init("status", .compare(.eq, "pending")), .init("agent_id", .compare(.neq, "a b")),
                .init("priority", .compare(.gt, "1")), .init("attempts", .compare(.gte, "2")),
                .init("expires_at", .compare(.lt, "2026-01-01T00:00:00Z")), .init("score", .compare(.lte, "0.5")),
                .init("file_path", .isIn(["a.swift", "b,c.swift", "say \"hi\"", ""])), .init("claimed_by", .is(.null)),
            ],
            order: [.init("priority", ascending: false), .init("created_at")],
            limit: 10)
        let request = try PostgRESTRequest.query("work_queue", filter: filter, select: ["id", "status"], at: endpoint)
        #expect(request.method == .get)
        #expect(request.url == "https://abc.supabase.co/rest/v1/work_queue?select=id,status"
            + "&status=eq.pending&agent_id=neq.a%20b&priority=gt.1&attempts=gte.2"
            + "&expires_at=lt.2026-01-01T00:00:00Z&score=lte.0.5"
            + "&file_path=in.(%22a.swift%22,%22b,c.swift%22,%22say%20%5C%22hi%5C%22%22,%22%22)"
            + "&claimed_by=is.null&order=priority.desc,created_at.asc&limit=10")
        #expect(request.url.hasSuffix("?" + PostgRESTQuery(filter: filter, select: ["id", "status"]).queryString))
        #expect(request.body == nil)
        #expect(request.header("prefer") == nil)
    }

    @Test("A query without filter or select has no query string")
    func bareQuery() throws {
        let request = try PostgRESTRequest.query("file_locks", filter: RowFilter(), select: nil, at: endpoint)
        #expect(request.url == "https://abc.supabase.co/rest/v1/file_locks")
    }

    @Test("insert asks for the representation only when the row should come back")
    func insertRequest() throws {
        let returning = try PostgRESTRequest.insert("handoff_documents", row: ["agent_name": "a1", "summary": "done"], returning: true, at: endpoint)
        #expect(returning.method == .post)
        #expect(returning.url == "https://abc.supabase.co/rest/v1/handoff_documents")
        #expect(returning.header("Prefer") == "return=representation")
        #expect(returning.bodyText == #"{"agent_name":"a1","summary":"done"}"#)
        let minimal = try PostgRESTRequest.insert("handoff_documents", row: ["agent_name": "a1"], returning: false, at: endpoint)
        #expect(minimal.header("Prefer") == "return=minimal")
    }

    @Test("update is PATCH with the filter in the URL; delete always asks for the representation to count rows")
    func updateAndDeleteRequests() throws {
        let filter = RowFilter().equal("id", 7).isNull("claimed_by")
        let update = try PostgRESTRequest.update("work_queue", filter: filter, values: ["status": "cancelled"], returning: false, at: endpoint)
        #expect(update.method == .patch)
        #expect(update.url == "https://abc.supabase.co/rest/v1/work_queue?id=eq.7&claimed_by=is.null")
        #expect(update.header("Prefer") == "return=minimal")
        #expect(update.bodyText == #"{"status":"cancelled"}"#)
        let delete = try PostgRESTRequest.delete("file_locks", filter: filter, at: endpoint)
        #expect(delete.method == .delete)
        #expect(delete.url == "https://abc.supabase.co/rest/v1/file_locks?id=eq.7&claimed_by=is.null")
        #expect(delete.header("Prefer") == "return=representation")
        #expect(delete.body == nil)
    }

    @Test("update and delete without a condition are refused, even with order or limit")
    func unfilteredWritesAreRefused() {
        let unfiltered = RowFilter().ordered(by: "id").limited(to: 1)
        let update = #expect(throws: DatabaseError.self) {
            try PostgRESTRequest.update("work_queue", filter: unfiltered, values: ["status": "x"], returning: true, at: endpoint)
        }
        #expect(update?.kind == .invalidRequest)
        #expect(update?.message == "refusing to update every row of work_queue")
        let delete = #expect(throws: DatabaseError.self) {
            try PostgRESTRequest.delete("file_locks", filter: RowFilter(), at: endpoint)
        }
        #expect(delete?.message == "refusing to delete every row of file_locks")
    }

    @Test("Names that are not plain identifiers never reach a URL", arguments: [
        "rpc:x/../admin", "table:public.file_locks", "table:locks?select=*", "select:id,secret", "column:a b",
        "row:bad-column", "limit:-1",
    ])
    func badNamesAreRefused(scenario: String) {
        let error = #expect(throws: DatabaseError.self) {
            let parts = scenario.split(separator: ":", maxSplits: 1).map(String.init)
            switch parts[0] {
            case "rpc": _ = try PostgRESTRequest.rpc(parts[1], parameters: [:], at: endpoint)
            case "table": _ = try PostgRESTRequest.query(parts[1], filter: RowFilter(), select: nil, at: endpoint)
            case "select": _ = try PostgRESTRequest.query("t", filter: RowFilter(), select: [parts[1]], at: endpoint)
            case "column": _ = try PostgRESTRequest.query("t", filter: RowFilter().equal(parts[1], 1), select: nil, at: endpoint)
            case "row": _ = try PostgRESTRequest.insert("t", row: [parts[1]: 1], returning: true, at: endpoint)
            default: _ = try PostgRESTRequest.query("t", filter: RowFilter().limited(to: -1), select: nil, at: endpoint)
            }
        }
        #expect(error?.kind == .invalidRequest)
    }

    @Test("ping is GET {base}/, also for a bare PostgREST")
    func pingRequest() throws {
        #expect(PostgRESTRequest.ping(at: endpoint).url == "https://abc.supabase.co/rest/v1/")
        let bare = try PostgRESTEndpoint(url: "http://127.0.0.1:3000", restPrefix: "", serviceKey: "k")
        #expect(PostgRESTRequest.ping(at: bare).url == "http://127.0.0.1:3000/")
        #expect(PostgRESTRequest.ping(at: bare).method == .get)
    }

    @Test("Printing a request or an endpoint never shows the key")
    func descriptionsRedactTheKey() throws {
        let request = try PostgRESTRequest.rpc("f", parameters: [:], at: endpoint)
        #expect(!String(describing: request).contains("k3y"))
        #expect(String(describing: request).contains("apikey: <redacted>"))
        #expect(!String(describing: endpoint).contains("k3y"))
    }
}
