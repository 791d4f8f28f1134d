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
            try await CommandEnvironment.run(identity: identity, output: output) { env in
                let result: JSONValue
                do {
                    result = try await env.dispatcher.call("check_network", arguments: ["domain": .string(domain)], context: env.context)
                } catch DispatchError.invalidInput(let error) {
                    throw error
                } catch DispatchError.denied(_, let reason) {
                    throw CommandEnvironment.report(reason, reason: "denied", output: output, status: .declined)
                }
                print(output.json ? result.jsonText : ReadableLine.network(result))
                if result["allowed"] != .bool(true) { throw CommandExit(status: .declined) }
            }
        }
    }
}
