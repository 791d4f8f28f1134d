/// Memory defaults: how many memories `recall` returns when no limit is given (`MEMORY_RECALL_LIMIT`, default 10,
/// 1–100) and how long an identical `remember` merges into the earlier memory instead of storing a new one
/// (`MEMORY_DEDUP_WINDOW_MINUTES`, default 60, 0–10080; 0 turns deduplication off).
public struct MemoryConfig: Sendable, Equatable {
    public static let limitRange = 1...100
    public static let dedupWindowRange = 0...10_080
    public var recallLimit: Int
    public var dedupWindowMinutes: Int

    public init(recallLimit: Int = 10, dedupWindowMinutes: Int = 60) {
        self.recallLimit = recallLimit
        self.dedupWindowMinutes = dedupWindowMinutes
    }

    public static func fromEnvironment(_ environment: [String: String]) throws -> MemoryConfig {
        let reader = EnvironmentReader(environment)
        return MemoryConfig(
            recallLimit: try reader.integer("MEMORY_RECALL_LIMIT", default: 10, range: limitRange),
            dedupWindowMinutes: try reader.integer("MEMORY_DEDUP_WINDOW_MINUTES", default: 60, range: dedupWindowRange))
    }
}
