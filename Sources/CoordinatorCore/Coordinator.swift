/// The coordinator's services, wired once to one database.
public struct Coordinator: Sendable {
    public let config: CoordinatorConfig
    public let database: any DatabaseClient
    public let locks: LockService
    public let workQueue: WorkQueueService
    public let handoffs: HandoffService
    public let discovery: DiscoveryService
    public let memory: MemoryService
    public let audit: AuditService
    public let profiles: ProfilesService
    public let network: NetworkPolicyService
    public let guardrails: GuardrailsService

    public init(config: CoordinatorConfig, database: any DatabaseClient) {
        self.config = config
        self.database = database
        locks = LockService(database: database, config: config.locks)
        workQueue = WorkQueueService(database: database, config: config.workQueue)
        handoffs = HandoffService(database: database)
        discovery = DiscoveryService(database: database, config: config.discovery)
        memory = MemoryService(database: database, config: config.memory)
        audit = AuditService(database: database, config: config.audit)
        profiles = ProfilesService(database: database, config: config.profiles)
        network = NetworkPolicyService(database: database, config: config.network)
        guardrails = GuardrailsService(database: database, config: config.guardrails, profiles: profiles)
    }
}
