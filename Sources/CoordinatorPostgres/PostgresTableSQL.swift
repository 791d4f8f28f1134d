import CoordinatorCore

/// Parameterised SQL for the table operations of ``DirectPostgresClient``.
///
/// Filter literals are bound as text and cast to the column's type (`"expires_at" > $1::text::timestamp with
/// time zone`); `now()` is the database's clock. Rows come back as JSON objects built by `to_jsonb`, and writes
/// let `jsonb_populate_record` convert JSON to column types, so only the given columns are written (the others
/// keep their defaults).
enum PostgresTableSQL {
    /// Alias of the row source in generated statements (not a column name anyone uses).
    static let rowAlias = "coordinator_row"
    private static let ordinal = "coordinator_ordinal__"

    /// `SELECT` as one JSON-array text, in the filter's order (kept through the aggregate with an ordinal).
    static func select(_ table: PostgresTableInfo, filter: RowFilter, columns: [String]?) throws -> PostgresStatement {
        var statement = PostgresStatement()
        let list: String
        if let columns {
            list = try columns.map { try table.require($0).name }.map(SQLIdentifier.quoted).joined(separator: ", ")
        } else {
            list = "\(rowAlias).*"
        }
        let whereClause = try condition(filter, table: table, into: &statement)
        let order = try orderBy(filter, table: table)
        var inner = "SELECT \(list.isEmpty ? "" : list + ", ")row_number() OVER (\(order.isEmpty ? "" : "ORDER BY \(order)")) AS \(ordinal) "
            + "FROM \(table.quotedName) AS \(rowAlias)"
        if let whereClause { inner += " WHERE \(whereClause)" }
        if !order.isEmpty { inner += " ORDER BY \(order)" }
        if let limit = filter.limit { inner += " LIMIT \(statement.bind(limit))" }
        statement.sql = "SELECT coalesce(jsonb_agg(to_jsonb(coordinator_page) - '\(ordinal)' ORDER BY coordinator_page.\(ordinal)), '[]'::jsonb)::text FROM (\(inner)) AS coordinator_page"
        return statement
    }

    /// `INSERT` of the given columns only; returns the stored row as JSON text when `returning`.
    static func insert(_ table: PostgresTableInfo, row: JSONObject, returning: Bool) throws -> PostgresStatement {
        var statement = PostgresStatement()
        let names = try row.keys.sorted().map { try table.require($0).name }
        let quoted = names.map(SQLIdentifier.quoted)
        if names.isEmpty {
            statement.sql = "INSERT INTO \(table.quotedName) AS \(rowAlias) DEFAULT VALUES"
        } else {
            let input = statement.bind(JSONValue.object(row).jsonText)
            statement.sql = "INSERT INTO \(table.quotedName) AS \(rowAlias) (\(quoted.joined(separator: ", "))) "
                + "SELECT \(quoted.map { "i.\($0)" }.joined(separator: ", ")) "
                + "FROM jsonb_populate_record(NULL::\(table.quotedName), \(input)::jsonb) AS i"
        }
        if returning { statement.sql += " RETURNING to_jsonb(\(rowAlias).*)::text" }
        return statement
    }

    /// `UPDATE` of the given columns on the filtered rows; one JSON-array text of the updated rows when
    /// `returning`, else nothing. Order and limit of the filter do not apply to writes.
    static func update(_ table: PostgresTableInfo, filter: RowFilter, values: JSONObject, returning: Bool) throws -> PostgresStatement {
        var statement = PostgresStatement()
        let quoted = try values.keys.sorted().map { try table.require($0).name }.map(SQLIdentifier.quoted)
        guard !quoted.isEmpty else {
            throw DatabaseError(.invalidRequest, backend: DirectPostgresClient.name, "update of \(table.name) sets no columns")
        }
        let input = statement.bind(JSONValue.object(values).jsonText)
        guard let whereClause = try condition(filter, table: table, into: &statement) else {
            throw refusal("update", table)
        }
        let update = "UPDATE \(table.quotedName) AS \(rowAlias) SET (\(quoted.joined(separator: ", "))) = "
            + "(SELECT \(quoted.map { "i.\($0)" }.joined(separator: ", ")) FROM jsonb_populate_record(NULL::\(table.quotedName), \(input)::jsonb) AS i) "
            + "WHERE \(whereClause)"
        if returning {
            statement.sql = "WITH coordinator_changed AS (\(update) RETURNING \(rowAlias).*) "
                + "SELECT coalesce(jsonb_agg(to_jsonb(coordinator_changed)), '[]'::jsonb)::text FROM coordinator_changed"
        } else {
            statement.sql = update
        }
        return statement
    }

    /// `DELETE` of the filtered rows; one text value: how many were deleted.
    static func delete(_ table: PostgresTableInfo, filter: RowFilter) throws -> PostgresStatement {
        var statement = PostgresStatement()
        guard let whereClause = try condition(filter, table: table, into: &statement) else {
            throw refusal("delete", table)
        }
        statement.sql = "WITH coordinator_gone AS (DELETE FROM \(table.quotedName) AS \(rowAlias) WHERE \(whereClause) RETURNING 1) "
            + "SELECT count(*)::text FROM coordinator_gone"
        return statement
    }

    /// The filter's conditions joined with AND (binding their literals), or `nil` when it has none.
    static func condition(_ filter: RowFilter, table: PostgresTableInfo, into statement: inout PostgresStatement) throws -> String? {
        guard !filter.conditions.isEmpty else { return nil }
        var parts: [String] = []
        for condition in filter.conditions {
            let column = try table.require(condition.column)
            let name = "\(rowAlias).\(SQLIdentifier.quoted(column.name))"
            switch condition.predicate {
            case .compare(let op, let literal):
                let value = literal == "now()" ? "now()" : "\(statement.bind(literal))::text::\(column.type)"
                parts.append("\(name) \(symbol(op)) \(value)")
            case .isIn(let literals):
                guard !column.isArray else {
                    throw DatabaseError(.invalidRequest, backend: DirectPostgresClient.name,
                                        "the in filter is not supported on the array column \(column.name) of \(table.name)")
                }
                if literals.isEmpty {
                    parts.append("FALSE")
                } else {
                    parts.append("\(name) = ANY (\(statement.bind(literals))::text[]::\(column.type)[])")
                }
            case .is(let value):
                switch value {
                case .null: parts.append("\(name) IS NULL")
                case .true: parts.append("\(name) IS TRUE")
                case .false: parts.append("\(name) IS FALSE")
                }
            }
        }
        return parts.joined(separator: " AND ")
    }

    /// `"a" ASC, "b" DESC` for every order key, in order (empty when none).
    static func orderBy(_ filter: RowFilter, table: PostgresTableInfo) throws -> String {
        try filter.order.map { key in
            let column = try table.require(key.column)
            return "\(rowAlias).\(SQLIdentifier.quoted(column.name)) \(key.ascending ? "ASC" : "DESC")"
        }.joined(separator: ", ")
    }

    static func symbol(_ op: RowFilter.ComparisonOperator) -> String {
        switch op {
        case .eq: return "="
        case .neq: return "<>"
        case .gt: return ">"
        case .gte: return ">="
        case .lt: return "<"
        case .lte: return "<="
        }
    }

    private static func refusal(_ verb: String, _ table: PostgresTableInfo) -> DatabaseError {
        DatabaseError(.invalidRequest, backend: DirectPostgresClient.name, "refusing to \(verb) every row of \(table.name): give a filter")
    }
}
