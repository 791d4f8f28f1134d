/// Options for `JSONValue.parse`.
public struct JSONParseOptions: Sendable {
    /// What to do with a key that occurs twice in one object.
    public enum DuplicateKeys: Sendable {
        /// Throw a `JSONError` of kind `.duplicateKey` at the second occurrence.
        case reject
        /// Keep every member, in order (lookups find the first).
        case keepAll
    }

    public var duplicateKeys: DuplicateKeys
    /// The deepest nesting of arrays and objects accepted (serde_json's default, which Cedar uses, is 128).
    public var maximumDepth: Int

    public init(duplicateKeys: DuplicateKeys = .reject, maximumDepth: Int = 128) {
        self.duplicateKeys = duplicateKeys
        self.maximumDepth = maximumDepth
    }
}

/// Malformed JSON text, or a duplicate key when those are rejected.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Not RFC 8259 JSON (or nested too deeply, or not UTF-8).
        case syntax
        /// A key that occurs twice in one object (only with `DuplicateKeys.reject`).
        case duplicateKey(CedarString)
    }

    public let kind: Kind
    /// What went wrong, without the position (`trailing comma`, ``duplicate key `x` in the same JSON object``).
    public let message: String
    public let position: JSONPosition

    public var description: String { "\(message) at line \(position.line) column \(position.column)" }
}

extension JSONValue {
    /// Parses JSON text strictly (RFC 8259): no trailing commas, comments, byte-order mark, leading zeros, lone
    /// surrogates or raw control characters in strings.
    public static func parse(_ text: String, options: JSONParseOptions = JSONParseOptions()) throws(JSONError)
        -> JSONValue
    {
        var parser = JSONParser(bytes: Array(text.utf8), options: options)
        return try parser.document()
    }

    /// The same from UTF-8 bytes; invalid UTF-8 is an error.
    public static func parse(bytes: [UInt8], options: JSONParseOptions = JSONParseOptions()) throws(JSONError)
        -> JSONValue
    {
        var parser = JSONParser(bytes: bytes, options: options)
        if String(validating: bytes, as: UTF8.self) == nil {
            throw parser.error("invalid UTF-8", at: parser.position(ofByte: bytes.count))
        }
        return try parser.document()
    }
}

/// The parser behind `JSONValue.parse`, over UTF-8 bytes.
///
/// Positions are tracked incrementally: raw newlines can only occur in whitespace, and non-ASCII bytes only inside
/// strings, where UTF-8 continuation bytes are counted so that columns can be given in scalars as well as bytes.
struct JSONParser {
    private let bytes: [UInt8]
    private let options: JSONParseOptions
    private var index = 0
    private var depth = 0
    private var line = 1
    /// Byte offset where the current line starts.
    private var lineStart = 0
    /// UTF-8 continuation bytes consumed on the current line, and in all.
    private var continuationsOnLine = 0
    private var continuations = 0

    init(bytes: [UInt8], options: JSONParseOptions) {
        self.bytes = bytes
        self.options = options
    }

    // MARK: Positions and errors

    /// The position of the next unread byte.
    private var here: JSONPosition {
        JSONPosition(
            line: line, column: index - lineStart - continuationsOnLine + 1, utf8Column: index - lineStart + 1,
            offset: index - continuations)
    }

    /// The position of any byte offset, by scanning from the start (for errors only).
    func position(ofByte target: Int) -> JSONPosition {
        var line = 1, column = 1, utf8Column = 1, offset = 0
        for byte in bytes[..<min(target, bytes.count)] {
            let isContinuation = byte & 0xC0 == 0x80
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
                utf8Column = 1
            } else {
                utf8Column += 1
                if !isContinuation { column += 1 }
            }
            if !isContinuation { offset += 1 }
        }
        return JSONPosition(line: line, column: column, utf8Column: utf8Column, offset: offset)
    }

    func error(_ message: String, at position: JSONPosition? = nil, kind: JSONError.Kind = .syntax) -> JSONError {
        JSONError(kind: kind, message: message, position: position ?? here)
    }

    /// Whether the next byte is the ASCII `scalar`.
    private func peek(_ scalar: Unicode.Scalar) -> Bool { index < bytes.count && bytes[index] == UInt8(ascii: scalar) }

    // MARK: Grammar

    mutating func document() throws(JSONError) -> JSONValue {
        skipWhitespace()
        let value = try self.value()
        skipWhitespace()
        if index < bytes.count { throw error("trailing characters") }
        return value
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
                continuationsOnLine = 0
            default: return
            }
        }
    }

    private mutating func value() throws(JSONError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input, expected a value") }
        let start = here
        switch bytes[index] {
        case UInt8(ascii: "{"): return JSONValue(.object(try object()), position: start)
        case UInt8(ascii: "["): return JSONValue(.array(try array()), position: start)
        case UInt8(ascii: "\""): return JSONValue(.string(try string()), position: start)
        case UInt8(ascii: "t"):
            try literal("true")
            return JSONValue(.bool(true), position: start)
        case UInt8(ascii: "f"):
            try literal("false")
            return JSONValue(.bool(false), position: start)
        case UInt8(ascii: "n"):
            try literal("null")
            return JSONValue(.null, position: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONValue(.number(try number()), position: start)
        default:
            throw error("expected a value")
        }
    }

    private mutating func enter() throws(JSONError) {
        depth += 1
        if depth > options.maximumDepth { throw error("recursion limit exceeded") }
        index += 1
    }

    private mutating func object() throws(JSONError) -> [JSONMember] {
        try enter()
        defer { depth -= 1 }
        var members: [JSONMember] = []
        var seen = Set<CedarString>()
        skipWhitespace()
        if peek("}") {
            index += 1
            return members
        }
        while true {
            skipWhitespace()
            guard peek("\"") else { throw error(peek("}") ? "trailing comma" : "expected a string key") }
            let keyPosition = here
            let key = try string()
            if options.duplicateKeys == .reject, !seen.insert(key).inserted {
                throw error(
                    "duplicate key `\(key)` in the same JSON object", at: keyPosition, kind: .duplicateKey(key))
            }
            skipWhitespace()
            guard peek(":") else { throw error("expected `:`") }
            index += 1
            skipWhitespace()
            members.append(JSONMember(key: key, value: try value(), keyPosition: keyPosition))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in an object") }
            if peek(",") {
                index += 1
            } else if peek("}") {
                index += 1
                return members
            } else {
                throw error("expected `,` or `}`")
            }
        }
    }

    private mutating func array() throws(JSONError) -> [JSONValue] {
        try enter()
        defer { depth -= 1 }
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek("]") {
            index += 1
            return elements
        }
        while true {
            skipWhitespace()
            if peek("]") { throw error("trailing comma") }
            elements.append(try value())
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in an array") }
            if peek(",") {
                index += 1
            } else if peek("]") {
                index += 1
                return elements
            } else {
                throw error("expected `,` or `]`")
            }
        }
    }

    private mutating func literal(_ word: String) throws(JSONError) {
        let expected = Array(word.utf8)
        guard bytes[index...].starts(with: expected) else { throw error("expected a value") }
        index += expected.count
    }

    private mutating func number() throws(JSONError) -> JSONNumber {
        let start = index
        func isDigit(_ offset: Int) -> Bool {
            offset < bytes.count && bytes[offset] >= UInt8(ascii: "0") && bytes[offset] <= UInt8(ascii: "9")
        }
        if peek("-") { index += 1 }
        guard isDigit(index) else { throw error("invalid number") }
        if peek("0") {
            index += 1
            if isDigit(index) { throw error("invalid number: leading zero") }
        } else {
            while isDigit(index) { index += 1 }
        }
        if peek(".") {
            index += 1
            guard isDigit(index) else { throw error("invalid number") }
            while isDigit(index) { index += 1 }
        }
        if peek("e") || peek("E") {
            index += 1
            if peek("+") || peek("-") { index += 1 }
            guard isDigit(index) else { throw error("invalid number") }
            while isDigit(index) { index += 1 }
        }
        return JSONNumber(validatedText: String(decoding: bytes[start..<index], as: UTF8.self))
    }

    private mutating func string() throws(JSONError) -> CedarString {
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
                let escapeStart = here
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
                        guard peek("\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                            throw error("lone leading surrogate in a \\u escape")
                        }
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
                    throw error("invalid escape", at: escapeStart)
                }
            default:
                if byte < 0x20 { throw error("control character (\\u0000-\\u001F) found while parsing a string") }
                if byte & 0xC0 == 0x80 {
                    continuationsOnLine += 1
                    continuations += 1
                }
                out.append(byte)
                index += 1
            }
        }
    }

    private mutating func hex4() throws(JSONError) -> UInt32 {
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
