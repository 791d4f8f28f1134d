import PostgresNIO

/// SQL text with numbered placeholders (`$1`, `$2`, …) and their bound values, built piece by piece.
///
/// Every value is bound, never spliced into the text; only checked identifiers and type names read from the
/// catalog appear in the SQL itself.
struct PostgresStatement: Sendable {
    var sql: String = ""
    private(set) var binds = PostgresBindings()

    init(_ sql: String = "") {
        self.sql = sql
    }

    /// Binds text (or NULL) and returns its placeholder.
    mutating func bind(_ text: String?) -> String {
        if let text {
            binds.append(text)
        } else {
            binds.appendNull()
        }
        return "$\(binds.count)"
    }

    /// Binds an integer (`int8`) and returns its placeholder.
    mutating func bind(_ number: Int) -> String {
        binds.append(number)
        return "$\(binds.count)"
    }

    /// Binds a text array (`text[]`) and returns its placeholder.
    mutating func bind(_ texts: [String]) -> String {
        binds.append(texts)
        return "$\(binds.count)"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}

extension PostgresConnection {
    /// Runs a statement whose result is one nullable text column, and returns the first row's value
    /// (`nil` for NULL or no row).
    func singleText(_ statement: PostgresStatement, logger: Logger) async throws -> String? {
        let rows = try await query(statement.query, logger: logger)
        var result: String?
        for try await row in rows where result == nil {
            result = try row.decode(String?.self)
        }
        return result
    }

    /// Runs a statement and discards whatever it returns.
    func run(_ statement: PostgresStatement, logger: Logger) async throws {
        let rows = try await query(statement.query, logger: logger)
        for try await _ in rows {}
    }
}
