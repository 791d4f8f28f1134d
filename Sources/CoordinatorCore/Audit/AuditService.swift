import Foundation

/// Reading and pruning the audit trail (writing is ``AuditTrail``'s).
public struct AuditService: Sendable {
    public static let defaultLimit = 50
    public static let limitRange = 1...500
    /// The columns an entry is shown with (`seq`, the insertion order, is internal).
    public static let columns = ["id", "agent_id", "agent_type", "operation", "parameters", "result", "duration_ms", "success",
                                 "error_message", "created_at"]

    public let database: any DatabaseClient
    public let config: AuditConfig

    public init(database: any DatabaseClient, config: AuditConfig = AuditConfig()) {
        self.database = database
        self.config = config
    }

    /// Entries newest first (ties: the later insert first), optionally of one agent and/or operation, created at or
    /// after `since` and at or before `until`; `limit` 1–500, default 50.
    public func query(agentId: String? = nil, operation: String? = nil, since: String? = nil, until: String? = nil,
                      limit: Int = defaultLimit) async throws -> JSONValue {
        guard Self.limitRange.contains(limit) else {
            throw InputError(field: "limit", "must be between \(Self.limitRange.lowerBound) and \(Self.limitRange.upperBound), got \(limit)")
        }
        var filter = RowFilter()
        if let agentId { filter = filter.equal("agent_id", .string(agentId)) }
        if let operation { filter = filter.equal("operation", .string(operation)) }
        if let since = try Self.bound(since, field: "since") { filter = filter.filtered("created_at", .gte, .string(since)) }
        if let until = try Self.bound(until, field: "until") { filter = filter.filtered("created_at", .lte, .string(until)) }
        filter = filter.ordered(by: "created_at", ascending: false).ordered(by: "seq", ascending: false).limited(to: limit)
        let rows = try await database.query("audit_log", filter: filter, select: Self.columns)
        return ["entries": .array(rows.map(JSONValue.object))]
    }

    /// Deletes the entries older than `olderThanDays` days before `context`'s time (the only deletion the audit
    /// table allows) → `{success, entries_deleted, retention_days}`.
    public func prune(olderThanDays days: Int, context: RequestContext) async throws -> JSONValue {
        guard AuditConfig.retentionRange.contains(days) else {
            throw InputError(field: "older_than_days",
                             "must be between \(AuditConfig.retentionRange.lowerBound) and \(AuditConfig.retentionRange.upperBound), got \(days)")
        }
        return try await database.rpc("cleanup_old_audit_entries", ["p_retention_days": .int(days), "p_now": context.now])
    }

    /// A `since`/`until` bound as canonical UTC text, clamped to years 1–9999 (which every backend can compare).
    static func bound(_ text: String?, field: String) throws -> String? {
        guard let text else { return nil }
        let date = try TaskInput.date(text, field: field)
        let earliest = Date(timeIntervalSince1970: -62_135_596_800)   // 0001-01-01T00:00:00Z
        let latest = Date(timeIntervalSince1970: 253_402_300_799)     // 9999-12-31T23:59:59Z
        return Timestamp.format(min(max(date, earliest), latest))
    }
}
