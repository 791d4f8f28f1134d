import CoordinatorCore

/// The columns of one table (or view) and their types, read once from `pg_attribute`.
struct PostgresTableInfo: Sendable, Equatable {
    struct Column: Sendable, Equatable {
        let name: String
        /// `format_type` without type modifier, so casts never truncate or round (`character varying`, not
        /// `character varying(20)`).
        let type: String
        let isArray: Bool
    }

    /// The name as the caller gave it (checked), and double-quoted for SQL.
    let name: String
    let quotedName: String
    /// In table order.
    let columns: [Column]
    private let byName: [String: Column]

    init(name: String, columns: [Column]) {
        self.name = name
        self.quotedName = SQLIdentifier.quoted(name)
        self.columns = columns
        self.byName = Dictionary(columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The column, or `.invalidRequest` naming the table.
    func require(_ name: String) throws -> Column {
        guard let column = byName[name] else {
            throw DatabaseError(.invalidRequest, backend: DirectPostgresClient.name, "table \(self.name) has no column \(name)")
        }
        return column
    }

    /// `$1` = the quoted table name. One text value: the columns as a JSON array, or NULL when no such relation.
    static let catalogSQL = """
        SELECT CASE WHEN to_regclass($1::text) IS NULL THEN NULL ELSE (
            SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'name', a.attname,
                       'type', pg_catalog.format_type(a.atttypid, NULL),
                       'array', t.typcategory = 'A') ORDER BY a.attnum), '[]'::jsonb)::text
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            WHERE a.attrelid = to_regclass($1::text) AND a.attnum > 0 AND NOT a.attisdropped)
        END
        """

    static func decode(_ text: String?, name: String) throws -> PostgresTableInfo {
        guard let text else {
            throw DatabaseError(.invalidRequest, backend: DirectPostgresClient.name,
                                "no table named \(name) (has the database been migrated?)")
        }
        guard case .array(let items) = try JSONValue(jsonText: text) else {
            throw DatabaseError(.malformedResponse, backend: DirectPostgresClient.name, "catalog answer for table \(name) is not an array")
        }
        let columns = items.compactMap { item -> Column? in
            guard let column = item["name"]?.stringValue, let type = item["type"]?.stringValue else { return nil }
            return Column(name: column, type: type, isArray: item["array"]?.boolValue ?? false)
        }
        return PostgresTableInfo(name: name, columns: columns)
    }
}
