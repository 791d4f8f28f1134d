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
    /// Parses JSON text (any value, not only objects and arrays), strictly per RFC 8259.
    public init(jsonText: String) throws {
        self = try JSONParser.parse(Array(jsonText.utf8))
    }

    public init(jsonData: Data) throws {
        self = try JSONParser.parse(Array(jsonData))
    }

    public init(jsonBytes: [UInt8]) throws {
        self = try JSONParser.parse(jsonBytes)
    }

    /// Compact JSON text with sorted keys, so output is stable.
    public var jsonText: String {
        String(decoding: JSONWriter.write(self, pretty: false), as: UTF8.self)
    }

    /// Indented JSON text with sorted keys.
    public var prettyJSONText: String {
        String(decoding: JSONWriter.write(self, pretty: true), as: UTF8.self)
    }

    public func jsonData(pretty: Bool = false) -> Data {
        Data(JSONWriter.write(self, pretty: pretty))
    }

    /// The JSON text's UTF-8 bytes.
    public func jsonBytes(pretty: Bool = false) -> [UInt8] {
        JSONWriter.write(self, pretty: pretty)
    }
}
