import CoordinatorCore
import Foundation
import Testing

@Suite("Network policies behave the same on every backend")
struct NetworkPolicyConformanceTests {
    func allowed(_ db: TestDatabase, _ domain: String, agent: String = "alice", type: String? = nil) async throws -> JSONValue {
        var parameters: JSONObject = ["p_agent_id": .string(agent), "p_domain": .string(domain), "p_now": db.pNow]
        if let type { parameters["p_agent_type"] = .string(type) }
        return try await db.client.rpc("is_domain_allowed", parameters)
    }

    func globalRuleId(_ db: TestDatabase, _ pattern: String) async throws -> JSONValue {
        let rows = try await db.client.query(
            "network_policies", filter: RowFilter().equal("domain_pattern", .string(pattern)).isNull("profile_id"), select: ["id"])
        return try #require(rows.first?["id"])
    }

    @discardableResult
    func addRule(_ db: TestDatabase, _ pattern: String, action: String, priority: Int, profile: String? = nil) async throws -> JSONValue {
        let row = try #require(try await db.client.insert(
            "network_policies",
            row: ["domain_pattern": .string(pattern), "action": .string(action), "priority": .int(priority),
                  "profile_id": JSONValue(profile), "created_at": db.timestamp()]))
        return try #require(row["id"])
    }

    func profileId(_ db: TestDatabase, _ name: String) async throws -> String {
        let row = try #require(try await db.client.query("agent_profiles", filter: RowFilter().equal("name", .string(name)), select: ["id"]).first)
        return try #require(row["id"]?.stringValue)
    }

    @Test(arguments: TestBackend.available)
    func theSevenGlobalAllowRulesAreSeeded(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let rows = try await db.client.query("network_policies")
            let seeded = Dictionary(uniqueKeysWithValues: rows.map { ($0["domain_pattern"]?.stringValue ?? "", $0["priority"]?.intValue ?? -1) })
            #expect(seeded == ["github.com": 1, "*.github.com": 1, "api.github.com": 1, "registry.npmjs.org": 2, "pypi.org": 2,
                               "files.pythonhosted.org": 2, "*.supabase.co": 1])
            #expect(rows.allSatisfy { $0["profile_id"] == .null && $0["action"] == "allow" && $0["enabled"] == true })
        }
    }

    @Test(arguments: TestBackend.available)
    func exactAndWildcardMatches(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let github = try await allowed(db, "github.com")
            #expect(github == ["success": true, "allowed": true, "domain": "github.com", "reason": "allowlist_match",
                               "policy_id": try await globalRuleId(db, "github.com")])
            #expect(try await allowed(db, " GitHub.COM. ")["domain"] == "github.com", "trimmed, lower-cased, trailing dot dropped")
            #expect(try await allowed(db, " GitHub.COM. ")["allowed"] == true)

            let supabaseRule = try await globalRuleId(db, "*.supabase.co")
            for domain in ["abc.supabase.co", "a.b.supabase.co"] {
                let result = try await allowed(db, domain)
                #expect(result["allowed"] == true, "\(domain)")
                #expect(result["policy_id"] == supabaseRule, "\(domain)")
            }
            for domain in ["supabase.co", "evilsupabase.co", "supabase.co.evil.com"] {
                let result = try await allowed(db, domain)
                #expect(result["allowed"] == false, "a wildcard needs a subdomain: \(domain)")
                #expect(result["reason"] == "default_deny", "\(domain)")
                #expect(result["policy_id"] == .null)
            }

            // Only the leading '*' is a wildcard: '_' and '%' in a pattern are literal characters.
            try await addRule(db, "build_cache.example", action: "allow", priority: 3)
            try await addRule(db, "*.a%b.example", action: "allow", priority: 3)
            #expect(try await allowed(db, "build_cache.example")["allowed"] == true)
            #expect(try await allowed(db, "buildXcache.example")["allowed"] == false)
            #expect(try await allowed(db, "x.a%b.example")["allowed"] == true)
            #expect(try await allowed(db, "x.aZZb.example")["allowed"] == false)
        }
    }

    @Test(arguments: TestBackend.available)
    func denyBeatsAllowAndProfileRulesCount(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            // An assigned agent: its profile's deny rule wins over the global allow, even at a worse priority.
            let reviewer = try await profileId(db, "claude-code-web-reviewer")
            _ = try await db.client.insert("agent_profile_assignments", row: ["agent_id": "rev-1", "profile_id": .string(reviewer)],
                                           returning: false)
            let reviewerDeny = try await addRule(db, "github.com", action: "deny", priority: 9, profile: reviewer)
            let denied = try await allowed(db, "github.com", agent: "rev-1")
            #expect(denied == ["success": true, "allowed": false, "domain": "github.com", "reason": "denylist_match",
                               "policy_id": reviewerDeny])
            #expect(try await allowed(db, "github.com", agent: "alice")["reason"] == "allowlist_match", "other agents keep the global rule")

            // Without an assignment the agent type's default profile counts too.
            let codex = try await profileId(db, "codex-cloud-worker")
            try await addRule(db, "pypi.org", action: "deny", priority: 5, profile: codex)
            #expect(try await allowed(db, "pypi.org", agent: "cx-1", type: "codex")["allowed"] == false)
            #expect(try await allowed(db, "pypi.org", agent: "cx-1", type: "claude_code")["allowed"] == true)
            #expect(try await allowed(db, "pypi.org", agent: "cx-1")["allowed"] == true, "the type defaults to claude_code")

            // Deny beats allow, whatever the priorities; among rules of one action the lowest priority number is reported.
            let globalDeny = try await addRule(db, "*.github.com", action: "deny", priority: 0)
            let api = try await allowed(db, "api.github.com")
            #expect(api["allowed"] == false)
            #expect(api["policy_id"] == globalDeny)
            try await addRule(db, "gitlab.com", action: "allow", priority: 1)
            let weakDeny = try await addRule(db, "gitlab.com", action: "deny", priority: 9)
            #expect(try await allowed(db, "gitlab.com") == ["success": true, "allowed": false, "domain": "gitlab.com",
                                                            "reason": "denylist_match", "policy_id": weakDeny])
            let strongerDeny = try await addRule(db, "gitlab.com", action: "deny", priority: 2)
            #expect(try await allowed(db, "gitlab.com")["policy_id"] == strongerDeny)
            // A profile's allow does not reopen a domain a global rule denies.
            try await addRule(db, "api.github.com", action: "allow", priority: 0, profile: reviewer)
            #expect(try await allowed(db, "api.github.com", agent: "rev-1")["allowed"] == false)

            // Disabled rules do not count.
            _ = try await db.client.update("network_policies", filter: RowFilter().equal("id", globalDeny), values: ["enabled": false],
                                           returning: false)
            #expect(try await allowed(db, "api.github.com")["allowed"] == true)
        }
    }

    @Test(arguments: TestBackend.available)
    func theCallerChoosesTheDefaultForUnmatchedDomains(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let local = try await db.client.rpc("is_domain_allowed", [
                "p_agent_id": "laptop", "p_domain": "example.org", "p_default_allow": true, "p_now": db.pNow,
            ])
            #expect(local == ["success": true, "allowed": true, "domain": "example.org", "reason": "default_allow", "policy_id": nil])
            try await addRule(db, "example.org", action: "deny", priority: 5)
            let denied = try await db.client.rpc("is_domain_allowed", [
                "p_agent_id": "laptop", "p_domain": "example.org", "p_default_allow": true, "p_now": db.pNow,
            ])
            #expect(denied["reason"] == "denylist_match", "a rule beats the default")
            let logged = try await db.client.query("network_access_log", filter: RowFilter().equal("agent_id", "laptop"), select: nil)
            #expect(logged.map { $0["reason"] } == ["default_allow", "denylist_match"] || logged.map { $0["reason"] } == ["denylist_match", "default_allow"])
        }
    }

    @Test(arguments: TestBackend.available)
    func everyDecisionIsLogged(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            _ = try await allowed(db, "pypi.org", agent: "alice")
            db.clock.advance(by: 1)
            _ = try await allowed(db, "example.org", agent: "bob")
            let rows = try await db.client.query("network_access_log", filter: RowFilter().ordered(by: "created_at"), select: nil)
            #expect(rows.count == 2)
            #expect(rows[0]["agent_id"] == "alice")
            #expect(rows[0]["domain"] == "pypi.org")
            #expect(rows[0]["allowed"] == true)
            #expect(rows[0]["reason"] == "allowlist_match")
            #expect(rows[0]["policy_id"] == (try await globalRuleId(db, "pypi.org")))
            #expect(rows[0]["created_at"]?.stringValue.flatMap(Timestamp.parse) == db.clock.now().addingTimeInterval(-1))
            #expect(rows[1]["agent_id"] == "bob")
            #expect(rows[1]["allowed"] == false)
            #expect(rows[1]["reason"] == "default_deny")
            #expect(rows[1]["policy_id"] == .null)

            // Bad input is refused and logs nothing.
            #expect(try await allowed(db, "  ") == ["success": false, "reason": "invalid_domain"])
            #expect(try await allowed(db, "*.github.com") == ["success": false, "reason": "invalid_domain"])
            #expect(try await allowed(db, "git hub.com") == ["success": false, "reason": "invalid_domain"])
            #expect(try await allowed(db, "github.com", agent: " ") == ["success": false, "reason": "invalid_agent_id"])
            #expect(try await db.client.query("network_access_log").count == 2)
        }
    }
}
