/// Catalog entries of the audit capability.
enum AuditOperations {
    static let all = [query]

    static let query = CoordinatorOperation(
        "query_audit", .read, route: .get("/audit"),
        summary: "Read the audit trail, newest first: one entry per operation any agent ran, with its outcome and duration.",
        input: .properties(
            .init("agent_id", .text, "Only entries of this agent (a filter; it does not change who you act as)."),
            .init("operation", .text, "Only entries of this operation (e.g. acquire_lock)."),
            .init("since", .dateTime, "Only entries created at or after this time (ISO-8601)."),
            .init("until", .dateTime, "Only entries created at or before this time (ISO-8601)."),
            .init("limit", .integer(minimum: AuditService.limitRange.lowerBound, maximum: AuditService.limitRange.upperBound),
                  "How many entries.", default: .int(AuditService.defaultLimit))
        )
    ) { input, _, coordinator in
        try await coordinator.audit.query(
            agentId: input.string("agent_id"), operation: input.string("operation"), since: input.string("since"),
            until: input.string("until"), limit: input.int("limit") ?? AuditService.defaultLimit)
    }
}
