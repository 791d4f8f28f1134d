import CoordinatorCore
import GRDB

/// One storage function of the embedded backend: its parameter names and its body, which runs inside the
/// caller's `BEGIN IMMEDIATE` transaction.
struct StorageFunction: Sendable {
    let name: String
    let parameters: Set<String>
    let body: @Sendable (Database, StorageArguments) throws -> JSONValue

    init(_ name: String, parameters: [String], body: @escaping @Sendable (Database, StorageArguments) throws -> JSONValue) {
        self.name = name
        self.parameters = Set(parameters)
        self.body = body
    }

    /// Every storage function the embedded backend implements, by name.
    static let all: [String: StorageFunction] = {
        let functions = LockFunctions.all + WorkQueueFunctions.all + HandoffFunctions.all + DiscoveryFunctions.all
        return Dictionary(uniqueKeysWithValues: functions.map { ($0.name, $0) })
    }()
}

extension Database {
    /// All rows of a statement as JSON objects, converting by the given column types (text otherwise).
    func jsonRows(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = [],
                  types: [String: SQLiteColumnType] = [:]) throws -> [JSONObject] {
        try Row.fetchAll(self, sql: sql, arguments: StatementArguments(arguments)).map { row in
            var object: JSONObject = [:]
            for (column, value) in zip(row.columnNames, row.databaseValues) {
                object[column] = (types[column] ?? .text).json(from: value)
            }
            return object
        }
    }
}
