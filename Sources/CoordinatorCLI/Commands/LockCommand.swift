import ArgumentParser
import CoordinatorCore

struct LockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock", abstract: "File and logical locks with a time-to-live.",
        subcommands: [Acquire.self, Release.self, List.self, Status.self])

    struct Acquire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take (or refresh) a lock on a repo-relative path or a logical key (api:, db:, event:, flag:, env:, contract:, feature:).")
        @Argument(help: "Repository-relative path or logical key.") var path: String
        @Option(help: "Why you hold it (shown to other agents).") var reason: String?
        @Option(name: .customLong("ttl"), help: "Minutes until it expires, 1–480 (default: $LOCK_TTL_MINUTES, else 120).") var ttl: Int?
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("acquire_lock", ["file_path": .string(path), "reason": reason.map(JSONValue.string),
                                                       "ttl_minutes": ttl.map(JSONValue.int)], line: ReadableLine.lock, identity: identity, output: output)
        }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Release a lock you hold.")
        @Argument(help: "Repository-relative path or logical key.") var path: String
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("release_lock", ["file_path": .string(path)], line: ReadableLine.lock, identity: identity, output: output)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List live locks (all, or on the given paths).")
        @Argument(help: "Only these paths or keys.") var paths: [String] = []
        @Option(name: .customLong("locked-by"), help: "Only locks held by this agent.") var lockedBy: String?
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("check_locks", ["file_paths": paths.isEmpty ? nil : JSONValue(paths),
                                                      "locked_by": lockedBy.map(JSONValue.string)], line: ReadableLine.locks, identity: identity, output: output)
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Whether one path or key is locked, and by whom.")
        @Argument(help: "Repository-relative path or logical key.") var path: String
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("lock_status", ["file_path": .string(path)], line: ReadableLine.lockStatus, identity: identity, output: output)
        }
    }
}
