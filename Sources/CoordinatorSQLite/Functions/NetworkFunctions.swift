import CoordinatorCore
import Foundation
import GRDB

/// `is_domain_allowed` (docs/storage-functions.md, Network policies).
enum NetworkFunctions {
    static let all = [isDomainAllowed]

    static let isDomainAllowed = StorageFunction(
        "is_domain_allowed", parameters: ["p_agent_id", "p_domain", "p_agent_type", "p_now", "p_default_allow"]
    ) { db, arguments in
        guard let agent = try arguments.text("p_agent_id"), !agent.isBlank else {
            return ["success": false, "reason": "invalid_agent_id"]
        }
        guard let domain = normalizedDomain(try arguments.text("p_domain")) else {
            return ["success": false, "reason": "invalid_domain"]
        }
        let now = Timestamp.format(try arguments.now())
        let profileId = try ProfileFunctions.resolve(db, agentId: agent, agentType: try ProfileFunctions.agentType(arguments))?
            .profile["id"]?.stringValue

        let rules = try Row.fetchAll(
            db,
            sql: """
                SELECT id, profile_id, domain_pattern, action, priority, created_at FROM network_policies
                WHERE enabled AND (profile_id IS NULL OR profile_id = ?)
                """,
            arguments: [profileId])
        // Deny beats allow; the rule reported is profile-specific before global, then the lowest priority number.
        let deciding = rules
            .filter { matches(domain, pattern: $0["domain_pattern"]) }
            .min { left, right in
                func key(_ row: Row) -> (Int, Int, Int, String, String) {
                    ((row["action"] as String) == "allow" ? 1 : 0, (row["profile_id"] as String?) == nil ? 1 : 0, row["priority"],
                     row["created_at"], row["id"])
                }
                return key(left) < key(right)
            }
        let defaultAllow = try arguments.boolean("p_default_allow") ?? false
        let allowed = deciding.map { ($0["action"] as String) == "allow" } ?? defaultAllow
        let reason = deciding == nil ? (allowed ? "default_allow" : "default_deny") : allowed ? "allowlist_match" : "denylist_match"
        let policyId: String? = deciding?["id"]

        try db.execute(
            sql: """
                INSERT INTO network_access_log (id, agent_id, domain, allowed, policy_id, reason, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [UUID().uuidString.lowercased(), agent, domain, allowed, policyId, reason, now])
        return [
            "success": true, "allowed": .bool(allowed), "domain": .string(domain), "reason": .string(reason),
            "policy_id": JSONValue(policyId),
        ]
    }

    /// The domain as rules compare it: trimmed, lower-cased, without trailing dots; nil when blank or when it
    /// holds a `*` or white space (a host name has neither, and a `*` would read as a pattern).
    static func normalizedDomain(_ raw: String?) -> String? {
        guard var domain = raw?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() else { return nil }
        while domain.hasSuffix(".") { domain.removeLast() }
        guard !domain.isEmpty, !domain.contains("*"), !domain.unicodeScalars.contains(where: CharacterSet.whitespacesAndNewlines.contains)
        else { return nil }
        return domain
    }

    /// Whether `pattern` names `domain`: exactly, or as `*.suffix` with at least one label before the suffix.
    /// Case-insensitive; no character but the leading `*` is a wildcard.
    static func matches(_ domain: String, pattern: String) -> Bool {
        let pattern = pattern.lowercased()
        if pattern.hasPrefix("*.") {
            let suffix = pattern.dropFirst()  // ".example.com"
            return domain.count > suffix.count && domain.hasSuffix(suffix)
        }
        return pattern == domain
    }
}
