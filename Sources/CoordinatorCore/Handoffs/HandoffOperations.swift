/// Catalog entries of the handoff capability.
enum HandoffOperations {
    static let all = [write, read]

    static let write = CoordinatorOperation(
        "write_handoff", .write, route: .post("/handoffs/write"),
        summary: "Leave a handoff document for the next session.",
        input: .properties(
            .init("summary", .text, "What happened, in a sentence or two.", required: true),
            .init("completed_work", .texts, "Work finished."),
            .init("in_progress", .texts, "Work under way."),
            .init("decisions", .texts, "Decisions taken."),
            .init("next_steps", .texts, "What to do next."),
            .init("relevant_files", .texts, "Files that matter.")
        )
    ) { input, context, coordinator in
        try await coordinator.handoffs.write(
            .init(summary: try input.requiredString("summary"), completedWork: input.strings("completed_work") ?? [],
                  inProgress: input.strings("in_progress") ?? [], decisions: input.strings("decisions") ?? [],
                  nextSteps: input.strings("next_steps") ?? [], relevantFiles: input.strings("relevant_files") ?? []),
            context: context)
    }

    static let read = CoordinatorOperation(
        "read_handoff", .read, route: .post("/handoffs/read"),
        summary: "Read the newest handoffs: your own by default, another agent's, or everyone's with all_agents.",
        input: .properties(
            .init("agent_name", .text, "Whose handoffs (default: yours)."),
            .init("all_agents", .boolean, "Read every agent's handoffs.", default: false),
            .init("limit", .integer(minimum: 1, maximum: 100), "How many.", default: 1)
        )
    ) { input, context, coordinator in
        let name = input.bool("all_agents") == true ? nil : (input.string("agent_name") ?? context.agentId)
        return try await coordinator.handoffs.read(agentName: name, limit: input.int("limit") ?? 1)
    }
}
