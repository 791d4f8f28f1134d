import CoordinatorCore
import CoordinatorSupabase
import Foundation
import Testing

@Suite("PostgREST answers and errors (pure, no server)")
struct PostgRESTResponseTests {
    let request = try! PostgRESTRequest.query("file_locks", filter: RowFilter().equal("id", 1), select: nil,
                                             at: PostgRESTEndpoint(url: "http://127.0.0.1:3000", restPrefix: "", serviceKey: "k"))

    func response(_ status: Int, _ body: String) -> PostgRESTResponse {
        PostgRESTResponse(status: status, body: Data(body.utf8))
    }

    @Test("An error body's code, message, details and hint all appear in the message")
    func rejectionMessage() {
        let error = PostgRESTErrorMapping.rejection(response(409, #"""
            {"code":"23505","details":"Key (file_path)=(a.swift) already exists.","hint":null,
             "message":"duplicate key value violates unique constraint \"file_locks_pkey\""}
            """#), to: request)
        #expect(error.kind == .rejected)
        #expect(error.backend == "supabase")
        #expect(error.message == #"PostgREST 409 23505: duplicate key value violates unique constraint "file_locks_pkey"; "#
            + "details: Key (file_path)=(a.swift) already exists. (GET /file_locks)")
    }

    @Test("A details object is kept as JSON text; a body without PostgREST fields still gives the status")
    func unusualErrorBodies() {
        let detailed = PostgRESTErrorMapping.rejection(response(400, #"{"code":"PGRST100","message":"bad","details":{"at":3}}"#), to: request)
        #expect(detailed.message == #"PostgREST 400 PGRST100: bad; details: {"at":3} (GET /file_locks)"#)
        let gateway = PostgRESTErrorMapping.rejection(response(401, #"{"message":"Invalid API key"}"#), to: request)
        #expect(gateway.message == "PostgREST 401: Invalid API key (GET /file_locks)")
        let empty = PostgRESTErrorMapping.rejection(response(404, ""), to: request)
        #expect(empty.message == "PostgREST 404: (empty) (GET /file_locks)")
    }

    @Test("502/503/504 mean the database is out of reach, not that the request was wrong", arguments: [502, 503, 504])
    func gatewayFailuresAreUnavailable(status: Int) {
        let error = PostgRESTErrorMapping.rejection(response(status, "<html><body>Bad Gateway</body></html>"), to: request)
        #expect(error.kind == .unavailable)
        #expect(error.message == "PostgREST \(status): <html><body>Bad Gateway</body></html> (GET /file_locks)")
    }

    @Test("Rows must be an array of objects", arguments: [
        (#"{"id":1}"#, "object where an array of rows was expected"),
        ("[1,2]", "integer at index 0 where a row object was expected"),
        ("[{\"id\":1}", "a body that is not JSON"),
        ("<html>", "a body that is not JSON"),
    ])
    func rowsShapeIsChecked(body: String, complaint: String) {
        let error = #expect(throws: DatabaseError.self) { try response(200, body).rows(for: request) }
        #expect(error?.kind == .malformedResponse)
        #expect(error?.message.contains(complaint) == true)
        #expect(error?.message.hasPrefix("PostgREST answered GET /file_locks with 200 and ") == true)
    }

    @Test("No body is a JSON null; any JSON value is a result")
    func jsonValues() throws {
        #expect(try response(204, "").jsonValue(for: request) == .null)
        #expect(try response(200, " \n").jsonValue(for: request) == .null)
        #expect(try response(200, "42").jsonValue(for: request) == 42)
        #expect(try response(200, #"{"success":true}"#).jsonValue(for: request) == ["success": true])
    }

    @Test("The inserted row comes from a one-element array (or a bare object)")
    func singleRow() throws {
        #expect(try response(201, #"[{"id":1}]"#).singleRow(for: request) == ["id": 1])
        #expect(try response(201, #"{"id":2}"#).singleRow(for: request) == ["id": 2])
        let error = #expect(throws: DatabaseError.self) { try response(201, "[]").singleRow(for: request) }
        #expect(error?.kind == .malformedResponse)
    }
}
