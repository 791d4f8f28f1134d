import ArgumentParser
import CoordinatorCore

/// `coordinator call <operation> --input '<json>'`: any catalog operation by its wire name, exactly as the MCP tool
/// and the HTTP route run it (for scripts, and for operations without a dedicated command).
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Run any coordination operation by name with a JSON input; prints its JSON result.",
        discussion: """
            `coordinator operations` lists the names; each operation's input schema is in `coordinator operations --json`. \
            Exit status: 0 done, 3 the operation answered success:false or the policy refused it, 2 invalid input, \
            1 backend or internal error.
            """)
    @Argument(help: "Operation name, e.g. acquire_lock.") var operation: String
    @Option(help: "The input as a JSON object (default {}).") var input: String?
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard OperationCatalog.standard[operation] != nil else {
            throw ValidationError("unknown operation \(String(reflecting: operation)); `coordinator operations` lists them")
        }
    }

    func run() async throws {
        let operation = operation
        let input = input
        try await CommandEnvironment.run(identity: identity, output: output) { env in
            let arguments: JSONObject
            do {
                guard let object = try input.map({ try parseJSONArgument($0, field: "input") })?.objectValue ?? (input == nil ? [:] : nil) else {
                    throw InputError(field: "input", "must be a JSON object")
                }
                arguments = object
            } catch let error as InputError {
                await env.dispatcher.recordRefusal(operation, arguments: [:], context: env.context, error: error)
                throw error
            }
            try await env.perform(operation, arguments.mapValues { Optional($0) }, line: { $0.prettyJSONText })
        }
    }
}
