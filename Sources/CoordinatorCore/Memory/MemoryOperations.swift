/// Catalog entries of the memory capability.
enum MemoryOperations {
    static let all = [remember, recall]

    static let remember = CoordinatorOperation(
        "remember", .write, route: .post("/memory/store"),
        summary: "Remember what happened (an error and its fix, a decision, a discovery) so later sessions can recall it.",
        input: .properties(
            .init("event_type", .string(.init(choices: MemoryService.eventTypes)), "What kind of event.", default: "discovery"),
            .init("summary", .text,
                  "One sentence. The same summary and event type again within the dedup window merges into the earlier memory.",
                  required: true),
            .init("details", .anyObject, "Structured details (merged key by key on a repeat)."),
            .init("outcome", .string(.init(choices: MemoryService.outcomes)), "How it turned out."),
            .init("lessons", .texts, "What to do (or avoid) next time."),
            .init("tags", .texts, "Keywords that recall filters and ranks by.")
        )
    ) { input, context, coordinator in
        try await coordinator.memory.remember(
            .init(eventType: input.string("event_type") ?? "discovery", summary: try input.requiredString("summary"),
                  details: input.json("details")?.objectValue, outcome: input.string("outcome"),
                  lessons: input.strings("lessons") ?? [], tags: input.strings("tags") ?? []),
            context: context)
    }

    static let recall = CoordinatorOperation(
        "recall", .read, route: .post("/memory/query"),
        summary: "Recall the memories most relevant to a task: recent, sharing your tags, matching your description.",
        input: .properties(
            .init("task_description", .text, "What you are about to do; memories whose text matches rank higher."),
            .init("tags", .texts, "Only memories sharing at least one of these tags; more shared tags rank higher."),
            .init("event_type", .string(.init(choices: MemoryService.eventTypes)), "Only memories of this kind."),
            .init("limit", .integer(minimum: 1, maximum: 100), "How many at most (default MEMORY_RECALL_LIMIT, 10)."),
            .init("min_relevance", .number(minimum: 0), "Leave out memories whose final score is below this (0 or more).", default: 0),
            .init("from_agent", .text, "Only memories this agent stored (default: every agent's).")
        )
    ) { input, context, coordinator in
        try await coordinator.memory.recall(
            .init(taskDescription: input.string("task_description"), tags: input.strings("tags") ?? [],
                  eventType: input.string("event_type"), limit: input.int("limit"),
                  minRelevance: input.json("min_relevance")?.doubleValue ?? 0, agentId: input.string("from_agent")),
            context: context)
    }
}
