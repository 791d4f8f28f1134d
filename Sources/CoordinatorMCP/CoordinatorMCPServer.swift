import CoordinatorCore
import Foundation
import Logging
import MCP
import Synchronization

/// The coordinator's MCP server: every catalog operation as a tool, three Markdown resources and two prompts.
///
/// One `MCP.Server` serves one MCP session (a stdio process, or one Streamable HTTP session) acting as one
/// agent identity. Tool calls go through ``OperationDispatcher``, so input validation, policy and recording
/// are the same as on every other transport.
public enum CoordinatorMCPServer {
    public static let name = "coordination"
    public static let version = "0.3.0"
    public static let instructions = """
        Multi-agent coordination: file locks, work queue, handoffs, and discovery.

        How to use it: call register_session once at the start (heartbeat keeps that session alive). Before \
        editing a file, acquire_lock on it and release_lock when done; check_locks shows who holds what. Claim \
        queued work with get_work, finish it with complete_work, and queue new work with submit_work. Before \
        stopping, write_handoff for the next session; read_handoff shows the last one. Results are JSON: \
        success:false with a reason (for example locked_by_other) means the coordinator declined, not that the \
        call failed. Resources locks://current, work://pending and handoffs://recent summarise the state.
        """

    /// A server for one MCP session acting as `identity`, with every handler registered (start it with a transport).
    ///
    /// When `register_session` succeeds, the session id it returns becomes the session of later calls in this
    /// MCP session (so `heartbeat` without arguments marks that session alive).
    public static func make(dispatcher: OperationDispatcher, identity: AgentIdentity,
                            clock: any CoordinatorClock = SystemClock(), logger: Logger? = nil) async -> Server {
        await makeSession(dispatcher: dispatcher, identity: identity, clock: clock, logger: logger).server
    }

    /// A server and the tool runner its handlers use (``ToolCallShortcut`` answers tool calls with the same runner).
    static func makeSession(dispatcher: OperationDispatcher, identity: AgentIdentity, clock: any CoordinatorClock,
                            logger: Logger?) async -> (server: Server, tools: ToolRunner) {
        let server = Server(
            name: name, version: version, instructions: instructions,
            capabilities: .init(
                prompts: .init(listChanged: false),
                resources: .init(subscribe: false, listChanged: false),
                tools: .init(listChanged: false)))
        let session = MCPSessionIdentity(identity)
        let tools = ToolRunner(dispatcher: dispatcher, session: session, clock: clock,
                               logger: logger ?? Logger(label: "coordinator.mcp"))
        let toolList = Self.tools(dispatcher.catalog)

        await server.withMethodHandler(ListTools.self) { _ in .init(tools: toolList) }
        await server.withMethodHandler(CallTool.self) { params in try await tools.call(params) }
        await server.withMethodHandler(ListResources.self) { _ in .init(resources: MCPResources.list) }
        await server.withMethodHandler(ListResourceTemplates.self) { _ in .init(templates: []) }
        await server.withMethodHandler(ReadResource.self) { params in
            try await MCPResources.read(params.uri, tools: tools)
        }
        await server.withMethodHandler(ListPrompts.self) { _ in .init(prompts: MCPPrompts.list) }
        await server.withMethodHandler(GetPrompt.self) { params in try MCPPrompts.get(params) }
        return (server, tools)
    }

    /// The tool list for a catalog: name, summary and the input JSON Schema of each operation, in catalog order.
    public static func tools(_ catalog: OperationCatalog) -> [Tool] {
        catalog.operations.map { operation in
            Tool(
                name: operation.name, description: operation.summary, inputSchema: Value(jsonValue: operation.input.json),
                annotations: .init(readOnlyHint: operation.category == .read, openWorldHint: false))
        }
    }

    /// Serves one MCP session on standard input and output (or the given descriptors) until end of input.
    ///
    /// `tools/call` and `tools/list` requests are answered directly by the transport (``ToolCallShortcut``), with the
    /// same handlers and identity as the SDK server, which handles everything else. Ignores `SIGPIPE` (a client
    /// that goes away makes writes fail instead of killing the process). Nothing else may write to the output
    /// while this runs; logs belong on standard error.
    public static func serveStdio(dispatcher: OperationDispatcher, identity: AgentIdentity,
                                  clock: any CoordinatorClock = SystemClock(), logger: Logger? = nil,
                                  input: Int32 = 0, output: Int32 = 1) async throws {
        signal(SIGPIPE, SIG_IGN)
        let session = await makeSession(dispatcher: dispatcher, identity: identity, clock: clock, logger: logger)
        let shortcut = ToolCallShortcut(tools: session.tools, toolListResult: ToolCallShortcut.encode(Self.tools(dispatcher.catalog)))
        let transport = BlockingStdioTransport(input: input, output: output, logger: logger, shortcut: shortcut)
        try await session.server.start(transport: transport)
        await session.server.waitUntilCompleted()
        await session.server.stop()
    }
}

/// The identity one MCP session acts as, including the session id adopted from `register_session`.
final class MCPSessionIdentity: Sendable {
    private let identity: Mutex<AgentIdentity>

    init(_ identity: AgentIdentity) { self.identity = Mutex(identity) }

    var current: AgentIdentity { identity.withLock { $0 } }

    func adopt(sessionId: String) { identity.withLock { $0.sessionId = sessionId } }
}
