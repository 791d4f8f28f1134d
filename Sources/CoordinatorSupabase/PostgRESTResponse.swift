import CoordinatorCore
import Foundation

/// What PostgREST answered: the status and the whole body, read into memory.
///
/// The decoding methods turn the body into the shapes ``DatabaseClient`` returns and throw
/// ``DatabaseError`` (`.malformedResponse`) for anything else; they never trap on bad input.
public struct PostgRESTResponse: Sendable, Hashable {
    public var status: Int
    public var body: Data

    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }

    /// 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// True for `204 No Content` and for a body that is empty or only whitespace.
    public var hasNoBody: Bool {
        status == 204 || body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }

    /// The body as one JSON value; no body (a `void` function) is `null`.
    public func jsonValue(for request: PostgRESTRequest) throws -> JSONValue {
        if hasNoBody { return .null }
        do {
            return try JSONValue(jsonData: body)
        } catch {
            throw malformed(request, "a body that is not JSON (\(error)): \(Self.excerpt(body))")
        }
    }

    /// The body as an array of row objects, as PostgREST answers table reads and writes with a representation.
    public func rows(for request: PostgRESTRequest) throws -> [JSONObject] {
        let value = try jsonValue(for: request)
        guard case .array(let elements) = value else {
            throw malformed(request, "\(value.typeName) where an array of rows was expected")
        }
        return try elements.enumerated().map { index, element in
            guard case .object(let row) = element else {
                throw malformed(request, "\(element.typeName) at index \(index) where a row object was expected")
            }
            return row
        }
    }

    /// The single row of an insert's representation (`[{…}]`; a bare object is accepted too).
    public func singleRow(for request: PostgRESTRequest) throws -> JSONObject {
        if case .object(let row) = try jsonValue(for: request) { return row }
        let rows = try rows(for: request)
        guard rows.count == 1, let row = rows.first else {
            throw malformed(request, "\(rows.count) rows where the one inserted row was expected")
        }
        return row
    }

    private func malformed(_ request: PostgRESTRequest, _ what: String) -> DatabaseError {
        DatabaseError(.malformedResponse, backend: SupabaseClient.name,
                      "PostgREST answered \(request.method.rawValue) \(request.path) with \(status) and \(what)")
    }

    /// At most 200 characters of a body, for messages.
    static func excerpt(_ body: Data) -> String {
        let text = String(decoding: body.prefix(800), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return "(empty)" }
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
