/// The storage contract every backend implements: atomic storage functions plus plain table access.
///
/// `rpc` runs one storage function (see `docs/storage-functions.md`) atomically; the table operations serve
/// listings and reads. Table and column names are checked with ``SQLIdentifier`` by every backend; values are
/// always bound as parameters, never spliced into SQL.
public protocol DatabaseClient: Sendable {
    /// Which backend this is (`sqlite`, `postgres`, `supabase`), for health output and errors.
    var backendName: String { get }

    /// Calls a storage function with named parameters (`p_file_path`, …) and returns its JSON result.
    func rpc(_ function: String, _ parameters: JSONObject) async throws -> JSONValue

    /// Rows of `table` that pass `filter`, in its order, with the `select`ed columns (`nil` = all).
    func query(_ table: String, filter: RowFilter, select: [String]?) async throws -> [JSONObject]

    /// Inserts one row; returns it as stored when `returning` is true.
    func insert(_ table: String, row: JSONObject, returning: Bool) async throws -> JSONObject?

    /// Sets `values` on every row that passes `filter`; returns the updated rows when `returning` is true.
    func update(_ table: String, filter: RowFilter, values: JSONObject, returning: Bool) async throws -> [JSONObject]

    /// Deletes every row that passes `filter`; returns how many were deleted when the backend can tell.
    func delete(_ table: String, filter: RowFilter) async throws -> Int?

    /// Checks that the database answers (used by health probes).
    func ping() async throws

    /// Releases connections. The client must not be used afterwards.
    func close() async throws
}

extension DatabaseClient {
    public func query(_ table: String, filter: RowFilter = RowFilter()) async throws -> [JSONObject] {
        try await query(table, filter: filter, select: nil)
    }

    @discardableResult
    public func insert(_ table: String, row: JSONObject) async throws -> JSONObject? {
        try await insert(table, row: row, returning: true)
    }
}

/// A backend that owns its schema and can bring it up to date (SQLite, PostgreSQL; not Supabase, whose
/// schema is applied with the PostgreSQL migrations by the operator).
public protocol SchemaMigrating: Sendable {
    /// Applies every pending migration in order and reports what ran.
    func migrate() async throws -> MigrationReport
}
