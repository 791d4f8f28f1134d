import ArgumentParser
import CoordinatorBackends
import CoordinatorCore
import Foundation

/// Who the command acts as; flags win over `AGENT_ID`, `AGENT_TYPE`, `SESSION_ID`.
struct IdentityOptions: ParsableArguments {
    @Option(name: .customLong("agent-id"), help: "Act as this agent (default: $AGENT_ID, else a generated id).")
    var agentId: String?

    @Option(name: .customLong("agent-type"), help: "Agent type (default: $AGENT_TYPE, else claude_code).")
    var agentType: String?

    @Option(name: .customLong("session-id"), help: "Session id (default: $SESSION_ID).")
    var sessionId: String?
}

/// Output format.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the operation's JSON result instead of a readable line.")
    var json = false
}

/// Everything a command needs to run one operation: config, identity, an open and migrated database, the audit
/// trail, and the dispatcher that runs catalog operations exactly as the MCP and HTTP transports do (recording
/// every call in the audit trail, which ``run(identity:output:migrate:environment:_:)`` drains before it closes
/// the database).
struct CommandEnvironment {
    let coordinator: Coordinator
    let context: RequestContext
    let output: OutputOptions
    let audit: AuditTrail

    var dispatcher: OperationDispatcher { OperationDispatcher(coordinator: coordinator, recorder: audit) }

    /// Opens the environment, runs catalog operation `name` and prints its result: the whole body of most commands.
    /// `arguments` is evaluated inside the environment, so a malformed `--input`/`--result` is reported like any
    /// other invalid input (exit 2, JSON envelope with `--json`).
    static func perform(_ name: String, _ arguments: @autoclosure () throws -> [String: JSONValue?], line: (JSONValue) -> String,
                        identity: IdentityOptions, output: OutputOptions,
                        declined: (JSONValue) -> Bool = Self.answeredFailure) async throws {
        try await run(identity: identity, output: output) { env in
            let values: [String: JSONValue?]
            do {
                values = try arguments()
            } catch let error as InputError {
                // An argument that does not even parse (e.g. --input that is not JSON) is still a refused call.
                await env.dispatcher.recordRefusal(name, arguments: [:], context: env.context, error: error)
                throw error
            }
            try await env.perform(name, values, line: line, declined: declined)
        }
    }

    /// The default for what ends a command with status 3: the operation answered `success:false`.
    static func answeredFailure(_ result: JSONValue) -> Bool { result["success"] == .bool(false) }

    /// Runs catalog operation `name` with `arguments` (nil values dropped) and prints its result; `declined` says which
    /// answers end with status 3 (default: `success:false`).
    func perform(_ name: String, _ arguments: [String: JSONValue?], line: (JSONValue) -> String,
                 declined: (JSONValue) -> Bool = CommandEnvironment.answeredFailure) async throws {
        let result: JSONValue
        do {
            result = try await dispatcher.call(name, arguments: arguments.compactMapValues { $0 }, context: context)
        } catch DispatchError.invalidInput(let error) {
            throw error
        } catch DispatchError.denied(_, let reason) {
            throw Self.report(reason, reason: "denied", output: output, status: .declined)
        }
        try emit(result, line: line, declined: declined)
    }

    /// Reads configuration, opens the backend, applies pending migrations, runs `body`, and closes.
    static func run(identity: IdentityOptions, output: OutputOptions, migrate: Bool = true,
                    environment: [String: String] = ProcessInfo.processInfo.environment,
                    _ body: (CommandEnvironment) async throws -> Void) async throws {
        let config: CoordinatorConfig
        do {
            config = try CoordinatorConfig.fromEnvironment(environment)
        } catch let error as ConfigurationError {
            throw report(error.description, field: error.variable, reason: "configuration_error", output: output, status: .usage)
        }
        let database: any DatabaseClient
        do {
            database = try await makeDatabaseClient(config.database)
        } catch let error as ConfigurationError {
            throw report(error.description, field: error.variable, reason: "configuration_error", output: output, status: .usage)
        } catch {
            throw report("cannot open the \(config.database.backend.rawValue) database: \(error)", reason: "database_unavailable", output: output, status: .failure)
        }
        var agent = config.agent
        if let agentId = identity.agentId {
            guard !agentId.trimmingCharacters(in: .whitespaces).isEmpty else {
                try? await database.close()
                throw report("--agent-id must not be empty", field: "agent_id", reason: "invalid_input", output: output, status: .usage)
            }
            agent.agentId = agentId
        }
        if let agentType = identity.agentType { agent.agentType = agentType }
        if let sessionId = identity.sessionId { agent.sessionId = sessionId }
        let context = RequestContext(identity: AgentIdentity(agentId: agent.agentId, agentType: agent.agentType, sessionId: agent.sessionId))
        let audit = AuditTrail(database: database, config: config.audit)
        let environment = CommandEnvironment(coordinator: Coordinator(config: config, database: database), context: context,
                                             output: output, audit: audit)
        // Every exit drains the audit trail before the database closes, so no recorded call is lost.
        func close() async {
            await audit.shutdown()
            try? await database.close()
        }
        do {
            if migrate, let migrating = database as? any SchemaMigrating {
                _ = try await migrating.migrate()
            }
            try await body(environment)
            await close()
        } catch let exit as CommandExit {
            await close()
            throw exit
        } catch let error as InputError {
            await close()
            throw report(error.detail, field: error.field, reason: "invalid_input", output: output, status: .usage)
        } catch {
            await close()
            throw report("\(error)", reason: "internal_error", output: output, status: .failure)
        }
    }

    /// Prints an error in the chosen format and returns the exit to throw.
    static func report(_ detail: String, field: String? = nil, reason: String, output: OutputOptions, status: ExitStatus) -> CommandExit {
        if output.json {
            var object: JSONObject = ["success": false, "reason": .string(reason), "detail": .string(detail)]
            if let field { object["field"] = .string(field) }
            print(JSONValue.object(object).jsonText)
        } else {
            FileHandle.standardError.write(Data("error: \(field.map { "\($0): " } ?? "")\(detail)\n".utf8))
        }
        return CommandExit(status: status)
    }

    /// Prints an operation's result and ends with status 3 when `declined` says so (default: it answered
    /// `success:false`).
    func emit(_ result: JSONValue, line: (JSONValue) -> String, declined: (JSONValue) -> Bool = CommandEnvironment.answeredFailure) throws {
        print(output.json ? result.jsonText : line(result))
        if declined(result) { throw CommandExit(status: .declined) }
    }
}

/// Parses a `--input`/`--result` JSON argument.
func parseJSONArgument(_ text: String, field: String) throws -> JSONValue {
    do {
        return try JSONValue(jsonText: text)
    } catch {
        throw InputError(field: field, "must be JSON (\(error))")
    }
}
