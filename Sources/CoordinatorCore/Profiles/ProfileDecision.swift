/// The answer of the profile check for one call: allowed, or refused with a machine code
/// (`insufficient_trust_level`, `operation_blocked`, `operation_not_permitted`, `resource_limit_exceeded`) and a
/// sentence for people.
public struct ProfileDecision: Sendable, Equatable {
    public var allowed: Bool
    /// `allowed`, `enforcement_disabled`, or the refusal code.
    public var code: String
    public var detail: String
    /// For `resource_limit_exceeded`: which limit (`max_file_modifications`, `max_execution_time_seconds`,
    /// `max_api_calls_per_hour`).
    public var limit: String?

    public init(allowed: Bool, code: String, detail: String, limit: String? = nil) {
        self.allowed = allowed
        self.code = code
        self.detail = detail
        self.limit = limit
    }

    static func allow(_ code: String = "allowed", _ detail: String = "allowed") -> ProfileDecision {
        ProfileDecision(allowed: true, code: code, detail: detail)
    }

    static func deny(_ code: String, _ detail: String, limit: String? = nil) -> ProfileDecision {
        ProfileDecision(allowed: false, code: code, detail: detail, limit: limit)
    }

    /// `code: detail`, as policy denials are reported by every transport.
    public var reason: String { "\(code): \(detail)" }

    /// `{allowed, reason, detail, limit?}`.
    public var json: JSONValue {
        var object: JSONObject = ["allowed": .bool(allowed), "reason": .string(code), "detail": .string(detail)]
        if let limit { object["limit"] = .string(limit) }
        return .object(object)
    }
}
