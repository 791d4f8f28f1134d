import CoordinatorCore

/// One-line, human-readable renderings of operation results (the default output; `--json` prints the JSON).
enum ReadableLine {
    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: return text
        case nil, .null?: return "-"
        case let other?: return other.jsonText
        }
    }

    /// `declined (reason): detail` for a `success:false` answer.
    static func declined(_ result: JSONValue) -> String {
        let reason = text(result["reason"] ?? result["error"])
        if let detail = result["detail"]?.stringValue { return "declined (\(reason)): \(detail)" }
        return "declined (\(reason))"
    }

    static func lock(_ result: JSONValue) -> String {
        guard result["success"] == .bool(true) else {
            if result["reason"] == "locked_by_other" {
                return "locked by \(text(result["locked_by"])) (\(text(result["agent_type"]))) until \(text(result["expires_at"]))"
                    + (result["lock_reason"]?.stringValue.map { ": \($0)" } ?? "")
            }
            return declined(result)
        }
        let action = text(result["action"])
        if action == "released" { return "released \(text(result["file_path"]))" }
        return "\(action) \(text(result["file_path"])) until \(text(result["expires_at"]))"
    }

    static func locks(_ result: JSONValue) -> String {
        let rows = (result["locks"]?.arrayValue ?? []).compactMap(\.objectValue)
        guard !rows.isEmpty else { return "no active locks" }
        return rows.map { row in
            "\(text(row["file_path"]))  \(text(row["locked_by"])) (\(text(row["agent_type"])))  until \(text(row["expires_at"]))"
                + (row["reason"]?.stringValue.map { "  \($0)" } ?? "")
        }.joined(separator: "\n")
    }

    static func submitted(_ result: JSONValue) -> String {
        result["success"] == .bool(true) ? "submitted task \(text(result["task_id"]))" : declined(result)
    }

    static func claimed(_ result: JSONValue) -> String {
        guard result["success"] == .bool(true) else { return declined(result) }
        return "claimed task \(text(result["task_id"])) [\(text(result["task_type"])), priority \(text(result["priority"]))]: "
            + "\(text(result["description"])) (lease until \(text(result["lease_expires_at"])))"
    }

    static func taskChange(_ result: JSONValue) -> String {
        guard result["success"] == .bool(true) else { return declined(result) }
        var line = "task \(text(result["task_id"])) \(text(result["status"]))"
        if let failed = result["dependents_failed"]?.intValue, failed > 0 { line += "; \(failed) dependent task(s) failed" }
        if let lease = result["lease_expires_at"]?.stringValue { line += " (lease until \(lease))" }
        return line
    }

    static func task(_ result: JSONValue) -> String {
        guard result["success"] == .bool(true), let task = result["task"]?.objectValue else { return declined(result) }
        return taskRow(task)
    }

    static func taskRow(_ task: JSONObject) -> String {
        "\(text(task["id"]))  \(text(task["status"]))  p\(text(task["priority"]))  [\(text(task["task_type"]))] "
            + "\(text(task["description"]))" + (task["claimed_by"]?.stringValue.map { "  claimed by \($0)" } ?? "")
    }

    static func tasks(_ result: JSONValue) -> String {
        let rows = (result["tasks"]?.arrayValue ?? []).compactMap(\.objectValue)
        return rows.isEmpty ? "no tasks" : rows.map(taskRow).joined(separator: "\n")
    }

    static func lockStatus(_ result: JSONValue) -> String {
        guard result["locked"] == true, let lock = result["lock"] else { return "\(text(result["file_path"])) is not locked" }
        return "\(text(result["file_path"])) locked by \(text(lock["locked_by"])) (\(text(lock["agent_type"]))) until \(text(lock["expires_at"]))"
    }

    static func handoffWritten(_ result: JSONValue) -> String {
        result["success"] == .bool(true) ? "wrote handoff \(text(result["handoff_id"]))" : declined(result)
    }

    static func handoffs(_ result: JSONValue) -> String {
        let items = result["handoffs"]?.arrayValue ?? []
        guard !items.isEmpty else { return "no handoffs" }
        return items.map { item in
            var lines = ["\(text(item["created_at"]))  \(text(item["agent_name"])): \(text(item["summary"]))"]
            for (key, label) in [("completed_work", "done"), ("in_progress", "in progress"), ("next_steps", "next"),
                                 ("decisions", "decided"), ("relevant_files", "files")] {
                let entries = (item[key]?.arrayValue ?? []).map { text($0) }
                if !entries.isEmpty { lines.append("  \(label): " + entries.joined(separator: "; ")) }
            }
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    static func session(_ result: JSONValue) -> String {
        result["success"] == .bool(true) ? "session \(text(result["session_id"]))" : declined(result)
    }

    static func agents(_ result: JSONValue) -> String {
        let items = result["agents"]?.arrayValue ?? []
        guard !items.isEmpty else { return "no agents" }
        return items.map { item in
            let capabilities = (item["capabilities"]?.arrayValue ?? []).map { text($0) }.joined(separator: ",")
            return "\(text(item["agent_id"])) (\(text(item["agent_type"])))  \(text(item["status"]))  "
                + "session \(text(item["session_id"]))  last seen \(text(item["last_heartbeat"]))"
                + (capabilities.isEmpty ? "" : "  [\(capabilities)]")
        }.joined(separator: "\n")
    }

    static func cleanup(_ result: JSONValue) -> String {
        "disconnected \(text(result["agents_cleaned"])) stale session(s); released \(text(result["locks_released"])) lock(s) "
            + "and \(text(result["tasks_released"])) task(s); swept \(text(result["expired_locks_swept"])) expired lock(s)"
    }
}
