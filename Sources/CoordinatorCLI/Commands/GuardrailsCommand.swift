import ArgumentParser
import CoordinatorCore
import Foundation

struct GuardrailsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guardrails", abstract: "Check commands for destructive operations; list the patterns in force.",
        subcommands: [Check.self, Patterns.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a command at your trust level (exit 0 safe, 3 blocked); --hook for a pre-tool hook.",
            discussion: """
                The command is parsed as shell: wrappers (sudo, env, bash -c, xargs, ssh), quoting, flag bundling and \
                chains are seen through. Every match is recorded (guardrail_violations and the audit trail); a blocked \
                credential-file operation also files a pending approval.

                --hook reads a Claude Code PreToolUse event from standard input (Bash commands; file paths of \
                Read/Write/Edit/MultiEdit/NotebookEdit) and exits 2 with the reason on standard error when the tool call \
                is blocked — or cannot be checked (closed, never open). Other tools pass. See docs/guardrails.md.
                """)
        @Argument(help: "The command or text to check.") var command: String?
        @Option(name: .customLong("file"), help: "A file the operation touches (repeatable).") var files: [String] = []
        @Flag(help: "Read a Claude Code PreToolUse event from standard input; exit 2 to block.") var hook = false
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if hook, command != nil { throw ValidationError("--hook reads the command from standard input; give no argument") }
            if !hook, command == nil, files.isEmpty { throw ValidationError("give a command to check (or --file, or --hook)") }
        }

        func run() async throws {
            if hook { throw CommandExit(status: await runHook()) }
            // operation_text is required: with only --file, the paths themselves are the text.
            try await CommandEnvironment.perform(
                "check_guardrails",
                ["operation_text": .string(command ?? files.joined(separator: " ")), "file_paths": files.isEmpty ? nil : JSONValue(files)],
                line: ReadableLine.guardrails, identity: identity, output: output, declined: { $0["safe"] != .bool(true) })
        }

        /// The hook: 0 lets the tool call run, 2 blocks it (reason on standard error).
        private func runHook() async -> ExitStatus {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            let event: HookEvent
            do {
                event = try HookEvent(json: JSONValue(jsonText: String(decoding: data, as: UTF8.self)))
            } catch {
                return block("coordinator guardrails: cannot read the hook event (\(error)); blocking to stay safe")
            }
            guard let subject = event.subject else { return .success }
            var status = ExitStatus.usage
            do {
                try await CommandEnvironment.run(identity: identity, output: output) { env in
                    let result = try await env.dispatcher.call("check_guardrails", arguments: subject, context: env.context)
                    if result["safe"] == .bool(true) {
                        status = .success
                    } else {
                        status = block(ReadableLine.guardrailsRefusal(result, tool: event.toolName))
                    }
                }
            } catch {
                return block("coordinator guardrails: the check failed (\(error)); blocking to stay safe")
            }
            return status
        }

        private func block(_ message: String) -> ExitStatus {
            FileHandle.standardError.write(Data((message + "\n").utf8))
            return .usage  // 2: Claude Code blocks the tool call and shows standard error to the agent.
        }
    }

    struct Patterns: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the guardrail patterns in force.")
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("list_guardrails", [:], line: ReadableLine.guardrailPatterns,
                                                 identity: identity, output: output)
        }
    }
}

/// A Claude Code PreToolUse event: which tool is about to run with what input.
struct HookEvent {
    var toolName: String
    var toolInput: JSONObject

    init(json: JSONValue) throws {
        guard let name = json["tool_name"]?.stringValue else { throw InputError(field: "tool_name", "is missing") }
        toolName = name
        toolInput = json["tool_input"]?.objectValue ?? [:]
    }

    /// `check_guardrails` arguments for the tools that can do damage; nil for the others.
    var subject: JSONObject? {
        switch toolName {
        case "Bash":
            guard let command = toolInput["command"]?.stringValue else { return nil }
            return ["operation_text": .string(command)]
        case "Read", "Write", "Edit", "MultiEdit", "NotebookEdit":
            guard let path = (toolInput["file_path"] ?? toolInput["notebook_path"])?.stringValue else { return nil }
            return ["operation_text": .string("\(toolName.lowercased()) \(path)"), "file_paths": JSONValue([path])]
        default:
            return nil
        }
    }
}
