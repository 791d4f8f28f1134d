import CoordinatorCore

extension MCPResources {
    /// `guardrails://patterns`: the guardrail patterns in force.
    static let guardrailPatterns = "guardrails://patterns"
    /// `profiles://current`: the caller's profile.
    static let currentProfile = "profiles://current"

    /// "# Guardrail Patterns" with one block per pattern (name, category, severity, trust threshold, description,
    /// the expression), the source (database or built-in fallback) and any rows left out.
    static func renderGuardrails(_ result: JSONValue) -> String {
        let patterns = result["patterns"]?.arrayValue ?? []
        let source = result["source"]?.stringValue == "fallback" ? "built-in registry (the database could not be read)" : "database"
        var lines = ["# Guardrail Patterns", "", "Source: \(source). Credential patterns block at every trust level.", ""]
        for pattern in patterns {
            lines.append("- **\(text(pattern["name"]))** (\(text(pattern["category"])), \(text(pattern["severity"])), "
                         + "elevated from trust \(text(pattern["min_trust_level"])))")
            lines.append("  - \(text(pattern["description"]))")
            lines.append("  - `\(text(pattern["pattern"]))`")
        }
        for error in result["errors"]?.arrayValue ?? [] {
            lines.append("- Left out: **\(text(error["name"]))**: \(text(error["message"]))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "# Your Profile": name, type, trust level, operations, elevated matches and limits; or the default trust
    /// when no profile governs the agent.
    static func renderProfile(_ result: JSONValue) -> String {
        let trust = text(result["trust_level"])
        guard let profile = result["profile"], profile != .null else {
            return "# Your Profile\n\nNo profile governs \(text(result["agent_id"])) (\(text(result["agent_type"]))): "
                + "default trust level \(trust), every operation that trust reaches.\n"
        }
        func list(_ value: JSONValue?) -> String {
            let items = value?.arrayValue?.compactMap(\.stringValue) ?? []
            return items.isEmpty ? "none" : items.joined(separator: ", ")
        }
        func limit(_ value: JSONValue?) -> String { value?.intValue.map(String.init) ?? "unlimited" }
        let allowed = profile["allowed_operations"]?.arrayValue?.isEmpty ?? true ? "every operation your trust reaches"
            : list(profile["allowed_operations"])
        return [
            "# Your Profile", "",
            "- Profile: **\(text(profile["name"]))** (\(text(profile["agent_type"])), source: \(text(result["source"])))",
            "- Trust level: \(trust)",
            "- Allowed operations: \(allowed)",
            "- Blocked operations: \(list(profile["blocked_operations"]))",
            "- Elevated guardrail matches: \(list(profile["elevated_operations"]))",
            "- Limits: \(limit(profile["max_file_modifications"])) files per session, "
                + "\(limit(profile["max_execution_time_seconds"])) s per session, \(limit(profile["max_api_calls_per_hour"])) calls per hour",
        ].joined(separator: "\n") + "\n"
    }
}
