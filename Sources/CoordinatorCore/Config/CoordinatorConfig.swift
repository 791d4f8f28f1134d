import Foundation

/// The process's own agent identity (`AGENT_ID`, `AGENT_TYPE`, `SESSION_ID`), used by local transports.
public struct AgentConfig: Sendable, Equatable {
    public var agentId: String
    public var agentType: String
    public var sessionId: String?
    /// True when `AGENT_ID` was not set and an id was generated.
    public var generatedId: Bool

    public init(agentId: String, agentType: String = "claude_code", sessionId: String? = nil, generatedId: Bool = false) {
        self.agentId = agentId
        self.agentType = agentType
        self.sessionId = sessionId
        self.generatedId = generatedId
    }

    public static func fromEnvironment(_ environment: [String: String]) -> AgentConfig {
        let reader = EnvironmentReader(environment)
        let explicit = reader.string("AGENT_ID")
        let generated = "agent-" + UUID().uuidString.lowercased().prefix(8)
        return AgentConfig(
            agentId: explicit ?? generated,
            agentType: reader.string("AGENT_TYPE") ?? "claude_code",
            sessionId: reader.string("SESSION_ID"),
            generatedId: explicit == nil)
    }
}

/// Lock defaults (`LOCK_TTL_MINUTES`, default 120; the range is fixed at 1–480).
public struct LockConfig: Sendable, Equatable {
    public static let ttlRange = 1...480
    public var defaultTTLMinutes: Int

    public init(defaultTTLMinutes: Int = 120) { self.defaultTTLMinutes = defaultTTLMinutes }

    public static func fromEnvironment(_ environment: [String: String]) throws -> LockConfig {
        LockConfig(defaultTTLMinutes: try EnvironmentReader(environment).integer("LOCK_TTL_MINUTES", default: 120, range: ttlRange))
    }
}

/// Work-queue defaults: the claim lease (`WORK_LEASE_MINUTES`, default 30) and attempts per task
/// (`WORK_MAX_ATTEMPTS`, default 3).
public struct WorkQueueConfig: Sendable, Equatable {
    public static let leaseRange = 1...1440
    public static let priorityRange = 1...10
    public static let maxAttemptsRange = 1...100
    public var leaseMinutes: Int
    public var defaultMaxAttempts: Int

    public init(leaseMinutes: Int = 30, defaultMaxAttempts: Int = 3) {
        self.leaseMinutes = leaseMinutes
        self.defaultMaxAttempts = defaultMaxAttempts
    }

    public static func fromEnvironment(_ environment: [String: String]) throws -> WorkQueueConfig {
        let reader = EnvironmentReader(environment)
        return WorkQueueConfig(
            leaseMinutes: try reader.integer("WORK_LEASE_MINUTES", default: 30, range: leaseRange),
            defaultMaxAttempts: try reader.integer("WORK_MAX_ATTEMPTS", default: 3, range: maxAttemptsRange))
    }
}

/// Discovery defaults (`DISCOVERY_STALE_MINUTES`, default 15).
public struct DiscoveryConfig: Sendable, Equatable {
    public var staleMinutes: Int

    public init(staleMinutes: Int = 15) { self.staleMinutes = staleMinutes }

    public static func fromEnvironment(_ environment: [String: String]) throws -> DiscoveryConfig {
        DiscoveryConfig(staleMinutes: try EnvironmentReader(environment).integer("DISCOVERY_STALE_MINUTES", default: 15, range: 1...10_080))
    }
}

/// Everything the coordinator reads from its environment, checked once at start-up.
public struct CoordinatorConfig: Sendable, Equatable {
    public var database: DatabaseConfig
    public var agent: AgentConfig
    public var locks: LockConfig
    public var workQueue: WorkQueueConfig
    public var discovery: DiscoveryConfig
    public var memory: MemoryConfig
    public var audit: AuditConfig
    public var profiles: ProfilesConfig
    public var guardrails: GuardrailsConfig
    public var network: NetworkPolicyConfig

    public init(database: DatabaseConfig = DatabaseConfig(), agent: AgentConfig, locks: LockConfig = LockConfig(),
                workQueue: WorkQueueConfig = WorkQueueConfig(), discovery: DiscoveryConfig = DiscoveryConfig(),
                memory: MemoryConfig = MemoryConfig(), audit: AuditConfig = AuditConfig(), profiles: ProfilesConfig = ProfilesConfig(),
                guardrails: GuardrailsConfig = GuardrailsConfig(), network: NetworkPolicyConfig = NetworkPolicyConfig()) {
        self.database = database
        self.agent = agent
        self.locks = locks
        self.workQueue = workQueue
        self.discovery = discovery
        self.memory = memory
        self.audit = audit
        self.profiles = profiles
        self.guardrails = guardrails
        self.network = network
    }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CoordinatorConfig {
        CoordinatorConfig(
            database: try .fromEnvironment(environment),
            agent: .fromEnvironment(environment),
            locks: try .fromEnvironment(environment),
            workQueue: try .fromEnvironment(environment),
            discovery: try .fromEnvironment(environment),
            memory: try .fromEnvironment(environment),
            audit: try .fromEnvironment(environment),
            profiles: try .fromEnvironment(environment),
            guardrails: try .fromEnvironment(environment),
            network: try .fromEnvironment(environment))
    }
}
