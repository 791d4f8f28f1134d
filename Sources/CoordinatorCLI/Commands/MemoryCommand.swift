import ArgumentParser
import CoordinatorCore

struct MemoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory", abstract: "Episodic memory: remember what happened, recall what is relevant.",
        subcommands: [Remember.self, Recall.self])

    struct Remember: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remember an event (an error and its fix, a decision, a discovery).",
            discussion: """
                The same summary and type again within MEMORY_DEDUP_WINDOW_MINUTES (60) merges into the earlier \
                memory: tags and lessons are added, details merged key by key. Prints the memory id.
                """)
        @Argument(help: "What happened, in one sentence.") var summary: String
        @Option(name: .customLong("type"), help: "error, success, decision, discovery (default) or optimization.")
        var eventType: String = "discovery"
        @Option(help: "positive, negative or neutral.") var outcome: String?
        @Option(name: .customLong("lesson"), help: "What to do or avoid next time (repeatable).") var lessons: [String] = []
        @Option(name: .customLong("tag"), help: "A keyword to recall it by (repeatable).") var tags: [String] = []
        @Option(help: "Structured details as a JSON object.") var details: String?
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("remember", [
                    "summary": .string(summary), "event_type": .string(eventType), "outcome": outcome.map(JSONValue.string),
                    "lessons": lessons.isEmpty ? nil : JSONValue(lessons), "tags": tags.isEmpty ? nil : JSONValue(tags),
                    "details": try details.map { try parseJSONArgument($0, field: "details") },
                ], line: ReadableLine.remembered, identity: identity, output: output)
        }
    }

    struct Recall: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recall the memories most relevant to a task, best first.",
            discussion: """
                score = relevance × e^(−0.1 × age in days) × (1 + share of the --tag values it has + text match \
                with the task description, 0–1). Every agent's memories unless --agent is given.
                """)
        @Argument(help: "What you are about to do (optional); memories matching its words rank higher.")
        var taskDescription: String?
        @Option(name: .customLong("tag"), help: "Only memories with this tag (repeatable: any of them).") var tags: [String] = []
        @Option(name: .customLong("type"), help: "Only memories of this event type.") var eventType: String?
        @Option(help: "How many at most (1–100; default $MEMORY_RECALL_LIMIT, else 10).") var limit: Int?
        @Option(name: .customLong("min-relevance"), help: "Leave out memories scoring below this (0 or more).")
        var minRelevance: Double?
        @Option(help: "Only memories this agent stored.") var agent: String?
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("recall", [
                    "task_description": taskDescription.map(JSONValue.string), "tags": tags.isEmpty ? nil : JSONValue(tags),
                    "event_type": eventType.map(JSONValue.string), "limit": limit.map(JSONValue.int),
                    "min_relevance": minRelevance.map(JSONValue.double), "from_agent": agent.map(JSONValue.string),
                ], line: ReadableLine.memories, identity: identity, output: output)
        }
    }
}
