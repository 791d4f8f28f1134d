import CoordinatorCore

/// What a request says about who it acts as: `agent_id`, `agent_type`, `session_id` from the body (or the
/// `X-Agent-Id`, `X-Agent-Type`, `X-Session-Id` headers). Every field is optional.
public struct RequestedIdentity: Sendable, Hashable {
    public var agentId: String?
    public var agentType: String?
    public var sessionId: String?

    public init(agentId: String? = nil, agentType: String? = nil, sessionId: String? = nil) {
        self.agentId = agentId
        self.agentType = agentType
        self.sessionId = sessionId
    }

    /// `self`'s fields, each falling back to `other`'s.
    public func filling(from other: RequestedIdentity) -> RequestedIdentity {
        RequestedIdentity(agentId: agentId ?? other.agentId, agentType: agentType ?? other.agentType,
                          sessionId: sessionId ?? other.sessionId)
    }
}

/// The outcome of checking a request's `X-API-Key`.
public enum KeyCheck: Sendable, Hashable {
    /// Authentication is disabled (no keys configured; loopback only).
    case open
    /// A configured key, possibly bound to an identity.
    case valid(bound: KeyIdentity?)
    /// No key, or one that is not configured.
    case invalid
}

/// Decides who a request acts as. Pure: no I/O, no clock.
///
/// Effective identity = the key's bound value, else the requested value, else `cloud-agent` / `cloud_agent`.
/// A bound key that requests a different `agent_id` (or `agent_type`) is refused with 403.
public struct IdentityResolver: Sendable {
    public static let defaultAgentId = "cloud-agent"
    public static let defaultAgentType = "cloud_agent"
    /// The body members that name the caller rather than the operation's input.
    public static let identityFields = ["agent_id", "agent_type", "session_id"]

    private let apiKeys: [String]
    private let identities: [String: KeyIdentity]

    public init(apiKeys: [String], identities: [String: KeyIdentity] = [:]) {
        self.apiKeys = apiKeys
        self.identities = identities
    }

    public init(config: HTTPServerConfig) {
        self.init(apiKeys: config.apiKeys, identities: config.keyIdentities)
    }

    /// Whether any key is configured (otherwise every request is ``KeyCheck/open``).
    public var requiresAPIKey: Bool { !apiKeys.isEmpty }

    /// Checks a request's `X-API-Key` value. Keys are compared in time independent of where they differ.
    public func check(apiKey: String?) -> KeyCheck {
        guard requiresAPIKey else { return .open }
        guard let apiKey, !apiKey.isEmpty else { return .invalid }
        var match: String?
        for key in apiKeys where Self.constantTimeEqual(key, apiKey) { match = key }
        guard let match else { return .invalid }
        return .valid(bound: identities[match])
    }

    /// The identity a request acts as. Throws ``APIError/unauthorized`` for ``KeyCheck/invalid`` and a 403
    /// ``APIError/impersonation(_:)`` when a bound key requests another agent.
    public func resolve(_ check: KeyCheck, requested: RequestedIdentity) throws -> AgentIdentity {
        let bound: KeyIdentity?
        switch check {
        case .invalid: throw APIError.unauthorized
        case .open: bound = nil
        case .valid(let identity): bound = identity
        }
        if let boundId = bound?.agentId, let asked = requested.agentId, asked != boundId {
            throw APIError.impersonation("agent_id")
        }
        if let boundType = bound?.agentType, let asked = requested.agentType, asked != boundType {
            throw APIError.impersonation("agent_type")
        }
        return AgentIdentity(
            agentId: bound?.agentId ?? requested.agentId ?? Self.defaultAgentId,
            agentType: bound?.agentType ?? requested.agentType ?? Self.defaultAgentType,
            sessionId: requested.sessionId)
    }

    /// Splits a request body into the identity it requests and the operation's arguments.
    ///
    /// `agent_id`, `agent_type` and `session_id` are removed from the arguments unless the operation itself
    /// declares a parameter of that name (`heartbeat`'s `session_id`), in which case they stay and also name
    /// the caller. `null` counts as absent; anything but a non-blank string is invalid input (422).
    /// With `declaredNameCaller` false (GET query parameters), a field the operation declares is only its argument
    /// (`query_audit`'s `agent_id` is a filter, not the caller).
    public static func split(body: JSONObject, operationParameters: Set<String>,
                             declaredNameCaller: Bool = true) throws -> (RequestedIdentity, JSONObject) {
        var arguments = body
        var requested = RequestedIdentity()
        for field in identityFields {
            guard let value = body[field] else { continue }
            if !operationParameters.contains(field) {
                arguments[field] = nil
            } else if !declaredNameCaller {
                continue
            }
            if value.isNull { continue }
            guard case .string(let text) = value else {
                throw APIError.invalidInput(field: field, "must be a string, got \(value.typeName)")
            }
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw APIError.invalidInput(field: field, "must not be empty")
            }
            switch field {
            case "agent_id": requested.agentId = text
            case "agent_type": requested.agentType = text
            default: requested.sessionId = text
            }
        }
        return (requested, arguments)
    }

    /// The identity named by request headers (blank values count as absent).
    public static func fromHeaders(agentId: String?, agentType: String?, sessionId: String?) -> RequestedIdentity {
        func clean(_ value: String?) -> String? {
            guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        return RequestedIdentity(agentId: clean(agentId), agentType: clean(agentType), sessionId: clean(sessionId))
    }

    private static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8), right = Array(rhs.utf8)
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            difference |= a ^ b
        }
        return difference == 0 && left.count == right.count
    }
}
