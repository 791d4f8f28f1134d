/// File and logical locks with a time-to-live.
///
/// Acquire and release are storage functions (atomic in the database); listings read `file_locks` and hide
/// expired rows, so an expired lock is free whether or not it has been swept yet.
public struct LockService: Sendable {
    public let database: any DatabaseClient
    public let config: LockConfig

    public init(database: any DatabaseClient, config: LockConfig = LockConfig()) {
        self.database = database
        self.config = config
    }

    /// Takes or refreshes the caller's lock on `path`.
    public func acquire(path: String, reason: String? = nil, ttlMinutes: Int? = nil, context: RequestContext) async throws -> JSONValue {
        let key = try LockKey.canonical(path)
        let ttl = ttlMinutes ?? config.defaultTTLMinutes
        guard LockConfig.ttlRange.contains(ttl) else {
            throw InputError(field: "ttl_minutes", "must be between 1 and 480 minutes, got \(ttl)")
        }
        let result = try await database.rpc("acquire_lock", [
            "p_file_path": .string(key),
            "p_agent_id": .string(context.agentId),
            "p_agent_type": .string(context.agentType),
            "p_session_id": JSONValue(context.sessionId),
            "p_reason": JSONValue(reason),
            "p_ttl_minutes": .int(ttl),
            "p_now": context.now,
        ])
        return OutcomeDetail.annotate(result)
    }

    /// Releases the caller's lock on `path`.
    public func release(path: String, context: RequestContext) async throws -> JSONValue {
        let key = try LockKey.canonical(path)
        let result = try await database.rpc("release_lock", [
            "p_file_path": .string(key), "p_agent_id": .string(context.agentId), "p_now": context.now,
        ])
        return OutcomeDetail.annotate(result)
    }

    /// Live locks, newest first; only those on `paths` when given, only `lockedBy`'s when given.
    public func check(paths: [String]? = nil, lockedBy: String? = nil, context: RequestContext) async throws -> [JSONObject] {
        var filter = RowFilter().filtered("expires_at", .gt, context.now)
        if let paths, !paths.isEmpty {
            filter = filter.among("file_path", try paths.map { .string(try LockKey.canonical($0)) })
        }
        if let lockedBy { filter = filter.equal("locked_by", .string(lockedBy)) }
        return try await database.query(
            "file_locks", filter: filter.ordered(by: "locked_at", ascending: false).ordered(by: "file_path"),
            select: ["file_path", "locked_by", "agent_type", "session_id", "locked_at", "expires_at", "reason"])
    }

    /// `{locked:false, file_path}` or `{locked:true, file_path, lock:{…}}` for one key.
    public func status(path: String, context: RequestContext) async throws -> JSONValue {
        let key = try LockKey.canonical(path)
        guard let lock = try await check(paths: [key], context: context).first else {
            return ["locked": false, "file_path": .string(key)]
        }
        var details = lock
        details["file_path"] = nil
        return ["locked": true, "file_path": .string(key), "lock": .object(details)]
    }
}
