import CoordinatorCore
import GRDB

/// One storage function of the embedded backend: its parameter names and its body, which runs inside the
/// caller's `BEGIN IMMEDIATE` transaction. An optional `prepare` step runs before the transaction, on the caller's
/// thread, for work that needs no database (so the single writer holds its lock for less time).
struct StorageFunction: Sendable {
    let name: String
    let parameters: Set<String>
    let prepare: (@Sendable (StorageArguments) throws -> StorageArguments)?
    let body: @Sendable (Database, StorageArguments) throws -> JSONValue

    init(_ name: String, parameters: [String], prepare: (@Sendable (StorageArguments) throws -> StorageArguments)? = nil,
         body: @escaping @Sendable (Database, StorageArguments) throws -> JSONValue) {
        self.name = name
        self.parameters = Set(parameters)
        self.prepare = prepare
        self.body = body
    }

    /// Every storage function the embedded backend implements, by name.
    static let all: [String: StorageFunction] = {
        let functions = LockFunctions.all + WorkQueueFunctions.all + HandoffFunctions.all + DiscoveryFunctions.all
            + MemoryFunctions.all + AuditFunctions.all
            + VerificationFunctions.all + GuardrailFunctions.all + ProfileFunctions.all + NetworkFunctions.all
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
