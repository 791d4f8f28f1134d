/// The answer to "may this agent reach this domain?", with the reason and the deciding rule.
public struct AccessDecision: Sendable, Equatable {
    /// Why the decision went the way it did.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// An allow rule names the domain and no deny rule does.
        case allowlistMatch = "allowlist_match"
        /// A deny rule names the domain.
        case denylistMatch = "denylist_match"
        /// No rule names the domain and the agent's type is allowed by default (a local agent).
        case defaultAllow = "default_allow"
        /// No rule names the domain and the agent's type is denied by default.
        case defaultDeny = "default_deny"
        /// The rules could not be read; `NETWORK_DEFAULT_POLICY` decided.
        case defaultPolicy = "default_policy"
    }

    public let allowed: Bool
    /// The normalised domain (``DomainName/ascii``).
    public let domain: String
    public let reason: Reason
    /// The id of the deciding rule; nil when no rule decided (or the rule has no id).
    public let ruleId: String?

    public init(allowed: Bool, domain: String, reason: Reason, ruleId: String? = nil) {
        self.allowed = allowed
        self.domain = domain
        self.reason = reason
        self.ruleId = ruleId
    }

    /// `{"allowed", "domain", "reason", "policy_id"}`, `policy_id` being null when no rule decided.
    public var json: JSONObject {
        ["allowed": .bool(allowed), "domain": .string(domain), "reason": .string(reason.rawValue), "policy_id": JSONValue(ruleId)]
    }
}
