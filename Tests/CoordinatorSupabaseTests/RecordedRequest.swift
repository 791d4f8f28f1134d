import CoordinatorCore
import Foundation

/// One request as the PostgREST stand-in received it, before any interpretation.
struct RecordedRequest: Sendable, Equatable {
    var method: String
    /// The path as sent (still percent-encoded).
    var path: String
    /// The raw query string after `?`, still percent-encoded; `nil` when the URL had none.
    var query: String?
    /// Header names lower-cased; repeated headers joined with ", ".
    var headers: [String: String]
    var body: String

    func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body parsed as JSON (`nil` when empty or not JSON).
    var bodyJSON: JSONValue? { body.isEmpty ? nil : try? JSONValue(jsonText: body) }
}

/// What the stand-in sends back.
struct StandInAnswer: Sendable {
    var status: Int
    var body: String
    var contentType: String? = "application/json; charset=utf-8"
    /// How long to wait before answering (for timeout tests).
    var delay: Duration? = nil

    static func json(_ status: Int, _ value: JSONValue) -> StandInAnswer {
        StandInAnswer(status: status, body: value.jsonText)
    }

    static func noContent(_ status: Int = 204) -> StandInAnswer {
        StandInAnswer(status: status, body: "", contentType: nil)
    }

    static func text(_ status: Int, _ body: String, contentType: String = "text/plain") -> StandInAnswer {
        StandInAnswer(status: status, body: body, contentType: contentType)
    }

    /// PostgREST's error body: the PostgreSQL error fields (or a PGRST code) plus the HTTP status.
    static func error(_ status: Int, code: String, message: String, details: String? = nil, hint: String? = nil) -> StandInAnswer {
        json(status, ["code": .string(code), "message": .string(message), "details": JSONValue(details), "hint": JSONValue(hint)])
    }
}
