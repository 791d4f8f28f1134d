/// The pure decision of network access policies: no storage, no clock; the caller loads the rules and logs.
public enum NetworkPolicy {
    /// Decides whether `domain` may be reached under `rules` by an agent whose profile is `profileId`.
    ///
    /// Candidates: the rules that are global (`profileId` nil) or belong to `profileId` (compared as written), and
    /// whose pattern matches `domain`. Deny beats allow: if any candidate denies, the decision is a deny
    /// (`denylist_match`); otherwise, if any candidate allows, an allow (`allowlist_match`). The rule reported among
    /// candidates of the winning action is the first by: profile-specific before global, then lowest priority, then
    /// id (rules without an id last, then in the order given). No candidate: `defaultAllow` decides
    /// (`default_allow` / `default_deny`, no rule).
    ///
    /// This differs on purpose from migration 009's `is_domain_allowed`, where a stronger allow can shadow a
    /// weaker deny: here no allow rule, however specific, reopens a domain some applicable rule denies.
    public static func decide(domain: DomainName, rules: [NetworkRule], profileId: String?, defaultAllow: Bool) -> AccessDecision {
        var strongestDeny: NetworkRule?
        var strongestAllow: NetworkRule?
        for rule in rules where applies(rule, to: profileId) && rule.pattern.matches(domain) {
            switch rule.action {
            case .deny:
                if strongestDeny.map({ reportsBefore(rule, $0) }) ?? true { strongestDeny = rule }
            case .allow:
                if strongestAllow.map({ reportsBefore(rule, $0) }) ?? true { strongestAllow = rule }
            }
        }
        if let rule = strongestDeny {
            return AccessDecision(allowed: false, domain: domain.ascii, reason: .denylistMatch, ruleId: rule.id)
        }
        if let rule = strongestAllow {
            return AccessDecision(allowed: true, domain: domain.ascii, reason: .allowlistMatch, ruleId: rule.id)
        }
        return AccessDecision(allowed: defaultAllow, domain: domain.ascii, reason: defaultAllow ? .defaultAllow : .defaultDeny)
    }

    /// ``decide(domain:rules:profileId:defaultAllow:)`` with the default of `agentType` under `config`
    /// (``NetworkPolicyConfig/defaultAllows(agentType:)``).
    public static func decide(domain: DomainName, rules: [NetworkRule], profileId: String?, agentType: String,
                              config: NetworkPolicyConfig) -> AccessDecision {
        decide(domain: domain, rules: rules, profileId: profileId, defaultAllow: config.defaultAllows(agentType: agentType))
    }

    /// The decision when the rules could not be read: `NETWORK_DEFAULT_POLICY` (``NetworkPolicyConfig/defaultPolicy``)
    /// decides, with reason `default_policy` and no rule.
    public static func fallback(domain: DomainName, config: NetworkPolicyConfig) -> AccessDecision {
        AccessDecision(allowed: config.defaultPolicy == .allow, domain: domain.ascii, reason: .defaultPolicy)
    }

    /// A global rule applies to everyone; a profile rule only to agents of that profile.
    static func applies(_ rule: NetworkRule, to profileId: String?) -> Bool {
        guard let owner = rule.profileId else { return true }
        return owner == profileId
    }

    /// Strict reporting order: profile-specific before global, lower priority first, then id (present before
    /// absent). Equal rules are not ordered, so the first one given wins.
    static func reportsBefore(_ lhs: NetworkRule, _ rhs: NetworkRule) -> Bool {
        let lhsGlobal = lhs.profileId == nil
        let rhsGlobal = rhs.profileId == nil
        if lhsGlobal != rhsGlobal { return !lhsGlobal }
        if lhs.priority != rhs.priority { return lhs.priority < rhs.priority }
        switch (lhs.id, rhs.id) {
        case let (left?, right?): return left < right
        case (.some, nil): return true
        default: return false
        }
    }
}
