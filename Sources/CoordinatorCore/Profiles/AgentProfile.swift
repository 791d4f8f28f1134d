/// What an agent may do: its trust level (0 suspended … 4 admin), which operations it may and may not call, which
/// guardrail matches it may carry out when trusted enough, and its resource limits (nil = unlimited).
public struct AgentProfile: Sendable, Equatable {
    public var id: String?
    public var name: String
    public var agentType: String
    public var trustLevel: Int
    /// Operations the agent may call; empty = every operation its trust level reaches.
    public var allowedOperations: [String]
    /// Operations the agent may never call.
    public var blockedOperations: [String]
    /// Guardrail pattern names or categories the agent may carry out at or above the pattern's trust threshold;
    /// `*` names every category except credentials (which always block).
    public var elevatedOperations: [String]
    /// Distinct files the agent may lock per session.
    public var maxFileModifications: Int?
    /// How long after its session began the agent may start new work (claim, submit, lock a new file).
    public var maxExecutionTimeSeconds: Int?
    /// Calls in any sliding hour.
    public var maxAPICallsPerHour: Int?

    public init(id: String? = nil, name: String, agentType: String, trustLevel: Int, allowedOperations: [String] = [],
                blockedOperations: [String] = [], elevatedOperations: [String] = [], maxFileModifications: Int? = nil,
                maxExecutionTimeSeconds: Int? = nil, maxAPICallsPerHour: Int? = nil) {
        self.id = id
        self.name = name
        self.agentType = agentType
        self.trustLevel = trustLevel
        self.allowedOperations = allowedOperations
        self.blockedOperations = blockedOperations
        self.elevatedOperations = elevatedOperations
        self.maxFileModifications = maxFileModifications
        self.maxExecutionTimeSeconds = maxExecutionTimeSeconds
        self.maxAPICallsPerHour = maxAPICallsPerHour
    }

    /// Reads an `agent_profiles` row (as `get_agent_profile` returns it); nil when it lacks a name, type or trust.
    public init?(row: JSONObject) {
        guard let name = row["name"]?.stringValue, let agentType = row["agent_type"]?.stringValue,
              let trust = row["trust_level"]?.intValue else { return nil }
        func strings(_ key: String) -> [String] { row[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        self.init(id: row["id"]?.stringValue, name: name, agentType: agentType, trustLevel: trust,
                  allowedOperations: strings("allowed_operations"), blockedOperations: strings("blocked_operations"),
                  elevatedOperations: strings("elevated_operations"),
                  maxFileModifications: row["max_file_modifications"]?.intValue,
                  maxExecutionTimeSeconds: row["max_execution_time_seconds"]?.intValue,
                  maxAPICallsPerHour: row["max_api_calls_per_hour"]?.intValue)
    }

    /// Whether the profile lets its agent carry out a guardrail match of `pattern` in `category` when its trust
    /// reaches the pattern's threshold. Credentials are never elevated.
    public func elevates(pattern: String, category: String) -> Bool {
        guard category != "credential" else { return false }
        return elevatedOperations.contains { $0 == "*" || $0 == pattern || $0 == category }
    }

    /// The wire form (`get_my_profile`, `GET /profiles/me`).
    public var json: JSONValue {
        [
            "id": JSONValue(id), "name": .string(name), "agent_type": .string(agentType), "trust_level": .int(trustLevel),
            "allowed_operations": JSONValue(allowedOperations), "blocked_operations": JSONValue(blockedOperations),
            "elevated_operations": JSONValue(elevatedOperations),
            "max_file_modifications": JSONValue(maxFileModifications),
            "max_execution_time_seconds": JSONValue(maxExecutionTimeSeconds),
            "max_api_calls_per_hour": JSONValue(maxAPICallsPerHour),
        ]
    }
}
