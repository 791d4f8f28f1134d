/// Audit trail settings: retention (`AUDIT_RETENTION_DAYS`, default 90), asynchronous batched writing
/// (`AUDIT_ASYNC`, default true), and the writer's batch size, queue bound and linger time.
public struct AuditConfig: Sendable, Equatable {
    public static let retentionRange = 1...36_500
    public static let batchSizeRange = 1...10_000
    public static let queueCapacityRange = 1...1_000_000
    public static let flushIntervalRange = 0...60_000
    public static let pruneIntervalRange = 0...8_760

    /// Entries older than this many days are removed by `coordinator audit prune` (and nothing younger).
    public var retentionDays: Int
    /// True: entries are queued and written in batches by a background writer. False: every call writes its entry
    /// before it returns.
    public var async: Bool
    /// At most this many entries per write (one round trip each).
    public var batchSize: Int
    /// At most this many entries wait to be written; a caller that would exceed it waits for the writer.
    public var queueCapacity: Int
    /// How long the writer waits for a batch to fill before writing what it has (0: write at once).
    public var flushIntervalMilliseconds: Int
    /// `coordinator serve` prunes entries past retention at start and then every this many hours (0: never; prune
    /// with `coordinator audit prune` instead).
    public var pruneIntervalHours: Int

    public init(retentionDays: Int = 90, async: Bool = true, batchSize: Int = 200, queueCapacity: Int = 10_000,
                flushIntervalMilliseconds: Int = 50, pruneIntervalHours: Int = 24) {
        self.retentionDays = retentionDays
        self.async = async
        self.batchSize = batchSize
        self.queueCapacity = queueCapacity
        self.flushIntervalMilliseconds = flushIntervalMilliseconds
        self.pruneIntervalHours = pruneIntervalHours
    }

    public static func fromEnvironment(_ environment: [String: String]) throws -> AuditConfig {
        let reader = EnvironmentReader(environment)
        return AuditConfig(
            retentionDays: try reader.integer("AUDIT_RETENTION_DAYS", default: 90, range: retentionRange),
            async: try reader.flag("AUDIT_ASYNC", default: true),
            batchSize: try reader.integer("AUDIT_BATCH_SIZE", default: 200, range: batchSizeRange),
            queueCapacity: try reader.integer("AUDIT_QUEUE_CAPACITY", default: 10_000, range: queueCapacityRange),
            flushIntervalMilliseconds: try reader.integer("AUDIT_FLUSH_INTERVAL_MS", default: 50, range: flushIntervalRange),
            pruneIntervalHours: try reader.integer("AUDIT_PRUNE_INTERVAL_HOURS", default: 24, range: pruneIntervalRange))
    }
}
