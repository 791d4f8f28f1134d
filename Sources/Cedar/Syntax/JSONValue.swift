/// A minimal JSON value for Cedar's JSON formats, keeping strings scalar-exact (no Foundation bridging) and Int64
/// numbers exact. Objects keep member order; equality compares objects as unordered maps.
public enum JSONValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Int64)
    /// A non-integer number, kept as written.
    case decimal(String)
    case string(CedarString)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (left: JSONValue, right: JSONValue) -> Bool {
        switch (left, right) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.decimal(let a), .decimal(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let other = b.first(where: { $0.0.utf8.elementsEqual(key.utf8) }), other.1 == value else {
                    return false
                }
            }
            return true
        default: return false
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first { $0.0.utf8.elementsEqual(key.utf8) }?.1 }
        return nil
    }

    /// Compact JSON text.
    public var description: String {
        var out = ""
        write(into: &out)
        return out
    }

    func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += String(n)
        case .decimal(let d): out += d
        case .string(let s): JSONValue.writeString(s.string, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                JSONValue.writeString(key, into: &out)
                out += ":"
                value.write(into: &out)
            }
            out += "}"
        }
    }

    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// Parses JSON text. Throws `JSONValue.ParseError` on malformed input.
    public static func parse(_ text: String) throws(JSONValue.ParseError) -> JSONValue {
        var reader = Reader(bytes: Array(text.utf8))
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.i == reader.bytes.count else { throw ParseError(offset: reader.i, message: "trailing characters") }
        return value
    }

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var offset: Int
        public var message: String
        public var description: String { "JSON error at byte \(offset): \(message)" }
    }

    private struct Reader {
        let bytes: [UInt8]
        var i = 0

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0a || bytes[i] == 0x0d || bytes[i] == 0x09 {
                i += 1
            }
        }

        func fail(_ message: String) -> ParseError { ParseError(offset: i, message: message) }

        mutating func literal(_ word: String, _ value: JSONValue) throws(ParseError) -> JSONValue {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { throw fail("bad literal") }
            i += w.count
            return value
        }

        mutating func value(depth: Int) throws(ParseError) -> JSONValue {
            guard depth < 512 else { throw fail("nesting too deep") }
            guard i < bytes.count else { throw fail("unexpected end") }
            switch bytes[i] {
            case 0x6e: return try literal("null", .null)
            case 0x74: return try literal("true", .bool(true))
            case 0x66: return try literal("false", .bool(false))
            case 0x22: return .string(CedarString(scalars: try string()))
            case 0x5b:
                i += 1
                var items: [JSONValue] = []
                skipSpace()
                if i < bytes.count, bytes[i] == 0x5d { i += 1; return .array(items) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard i < bytes.count else { throw fail("unexpected end") }
                    if bytes[i] == 0x2c { i += 1; continue }
                    if bytes[i] == 0x5d { i += 1; return .array(items) }
                    throw fail("expected , or ]")
                }
            case 0x7b:
                i += 1
                var members: [(String, JSONValue)] = []
                skipSpace()
                if i < bytes.count, bytes[i] == 0x7d { i += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == 0x22 else { throw fail("expected a key") }
                    var key = ""
                    key.unicodeScalars.append(contentsOf: try string())
                    skipSpace()
                    guard i < bytes.count, bytes[i] == 0x3a else { throw fail("expected :") }
                    i += 1
                    skipSpace()
                    members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard i < bytes.count else { throw fail("unexpected end") }
                    if bytes[i] == 0x2c { i += 1; continue }
                    if bytes[i] == 0x7d { i += 1; return .object(members) }
                    throw fail("expected , or }")
                }
            default:
                let start = i
                if bytes[i] == 0x2d { i += 1 }
                while i < bytes.count, (0x30...0x39).contains(bytes[i]) || bytes[i] == 0x2e || bytes[i] == 0x65
                    || bytes[i] == 0x45 || bytes[i] == 0x2b || bytes[i] == 0x2d
                {
                    i += 1
                }
                let text = String(decoding: bytes[start..<i], as: UTF8.self)
                guard !text.isEmpty, text != "-" else { throw fail("unexpected character") }
                if let n = Int64(text) { return .number(n) }
                return .decimal(text)
            }
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16)
            else { throw fail("bad \\u escape") }
            i += 4
            return v
        }

        mutating func string() throws(ParseError) -> [Unicode.Scalar] {
            i += 1
            var out: [Unicode.Scalar] = []
            while true {
                guard i < bytes.count else { throw fail("unterminated string") }
                let b = bytes[i]
                if b == 0x22 { i += 1; return out }
                if b == 0x5c {
                    i += 1
                    guard i < bytes.count else { throw fail("unterminated string") }
                    let c = bytes[i]
                    i += 1
                    switch c {
                    case 0x22: out.append("\"")
                    case 0x5c: out.append("\\")
                    case 0x2f: out.append("/")
                    case 0x62: out.append("\u{8}")
                    case 0x66: out.append("\u{c}")
                    case 0x6e: out.append("\n")
                    case 0x72: out.append("\r")
                    case 0x74: out.append("\t")
                    case 0x75:
                        var v = try hex4()
                        if (0xd800..<0xdc00).contains(v), i + 1 < bytes.count, bytes[i] == 0x5c, bytes[i + 1] == 0x75 {
                            i += 2
                            let low = try hex4()
                            guard (0xdc00..<0xe000).contains(low) else { throw fail("bad surrogate pair") }
                            v = 0x10000 + ((v - 0xd800) << 10) + (low - 0xdc00)
                        }
                        guard let scalar = Unicode.Scalar(v) else { throw fail("lone surrogate") }
                        out.append(scalar)
                    default: throw fail("bad escape")
                    }
                    continue
                }
                if b < 0x20 { throw fail("control character in string") }
                let (scalar, length) = Lexer.scalar(in: bytes, at: i)
                out.append(scalar)
                i += length
            }
        }
    }
}
