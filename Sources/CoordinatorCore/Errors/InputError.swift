/// Input that an operation refuses before touching storage: a missing or malformed field.
///
/// Transports map it to their "bad request" form: exit status 2 for the CLI, HTTP 422, an MCP tool error.
public struct InputError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The offending field, by its wire name (`file_path`, `ttl_minutes`, …).
    public let field: String
    /// A sentence saying what is wrong and what is accepted.
    public let detail: String

    public init(field: String, _ detail: String) {
        self.field = field
        self.detail = detail
    }

    public var description: String { "\(field): \(detail)" }

    /// The error envelope every transport returns for it.
    public var json: JSONValue {
        ["success": false, "reason": "invalid_input", "field": .string(field), "detail": .string(detail)]
    }
}
