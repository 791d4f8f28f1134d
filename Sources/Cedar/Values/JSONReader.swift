/// A JSON value as read by `JSONReader`: strings are scalar-exact `CedarString`s, objects keep their keys in order
/// (and never merge keys that Swift would consider equal), numbers keep their text, and every node knows where it
/// started.
public struct JSONNode: Sendable {
    public indirect enum Kind: Sendable {
        case null
        case bool(Bool)
        /// The number exactly as written (`-12`, `1.5e3`).
        case number(String)
        case string(CedarString)
        case array([JSONNode])
        case object([(key: CedarString, value: JSONNode)])
    }

    public let kind: Kind
    /// 1-based line and column (in bytes) of the node's first character.
    public let line: Int
    public let column: Int

    /// The value of `key` in an object node.
    public subscript(key: CedarString) -> JSONNode? {
        guard case .object(let members) = kind else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// Compact JSON text of the node (for error messages).
    public var jsonText: String {
        switch kind {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let text): return text
        case .string(let text): return JSONReader.quote(text)
        case .array(let items): return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.map { JSONReader.quote($0.key) + ":" + $0.value.jsonText }.joined(separator: ",") + "}"
        }
    }
}

/// A strict JSON (RFC 8259) reader: no trailing commas, comments, BOM, leading zeros, lone surrogates, raw control
/// characters or duplicate keys; nesting is limited to 128 levels (as in the reference engine's reader).
public enum JSONReader {
    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        public let message: String
        public let line: Int
        public let column: Int
        public var description: String { "\(message) at line \(line) column \(column)" }
    }

    public static let maximumDepth = 128

    public static func parse(_ text: String) throws(SyntaxError) -> JSONNode {
        var parser = Parser(bytes: Array(text.utf8))
        return try parser.document()
    }

    /// Parses UTF-8 bytes; invalid UTF-8 is an error.
    public static func parse(bytes: [UInt8]) throws(SyntaxError) -> JSONNode {
        var parser = Parser(bytes: bytes)
        if String(validating: bytes, as: UTF8.self) == nil {
            throw parser.error("invalid UTF-8", at: bytes.count)
        }
        return try parser.document()
    }

    static func quote(_ text: CedarString) -> String {
        var out = "\""
        for scalar in text.string.unicodeScalars {
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
        return out + "\""
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var depth = 0
        /// Current line and the offset where it starts (raw newlines can only occur in whitespace).
        var line = 1
        var lineStart = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func error(_ message: String, at offset: Int? = nil) -> SyntaxError {
            let offset = min(offset ?? index, bytes.count)
            var line = 1, column = 1
            for byte in bytes[..<offset] {
                if byte == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            }
            return SyntaxError(message: message, line: line, column: column)
        }

        func position(_ offset: Int) -> (Int, Int) { (line, offset - lineStart + 1) }

        mutating func document() throws(SyntaxError) -> JSONNode {
            skipWhitespace()
            let value = try self.value()
            skipWhitespace()
            if index < bytes.count { throw error("trailing characters") }
            return value
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0D: index += 1
                case 0x0A:
                    index += 1
                    line += 1
                    lineStart = index
                default: return
                }
            }
        }

        mutating func value() throws(SyntaxError) -> JSONNode {
            guard index < bytes.count else { throw error("unexpected end of input, expected a value") }
            let start = index
            let (line, column) = position(start)
            func node(_ kind: JSONNode.Kind) -> JSONNode { JSONNode(kind: kind, line: line, column: column) }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                depth += 1
                if depth > JSONReader.maximumDepth { throw error("recursion limit exceeded") }
                defer { depth -= 1 }
                index += 1
                var members: [(key: CedarString, value: JSONNode)] = []
                var seen = Set<CedarString>()
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return node(.object(members))
                }
                while true {
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                        throw error(index < bytes.count && bytes[index] == UInt8(ascii: "}")
                            ? "trailing comma" : "expected a string key")
                    }
                    let keyStart = index
                    let key = try string()
                    if !seen.insert(key).inserted {
                        throw error("duplicate key `\(key)` in the same JSON object", at: keyStart)
                    }
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected `:`") }
                    index += 1
                    skipWhitespace()
                    members.append((key, try value()))
                    skipWhitespace()
                    guard index < bytes.count else { throw error("unexpected end of input in an object") }
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                    } else if bytes[index] == UInt8(ascii: "}") {
                        index += 1
                        return node(.object(members))
                    } else {
                        throw error("expected `,` or `}`")
                    }
                }
            case UInt8(ascii: "["):
                depth += 1
                if depth > JSONReader.maximumDepth { throw error("recursion limit exceeded") }
                defer { depth -= 1 }
                index += 1
                var items: [JSONNode] = []
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return node(.array(items))
                }
                while true {
                    skipWhitespace()
                    if index < bytes.count, bytes[index] == UInt8(ascii: "]") { throw error("trailing comma") }
                    items.append(try value())
                    skipWhitespace()
                    guard index < bytes.count else { throw error("unexpected end of input in an array") }
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                    } else if bytes[index] == UInt8(ascii: "]") {
                        index += 1
                        return node(.array(items))
                    } else {
                        throw error("expected `,` or `]`")
                    }
                }
            case UInt8(ascii: "\""):
                return node(.string(try string()))
            case UInt8(ascii: "t"):
                try literal("true")
                return node(.bool(true))
            case UInt8(ascii: "f"):
                try literal("false")
                return node(.bool(false))
            case UInt8(ascii: "n"):
                try literal("null")
                return node(.null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return node(.number(try number()))
            default:
                throw error("expected a value")
            }
        }

        mutating func literal(_ word: String) throws(SyntaxError) {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
                throw error("expected a value")
            }
            index += expected.count
        }

        mutating func number() throws(SyntaxError) -> String {
            let start = index
            func isDigit(_ offset: Int) -> Bool {
                offset < bytes.count && bytes[offset] >= UInt8(ascii: "0") && bytes[offset] <= UInt8(ascii: "9")
            }
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(index) else { throw error("invalid number") }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
                if isDigit(index) { throw error("invalid number: leading zero") }
            } else {
                while isDigit(index) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard isDigit(index) else { throw error("invalid number") }
                while isDigit(index) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                    index += 1
                }
                guard isDigit(index) else { throw error("invalid number") }
                while isDigit(index) { index += 1 }
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func string() throws(SyntaxError) -> CedarString {
            index += 1  // opening quote
            var out: [UInt8] = []
            while true {
                guard index < bytes.count else { throw error("unexpected end of input in a string") }
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return CedarString(utf8: out)
                case UInt8(ascii: "\\"):
                    index += 1
                    guard index < bytes.count else { throw error("unexpected end of input in a string") }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""): out.append(0x22)
                    case UInt8(ascii: "\\"): out.append(0x5C)
                    case UInt8(ascii: "/"): out.append(0x2F)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code) {
                            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                                bytes[index + 1] == UInt8(ascii: "u")
                            else { throw error("lone leading surrogate in a \\u escape") }
                            index += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else {
                                throw error("invalid low surrogate in a \\u escape")
                            }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else if (0xDC00..<0xE000).contains(code) {
                            throw error("lone trailing surrogate in a \\u escape")
                        }
                        out.append(contentsOf: UTF8.encode(Unicode.Scalar(code)!)!)
                    default:
                        throw error("invalid escape", at: index - 2)
                    }
                default:
                    if byte < 0x20 { throw error("control character (\\u0000-\\u001F) found while parsing a string") }
                    out.append(byte)
                    index += 1
                }
            }
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw error("unexpected end of hex escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw error("invalid hex escape")
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }
    }
}
