import CoordinatorCore

extension ReadableLine {
    /// `safe` or `blocked: …`, then one line per match.
    static func guardrails(_ result: JSONValue) -> String {
        let violations = result["violations"]?.arrayValue ?? []
        var lines: [String] = []
        if result["safe"] == .bool(true) {
            lines.append(violations.isEmpty ? "safe (trust level \(text(result["trust_level"])))"
                                            : "safe (trust level \(text(result["trust_level"])); elevated or reported matches below)")
        } else {
            var head = "blocked: \(text(result["error"]))"
            if result["requires"] == "manual_review" {
                head += " — needs a human's review" + (result["approval_id"]?.stringValue.map { " (approval \($0))" } ?? "")
            }
            lines.append(head)
        }
        for violation in violations {
            let state = violation["blocked"] == .bool(true) ? "blocks" : violation["elevated"] == .bool(true) ? "elevated" : "reported"
            lines.append("  \(text(violation["pattern_name"])) (\(text(violation["category"])), \(state)): \(text(violation["matched_text"]))")
        }
        return lines.joined(separator: "\n")
    }

    /// The message a pre-tool hook shows the agent when its tool call is blocked.
    static func guardrailsRefusal(_ result: JSONValue, tool: String) -> String {
        let patterns = (result["patterns"]?.arrayValue ?? []).map { text($0) }.joined(separator: ", ")
        if result["error"] == "credential_file_protected" {
            return "Blocked by the coordinator's guardrails: \(tool) touches a credential file (\(patterns)). "
                + "Credential files need a human's review at every trust level; an approval request was filed. Do not retry."
        }
        return "Blocked by the coordinator's guardrails: \(tool) would run a destructive operation (\(patterns)) that your trust level "
            + "(\(text(result["trust_level"]))) does not permit. Ask a human or find a non-destructive way."
    }

    static func guardrailPatterns(_ result: JSONValue) -> String {
        var lines = (result["patterns"]?.arrayValue ?? []).map { pattern in
            "\(text(pattern["name"]))  \(text(pattern["category"]))  \(text(pattern["severity"]))  trust≥\(text(pattern["min_trust_level"]))  \(text(pattern["pattern"]))"
        }
        if result["source"] == "fallback" { lines.insert("(built-in registry: the database could not be read)", at: 0) }
        for error in result["errors"]?.arrayValue ?? [] {
            lines.append("left out: \(text(error["name"])): \(text(error["message"]))")
        }
        return lines.joined(separator: "\n")
    }
}

extension ReadableLine {
    static func profile(_ result: JSONValue) -> String {
        guard let profile = result["profile"], profile != .null else {
            return "no profile (\(text(result["reason"]))); default trust level \(text(result["trust_level"]))"
        }
        func limit(_ value: JSONValue?) -> String { value?.intValue.map(String.init) ?? "unlimited" }
        func list(_ value: JSONValue?) -> String {
            let items = (value?.arrayValue ?? []).map { text($0) }
            return items.isEmpty ? "-" : items.joined(separator: ", ")
        }
        return [
            "\(text(profile["name"])) (\(text(profile["agent_type"])), \(text(result["source"]))): trust level \(text(result["trust_level"]))",
            "  allowed: \(list(profile["allowed_operations"]))",
            "  blocked: \(list(profile["blocked_operations"]))",
            "  elevated: \(list(profile["elevated_operations"]))",
            "  limits: files \(limit(profile["max_file_modifications"])), seconds \(limit(profile["max_execution_time_seconds"])), calls/hour \(limit(profile["max_api_calls_per_hour"]))",
        ].joined(separator: "\n")
    }

    static func network(_ result: JSONValue) -> String {
        guard result["success"] != .bool(false) else { return declined(result) }
        let verdict = result["allowed"] == .bool(true) ? "allowed" : "denied"
        return "\(verdict): \(text(result["domain"])) (\(text(result["reason"])))"
    }
}
