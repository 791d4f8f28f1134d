import CoordinatorCore
import Testing

private func rule(_ id: String?, _ pattern: String, _ action: NetworkRule.Action, priority: Int = 5,
                  profile: String? = nil) throws -> NetworkRule {
    try NetworkRule(id: id, profileId: profile, domainPattern: pattern, action: action, priority: priority)
}

private func decide(_ domain: String, _ rules: [NetworkRule], profile: String? = nil,
                    defaultAllow: Bool = false) throws -> AccessDecision {
    NetworkPolicy.decide(domain: try DomainName(domain), rules: rules, profileId: profile, defaultAllow: defaultAllow)
}

@Suite("Network: policy decisions")
struct NetworkPolicyDecisionTests {
    /// The 7 global allow rules migration 009 seeds.
    static func seeds() throws -> [NetworkRule] {
        [
            try rule("seed-github", "github.com", .allow, priority: 1),
            try rule("seed-github-sub", "*.github.com", .allow, priority: 1),
            try rule("seed-github-api", "api.github.com", .allow, priority: 1),
            try rule("seed-npm", "registry.npmjs.org", .allow, priority: 2),
            try rule("seed-pypi", "pypi.org", .allow, priority: 2),
            try rule("seed-pythonhosted", "files.pythonhosted.org", .allow, priority: 2),
            try rule("seed-supabase", "*.supabase.co", .allow, priority: 1),
        ]
    }

    @Test func seededRulesAllowTheirDomains() throws {
        let rules = try Self.seeds()
        #expect(try decide("GitHub.com.", rules) == AccessDecision(allowed: true, domain: "github.com", reason: .allowlistMatch, ruleId: "seed-github"))
        #expect(try decide("gist.github.com", rules).ruleId == "seed-github-sub")
        #expect(try decide("abc.supabase.co", rules).allowed)
        #expect(try decide("supabase.co", rules) == AccessDecision(allowed: false, domain: "supabase.co", reason: .defaultDeny))
        #expect(try decide("github.com.evil.net", rules).reason == .defaultDeny)
    }

    @Test func reportsTheFirstOfEqualStrengthByIdWhenSeveralAllow() throws {
        // api.github.com is named by "api.github.com" and "*.github.com", both global priority 1: the lower id wins.
        #expect(try decide("api.github.com", Self.seeds()).ruleId == "seed-github-api")
        #expect(try decide("api.github.com", Self.seeds().reversed()).ruleId == "seed-github-api")
    }

    @Test func noMatchFallsBackToTheGivenDefault() throws {
        let rules = try Self.seeds()
        #expect(try decide("example.org", rules, defaultAllow: true) == AccessDecision(allowed: true, domain: "example.org", reason: .defaultAllow))
        #expect(try decide("example.org", rules, defaultAllow: false) == AccessDecision(allowed: false, domain: "example.org", reason: .defaultDeny))
        #expect(try decide("example.org", [], defaultAllow: true).ruleId == nil)
    }

    @Test func denyBeatsAllowWhateverTheirStrength() throws {
        // A weak global deny beats a strong profile allow …
        let globalDeny = [try rule("allow-p", "api.example.com", .allow, priority: 1, profile: "p"),
                          try rule("deny-g", "*.example.com", .deny, priority: 9)]
        #expect(try decide("api.example.com", globalDeny, profile: "p", defaultAllow: true)
                == AccessDecision(allowed: false, domain: "api.example.com", reason: .denylistMatch, ruleId: "deny-g"))
        // … and a profile deny beats a global allow.
        let profileDeny = [try rule("allow-g", "github.com", .allow, priority: 1),
                           try rule("deny-p", "github.com", .deny, priority: 7, profile: "p")]
        #expect(try decide("github.com", profileDeny, profile: "p").reason == .denylistMatch)
        #expect(try decide("github.com", profileDeny, profile: "p").ruleId == "deny-p")
        // A deny only stops what it names: the apex of a `*.` deny is untouched.
        #expect(try decide("example.com", globalDeny, profile: "p", defaultAllow: true).reason == .defaultAllow)
    }

    @Test func rulesOfOtherProfilesDoNotApply() throws {
        let rules = [try rule("allow-g", "example.com", .allow),
                     try rule("deny-q", "example.com", .deny, profile: "q"),
                     try rule("allow-q", "other.com", .allow, profile: "q")]
        #expect(try decide("example.com", rules, profile: "p").ruleId == "allow-g")
        #expect(try decide("example.com", rules, profile: "q").ruleId == "deny-q")
        // Without a profile only global rules apply.
        #expect(try decide("example.com", rules, profile: nil).allowed)
        #expect(try decide("other.com", rules, profile: nil).reason == .defaultDeny)
        #expect(try decide("other.com", rules, profile: "q").reason == .allowlistMatch)
    }

    @Test func reportsTheStrongestDenyRule() throws {
        let rules = [
            try rule("g1", "*.example.com", .deny, priority: 1),
            try rule("p5", "*.example.com", .deny, priority: 5, profile: "p"),
            try rule("p3", "api.example.com", .deny, priority: 3, profile: "p"),
            try rule("p3-b", "*.example.com", .deny, priority: 3, profile: "p"),
            try rule("p0-allow", "api.example.com", .allow, priority: 0, profile: "p"),
        ]
        // Profile-specific before global (despite its priority 1), then lowest priority, then id.
        #expect(try decide("api.example.com", rules, profile: "p").ruleId == "p3")
        #expect(try decide("api.example.com", rules.reversed(), profile: "p").ruleId == "p3")
        #expect(try decide("www.example.com", rules, profile: "p").ruleId == "p3-b")
        // For another profile only the global deny is a candidate.
        #expect(try decide("api.example.com", rules, profile: "other").ruleId == "g1")
    }

    @Test func reportsTheStrongestAllowRule() throws {
        let rules = [
            try rule("g0", "*.example.com", .allow, priority: 0),
            try rule("p9", "*.example.com", .allow, priority: 9, profile: "p"),
            try rule("p2-z", "api.example.com", .allow, priority: 2, profile: "p"),
            try rule("p2-a", "*.example.com", .allow, priority: 2, profile: "p"),
        ]
        #expect(try decide("api.example.com", rules, profile: "p").ruleId == "p2-a")
        #expect(try decide("api.example.com", rules, profile: "x").ruleId == "g0")
    }

    @Test func rulesWithoutIdReportLastAmongEquals() throws {
        let rules = [try rule(nil, "example.com", .deny, priority: 1), try rule("z", "example.com", .deny, priority: 1)]
        #expect(try decide("example.com", rules).ruleId == "z")
        let anonymous = [try rule(nil, "example.com", .allow)]
        #expect(try decide("example.com", anonymous) == AccessDecision(allowed: true, domain: "example.com", reason: .allowlistMatch, ruleId: nil))
    }

    @Test func rendersJSON() throws {
        let allowed = try decide("Bücher.de", [try rule("r1", "*.de", .deny), try rule("r2", "bücher.de", .allow)])
        #expect(allowed.json == ["allowed": false, "domain": "xn--bcher-kva.de", "reason": "denylist_match", "policy_id": "r1"])
        let fallback = try decide("example.org", [], defaultAllow: true)
        #expect(fallback.json == ["allowed": true, "domain": "example.org", "reason": "default_allow", "policy_id": nil])
        #expect(Set(AccessDecision.Reason.allCases.map(\.rawValue))
                == ["allowlist_match", "denylist_match", "default_allow", "default_deny", "default_policy"])
    }

    @Test(arguments: [
        ("claude_code", true), ("codex_cli", true), ("gemini_cli", true), ("aider", true), ("cursor", true),
        (" Claude_Code ", true), ("claude_code_web", false), ("codex", false), ("cloud_agent", false), ("", false),
    ])
    func defaultsPerAgentType(_ agentType: String, _ allowed: Bool) throws {
        let decision = NetworkPolicy.decide(domain: try DomainName("example.org"), rules: try Self.seeds(), profileId: nil,
                                            agentType: agentType, config: NetworkPolicyConfig())
        #expect(decision.allowed == allowed)
        #expect(decision.reason == (allowed ? .defaultAllow : .defaultDeny))
        // A matching rule decides whatever the type.
        let github = NetworkPolicy.decide(domain: try DomainName("github.com"), rules: try Self.seeds(), profileId: nil,
                                          agentType: agentType, config: NetworkPolicyConfig())
        #expect(github.reason == .allowlistMatch)
    }

    @Test func unreadableRulesUseTheDefaultPolicy() throws {
        let domain = try DomainName("Example.org")
        #expect(NetworkPolicy.fallback(domain: domain, config: NetworkPolicyConfig())
                == AccessDecision(allowed: false, domain: "example.org", reason: .defaultPolicy))
        let open = NetworkPolicyConfig(defaultPolicy: .allow)
        #expect(NetworkPolicy.fallback(domain: domain, config: open).json
                == ["allowed": true, "domain": "example.org", "reason": "default_policy", "policy_id": nil])
    }
}

@Suite("Network: policy configuration")
struct NetworkPolicyConfigTests {
    @Test func defaults() throws {
        let config = try NetworkPolicyConfig.fromEnvironment([:])
        #expect(config == NetworkPolicyConfig())
        #expect(config.defaultPolicy == .deny)
        #expect(config.localAgentTypes == ["claude_code", "codex_cli", "gemini_cli", "aider", "cursor"])
        #expect(try NetworkPolicyConfig.fromEnvironment(["NETWORK_DEFAULT_POLICY": "  ", "NETWORK_LOCAL_AGENT_TYPES": ""]) == config)
    }

    @Test func readsSettings() throws {
        let config = try NetworkPolicyConfig.fromEnvironment([
            "NETWORK_DEFAULT_POLICY": " ALLOW ", "NETWORK_LOCAL_AGENT_TYPES": " Claude_Code , my-agent,local.v2 ",
        ])
        #expect(config == NetworkPolicyConfig(defaultPolicy: .allow, localAgentTypes: ["claude_code", "my-agent", "local.v2"]))
        #expect(config.defaultAllows(agentType: "MY-AGENT"))
        #expect(!config.defaultAllows(agentType: "cursor"))
        #expect(try NetworkPolicyConfig.fromEnvironment(["NETWORK_DEFAULT_POLICY": "deny"]).defaultPolicy == .deny)
    }

    @Test func noneMeansNoLocalTypes() throws {
        let config = try NetworkPolicyConfig.fromEnvironment(["NETWORK_LOCAL_AGENT_TYPES": "None"])
        #expect(config.localAgentTypes.isEmpty)
        #expect(!config.defaultAllows(agentType: "claude_code"))
    }

    @Test(arguments: [
        (["NETWORK_DEFAULT_POLICY": "block"], "NETWORK_DEFAULT_POLICY"),
        (["NETWORK_DEFAULT_POLICY": "true"], "NETWORK_DEFAULT_POLICY"),
        (["NETWORK_LOCAL_AGENT_TYPES": "claude_code,,aider"], "NETWORK_LOCAL_AGENT_TYPES"),
        (["NETWORK_LOCAL_AGENT_TYPES": "claude_code,"], "NETWORK_LOCAL_AGENT_TYPES"),
        (["NETWORK_LOCAL_AGENT_TYPES": "claude code"], "NETWORK_LOCAL_AGENT_TYPES"),
        (["NETWORK_LOCAL_AGENT_TYPES": "claude_code;aider"], "NETWORK_LOCAL_AGENT_TYPES"),
    ])
    func namesTheBadVariable(_ environment: [String: String], _ variable: String) {
        #expect { try NetworkPolicyConfig.fromEnvironment(environment) } throws: { error in
            (error as? ConfigurationError)?.variable == variable
        }
    }
}
