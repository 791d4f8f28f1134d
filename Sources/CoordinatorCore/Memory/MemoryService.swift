/// Episodic memory: what agents learned (an error and its fix, a decision, a discovery), stored once and recalled
/// by relevance to the task at hand.
///
/// `remember` stores through `store_episodic_memory`: the same agent remembering the same event type and summary
/// again within `MemoryConfig.dedupWindowMinutes` merges into the earlier memory (tags and lessons united, details
/// merged) instead of adding a row. `recall` ranks through `get_relevant_memories` (formula: ``MemoryScore``).
public struct MemoryService: Sendable {
    public static let eventTypes = ["error", "success", "decision", "discovery", "optimization"]
    public static let outcomes = ["positive", "negative", "neutral"]

    public let database: any DatabaseClient
    public let config: MemoryConfig

    public init(database: any DatabaseClient, config: MemoryConfig = MemoryConfig()) {
        self.database = database
        self.config = config
    }

    /// One memory to store.
    public struct Memory: Sendable {
        public var eventType: String
        public var summary: String
        public var details: JSONObject?
        public var outcome: String?
        public var lessons: [String]
        public var tags: [String]

        public init(eventType: String = "discovery", summary: String, details: JSONObject? = nil, outcome: String? = nil,
                    lessons: [String] = [], tags: [String] = []) {
            self.eventType = eventType
            self.summary = summary
            self.details = details
            self.outcome = outcome
            self.lessons = lessons
            self.tags = tags
        }
    }

    /// What to recall; every filter is optional.
    public struct Query: Sendable {
        public var taskDescription: String?
        public var tags: [String]
        public var eventType: String?
        public var limit: Int?
        public var minRelevance: Double
        /// Only this agent's memories; nil = every agent's.
        public var agentId: String?

        public init(taskDescription: String? = nil, tags: [String] = [], eventType: String? = nil, limit: Int? = nil,
                    minRelevance: Double = 0, agentId: String? = nil) {
            self.taskDescription = taskDescription
            self.tags = tags
            self.eventType = eventType
            self.limit = limit
            self.minRelevance = minRelevance
            self.agentId = agentId
        }
    }

    /// Stores a memory of the caller's (in the caller's session, if any) →
    /// `{success:true, memory_id, action:"created"|"deduplicated"}`.
    public func remember(_ memory: Memory, context: RequestContext) async throws -> JSONValue {
        try Self.check(memory.eventType, among: Self.eventTypes, field: "event_type")
        let summary = try TaskInput.nonBlank(memory.summary, field: "summary")
        if let outcome = memory.outcome { try Self.check(outcome, among: Self.outcomes, field: "outcome") }
        let result = try await database.rpc("store_episodic_memory", [
            "p_agent_id": .string(context.agentId),
            "p_session_id": JSONValue(context.sessionId),
            "p_event_type": .string(memory.eventType),
            "p_summary": .string(summary),
            "p_details": .object(memory.details ?? [:]),
            "p_outcome": JSONValue(memory.outcome),
            "p_lessons": JSONValue(memory.lessons),
            "p_tags": JSONValue(memory.tags),
            "p_dedup_window_minutes": .int(config.dedupWindowMinutes),
            "p_now": context.now,
        ])
        return OutcomeDetail.annotate(result)
    }

    /// The most relevant memories, best first → `{memories:[…]}`.
    public func recall(_ query: Query, context: RequestContext) async throws -> JSONValue {
        let limit = query.limit ?? config.recallLimit
        guard MemoryConfig.limitRange.contains(limit) else {
            throw InputError(field: "limit", "must be between 1 and 100, got \(limit)")
        }
        guard query.minRelevance.isFinite, query.minRelevance >= 0 else {
            throw InputError(field: "min_relevance", "must be a number of at least 0, got \(query.minRelevance)")
        }
        if let eventType = query.eventType { try Self.check(eventType, among: Self.eventTypes, field: "event_type") }
        let description = query.taskDescription.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        let memories = try await database.rpc("get_relevant_memories", [
            "p_agent_id": JSONValue(query.agentId),
            "p_tags": JSONValue(query.tags),
            "p_event_type": JSONValue(query.eventType),
            "p_limit": .int(limit),
            "p_min_relevance": .double(query.minRelevance),
            "p_task_description": JSONValue(description),
            "p_now": context.now,
        ])
        guard case .array = memories else {
            throw DatabaseError(.malformedResponse, backend: database.backendName,
                                "get_relevant_memories returned \(memories.typeName), not an array")
        }
        return ["memories": memories]
    }

    private static func check(_ value: String, among choices: [String], field: String) throws {
        guard choices.contains(value) else {
            throw InputError(field: field, "must be one of \(choices.joined(separator: ", ")), got \(String(reflecting: value))")
        }
    }
}
