import AsyncHTTPClient
import CoordinatorCore
import CoordinatorHTTP
import CoordinatorSQLite
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// A real `CoordinatorHTTPServer` on 127.0.0.1 (port 0) over a private SQLite file, for one test.
final class TestServer: Sendable {
    static let aliceKey = "alice-key-1"
    static let bobKey = "bob-key-2"
    static let unboundKey = "free-key-3"

    /// Keys for alice (claude_code) and bob (codex), plus one unbound key.
    static let keyedConfig = HTTPServerConfig(
        apiKeys: [aliceKey, bobKey, unboundKey],
        keyIdentities: [
            aliceKey: KeyIdentity(agentId: "alice", agentType: "claude_code"),
            bobKey: KeyIdentity(agentId: "bob", agentType: "codex"),
        ])

    let baseURL: String
    let port: Int
    let folder: URL
    let sqlite: SQLiteDatabaseClient
    let dispatcher: OperationDispatcher
    let group: ServiceGroup
    private let running: Task<Void, any Error>

    private init(baseURL: String, port: Int, folder: URL, sqlite: SQLiteDatabaseClient, dispatcher: OperationDispatcher,
                 group: ServiceGroup, running: Task<Void, any Error>) {
        self.baseURL = baseURL
        self.port = port
        self.folder = folder
        self.sqlite = sqlite
        self.dispatcher = dispatcher
        self.group = group
        self.running = running
    }

    var databasePath: String { sqlite.path }

    /// Starts a server; `wrap` may put a test double around the SQLite client; `recorder` (e.g. an audit trail over
    /// the database) receives the dispatcher's records.
    static func start(config: HTTPServerConfig = keyedConfig, policy: any OperationPolicy = PermissivePolicy(),
                      wrap: (any DatabaseClient) -> any DatabaseClient = { $0 },
                      recorder: ((any DatabaseClient) -> any OperationRecorder)? = nil) async throws -> TestServer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("coordinator-http-\(UUID().uuidString)")
        let sqlite = try SQLiteDatabaseClient(config: SQLiteConfig(path: folder.appendingPathComponent("coordinator.sqlite").path))
        _ = try await sqlite.migrate()
        let database = wrap(sqlite)
        let coordinator = Coordinator(config: CoordinatorConfig(agent: AgentConfig(agentId: "server")), database: database)
        let dispatcher = OperationDispatcher(coordinator: coordinator, policy: policy, recorder: recorder?(database))
        var config = config
        config.host = "127.0.0.1"
        config.port = 0
        let server = CoordinatorHTTPServer(
            config: config, dispatcher: dispatcher, logger: Logger(label: "test.http", factory: { _ in SwiftLogNoOpLogHandler() }))
        let (ports, announce) = AsyncStream<Int>.makeStream()
        let group = server.makeServiceGroup(gracefulShutdownSignals: []) { _, port in
            announce.yield(port)
        }
        let running = Task {
            defer { announce.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            try await running.value
            throw TestFailure("the server stopped before listening")
        }
        return TestServer(baseURL: "http://127.0.0.1:\(port)", port: port, folder: folder, sqlite: sqlite,
                          dispatcher: dispatcher, group: group, running: running)
    }

    /// Graceful shutdown, then waits for the group to end and removes the database.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await running.value
        try? await sqlite.close()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Waits for the service group to end (after a shutdown triggered elsewhere).
    func waitUntilStopped() async throws {
        try await running.value
    }

    /// Runs `body` with a fresh server and always stops it.
    static func with<Result>(config: HTTPServerConfig = keyedConfig, policy: any OperationPolicy = PermissivePolicy(),
                             wrap: (any DatabaseClient) -> any DatabaseClient = { $0 },
                             recorder: ((any DatabaseClient) -> any OperationRecorder)? = nil,
                             _ body: (TestServer) async throws -> Result) async throws -> Result {
        let server = try await start(config: config, policy: policy, wrap: wrap, recorder: recorder)
        do {
            let result = try await body(server)
            try await server.stop()
            return result
        } catch {
            try? await server.stop()
            throw error
        }
    }

    // MARK: - Requests

    struct Reply: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let text: String

        var json: JSONValue {
            get throws { try JSONValue(jsonText: text) }
        }
    }

    /// Sends one request; `body` is sent verbatim.
    func send(_ method: HTTPMethod, _ path: String, body: String? = nil, key: String? = nil,
              headers: [(String, String)] = []) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let key { request.headers.add(name: "X-API-Key", value: key) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 4 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: bytes))
    }

    /// POSTs a JSON object.
    func post(_ path: String, _ body: JSONValue, key: String? = nil, headers: [(String, String)] = []) async throws -> Reply {
        try await send(.POST, path, body: body.jsonText, key: key, headers: headers)
    }

    func get(_ path: String, key: String? = nil) async throws -> Reply {
        try await send(.GET, path, key: key)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
