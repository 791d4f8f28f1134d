import CoordinatorCore
import Foundation
import GRDB

/// How a column's declared type (see `database/sqlite/*.sql`) maps SQLite storage to JSON and back.
enum SQLiteColumnType: Sendable, Equatable {
    case text, integer, real, boolean, timestamp, json, uuid

    init(declared: String) {
        switch declared.uppercased() {
        case "TIMESTAMP_TEXT": self = .timestamp
        case "JSON_TEXT", "TEXT_ARRAY": self = .json
        case "UUID_TEXT": self = .uuid
        case "BOOLEAN": self = .boolean
        case "INTEGER", "INT", "BIGINT": self = .integer
        case "REAL", "DOUBLE", "FLOAT": self = .real
        default: self = .text
        }
    }

    /// The JSON form of a stored value.
    func json(from value: DatabaseValue) -> JSONValue {
        switch value.storage {
        case .null: return .null
        case .int64(let number):
            return self == .boolean ? .bool(number != 0) : .int(Int(number))
        case .double(let number): return .double(number)
        case .string(let text):
            if self == .json { return (try? JSONValue(jsonText: text)) ?? .string(text) }
            return .string(text)
        case .blob(let data): return .string(data.base64EncodedString())
        }
    }

    /// The stored form of a JSON value written to this column.
    func databaseValue(from value: JSONValue) throws -> DatabaseValue {
        switch (self, value) {
        case (_, .null): return .null
        case (.json, _): return value.jsonText.databaseValue
        case (.boolean, .bool(let flag)): return (flag ? 1 : 0).databaseValue
        case (.timestamp, .string(let text)):
            guard let canonical = Timestamp.canonical(text) else {
                throw SQLiteFailure.invalid("not an ISO-8601 timestamp: \(String(reflecting: text))")
            }
            return canonical.databaseValue
        case (.uuid, .string(let text)): return text.lowercased().databaseValue
        case (_, .bool(let flag)): return (flag ? 1 : 0).databaseValue
        case (_, .int(let number)): return number.databaseValue
        case (_, .double(let number)): return number.databaseValue
        case (_, .string(let text)): return text.databaseValue
        case (_, .array), (_, .object): return value.jsonText.databaseValue
        }
    }

    /// The stored form of a PostgREST filter literal compared with this column.
    func databaseValue(fromLiteral literal: String) throws -> DatabaseValue {
        switch self {
        case .timestamp:
            if literal == "now()" { return Timestamp.format(Date()).databaseValue }
            return try databaseValue(from: .string(literal))
        case .boolean:
            switch literal.lowercased() {
            case "true": return 1.databaseValue
            case "false": return 0.databaseValue
            default: return literal.databaseValue
            }
        case .integer:
            if let number = Int(literal) { return number.databaseValue }
            return literal.databaseValue
        case .real:
            if let number = Double(literal) { return number.databaseValue }
            return literal.databaseValue
        case .uuid: return literal.lowercased().databaseValue
        case .text, .json: return literal.databaseValue
        }
    }
}

/// Problems the embedded backend reports as ``CoordinatorCore/DatabaseError``.
enum SQLiteFailure: Error {
    case invalid(String)
}
