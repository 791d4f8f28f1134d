import Foundation

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

/// Raised when text is not the JSON it should be.
public struct JSONTextError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

extension JSONValue {
    /// Parses JSON text (any value, not only objects and arrays).
    public init(jsonText: String) throws {
        try self.init(jsonData: Data(jsonText.utf8))
    }

    public init(jsonData: Data) throws {
        do {
            self = try JSONDecoder().decode(JSONValue.self, from: jsonData)
        } catch {
            throw JSONTextError(description: "not valid JSON: \(Self.describe(error))")
        }
    }

    /// Compact JSON text with sorted keys, so output is stable.
    public var jsonText: String {
        String(decoding: jsonData(pretty: false), as: UTF8.self)
    }

    /// Indented JSON text with sorted keys.
    public var prettyJSONText: String {
        String(decoding: jsonData(pretty: true), as: UTF8.self)
    }

    public func jsonData(pretty: Bool = false) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a JSONValue cannot fail: every case maps to a JSON value (non-finite doubles become null).
        return (try? encoder.encode(self.finite)) ?? Data("null".utf8)
    }

    private var finite: JSONValue {
        switch self {
        case .double(let value) where !value.isFinite: return .null
        case .array(let values): return .array(values.map(\.finite))
        case .object(let members): return .object(members.mapValues(\.finite))
        default: return self
        }
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return String(describing: error)
    }
}
