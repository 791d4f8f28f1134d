import CoordinatorCore
import CoordinatorSchema
import Foundation
import PostgresNIO

/// Brings a PostgreSQL database up to date with the numbered migration files.
///
/// - History lives in `schema_migrations(version, name, checksum, applied_at)`, created when absent.
/// - Every step runs in a transaction that first takes `pg_advisory_xact_lock` on a fixed key, so coordinators
///   starting at the same moment migrate one after the other; each re-reads the history under the lock.
/// - The history is checked against the known files with ``MigrationPlan/pending(known:applied:)``: an edited,
///   unknown or out-of-order migration stops everything with a `.schema` error.
/// - Each pending file runs in its own transaction together with its `schema_migrations` row, so a failing
///   file leaves no trace and the files before it stay applied.
///
/// Multi-statement files: PostgresNIO 1.33 speaks only the extended query protocol, which accepts one
/// statement per query, and has no simple-query API. So the file's text is handed to the server as a bound
/// parameter (a transaction-local setting) and executed by a PL/pgSQL `EXECUTE`, which parses and runs
/// several statements in order, like the simple protocol. Files must therefore not contain transaction control
/// (`BEGIN`/`COMMIT`) or statements that cannot run inside a transaction block.
public struct PostgresMigrationRunner: Sendable {
    public let migrations: [Migration]

    /// Key of the advisory lock that serialises migration runs ("coordmig" in ASCII).
    public static let advisoryLockKey: Int64 = 0x636F_6F72_646D_6967

    public init(migrations: [Migration] = SchemaFiles.postgres) {
        self.migrations = migrations
    }

    /// Applies every pending migration through `client`'s pool and reports what ran. Running it again is a no-op.
    public func run(on client: DirectPostgresClient) async throws -> MigrationReport {
        let logger = client.logger
        let lock = "SELECT pg_catalog.pg_advisory_xact_lock(\(Self.advisoryLockKey))"
        try await client.withConnection("migrate: create schema_migrations") { connection in
            try await connection.withTransaction(logger: logger) { connection in
                try await connection.run(PostgresStatement(lock), logger: logger)
                try await connection.run(PostgresStatement(Self.createHistorySQL), logger: logger)
            }
        }

        var applied: [String] = []
        var alreadyApplied: Int?
        let known = migrations
        while true {
            let step = try await client.withConnection("migrate") { connection in
                try await connection.withTransaction(logger: logger) { connection -> Step in
                    try await connection.run(PostgresStatement(lock), logger: logger)
                    let history = try await Self.readHistory(connection, logger: logger, client: client)
                    let pending: [Migration]
                    do {
                        pending = try MigrationPlan.pending(known: known, applied: history)
                    } catch let problem as MigrationPlan.Problem {
                        throw client.errors.databaseError(.schema, "migrate: \(problem.description)")
                    }
                    guard let next = pending.first else { return Step(historyCount: history.count, applied: nil) }
                    try await Self.apply(next, connection, logger: logger, client: client)
                    return Step(historyCount: history.count, applied: next.name)
                }
            }
            if alreadyApplied == nil { alreadyApplied = step.historyCount }
            guard let name = step.applied else { break }
            logger.info("applied migration", metadata: ["migration": "\(name)"])
            applied.append(name)
        }
        return MigrationReport(applied: applied, alreadyApplied: alreadyApplied ?? 0)
    }

    private struct Step: Sendable {
        let historyCount: Int
        let applied: String?
    }

    static let createHistorySQL = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer PRIMARY KEY,
            name       text NOT NULL,
            checksum   text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """

    private static func readHistory(_ connection: PostgresConnection, logger: Logger,
                                    client: DirectPostgresClient) async throws -> [AppliedMigration] {
        let sql = """
            SELECT coalesce(jsonb_agg(jsonb_build_object('version', version, 'name', name, 'checksum', checksum)
                                      ORDER BY version), '[]'::jsonb)::text
            FROM schema_migrations
            """
        let text: String?
        do {
            text = try await connection.singleText(PostgresStatement(sql), logger: logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42703" {
            throw client.errors.databaseError(.schema, "migrate: the table schema_migrations exists but is not the coordinator's (expected columns version, name, checksum, applied_at): \(PostgresErrorMapping.serverText(error.serverInfo!))")
        }
        guard let text, case .array(let rows) = try JSONValue(jsonText: text) else {
            throw client.errors.databaseError(.malformedResponse, "migrate: cannot read schema_migrations")
        }
        return try rows.map { row in
            guard let version = row["version"]?.intValue, let name = row["name"]?.stringValue,
                let checksum = row["checksum"]?.stringValue
            else {
                throw client.errors.databaseError(.malformedResponse, "migrate: a schema_migrations row lacks version, name or checksum")
            }
            return AppliedMigration(version: version, name: name, checksum: checksum)
        }
    }

    /// Runs one file and records it, inside the caller's transaction.
    private static func apply(_ migration: Migration, _ connection: PostgresConnection, logger: Logger,
                              client: DirectPostgresClient) async throws {
        var load = PostgresStatement()
        load.sql = "SELECT pg_catalog.set_config('coordinator.migration_sql', \(load.bind(migration.sql)), true)"
        try await connection.run(load, logger: logger)
        do {
            try await connection.run(PostgresStatement(executeSQL), logger: logger)
        } catch let error as PSQLError where error.code == .server && error.serverInfo != nil {
            let server = error.serverInfo!
            var message = "migrate: migration \(migration.name) failed: \(PostgresErrorMapping.serverText(server))"
            if let line = line(in: migration.sql, position: server[.internalPosition]) {
                message += " (line \(line) of \(migration.name).sql)"
            }
            throw client.errors.databaseError(.schema, message)
        }
        var record = PostgresStatement()
        record.sql = "INSERT INTO schema_migrations (version, name, checksum) VALUES ("
            + "\(record.bind(migration.version))::integer, \(record.bind(migration.name)), \(record.bind(migration.checksum)))"
        try await connection.run(record, logger: logger)
    }

    /// Executes the text placed in `coordinator.migration_sql` as a sequence of statements.
    static let executeSQL = """
        DO $coordinator_migration$
        BEGIN
            EXECUTE pg_catalog.current_setting('coordinator.migration_sql');
        END
        $coordinator_migration$
        """

    /// The 1-based line of a 1-based character position in `sql` (the server's `internalPosition`).
    static func line(in sql: String, position: String?) -> Int? {
        guard let position, let offset = Int(position), offset >= 1 else { return nil }
        var line = 1
        for (index, character) in sql.unicodeScalars.enumerated() {
            if index >= offset - 1 { break }
            if character == "\n" { line += 1 }
        }
        return line
    }
}
