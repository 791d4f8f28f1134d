import CoordinatorCore
import MCP

/// The Markdown resources: live locks, the pending work queue, the newest handoffs and the most relevant memories.
///
/// Each is read through the dispatcher (as `check_locks`, `list_tasks`, `read_handoff` and `recall`), so policy and
/// recording apply to resource reads as they do to tool calls.
enum MCPResources {
    static let locks = "locks://current"
    static let pendingWork = "work://pending"
    static let handoffs = "handoffs://recent"
    static let memories = "memories://recent"

    static let list = [
        Resource(name: "current_locks", uri: locks, title: "Active file locks",
                 description: "Every live lock: who holds it, why, and when it expires.", mimeType: "text/markdown"),
        Resource(name: "pending_work", uri: pendingWork, title: "Pending work queue",
                 description: "Up to 20 pending tasks, grouped by priority.", mimeType: "text/markdown"),
        Resource(name: "recent_handoffs", uri: handoffs, title: "Recent handoffs",
                 description: "The 5 newest handoff documents of all agents.", mimeType: "text/markdown"),
        Resource(name: "recent_memories", uri: memories, title: "Recent memories",
                 description: "The 10 most relevant memories of all agents (relevance decays with age).", mimeType: "text/markdown"),
        Resource(name: "recent_audit", uri: audit, title: "Recent audit log",
                 description: "The 20 newest audit entries of all agents: operation, agent, outcome, duration.", mimeType: "text/markdown"),
        Resource(name: "guardrail_patterns", uri: guardrailPatterns, title: "Guardrail patterns",
                 description: "The destructive-operation patterns in force and the trust each needs.", mimeType: "text/markdown"),
        Resource(name: "current_profile", uri: currentProfile, title: "Your profile",
                 description: "Your trust level, allowed operations and resource limits.", mimeType: "text/markdown"),
    ]

    static func read(_ uri: String, tools: ToolRunner) async throws -> ReadResource.Result {
        let markdown: String
        switch uri {
        case locks:
            let result = try await fetch("check_locks", [:], uri: uri, tools: tools)
            markdown = renderLocks(result["locks"]?.arrayValue ?? [])
        case pendingWork:
            let result = try await fetch("list_tasks", ["status": "pending", "limit": 20], uri: uri, tools: tools)
            markdown = renderPendingWork(result["tasks"]?.arrayValue ?? [])
        case handoffs:
            let result = try await fetch("read_handoff", ["all_agents": true, "limit": 5], uri: uri, tools: tools)
            markdown = renderHandoffs(result["handoffs"]?.arrayValue ?? [])
        case memories:
            let result = try await fetch("recall", ["limit": 10], uri: uri, tools: tools)
            markdown = renderMemories(result["memories"]?.arrayValue ?? [])
        case audit:
            let result = try await fetch("query_audit", ["limit": 20], uri: uri, tools: tools)
            markdown = renderAudit(result["entries"]?.arrayValue ?? [])
        case guardrailPatterns:
            markdown = renderGuardrails(try await fetch("list_guardrails", [:], uri: uri, tools: tools))
        case currentProfile:
            markdown = renderProfile(try await fetch("get_my_profile", [:], uri: uri, tools: tools))
        default:
            throw MCPError.invalidParams("Unknown resource URI: \(uri) (available: \(list.map(\.uri).joined(separator: ", ")))")
        }
        return .init(contents: [.text(markdown, uri: uri, mimeType: "text/markdown")])
    }

    private static func fetch(_ operation: String, _ arguments: JSONObject, uri: String, tools: ToolRunner) async throws -> JSONValue {
        do {
            return try await tools.dispatcher.call(operation, arguments: arguments, context: tools.context())
        } catch let error as DispatchError {
            throw MCPError.invalidRequest("\(uri): \(error.description)")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            tools.logger.error("reading \(uri) failed: \(String(describing: error))")
            throw MCPError.internalError("\(uri): \(String(describing: error))")
        }
    }

    // MARK: - Markdown

    static func renderLocks(_ locks: [JSONValue]) -> String {
        guard !locks.isEmpty else { return "No active locks." }
        var lines = ["# Active File Locks", ""]
        for lock in locks {
            lines.append("- **\(text(lock["file_path"]))**")
            lines.append("  - Locked by: \(text(lock["locked_by"])) (\(text(lock["agent_type"])))")
            lines.append("  - Reason: \(text(lock["reason"], or: "Not specified"))")
            lines.append("  - Expires: \(text(lock["expires_at"]))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func renderPendingWork(_ tasks: [JSONValue]) -> String {
        guard !tasks.isEmpty else { return "No pending tasks." }
        var lines = ["# Pending Work Queue"]
        var priority: Int?
        for task in tasks {
            let taskPriority = task["priority"]?.intValue ?? 5
            if taskPriority != priority {
                priority = taskPriority
                lines += ["", "## Priority \(taskPriority)", ""]
            }
            lines.append("- **\(text(task["task_type"]))**: \(text(task["description"]))")
            lines.append("  - ID: `\(text(task["id"]))`")
            if let deadline = task["deadline"]?.stringValue, !deadline.isEmpty {
                lines.append("  - Deadline: \(deadline)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func renderHandoffs(_ handoffs: [JSONValue]) -> String {
        guard !handoffs.isEmpty else { return "No handoff documents found." }
        var lines: [String] = []
        for handoff in handoffs {
            lines += ["## \(text(handoff["agent_name"]))", "*\(text(handoff["created_at"]))*", ""]
            lines.append("**Summary**: \(text(handoff["summary"]))")
            for (title, key) in [("Completed", "completed_work"), ("In Progress", "in_progress"), ("Next Steps", "next_steps")] {
                let items = strings(handoff[key])
                guard !items.isEmpty else { continue }
                lines += ["", "**\(title)**:"]
                lines += items.map { "- \($0)" }
            }
            lines += ["", "---", ""]
        }
        return lines.joined(separator: "\n")
    }

    static func renderMemories(_ memories: [JSONValue]) -> String {
        guard !memories.isEmpty else { return "No memories stored yet." }
        var lines = ["# Recent Memories"]
        for memory in memories {
            lines += ["", "**\(text(memory["event_type"]))**: \(text(memory["summary"]))"]
            let tags = strings(memory["tags"])
            if !tags.isEmpty { lines.append("- Tags: \(tags.joined(separator: ", "))") }
            if let outcome = memory["outcome"]?.stringValue, !outcome.isEmpty { lines.append("- Outcome: \(outcome)") }
            let lessons = strings(memory["lessons"])
            if !lessons.isEmpty { lines.append("- Lessons: \(lessons.joined(separator: "; "))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func text(_ value: JSONValue?, or fallback: String = "") -> String {
        switch value {
        case .string(let text)? where !text.isEmpty: return text
        case .int(let number)?: return String(number)
        case .double(let number)?: return String(number)
        case .bool(let flag)?: return String(flag)
        default: return fallback
        }
    }

    private static func strings(_ value: JSONValue?) -> [String] {
        switch value {
        case .array(let items)?: return items.map { text($0) }.filter { !$0.isEmpty }
        case .string(let raw)? where !raw.isEmpty:
            // A backend that returns the list as JSON text.
            if let parsed = try? JSONValue(jsonText: raw), case .array = parsed { return strings(parsed) }
            return [raw]
        default: return []
        }
    }
}

/// The two prompts: a lock-protected edit checklist and a session start checklist.
enum MCPPrompts {
    static let list = [
        Prompt(
            name: "coordinate_file_edit",
            description: "Checklist for editing a file safely while other agents work: check, lock, edit, release.",
            arguments: [
                .init(name: "file_path", description: "The file you are about to edit.", required: true),
                .init(name: "task", description: "What you are changing and why.", required: true),
            ]),
        Prompt(
            name: "start_work_session",
            description: "Checklist for starting a coordinated work session: register, look at pending work and locks, claim work.",
            arguments: []),
    ]

    static func get(_ params: GetPrompt.Parameters) throws -> GetPrompt.Result {
        switch params.name {
        case "coordinate_file_edit":
            let arguments = params.arguments ?? [:]
            guard let filePath = arguments["file_path"], !filePath.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw MCPError.invalidParams("coordinate_file_edit needs the argument file_path")
            }
            guard let task = arguments["task"], !task.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw MCPError.invalidParams("coordinate_file_edit needs the argument task")
            }
            return .init(description: "Coordinate an edit of \(filePath)", messages: [.user(.text(text: editChecklist(filePath, task)))])
        case "start_work_session":
            return .init(description: "Start a coordinated work session", messages: [.user(.text(text: sessionChecklist))])
        default:
            throw MCPError.invalidParams("Unknown prompt: \(params.name) (available: \(list.map(\.name).joined(separator: ", ")))")
        }
    }

    static func editChecklist(_ filePath: String, _ task: String) -> String {
        """
        You are about to edit `\(filePath)` for this task: \(task)

        Other agents may be working on the same code. Follow these steps:

        1. Call `check_locks` with `file_paths: ["\(filePath)"]` to see whether another agent holds the file.
        2. Call `acquire_lock` with `file_path: "\(filePath)"` and a short `reason` describing the task.
        3. If the answer is `success: false` with `reason: "locked_by_other"`, do not edit the file. Either wait and \
        try again later, pick other work (`get_work`), or coordinate through the work queue (`submit_work` a task \
        for the lock holder).
        4. Make the edit only while you hold the lock (long edits: call `acquire_lock` again to refresh it).
        5. Call `release_lock` with `file_path: "\(filePath)"` as soon as you are done.
        """
    }

    static let sessionChecklist = """
        Start a coordinated work session:

        1. Call `register_session` with your `capabilities` (and `current_task` if you have one) so other agents \
        can find you; call `heartbeat` now and then while you work.
        2. Call `read_handoff` to pick up where the previous session stopped.
        3. Check pending work: read the `work://pending` resource (or call `list_tasks`).
        4. Check locks: read the `locks://current` resource (or call `check_locks`).
        5. Claim work with `get_work`, or continue the work you were assigned.
        6. Before editing any file, `acquire_lock` on it; `release_lock` when the edit is done.
        7. When a task is finished, call `complete_work` with its result; before you stop, `write_handoff` for \
        the next session.
        """
}
