import CoordinatorCore
import CoordinatorPostgres
import CoordinatorSQLite
import Foundation
import Logging
import PostgresNIO
import Testing

/// The backends every conformance test runs against. PostgreSQL joins when `COORDINATOR_TEST_POSTGRES_DSN` is
/// set (the test script starts a throwaway cluster and sets it); under CI a missing DSN is a failure, not a skip.
enum TestBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var postgresDSN: String? {
        ProcessInfo.processInfo.environment["COORDINATOR_TEST_POSTGRES_DSN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var available: [TestBackend] {
        let ci = ProcessInfo.processInfo.environment["CI"] != nil
        return postgresDSN != nil || ci ? [.sqlite, .postgres] : [.sqlite]
    }
}

/// A migrated, empty database of one backend, private to one test, and removed afterwards.
struct TestDatabase: Sendable {
    let backend: TestBackend
    let client: any DatabaseClient
    let clock: ManualClock
    private let cleanup: @Sendable () async -> Void

    private init(backend: TestBackend, client: any DatabaseClient, cleanup: @escaping @Sendable () async -> Void) {
        self.backend = backend
        self.client = client
        self.clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        self.cleanup = cleanup
    }

    /// Runs `body` with a fresh database and always tears it down.
    static func with(_ backend: TestBackend, poolMax: Int = 4, _ body: (TestDatabase) async throws -> Void) async throws {
        let database = try await make(backend, poolMax: poolMax)
        do {
            try await body(database)
        } catch {
            await database.cleanup()
            throw error
        }
        await database.cleanup()
    }

    static func make(_ backend: TestBackend, poolMax: Int) async throws -> TestDatabase {
        switch backend {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("coordinator-test-\(UUID().uuidString)")
            let client = try SQLiteDatabaseClient(config: SQLiteConfig(path: folder.appendingPathComponent("db.sqlite").path))
            _ = try await client.migrate()
            return TestDatabase(backend: backend, client: client) {
                try? await client.close()
                try? FileManager.default.removeItem(at: folder)
            }
        case .postgres:
            guard let adminDSN = TestBackend.postgresDSN else {
                Issue.record("COORDINATOR_TEST_POSTGRES_DSN is not set; the test script starts PostgreSQL and sets it")
                throw CancellationError()
            }
            let name = "coord_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            try await PostgresAdmin.execute(dsn: adminDSN, "CREATE DATABASE \(name)")
            let dsn = PostgresAdmin.dsn(adminDSN, database: String(name))
            let client = try await DirectPostgresClient.connect(config: PostgresConfig(dsn: dsn, poolMin: 0, poolMax: poolMax))
            _ = try await client.migrate()
            return TestDatabase(backend: backend, client: client) {
                try? await client.close()
                try? await PostgresAdmin.execute(dsn: adminDSN, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            }
        }
    }

    /// Takes the database away (the SQLite client is closed and its file removed; the PostgreSQL database is dropped
    /// with its connections), as an outage would; `with` cleans up again harmlessly.
    func stop() async { await cleanup() }

    /// A request context for `agent` at the test clock.
    func context(_ agent: String, type: String = "claude_code", session: String? = nil) -> RequestContext {
        RequestContext(identity: AgentIdentity(agentId: agent, agentType: type, sessionId: session), clock: clock)
    }

    func coordinator(lock: LockConfig = LockConfig(), work: WorkQueueConfig = WorkQueueConfig()) -> Coordinator {
        Coordinator(config: CoordinatorConfig(agent: AgentConfig(agentId: "test"), locks: lock, workQueue: work), database: client)
    }
}

/// One-off administrative SQL (CREATE/DROP DATABASE) on the server the tests use.
enum PostgresAdmin {
    static func dsn(_ dsn: String, database: String) -> String {
        guard var components = URLComponents(string: dsn) else { return dsn }
        components.path = "/" + database
        return components.string ?? dsn
    }

    static func execute(dsn: String, _ sql: String) async throws {
        guard let components = URLComponents(string: dsn), let host = components.host else {
            throw PostgresAdminError(message: "unreadable DSN")
        }
        let configuration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
            password: components.password, database: String(components.path.dropFirst()).isEmpty ? "postgres" : String(components.path.dropFirst()),
            tls: .disable)
        let connection = try await PostgresConnection.connect(
            configuration: configuration, id: 1, logger: Logger(label: "test-admin"))
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test-admin"))
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}

struct PostgresAdminError: Error { let message: String }
