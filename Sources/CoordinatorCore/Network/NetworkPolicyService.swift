import Logging

/// Network policies: may an agent reach a domain? The domain is normalised here (case, trailing dot, IDN labels
/// to their `xn--` form); `is_domain_allowed` decides by the agent's profile rules and the global ones — deny beats
/// allow, `*.example.com` covers subdomains only — and logs every decision in `network_access_log`. A domain no
/// rule names is allowed for local agent types and denied for cloud ones (`NETWORK_LOCAL_AGENT_TYPES`); when the
/// rules cannot be read, `NETWORK_DEFAULT_POLICY` decides.
public struct NetworkPolicyService: Sendable {
    public let database: any DatabaseClient
    public let config: NetworkPolicyConfig
    private let logger = Logger(label: "coordinator.network")

    public init(database: any DatabaseClient, config: NetworkPolicyConfig = NetworkPolicyConfig()) {
        self.database = database
        self.config = config
    }

    /// Decides (and logs) `context`'s caller reaching `rawDomain` → `{success, allowed, domain, reason, policy_id}`.
    /// Throws ``InputError`` for a value that is not a host name.
    public func check(domain rawDomain: String, context: RequestContext) async throws -> JSONValue {
        let domain = try DomainName(rawDomain)
        let defaultAllow = config.defaultAllows(agentType: context.agentType)
        do {
            let answer = try await database.rpc("is_domain_allowed", [
                "p_agent_id": .string(context.agentId), "p_domain": .string(domain.ascii), "p_agent_type": .string(context.agentType),
                "p_now": context.now, "p_default_allow": .bool(defaultAllow),
            ])
            return answer
        } catch let error as DatabaseError {
            logger.warning("network rules unreadable; NETWORK_DEFAULT_POLICY decides", metadata: ["error": "\(error)"])
            var result = NetworkPolicy.fallback(domain: domain, config: config).json
            result["success"] = true
            return .object(result)
        }
    }
}
