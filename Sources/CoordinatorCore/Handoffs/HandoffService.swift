/// Handoff documents: what an agent leaves for the next session (its own or another agent's).
public struct HandoffService: Sendable {
    public let database: any DatabaseClient

    public init(database: any DatabaseClient) { self.database = database }

    public struct Document: Sendable {
        public var summary: String
        public var completedWork: [String]
        public var inProgress: [String]
        public var decisions: [String]
        public var nextSteps: [String]
        public var relevantFiles: [String]

        public init(summary: String, completedWork: [String] = [], inProgress: [String] = [], decisions: [String] = [],
                    nextSteps: [String] = [], relevantFiles: [String] = []) {
            self.summary = summary
            self.completedWork = completedWork
            self.inProgress = inProgress
            self.decisions = decisions
            self.nextSteps = nextSteps
            self.relevantFiles = relevantFiles
        }
    }

    /// Stores a handoff written by the caller (as `agent_name`, in the caller's session if any).
    public func write(_ document: Document, context: RequestContext) async throws -> JSONValue {
        let summary = try TaskInput.nonBlank(document.summary, field: "summary")
        let result = try await database.rpc("write_handoff", [
            "p_agent_name": .string(context.agentId),
            "p_session_id": JSONValue(context.sessionId),
            "p_summary": .string(summary),
            "p_completed_work": JSONValue(document.completedWork),
            "p_in_progress": JSONValue(document.inProgress),
            "p_decisions": JSONValue(document.decisions),
            "p_next_steps": JSONValue(document.nextSteps),
            "p_relevant_files": JSONValue(document.relevantFiles),
            "p_now": context.now,
        ])
        return OutcomeDetail.annotate(result)
    }

    /// The newest handoffs, of one agent or of all (`agentName` nil), newest first; `limit` 1–100.
    public func read(agentName: String?, limit: Int = 1) async throws -> JSONValue {
        guard (1...100).contains(limit) else { throw InputError(field: "limit", "must be between 1 and 100, got \(limit)") }
        return try await database.rpc("read_handoff", ["p_agent_name": JSONValue(agentName), "p_limit": .int(limit)])
    }
}
