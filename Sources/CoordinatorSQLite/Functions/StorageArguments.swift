import CoordinatorCore
import Foundation

/// The named parameters of one storage-function call, read with the same types and defaults the PostgreSQL
/// functions declare. A parameter the function does not have, or a value of the wrong type, is refused.
struct StorageArguments {
    let function: String
    let values: JSONObject
    /// What the function's `prepare` step computed before the transaction (see ``StorageFunction``).
    var prepared: (any Sendable)?

    init(_ values: JSONObject, function: String, accepts names: Set<String>) throws {
        for name in values.keys where !names.contains(name) {
            throw SQLiteFailure.invalid("function \(function) has no parameter \(name)")
        }
        self.function = function
        self.values = values
    }

    /// Text, or nil for absent/null. Numbers and booleans are accepted as their text, as PostgreSQL casts them.
    func text(_ name: String) throws -> String? {
        switch values[name] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case .int(let number)?: return String(number)
        case .bool(let flag)?: return flag ? "true" : "false"
        case let other?: throw mismatch(name, "text", other)
        }
    }

    /// An integer; `fallback` when absent, nil when explicitly null.
    func integer(_ name: String, default fallback: Int?) throws -> Int? {
        switch values[name] {
        case nil: return fallback
        case .null?: return nil
        case let value?:
            if let number = value.intValue { return number }
            if let text = value.stringValue, let number = Int(text.trimmingCharacters(in: .whitespaces)) { return number }
            throw mismatch(name, "integer", value)
        }
    }

    func boolean(_ name: String) throws -> Bool? {
        switch values[name] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        case .string(let text)? where ["true", "false"].contains(text.lowercased()): return text.lowercased() == "true"
        case let other?: throw mismatch(name, "boolean", other)
        }
    }

    /// A text array; nil when absent or null.
    func textArray(_ name: String) throws -> [String]? {
        switch values[name] {
        case nil, .null?: return nil
        case .array(let items)?:
            return try items.map {
                guard let text = $0.stringValue else { throw mismatch(name, "text[]", .array(items)) }
                return text
            }
        case let other?: throw mismatch(name, "text[]", other)
        }
    }

    /// A JSON document (any value); `fallback` when absent.
    func json(_ name: String, default fallback: JSONValue = .null) -> JSONValue {
        values[name] ?? fallback
    }

    /// A timestamp; `fallback` when absent or null.
    func timestamp(_ name: String, default fallback: @autoclosure () -> Date) throws -> Date {
        switch values[name] {
        case nil, .null?: return fallback()
        case .string(let text)?:
            guard let date = Timestamp.parse(text) else { throw mismatch(name, "timestamptz", .string(text)) }
            return date
        case let other?: throw mismatch(name, "timestamptz", other)
        }
    }

    /// `p_now`, the caller's clock; the machine clock when absent.
    func now() throws -> Date { try timestamp("p_now", default: Date()) }

    private func mismatch(_ name: String, _ expected: String, _ value: JSONValue) -> SQLiteFailure {
        .invalid("function \(function): parameter \(name) must be \(expected), got \(value.typeName)")
    }
}

extension String {
    /// True for nil-equivalent blank text, as the SQL functions' `btrim(x) = ''` checks.
    var isBlank: Bool { trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
}
