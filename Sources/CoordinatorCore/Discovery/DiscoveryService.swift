/// Agent sessions: registration, heartbeats, discovery by capability, and cleanup of agents that stopped
/// answering (their locks and claimed tasks are freed once none of their sessions is alive).
public struct DiscoveryService: Sendable {
    public static let statuses = ["active", "idle", "disconnected"]
    public let database: any DatabaseClient
    public let config: DiscoveryConfig

    public init(database: any DatabaseClient, config: DiscoveryConfig = DiscoveryConfig()) {
        self.database = database
        self.config = config
    }

    /// Registers (or re-registers) the caller's session; the answer carries the `session_id` to heartbeat with.
    public func register(capabilities: [String] = [], currentTask: String? = nil, context: RequestContext) async throws -> JSONValue {
        let result = try await database.rpc("register_agent_session", [
            "p_agent_id": .string(context.agentId),
            "p_agent_type": .string(context.agentType),
            "p_session_id": JSONValue(context.sessionId),
            "p_capabilities": JSONValue(capabilities.filter { !$0.isEmpty }),
            "p_current_task": JSONValue(currentTask),
            "p_now": context.now,
        ])
        return OutcomeDetail.annotate(result)
    }

    /// Marks a session alive: `sessionId`, else the context's session, else the caller's newest session.
    public func heartbeat(sessionId: String? = nil, context: RequestContext) async throws -> JSONValue {
        let result = try await database.rpc("agent_heartbeat", [
            "p_session_id": JSONValue(sessionId ?? context.sessionId),
            "p_agent_id": .string(context.agentId),
            "p_now": context.now,
        ])
        return OutcomeDetail.annotate(result)
    }

    /// Sessions with a capability and/or status (no status: all but disconnected), latest heartbeat first.
    public func discover(capability: String? = nil, status: String? = nil) async throws -> JSONValue {
        if let status, !Self.statuses.contains(status) {
            throw InputError(field: "status", "must be one of active, idle, disconnected, got \(String(reflecting: status))")
        }
        return try await database.rpc("discover_agents", ["p_capability": JSONValue(capability), "p_status": JSONValue(status)])
    }

    /// Disconnects sessions silent for `staleMinutes` and frees what their agents held.
    public func cleanup(staleMinutes: Int? = nil, context: RequestContext) async throws -> JSONValue {
        let minutes = staleMinutes ?? config.staleMinutes
        guard (1...10_080).contains(minutes) else {
            throw InputError(field: "stale_threshold_minutes", "must be between 1 and 10080, got \(minutes)")
        }
        return try await database.rpc("cleanup_dead_agents", [
            "p_stale_threshold": .string("\(minutes) minutes"), "p_now": context.now,
        ])
    }
}
