import ArgumentParser
import CoordinatorCore

struct HandoffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handoff", abstract: "Handoff documents for the next session.", subcommands: [Write.self, Read.self])

    struct Write: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Leave a handoff document.")
        @Option(help: "What happened, in a sentence or two.") var summary: String
        @Option(help: "Work finished (repeatable).") var completed: [String] = []
        @Option(name: .customLong("in-progress"), help: "Work under way (repeatable).") var inProgress: [String] = []
        @Option(name: .customLong("next-step"), help: "What to do next (repeatable).") var nextSteps: [String] = []
        @Option(name: .customLong("decision"), help: "A decision taken (repeatable).") var decisions: [String] = []
        @Option(name: .customLong("file"), help: "A relevant file (repeatable).") var files: [String] = []
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("write_handoff", [
                    "summary": .string(summary), "completed_work": JSONValue(completed), "in_progress": JSONValue(inProgress),
                    "decisions": JSONValue(decisions), "next_steps": JSONValue(nextSteps), "relevant_files": JSONValue(files),
                ], line: ReadableLine.handoffWritten, identity: identity, output: output)
        }
    }

    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read the newest handoffs (yours unless --agent or --all).")
        @Option(help: "Whose handoffs to read.") var agent: String?
        @Flag(help: "Read every agent's handoffs.") var all = false
        @Option(help: "How many (1–100).") var limit: Int = 1
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("read_handoff", ["agent_name": agent.map(JSONValue.string), "all_agents": .bool(all), "limit": .int(limit)],
                                      line: ReadableLine.handoffs, identity: identity, output: output)
        }
    }
}
