import CoordinatorCore
import Logging
import MCP

/// What one tool call produced: the JSON object, the text shown to the model, and whether it is a tool error.
struct ToolAnswer: Sendable {
    var value: JSONValue
    var text: String
    var isError: Bool

    /// The `tools/call` result object: the text as `.text` content plus the object as structured content.
    ///
    /// Strings that look like data URLs are marked (see ``DataURLStrings``); the transports remove the marks.
    var resultJSON: JSONValue {
        var result: JSONObject = [
            "content": [["type": "text", "text": .string(text)]],
            "isError": .bool(isError),
        ]
        if value.objectValue != nil { result["structuredContent"] = DataURLStrings.mark(value) }
        return .object(result)
    }

    /// The same result as the SDK type.
    var result: CallTool.Result {
        let structured: Value? = value.objectValue != nil ? Value(jsonValue: DataURLStrings.mark(value)) : nil
        return CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: structured, isError: isError)
    }
}

/// Runs tool calls through the dispatcher for one MCP session and turns every outcome into a tool result:
/// failures are tool errors (`isError: true`), never JSON-RPC errors.
struct ToolRunner: Sendable {
    let dispatcher: OperationDispatcher
    let session: MCPSessionIdentity
    let clock: any CoordinatorClock
    let logger: Logger

    func context() -> CoordinatorCore.RequestContext {
        CoordinatorCore.RequestContext(identity: session.current, clock: clock)
    }

    /// The SDK handler: converts the arguments and runs the call.
    func call(_ params: CallTool.Parameters) async throws -> CallTool.Result {
        var arguments: JSONObject = [:]
        for (name, value) in params.arguments ?? [:] { arguments[name] = JSONValue(mcpValue: value) }
        return try await run(params.name, arguments: arguments).result
    }

    /// Runs one tool call; throws only `CancellationError` for a call the client cancelled (which gets no answer).
    ///
    /// A successful `register_session` makes the returned session id this MCP session's, for later calls.
    func run(_ name: String, arguments: JSONObject) async throws -> ToolAnswer {
        do {
            let result = try await dispatcher.call(name, arguments: arguments, context: context())
            if name == "register_session", result["success"] == .bool(true), let sessionId = result["session_id"]?.stringValue {
                session.adopt(sessionId: sessionId)
            }
            return ToolAnswer(value: result, text: result.jsonText, isError: false)
        } catch is CancellationError where Task.isCancelled {
            throw CancellationError()
        } catch {
            return failure(error, tool: name)
        }
    }

    func failure(_ error: any Error, tool: String) -> ToolAnswer {
        switch error {
        case DispatchError.invalidInput(let input):
            return Self.invalid(input)
        case let input as InputError:
            return Self.invalid(input)
        case DispatchError.denied(let operation, let reason):
            return Self.error("\(operation) denied: \(reason)", envelope: ["reason": "denied", "detail": .string(reason)])
        case DispatchError.unknownOperation(let name):
            return Self.error("unknown tool \(String(reflecting: name)); tools/list shows the available tools",
                              envelope: ["reason": "unknown_tool"])
        case let database as DatabaseError:
            logger.error("\(tool) failed: \(database.description)", metadata: ["kind": "\(database.kind.rawValue)"])
            return Self.error("database error (\(database.kind.rawValue)): \(database.description)",
                              envelope: ["reason": "database_error", "kind": .string(database.kind.rawValue)])
        default:
            logger.error("\(tool) failed: \(String(describing: error))")
            return Self.error("internal error: \(String(describing: error))", envelope: ["reason": "internal_error"])
        }
    }

    static func invalid(_ input: InputError) -> ToolAnswer {
        error("invalid \(input.field): \(input.detail)", envelope: input.json.objectValue ?? [:])
    }

    /// A tool error: `message` as the text, `{success:false, reason, detail, …}` as the structured content.
    static func error(_ message: String, envelope: JSONObject) -> ToolAnswer {
        var members = envelope
        members["success"] = false
        if members["detail"] == nil { members["detail"] = .string(message) }
        return ToolAnswer(value: .object(members), text: message, isError: true)
    }
}
