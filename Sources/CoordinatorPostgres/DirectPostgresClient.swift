import CoordinatorCore
import Logging
import PostgresNIO
import Synchronization

/// The direct PostgreSQL backend: storage functions and table access over PostgresNIO's connection pool.
///
/// - Every connection runs with `TimeZone=UTC` (a startup parameter), so timestamps in results read
///   `…+00:00`, and with `application_name` from the DSN (default `agent-coordinator`).
/// - `rpc` calls the SQL function of the same name with named arguments, each bound as text and cast to the
///   declared parameter type read once from `pg_proc` (see ``PostgresFunctionSignature``).
/// - Table operations translate ``RowFilter`` into parameterised SQL with casts to the column types read once
///   from `pg_attribute`.
/// - Waiting for a pooled connection is bounded (`connectionWait`, default 10 s): after it the call fails with
///   `.unavailable`, naming the endpoint and, from a stand-alone connection attempt, the reason. A statement
///   that has started is never abandoned.
public final class DirectPostgresClient: DatabaseClient, SchemaMigrating {
    public static let name = "postgres"
    public let backendName = DirectPostgresClient.name
    /// The parsed DSN (its description hides the password).
    public let dsn: PostgresDSN

    let client: PostgresClient
    let logger: Logger
    let errors: PostgresErrorMapping
    private let connectionWait: Duration
    private let runTask: Task<Void, Never>
    private let running = RunGate()
    /// Whether the last statement got a connection; see ``withConnection(_:_:)``.
    private let healthy = Atomic<Bool>(false)
    private let functions = Mutex<[String: [PostgresFunctionSignature]]>([:])
    private let tables = Mutex<[String: PostgresTableInfo]>([:])

    /// Creates the pool and starts its background task; connects lazily. Throws ``ConfigurationError`` for a
    /// bad DSN. Call ``close()`` when done.
    public init(config: PostgresConfig, logger: Logger = Logger(label: "coordinator.postgres"),
                connectionWait: Duration = .seconds(10)) throws {
        let dsn = try PostgresDSN(parsing: config.dsn)
        self.dsn = dsn
        self.logger = logger
        self.connectionWait = connectionWait
        self.errors = PostgresErrorMapping(backend: DirectPostgresClient.name, endpoint: dsn.endpoint, password: dsn.password)
        // The pool logs every failed connection attempt at info level; keep that out of ordinary logs unless
        // the caller asked for debug output.
        var background = logger
        if background.logLevel > .debug, background.logLevel < .notice { background.logLevel = .notice }
        let client = PostgresClient(configuration: dsn.clientConfiguration(poolMin: config.poolMin, poolMax: config.poolMax),
                                    backgroundLogger: background)
        self.client = client
        let running = self.running
        self.runTask = Task {
            running.open()
            await client.run()
        }
    }

    /// Like ``init(config:logger:connectionWait:)``, but first opens one stand-alone connection so a wrong host,
    /// password or database fails here, at once, with the server's reason (`.unavailable`).
    public static func connect(config: PostgresConfig, logger: Logger = Logger(label: "coordinator.postgres"),
                               connectionWait: Duration = .seconds(10)) async throws -> DirectPostgresClient {
        let dsn = try PostgresDSN(parsing: config.dsn)
        let errors = PostgresErrorMapping(backend: DirectPostgresClient.name, endpoint: dsn.endpoint, password: dsn.password)
        if let failure = await probe(dsn, logger: logger, errors: errors) { throw failure }
        return try DirectPostgresClient(config: config, logger: logger, connectionWait: connectionWait)
    }

    // MARK: - DatabaseClient

    public func rpc(_ function: String, _ parameters: JSONObject) async throws -> JSONValue {
        try SQLIdentifier.check(function, qualified: true, backend: backendName)
        for name in parameters.keys { try SQLIdentifier.check(name, backend: backendName) }
        let context = "rpc \(function)"
        var overloads = try await signatures(of: function, refresh: false)
        let knowsAll = parameters.keys.allSatisfy { name in overloads.value.contains { $0.parameter(named: name) != nil } }
        if overloads.cached, !knowsAll {
            // The function may have changed since it was cached (a migration by another process): look again.
            overloads = try await signatures(of: function, refresh: true)
        }
        let signature = try PostgresFunctionSignature.choose(overloads.value, for: parameters.keys, function: function)
        let statement = try signature.callStatement(parameters, function: function)
        let logger = self.logger
        let text = try await withConnection(context) { connection in
            try await connection.preparedSingleText(statement, logger: logger)
        }
        guard let text else { return .null }
        return try decodeJSON(text, context: context)
    }

    public func query(_ table: String, filter: RowFilter, select: [String]?) async throws -> [JSONObject] {
        try check(table, filter: filter, columns: select ?? [])
        let info = try await tableInfo(table)
        let statement = try PostgresTableSQL.select(info, filter: filter, columns: select)
        return try await rows(statement, context: "query \(table)")
    }

    public func insert(_ table: String, row: JSONObject, returning: Bool) async throws -> JSONObject? {
        try check(table, filter: RowFilter(), columns: Array(row.keys))
        let info = try await tableInfo(table)
        let statement = try PostgresTableSQL.insert(info, row: row, returning: returning)
        let context = "insert into \(table)"
        let logger = self.logger
        let text = try await withConnection(context) { connection in
            try await connection.singleText(statement, logger: logger)
        }
        guard returning else { return nil }
        guard let text, case .object(let stored) = try decodeJSON(text, context: context) else {
            throw errors.databaseError(.malformedResponse, "\(context): the inserted row did not come back as an object")
        }
        return stored
    }

    public func update(_ table: String, filter: RowFilter, values: JSONObject, returning: Bool) async throws -> [JSONObject] {
        try check(table, filter: filter, columns: Array(values.keys))
        guard !filter.conditions.isEmpty else {
            throw DatabaseError(.invalidRequest, backend: backendName, "refusing to update every row of \(table): give a filter")
        }
        let info = try await tableInfo(table)
        let statement = try PostgresTableSQL.update(info, filter: filter, values: values, returning: returning)
        let context = "update \(table)"
        guard returning else {
            let logger = self.logger
            try await withConnection(context) { connection in try await connection.run(statement, logger: logger) }
            return []
        }
        return try await rows(statement, context: context)
    }

    public func delete(_ table: String, filter: RowFilter) async throws -> Int? {
        try check(table, filter: filter, columns: [])
        guard !filter.conditions.isEmpty else {
            throw DatabaseError(.invalidRequest, backend: backendName, "refusing to delete every row of \(table): give a filter")
        }
        let info = try await tableInfo(table)
        let statement = try PostgresTableSQL.delete(info, filter: filter)
        let context = "delete from \(table)"
        let logger = self.logger
        let text = try await withConnection(context) { connection in
            try await connection.singleText(statement, logger: logger)
        }
        guard let text, let count = Int(text) else {
            throw errors.databaseError(.malformedResponse, "\(context): no row count came back")
        }
        return count
    }

    /// `SELECT 1` within 2 seconds, or `.unavailable`.
    public func ping() async throws {
        let client = self.client
        let logger = self.logger
        let answered: Bool?
        await running.wait()
        do {
            answered = try await PostgresLeaseTimeout.withDeadline(.seconds(2)) {
                try await PostgresLeaseTimeout.withConnection(client, wait: .seconds(2)) { connection in
                    try await connection.run(PostgresStatement("SELECT 1"), logger: logger)
                    return true
                }
            }
        } catch is PostgresLeaseTimeout.Expired {
            answered = nil
        } catch {
            throw errors.map(error, context: "ping")
        }
        guard answered != nil else {
            throw errors.databaseError(.unavailable, "ping: PostgreSQL at \(dsn.endpoint) did not answer within 2 s")
        }
    }

    /// Stops the pool's background task, closing every connection. Safe to call more than once.
    public func close() async throws {
        runTask.cancel()
        await runTask.value
    }

    // MARK: - SchemaMigrating

    /// Applies the pending PostgreSQL migrations (``PostgresMigrationRunner``).
    public func migrate() async throws -> MigrationReport {
        defer { forgetCatalog() }
        return try await PostgresMigrationRunner().run(on: self)
    }

    /// Drops the cached function signatures and table columns (after schema changes).
    public func forgetCatalog() {
        functions.withLock { $0.removeAll() }
        tables.withLock { $0.removeAll() }
    }

    // MARK: - Internals

    /// Runs `body` on a pooled connection, mapping every failure to ``DatabaseError``.
    func withConnection<Result: Sendable>(
        _ context: String,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        await running.wait()
        do {
            // While the pool is known to work, lease directly: the timed race below costs two child tasks and a
            // timer per statement, which is most of the client's CPU at 16 connections. After any failure (and
            // before the first success) every lease is timed, so an outage is reported within `connectionWait`.
            if healthy.load(ordering: .relaxed) {
                let result = try await client.withConnection(body)
                return result
            }
            let result = try await PostgresLeaseTimeout.withConnection(client, wait: connectionWait, body)
            healthy.store(true, ordering: .relaxed)
            return result
        } catch is PostgresLeaseTimeout.Expired {
            healthy.store(false, ordering: .relaxed)
            throw await waitExpired(context)
        } catch {
            let mapped = errors.map(error, context: context)
            if (mapped as? DatabaseError)?.kind == .unavailable { healthy.store(false, ordering: .relaxed) }
            throw mapped
        }
    }

    /// The error for a connection wait that ran out: the stand-alone attempt's reason, or "all busy".
    private func waitExpired(_ context: String) async -> DatabaseError {
        let seconds = connectionWait.components.seconds
        if let failure = await Self.probe(dsn, logger: logger, errors: errors) {
            return errors.databaseError(.unavailable, "\(context): no connection within \(seconds) s; \(failure.message)")
        }
        return errors.databaseError(.unavailable, "\(context): PostgreSQL at \(dsn.endpoint) answers, but no pooled connection became free within \(seconds) s")
    }

    /// Opens one stand-alone connection and runs `SELECT 1`; the failure (`.unavailable`), or `nil` when it worked.
    static func probe(_ dsn: PostgresDSN, logger: Logger, errors: PostgresErrorMapping) async -> DatabaseError? {
        let limit = Duration.seconds(dsn.connectTimeoutSeconds + 2)
        do {
            let configuration = try dsn.connectionConfiguration()
            let answered = try await PostgresLeaseTimeout.withDeadline(limit) {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                do {
                    try await connection.query("SELECT 1", logger: logger)
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
                return true
            }
            if answered == nil {
                return errors.databaseError(.unavailable, "cannot connect to PostgreSQL at \(dsn.endpoint): no answer within \(limit.components.seconds) s")
            }
            return nil
        } catch {
            return errors.connectFailure(error)
        }
    }

    private func check(_ table: String, filter: RowFilter, columns: [String]) throws {
        try SQLIdentifier.check(table, qualified: true, backend: backendName)
        try filter.validate(backend: backendName)
        for column in columns { try SQLIdentifier.check(column, backend: backendName) }
    }

    private func rows(_ statement: PostgresStatement, context: String) async throws -> [JSONObject] {
        let logger = self.logger
        let text = try await withConnection(context) { connection in
            try await connection.singleText(statement, logger: logger)
        }
        guard let text, case .array(let items) = try decodeJSON(text, context: context) else {
            throw errors.databaseError(.malformedResponse, "\(context): rows did not come back as a JSON array")
        }
        return try items.map { item in
            guard case .object(let row) = item else {
                throw errors.databaseError(.malformedResponse, "\(context): a row is not a JSON object")
            }
            return row
        }
    }

    private func decodeJSON(_ text: String, context: String) throws -> JSONValue {
        do {
            return try JSONValue(jsonText: text)
        } catch {
            throw errors.map(error, context: context)
        }
    }

    /// The overloads of `function`, from the cache unless `refresh`; empty → `.invalidRequest`.
    private func signatures(of function: String, refresh: Bool) async throws -> (value: [PostgresFunctionSignature], cached: Bool) {
        if !refresh, let cached = functions.withLock({ $0[function] }) { return (cached, true) }
        let parts = function.split(separator: ".").map(String.init)
        var statement = PostgresStatement(PostgresFunctionSignature.catalogSQL)
        _ = statement.bind(parts.last ?? function)
        _ = statement.bind(parts.count == 2 ? parts[0] : nil)
        let catalogQuery = statement
        let logger = self.logger
        let text = try await withConnection("rpc \(function)") { connection in
            try await connection.singleText(catalogQuery, logger: logger)
        }
        let overloads = try PostgresFunctionSignature.decode(text ?? "[]", name: parts.last ?? function)
        guard !overloads.isEmpty else {
            throw DatabaseError(.invalidRequest, backend: backendName,
                                "unknown function \(function) (not found in the search path; has the database been migrated?)")
        }
        functions.withLock { $0[function] = overloads }
        return (overloads, false)
    }

    /// The table's columns, from the cache or the catalog; unknown table → `.invalidRequest`.
    private func tableInfo(_ table: String) async throws -> PostgresTableInfo {
        if let cached = tables.withLock({ $0[table] }) { return cached }
        var statement = PostgresStatement(PostgresTableInfo.catalogSQL)
        _ = statement.bind(SQLIdentifier.quoted(table))
        let catalogQuery = statement
        let logger = self.logger
        let text = try await withConnection("read columns of \(table)") { connection in
            try await connection.singleText(catalogQuery, logger: logger)
        }
        let info = try PostgresTableInfo.decode(text, name: table)
        tables.withLock { $0[table] = info }
        return info
    }
}

/// Opens once the pool's `run()` task has started, so no lease is requested before it (PostgresNIO warns
/// about that).
private final class RunGate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        if state.withLock({ $0.open }) { return }
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
