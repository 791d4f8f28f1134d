import CoordinatorCore
import CoordinatorSchema
import Foundation
import GRDB
import Synchronization

/// The embedded backend: one SQLite file in WAL mode that several coordinator processes may share.
///
/// Every storage function runs in one `BEGIN IMMEDIATE` transaction, so the write lock is taken before the
/// first read and two processes can never interleave a read-check-write. A busy timeout makes a second
/// writer wait instead of failing.
public final class SQLiteDatabaseClient: DatabaseClient, SchemaMigrating {
    public let backendName = "sqlite"
    public let path: String
    private let pool: DatabasePool
    private let closed = Atomic<Bool>(false)
    private let columnTypes = Mutex<[String: [String: SQLiteColumnType]]>([:])

    /// Opens (creating if needed, with its parent folder) the database at `config.path`. Does not migrate.
    public init(config: SQLiteConfig) throws {
        path = config.path
        let folder = URL(fileURLWithPath: config.path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw DatabaseError(.unavailable, backend: "sqlite", "cannot create folder \(folder.path): \(error.localizedDescription)")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(Double(config.busyTimeoutMilliseconds) / 1000)
        configuration.prepareDatabase { db in
            // WAL makes NORMAL durable against crashes of the process; only a power loss may drop the last commits.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        do {
            pool = try DatabasePool(path: config.path, configuration: configuration)
        } catch {
            throw Self.mapped(error, context: "cannot open \(config.path)")
        }
    }

    public func rpc(_ function: String, _ parameters: JSONObject) async throws -> JSONValue {
        try checkOpen()
        guard let storageFunction = StorageFunction.all[function] else {
            throw DatabaseError(.invalidRequest, backend: backendName, "unknown storage function \(String(reflecting: function))")
        }
        let arguments = try mapErrors(function) {
            let given = try StorageArguments(parameters, function: function, accepts: storageFunction.parameters)
            return try storageFunction.prepare?(given) ?? given
        }
        return try await write(function) { db in try storageFunction.body(db, arguments) }
    }

    public func query(_ table: String, filter: RowFilter, select: [String]?) async throws -> [JSONObject] {
        try checkOpen()
        try SQLIdentifier.check(table, backend: backendName)
        try filter.validate(backend: backendName)
        for column in select ?? [] { try SQLIdentifier.check(column, backend: backendName) }
        let types = try await columnTypes(of: table)
        if let unknown = (select ?? []).first(where: { types[$0] == nil }) {
            throw DatabaseError(.invalidRequest, backend: backendName, "table \(table) has no column \(unknown)")
        }
        let clause = try mapErrors(table) { try SQLiteFilterClause(filter, columns: types, table: table) }
        let columns = select.map { $0.map(SQLIdentifier.quoted).joined(separator: ", ") } ?? "*"
        let sql = "SELECT \(columns) FROM \(SQLIdentifier.quoted(table))\(clause.sql)"
        do {
            return try await pool.read { db in try db.jsonRows(sql, clause.arguments, types: types) }
        } catch {
            throw Self.mapped(error, context: "query \(table)")
        }
    }

    public func insert(_ table: String, row: JSONObject, returning: Bool) async throws -> JSONObject? {
        try checkOpen()
        try SQLIdentifier.check(table, backend: backendName)
        let types = try await columnTypes(of: table)
        let columns = row.keys.sorted()
        for column in columns where types[column] == nil {
            throw DatabaseError(.invalidRequest, backend: backendName, "table \(table) has no column \(column)")
        }
        let values = try mapErrors(table) { try columns.map { try types[$0]!.databaseValue(from: row[$0]!) } }
        let sql = "INSERT INTO \(SQLIdentifier.quoted(table)) (\(columns.map(SQLIdentifier.quoted).joined(separator: ", "))) "
            + "VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
        return try await write("insert into \(table)") { db in
            try db.execute(sql: sql, arguments: StatementArguments(values))
            guard returning else { return nil }
            return try db.jsonRows("SELECT * FROM \(SQLIdentifier.quoted(table)) WHERE rowid = ?", [db.lastInsertedRowID], types: types).first
        }
    }

    public func update(_ table: String, filter: RowFilter, values: JSONObject, returning: Bool) async throws -> [JSONObject] {
        try checkOpen()
        try SQLIdentifier.check(table, backend: backendName)
        try filter.validate(backend: backendName)
        guard !filter.conditions.isEmpty else {
            throw DatabaseError(.invalidRequest, backend: backendName, "refusing to update every row of \(table): give a filter")
        }
        let types = try await columnTypes(of: table)
        let columns = values.keys.sorted()
        for column in columns where types[column] == nil {
            throw DatabaseError(.invalidRequest, backend: backendName, "table \(table) has no column \(column)")
        }
        let assigned = try mapErrors(table) { try columns.map { try types[$0]!.databaseValue(from: values[$0]!) } }
        let clause = try mapErrors(table) { try SQLiteFilterClause(RowFilter(conditions: filter.conditions), columns: types, table: table) }
        let quotedTable = SQLIdentifier.quoted(table)
        return try await write("update \(table)") { db in
            let rowids = try Int64.fetchAll(db, sql: "SELECT rowid FROM \(quotedTable)\(clause.sql)", arguments: StatementArguments(clause.arguments))
            guard !rowids.isEmpty, !columns.isEmpty else { return [] }
            let setList = columns.map { "\(SQLIdentifier.quoted($0)) = ?" }.joined(separator: ", ")
            let idList = Array(repeating: "?", count: rowids.count).joined(separator: ", ")
            try db.execute(sql: "UPDATE \(quotedTable) SET \(setList) WHERE rowid IN (\(idList))",
                           arguments: StatementArguments(assigned + rowids.map(\.databaseValue)))
            guard returning else { return [] }
            return try db.jsonRows("SELECT * FROM \(quotedTable) WHERE rowid IN (\(idList))", rowids, types: types)
        }
    }

    public func delete(_ table: String, filter: RowFilter) async throws -> Int? {
        try checkOpen()
        try SQLIdentifier.check(table, backend: backendName)
        try filter.validate(backend: backendName)
        guard !filter.conditions.isEmpty else {
            throw DatabaseError(.invalidRequest, backend: backendName, "refusing to delete every row of \(table): give a filter")
        }
        let types = try await columnTypes(of: table)
        let clause = try mapErrors(table) { try SQLiteFilterClause(RowFilter(conditions: filter.conditions), columns: types, table: table) }
        let sql = "DELETE FROM \(SQLIdentifier.quoted(table))\(clause.sql)"
        return try await write("delete from \(table)") { db in
            try db.execute(sql: sql, arguments: StatementArguments(clause.arguments))
            return db.changesCount
        }
    }

    public func ping() async throws {
        try checkOpen()
        do {
            _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
        } catch {
            throw Self.mapped(error, context: "ping")
        }
    }

    public func close() async throws {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        do {
            try pool.close()
        } catch {
            throw Self.mapped(error, context: "close")
        }
    }

    public func migrate() async throws -> MigrationReport {
        try checkOpen()
        let known = SchemaFiles.sqlite
        let report = try await write("migrate") { db in try SQLiteMigrator.migrate(db, known: known) }
        columnTypes.withLock { $0.removeAll() }
        return report
    }

    // MARK: - Plumbing

    /// After ``close()`` every call fails with one clear error (SQLite itself would report a misleading one).
    private func checkOpen() throws {
        if closed.load(ordering: .acquiring) {
            throw DatabaseError(.unavailable, backend: backendName, "the database \(path) is closed")
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction, mapping every failure to ``DatabaseError``.
    private func write<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw Self.mapped(error, context: what)
        }
    }

    private func columnTypes(of table: String) async throws -> [String: SQLiteColumnType] {
        if let cached = columnTypes.withLock({ $0[table] }) { return cached }
        let types: [String: SQLiteColumnType]
        do {
            types = try await pool.read { db in
                var types: [String: SQLiteColumnType] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT name, type FROM pragma_table_info(?)", arguments: [table]) {
                    types[row["name"] as String] = SQLiteColumnType(declared: row["type"] as String)
                }
                return types
            }
        } catch {
            throw Self.mapped(error, context: "read columns of \(table)")
        }
        guard !types.isEmpty else {
            throw DatabaseError(.invalidRequest, backend: backendName, "no table named \(table) (has the database been migrated?)")
        }
        columnTypes.withLock { $0[table] = types }
        return types
    }

    private func mapErrors<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw Self.mapped(error, context: what) }
    }

    static func mapped(_ error: any Error, context: String) -> any Error {
        switch error {
        case let error as CoordinatorCore.DatabaseError: return error
        case let problem as MigrationPlan.Problem:
            return CoordinatorCore.DatabaseError(.schema, backend: "sqlite", problem.description)
        case SQLiteFailure.invalid(let message):
            return CoordinatorCore.DatabaseError(.invalidRequest, backend: "sqlite", message)
        case let error as GRDB.DatabaseError:
            let kind: CoordinatorCore.DatabaseError.Kind
            switch error.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_CANTOPEN, .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_READONLY:
                kind = .unavailable
            default: kind = .rejected
            }
            return CoordinatorCore.DatabaseError(kind, backend: "sqlite", "\(context): \(error.message ?? "\(error.resultCode)")")
        case is CancellationError: return error
        default:
            return CoordinatorCore.DatabaseError(.rejected, backend: "sqlite", "\(context): \(error)")
        }
    }
}
