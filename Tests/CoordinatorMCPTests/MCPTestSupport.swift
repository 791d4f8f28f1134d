import CoordinatorCore
import CoordinatorMCP
import CoordinatorSQLite
import Foundation
import MCP
import Testing

/// A migrated SQLite file private to one test, with a dispatcher over it; removed afterwards.
struct MCPFixture: Sendable {
    let folder: URL
    let database: SQLiteDatabaseClient
    let dispatcher: OperationDispatcher
    let clock: ManualClock

    static func with(_ body: (MCPFixture) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("coordinator-mcp-test-\(UUID().uuidString)")
        let database = try SQLiteDatabaseClient(config: SQLiteConfig(path: folder.appendingPathComponent("db.sqlite").path))
        _ = try await database.migrate()
        let coordinator = Coordinator(config: CoordinatorConfig(agent: AgentConfig(agentId: "fixture")), database: database)
        let fixture = MCPFixture(folder: folder, database: database, dispatcher: OperationDispatcher(coordinator: coordinator),
                                 clock: ManualClock(Date(timeIntervalSince1970: 1_800_000_000)))
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try await body(fixture)
        } catch {
            try? await database.close()
            throw error
        }
        try? await database.close()
    }

    /// An MCP client connected in memory to a fresh coordinator server acting as `agent`.
    func connect(as agent: String, type: String = "claude_code", session: String? = nil) async throws -> MCPConnection {
        let server = await CoordinatorMCPServer.make(
            dispatcher: dispatcher, identity: AgentIdentity(agentId: agent, agentType: type, sessionId: session), clock: clock)
        let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
        try await server.start(transport: serverTransport)
        let client = Client(name: "coordinator-tests", version: "1.0")
        let initialized = try await client.connect(transport: clientTransport)
        return MCPConnection(client: client, server: server, initialized: initialized)
    }
}

/// One connected client and its server.
struct MCPConnection: Sendable {
    let client: Client
    let server: Server
    let initialized: Initialize.Result

    /// Calls a tool and returns the whole result (the SDK's `callTool` drops structured content).
    func call(_ name: String, _ arguments: [String: Value] = [:]) async throws -> ToolOutcome {
        let context = try await client.send(CallTool.request(.init(name: name, arguments: arguments)))
        return ToolOutcome(try await context.value)
    }

    func close() async {
        await client.disconnect()
        await server.stop()
    }
}

/// A tool result, decoded for assertions.
struct ToolOutcome {
    let isError: Bool
    let text: String
    let structured: JSONValue?

    init(_ result: CallTool.Result) {
        isError = result.isError ?? false
        text = result.content.compactMap { content -> String? in
            if case .text(let text, _, _) = content { return text }
            return nil
        }.joined()
        structured = result.structuredContent.map { JSONValue(mcpValue: $0) }
    }

    /// The text content parsed as JSON (what a client without structured-content support reads).
    var json: JSONValue? { try? JSONValue(jsonText: text) }

    subscript(key: String) -> JSONValue? { structured?[key] }
}

/// Runs `body` with a time limit, failing the test instead of hanging.
func withTimeout<T: Sendable>(_ seconds: Double = 20, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw TimeoutError(seconds: seconds)
        }
        return value
    }
}

struct TimeoutError: Error, CustomStringConvertible {
    let seconds: Double
    var description: String { "timed out after \(seconds) s" }
}
