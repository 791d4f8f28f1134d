import ArgumentParser
import CoordinatorCore

struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent", abstract: "Agent sessions: register, heartbeat, discover, clean up.",
        subcommands: [Register.self, Heartbeat.self, List.self, Cleanup.self])

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a session; prints the session id to heartbeat with.")
        @Option(name: .customLong("capability"), help: "A capability (repeatable).") var capabilities: [String] = []
        @Option(name: .customLong("task"), help: "What the agent is working on.") var currentTask: String?
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("register_session", ["capabilities": JSONValue(capabilities), "current_task": currentTask.map(JSONValue.string)],
                                      line: ReadableLine.session, identity: identity, output: output)
        }
    }

    struct Heartbeat: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark a session alive (the given one, else $SESSION_ID, else your newest session).")
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("heartbeat", [:], line: ReadableLine.session, identity: identity, output: output)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List agents (all but disconnected unless --status).")
        @Option(name: .customLong("capability"), help: "Only agents with this capability.") var capability: String?
        @Option(help: "Only agents in this status (active, idle, disconnected).") var status: String?
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("discover_agents", ["capability": capability.map(JSONValue.string), "status": status.map(JSONValue.string)],
                                      line: ReadableLine.agents, identity: identity, output: output)
        }
    }

    struct Cleanup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disconnect sessions silent for too long and free their agents' locks and tasks.")
        @Option(name: .customLong("stale-minutes"), help: "Silence that makes a session stale (default: $DISCOVERY_STALE_MINUTES, else 15).")
        var staleMinutes: Int?
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("cleanup_dead_agents", ["stale_threshold_minutes": staleMinutes.map(JSONValue.int)],
                                      line: ReadableLine.cleanup, identity: identity, output: output)
        }
    }
}
