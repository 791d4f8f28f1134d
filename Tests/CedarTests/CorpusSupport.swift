import Foundation
import Testing

@testable import Cedar

/// A JSON value decoded with Foundation, enough to read the test format and write a context back as JSON text.
enum TestJSON: Decodable {
    case null
    case bool(Bool)
    case long(Int64)
    case double(Double)
    case string(String)
    case array([TestJSON])
    case object([String: TestJSON])

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: Key.self) {
            var members: [String: TestJSON] = [:]
            for key in container.allKeys { members[key.stringValue] = try container.decode(TestJSON.self, forKey: key) }
            self = .object(members)
        } else if var container = try? decoder.unkeyedContainer() {
            var items: [TestJSON] = []
            while !container.isAtEnd { items.append(try container.decode(TestJSON.self)) }
            self = .array(items)
        } else {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Int64.self) {
                self = .long(value)
            } else if let value = try? container.decode(Double.self) {
                self = .double(value)
            } else {
                self = .string(try container.decode(String.self))
            }
        }
    }

    static func parse(_ data: Data) throws -> TestJSON { try JSONDecoder().decode(TestJSON.self, from: data) }

    subscript(key: String) -> TestJSON? {
        if case .object(let members) = self { members[key] } else { nil }
    }

    var string: String? { if case .string(let value) = self { value } else { nil } }
    var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    var array: [TestJSON]? { if case .array(let value) = self { value } else { nil } }

    /// Compact JSON text (strings escaped scalar by scalar, so their exact contents survive).
    var jsonText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .long(let value): return String(value)
        case .double(let value): return String(value)
        case .string(let value): return Self.quote(value)
        case .array(let items): return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.map { Self.quote($0.key) + ":" + $0.value.jsonText }.joined(separator: ",") + "}"
        }
    }

    private static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// An entity uid written `{"type", "id"}` or `{"__entity": {"type", "id"}}`.
    var entityUID: EntityUID? {
        if let inner = self["__entity"] { return inner.entityUID }
        guard let type = self["type"]?.string, let id = self["id"]?.string, let name = Name(qualified: type) else {
            return nil
        }
        return EntityUID(type: name, id: CedarString(id))
    }
}
