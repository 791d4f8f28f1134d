import CoordinatorCore
import GRDB

/// A ``RowFilter`` as SQLite SQL: WHERE, ORDER BY and LIMIT clauses with bound arguments.
struct SQLiteFilterClause {
    var sql: String
    var arguments: [DatabaseValue]

    init(_ filter: RowFilter, columns: [String: SQLiteColumnType], table: String) throws {
        var conditions: [String] = []
        var arguments: [DatabaseValue] = []
        for condition in filter.conditions {
            guard let type = columns[condition.column] else {
                throw SQLiteFailure.invalid("table \(table) has no column \(condition.column)")
            }
            let column = SQLIdentifier.quoted(condition.column)
            switch condition.predicate {
            case .compare(let op, let literal):
                let symbol: String
                switch op {
                case .eq: symbol = "="
                case .neq: symbol = "<>"
                case .gt: symbol = ">"
                case .gte: symbol = ">="
                case .lt: symbol = "<"
                case .lte: symbol = "<="
                }
                conditions.append("\(column) \(symbol) ?")
                arguments.append(try type.databaseValue(fromLiteral: literal))
            case .isIn(let literals):
                if literals.isEmpty {
                    conditions.append("0")
                } else {
                    conditions.append("\(column) IN (\(Array(repeating: "?", count: literals.count).joined(separator: ", ")))")
                    arguments += try literals.map { try type.databaseValue(fromLiteral: $0) }
                }
            case .is(let value):
                switch value {
                case .null: conditions.append("\(column) IS NULL")
                case .true: conditions.append("\(column) IS 1")
                case .false: conditions.append("\(column) IS 0")
                }
            }
        }
        var sql = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        if !filter.order.isEmpty {
            for key in filter.order where columns[key.column] == nil {
                throw SQLiteFailure.invalid("table \(table) has no column \(key.column)")
            }
            sql += " ORDER BY " + filter.order.map { "\(SQLIdentifier.quoted($0.column)) \($0.ascending ? "ASC" : "DESC")" }
                .joined(separator: ", ")
        }
        if let limit = filter.limit {
            sql += " LIMIT ?"
            arguments.append(limit.databaseValue)
        }
        self.sql = sql
        self.arguments = arguments
    }
}
