import ArgumentParser
import CoordinatorCore

struct ProfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile", abstract: "Your agent profile: trust level, allowed operations, resource limits.",
        subcommands: [Show.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the profile that governs you (get_my_profile).")
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("get_my_profile", [:], line: ReadableLine.profile, identity: identity, output: output)
        }
    }
}

struct NetworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network", abstract: "Network access policies.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "May you reach a domain? (exit 0 allowed, 3 denied; every answer is logged)")
        @Argument(help: "Host name, e.g. api.github.com.") var domain: String
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("check_network", ["domain": .string(domain)], line: ReadableLine.network,
                                                 identity: identity, output: output, declined: { $0["allowed"] != .bool(true) })
        }
    }
}
