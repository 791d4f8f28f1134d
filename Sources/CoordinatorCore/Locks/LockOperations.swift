/// Catalog entries of the lock capability.
enum LockOperations {
    static let all = [acquire, release, check, status]

    static let filePath = InputSchema.Property(
        "file_path", .text, "Repository-relative path, or a logical key (api:, db:, event:, flag:, env:, contract:, feature:).",
        required: true)

    static let acquire = CoordinatorOperation(
        "acquire_lock", .write, route: .post("/locks/acquire"),
        summary: "Take (or, if you hold it, refresh) an exclusive lock on a file or logical resource before changing it.",
        input: .properties(
            filePath,
            .init("reason", .string(), "Why you hold it; shown to agents that are refused."),
            .init("ttl_minutes", .integer(minimum: 1, maximum: 480), "Minutes until the lock expires (default LOCK_TTL_MINUTES, 120).")
        )
    ) { input, context, coordinator in
        let path = try input.requiredString("file_path")
        if let refusal = try await GuardrailHooks.screenLock(path: path, context: context, coordinator: coordinator) { return refusal }
        let result = try await coordinator.locks.acquire(
            path: path, reason: input.string("reason"), ttlMinutes: input.int("ttl_minutes"), context: context)
        // Counted against the profile's max_file_modifications once the lock is held.
        if result["success"] == .bool(true) { coordinator.profiles.usage.recordLockedFile(path, by: context.agentId, now: context.clock.now()) }
        return result
    }

    static let release = CoordinatorOperation(
        "release_lock", .write, route: .post("/locks/release"),
        summary: "Release a lock you hold.", input: .properties(filePath)
    ) { input, context, coordinator in
        try await coordinator.locks.release(path: try input.requiredString("file_path"), context: context)
    }

    static let check = CoordinatorOperation(
        "check_locks", .read, route: .post("/locks/check"),
        summary: "List live locks, all or on the given paths.",
        input: .properties(
            .init("file_paths", .texts, "Only these paths or keys."),
            .init("locked_by", .text, "Only locks held by this agent.")
        )
    ) { input, context, coordinator in
        let rows = try await coordinator.locks.check(paths: input.strings("file_paths"), lockedBy: input.string("locked_by"), context: context)
        return ["locks": .array(rows.map(JSONValue.object))]
    }

    static let status = CoordinatorOperation(
        "lock_status", .read, route: .get("/locks/status/{file_path}"),
        summary: "Whether one path or key is locked, and by whom.", input: .properties(filePath)
    ) { input, context, coordinator in
        try await coordinator.locks.status(path: try input.requiredString("file_path"), context: context)
    }
}
