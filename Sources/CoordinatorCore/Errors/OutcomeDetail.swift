/// Human sentences for the machine `reason` codes of domain outcomes, added as `detail` so a person reading
/// CLI or HTTP output learns what happened without looking the code up.
public enum OutcomeDetail {
    public static func sentence(for reason: String) -> String? {
        switch reason {
        case "invalid_file_path": return "The lock key is empty."
        case "invalid_agent_id": return "The agent id is empty."
        case "ttl_out_of_range": return "ttl_minutes must be between 1 and 480."
        case "locked_by_other": return "Another agent holds this lock."
        case "lock_not_found_or_not_owner": return "No live lock on this key is held by this agent."
        case "priority_out_of_range": return "priority must be between 1 (highest) and 10."
        case "max_attempts_out_of_range": return "max_attempts must be between 1 and 100."
        case "unknown_dependency": return "A task named in depends_on does not exist."
        case "dependency_failed": return "A task named in depends_on has already failed or been cancelled."
        case "invalid_task_type": return "task_type is empty."
        case "invalid_description": return "description is empty."
        case "no_tasks_available": return "No pending task is ready to claim."
        case "lease_out_of_range": return "The lease must be between 1 and 1440 minutes."
        case "task_not_found": return "No task has this id."
        case "task_not_found_or_not_claimed_by_agent": return "No task with this id is claimed by this agent."
        case "task_not_active": return "The task is not claimed or running, so it cannot be completed or renewed."
        case "task_not_cancellable": return "The task has already ended."
        case "summary_required": return "A handoff needs a summary."
        case "invalid_agent_name": return "The agent name is empty."
        case "session_not_found": return "No registered session matches; register first."
        case "session_owned_by_other_agent": return "This session id belongs to another agent."
        case "invalid_summary": return "A memory needs a summary."
        case "invalid_details": return "details must be a JSON object."
        case "dedup_window_out_of_range": return "The dedup window must be between 0 and 10080 minutes."
        default: return nil
        }
    }

    /// Adds `detail` to a `success:false` result that has a known `reason` and no detail yet.
    public static func annotate(_ result: JSONValue) -> JSONValue {
        guard case .object(var members) = result, members["success"] == .bool(false), members["detail"] == nil,
            let reason = members["reason"]?.stringValue ?? members["error"]?.stringValue,
            let sentence = sentence(for: reason)
        else { return result }
        members["detail"] = .string(sentence)
        return .object(members)
    }
}
