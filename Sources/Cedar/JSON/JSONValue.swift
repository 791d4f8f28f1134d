/// The one JSON value type of the Cedar module, used for entity and context JSON, JSON schemas and the JSON policy
/// format (EST).
///
/// - Strings and object keys are `CedarString`s: scalar-exact, never normalised (`"é"` and `"e\u{301}"` are different
///   keys, as in Cedar).
/// - Objects are ordered lists of members, never dictionaries, so nothing is merged or reordered; lookups compare keys
///   scalar by scalar.
/// - Numbers keep the text they were written with (`JSONNumber`); `int64` is the exact integer when there is one, so
///   callers can reject fractions, exponents and out-of-range integers with their own messages.
/// - Parsed values carry the position where they start (`position`); built values have none. Positions take no part
///   in equality.
public struct JSONValue: Sendable, Equatable, CustomStringConvertible {
    public indirect enum Kind: Sendable {
        case null
        case bool(Bool)
        case number(JSONNumber)
        case string(CedarString)
        case array([JSONValue])
        case object([JSONMember])
    }

    public var kind: Kind
    /// Where the value starts in the text it was parsed from; nil for values built in code.
    public var position: JSONPosition?

    public init(_ kind: Kind, position: JSONPosition? = nil) {
        self.kind = kind
        self.position = position
    }

    // MARK: Building

    public static let null = JSONValue(.null)

    public static func bool(_ value: Bool) -> JSONValue { JSONValue(.bool(value)) }

    public static func number(_ value: Int64) -> JSONValue { JSONValue(.number(JSONNumber(value))) }

    public static func string(_ value: CedarString) -> JSONValue { JSONValue(.string(value)) }

    public static func array(_ elements: [JSONValue]) -> JSONValue { JSONValue(.array(elements)) }

    /// An object with these members, in this order.
    public static func object(_ members: [(CedarString, JSONValue)]) -> JSONValue {
        JSONValue(.object(members.map { JSONMember(key: $0.0, value: $0.1) }))
    }

    /// The same with Swift-string keys (converted scalar by scalar, so nothing is normalised).
    public static func object(_ members: [(String, JSONValue)]) -> JSONValue {
        JSONValue(.object(members.map { JSONMember(key: CedarString($0.0), value: $0.1) }))
    }

    // MARK: Reading

    /// The value of the first member named `key` (compared scalar by scalar), if this is an object.
    public subscript(key: CedarString) -> JSONValue? {
        guard case .object(let members) = kind else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var isNull: Bool {
        if case .null = kind { return true }
        return false
    }

    public var boolValue: Bool? {
        if case .bool(let value) = kind { return value }
        return nil
    }

    public var stringValue: CedarString? {
        if case .string(let value) = kind { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = kind { return elements }
        return nil
    }

    public var objectMembers: [JSONMember]? {
        if case .object(let members) = kind { return members }
        return nil
    }

    /// What kind of value this is, for error messages: `null`, `a boolean`, `a number`, `a string`, `an array`,
    /// `an object`.
    public var kindDescription: String {
        switch kind {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    // MARK: Equality

    /// Structural equality; objects compare as unordered maps (keys by scalars); positions are ignored.
    public static func == (left: JSONValue, right: JSONValue) -> Bool {
        switch (left.kind, right.kind) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for member in a {
                guard let other = b.first(where: { $0.key == member.key }), other.value == member.value else {
                    return false
                }
            }
            return true
        default: return false
        }
    }

    /// Compact JSON text (see `JSONWriter`).
    public var description: String { JSONWriter.compact(self) }
}

/// One member of a JSON object.
public struct JSONMember: Sendable {
    public var key: CedarString
    public var value: JSONValue
    /// Where the key starts (its opening quote); nil for members built in code.
    public var keyPosition: JSONPosition?

    public init(key: CedarString, value: JSONValue, keyPosition: JSONPosition? = nil) {
        self.key = key
        self.value = value
        self.keyPosition = keyPosition
    }
}

/// A JSON number, kept as written.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number's text (RFC 8259 syntax), e.g. `-12`, `1.5e3`.
    public let text: String
    /// The exact value when the text is an integer (no fraction, no exponent) within the 64-bit range. `-0` has none:
    /// it is negative zero, which an `Int64` cannot hold (as in serde_json, which reads it as a float).
    public let int64: Int64?

    public init(_ value: Int64) {
        text = String(value)
        int64 = value
    }

    /// `text` must be a valid JSON number (the parser guarantees it).
    init(validatedText text: String) {
        self.text = text
        let isInteger = !text.utf8.contains { [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains($0) }
        int64 = isInteger && text != "-0" ? Int64(text) : nil
    }

    public var description: String { text }
}

/// A place in JSON text.
public struct JSONPosition: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based column, counting Unicode scalars.
    public var column: Int
    /// 1-based column, counting UTF-8 bytes (serde_json's convention, used in entity errors).
    public var utf8Column: Int
    /// 0-based offset from the start of the text, in Unicode scalars.
    public var offset: Int

    public var description: String { "\(line):\(column)" }
}
