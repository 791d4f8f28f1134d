/// Catalog entries of the discovery capability.
enum DiscoveryOperations {
    static let all = [register, discover, heartbeat, cleanup]

    static let register = CoordinatorOperation(
        "register_session", .write, route: .post("/discovery/register"),
        summary: "Register your session so other agents can find you; returns the session id to heartbeat with.",
        input: .properties(
            .init("capabilities", .texts, "What you can do (swift, review, …)."),
            .init("current_task", .string(), "What you are working on.")
        )
    ) { input, context, coordinator in
        let result = try await coordinator.discovery.register(
            capabilities: input.strings("capabilities") ?? [], currentTask: input.string("current_task"), context: context)
        // A new session restarts the profile's per-session limits (files locked, execution time).
        if result["success"] == .bool(true) { coordinator.profiles.usage.startSession(of: context.agentId, now: context.clock.now()) }
        return result
    }

    static let discover = CoordinatorOperation(
        "discover_agents", .read, route: .post("/discovery/agents"),
        summary: "Find agents by capability or status (default: all but disconnected).",
        input: .properties(
            .init("capability", .text, "Only agents with this capability."),
            .init("status", .string(.init(choices: DiscoveryService.statuses)), "Only agents in this status.")
        )
    ) { input, _, coordinator in
        try await coordinator.discovery.discover(capability: input.string("capability"), status: input.string("status"))
    }

    static let heartbeat = CoordinatorOperation(
        "heartbeat", .write, route: .post("/discovery/heartbeat"),
        summary: "Mark your session alive (the given one, your request's session, or your newest).",
        input: .properties(.init("session_id", .text, "The session to mark alive."))
    ) { input, context, coordinator in
        try await coordinator.discovery.heartbeat(sessionId: input.string("session_id"), context: context)
    }

    static let cleanup = CoordinatorOperation(
        "cleanup_dead_agents", .admin, route: .post("/discovery/cleanup"),
        summary: "Disconnect sessions silent for too long and free their agents' locks and claimed tasks.",
        input: .properties(.init("stale_threshold_minutes", .integer(minimum: 1, maximum: 10_080), "Silence that makes a session stale (default 15)."))
    ) { input, context, coordinator in
        try await coordinator.discovery.cleanup(staleMinutes: input.int("stale_threshold_minutes"), context: context)
    }
}
