import ArgumentParser
import CoordinatorCore

struct LockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock", abstract: "File and logical locks with a time-to-live.",
        subcommands: [Acquire.self, Release.self, List.self])

    struct Acquire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take (or refresh) a lock on a repo-relative path or a logical key (api:, db:, event:, flag:, env:, contract:, feature:).")
        @Argument(help: "Repository-relative path or logical key.") var path: String
        @Option(help: "Why you hold it (shown to other agents).") var reason: String?
        @Option(name: .customLong("ttl"), help: "Minutes until it expires, 1–480 (default: $LOCK_TTL_MINUTES, else 120).") var ttl: Int?
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.run(identity: identity, output: output) { env in
                try env.emit(try await env.coordinator.locks.acquire(path: path, reason: reason, ttlMinutes: ttl, context: env.context),
                             line: ReadableLine.lock)
            }
        }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Release a lock you hold.")
        @Argument(help: "Repository-relative path or logical key.") var path: String
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.run(identity: identity, output: output) { env in
                try env.emit(try await env.coordinator.locks.release(path: path, context: env.context), line: ReadableLine.lock)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List live locks (all, or on the given paths).")
        @Argument(help: "Only these paths or keys.") var paths: [String] = []
        @Option(name: .customLong("locked-by"), help: "Only locks held by this agent.") var lockedBy: String?
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.run(identity: identity, output: output) { env in
                let rows = try await env.coordinator.locks.check(paths: paths, lockedBy: lockedBy, context: env.context)
                print(output.json ? JSONValue.array(rows.map(JSONValue.object)).jsonText : ReadableLine.locks(rows))
            }
        }
    }
}
