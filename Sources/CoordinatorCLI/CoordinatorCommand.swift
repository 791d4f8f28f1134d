import ArgumentParser

/// `coordinator`: the root command.
struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Coordinate many AI coding agents on one codebase: locks, a work queue, handoffs, discovery.",
        discussion: """
            Storage: DB_BACKEND=sqlite (default; file COORDINATOR_DB_PATH, default .coordinator/coordinator.sqlite), \
            postgres (POSTGRES_DSN) or supabase (SUPABASE_URL, SUPABASE_SERVICE_KEY).
            Identity: AGENT_ID, AGENT_TYPE, SESSION_ID, or --agent-id/--agent-type/--session-id.
            Exit status: 0 success, 1 internal or backend error, 2 bad usage or invalid input, \
            3 the operation answered success:false.
            """,
        subcommands: [LockCommand.self, WorkCommand.self, HandoffCommand.self, AgentCommand.self, MemoryCommand.self, AuditCommand.self, GuardrailsCommand.self, ProfileCommand.self, NetworkCommand.self, MigrateCommand.self, OperationsCommand.self, CallCommand.self, BenchCommand.self, MCPCommand.self, ServeCommand.self, CedarCommand.self]
    )
}
