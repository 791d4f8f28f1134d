/// A small JSON reader that keeps object keys and strings scalar-exact (`CedarString`), keeps key order, reports
/// duplicate keys, and records each value's position.
struct SchemaJSONNode: Sendable {
    indirect enum Value: Sendable {
        case null
        case bool(Bool)
        case number(String)
        case string(CedarString)
        case array([SchemaJSONNode])
        case object([SchemaJSONMember])
    }

    var value: Value
    var position: SchemaSourcePosition

    var kindName: String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

struct SchemaJSONMember: Sendable {
    var key: CedarString
    var keyPosition: SchemaSourcePosition
    var value: SchemaJSONNode
}

struct SchemaJSONReader {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1
    private var depth = 0

    static func parse(_ text: String) throws(SchemaError) -> SchemaJSONNode {
        var reader = SchemaJSONReader(scalars: Array(text.unicodeScalars))
        reader.skipWhitespace()
        let node = try reader.parseValue()
        reader.skipWhitespace()
        if reader.index < reader.scalars.count {
            throw SchemaError("JSON: trailing characters after the value", at: reader.position)
        }
        return node
    }

    private init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

    private var position: SchemaSourcePosition { SchemaSourcePosition(line: line, column: column, offset: index) }

    private func peek() -> Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private mutating func advance() {
        if scalars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private mutating func skipWhitespace() {
        while let c = peek(), c == " " || c == "\t" || c == "\n" || c == "\r" { advance() }
    }

    private func error(_ message: String) -> SchemaError {
        if peek() == nil { return SchemaError("JSON: unexpected end of input", at: position) }
        return SchemaError("JSON: \(message)", at: position)
    }

    private mutating func expect(_ scalar: Unicode.Scalar) throws(SchemaError) {
        guard peek() == scalar else { throw error("expected `\(Character(scalar))`") }
        advance()
    }

    private mutating func parseValue() throws(SchemaError) -> SchemaJSONNode {
        let start = position
        guard let c = peek() else { throw error("expected a value") }
        switch c {
        case "{":
            depth += 1
            defer { depth -= 1 }
            guard depth < 512 else { throw error("nesting too deep") }
            advance()
            skipWhitespace()
            var members: [SchemaJSONMember] = []
            var seen: Set<CedarString> = []
            if peek() == "}" {
                advance()
                return SchemaJSONNode(value: .object(members), position: start)
            }
            while true {
                skipWhitespace()
                let keyPosition = position
                guard peek() == "\"" else { throw error("expected a string key") }
                let key = try parseString()
                if !seen.insert(key).inserted {
                    throw SchemaError("JSON: duplicate key `\(key)`", at: keyPosition)
                }
                skipWhitespace()
                try expect(":")
                skipWhitespace()
                let value = try parseValue()
                members.append(SchemaJSONMember(key: key, keyPosition: keyPosition, value: value))
                skipWhitespace()
                if peek() == "," {
                    advance()
                    continue
                }
                try expect("}")
                return SchemaJSONNode(value: .object(members), position: start)
            }
        case "[":
            depth += 1
            defer { depth -= 1 }
            guard depth < 512 else { throw error("nesting too deep") }
            advance()
            skipWhitespace()
            var items: [SchemaJSONNode] = []
            if peek() == "]" {
                advance()
                return SchemaJSONNode(value: .array(items), position: start)
            }
            while true {
                skipWhitespace()
                items.append(try parseValue())
                skipWhitespace()
                if peek() == "," {
                    advance()
                    continue
                }
                try expect("]")
                return SchemaJSONNode(value: .array(items), position: start)
            }
        case "\"":
            return SchemaJSONNode(value: .string(try parseString()), position: start)
        case "t":
            try literal("true")
            return SchemaJSONNode(value: .bool(true), position: start)
        case "f":
            try literal("false")
            return SchemaJSONNode(value: .bool(false), position: start)
        case "n":
            try literal("null")
            return SchemaJSONNode(value: .null, position: start)
        case "-", "0"..."9":
            var text = ""
            while let d = peek(), d == "-" || d == "+" || d == "." || d == "e" || d == "E" || ("0"..."9").contains(d) {
                text.unicodeScalars.append(d)
                advance()
            }
            return SchemaJSONNode(value: .number(text), position: start)
        default:
            throw error("unexpected character `\(Character(c))`")
        }
    }

    private mutating func literal(_ word: String) throws(SchemaError) {
        for scalar in word.unicodeScalars {
            guard peek() == scalar else { throw error("invalid literal") }
            advance()
        }
    }

    private mutating func hex4() throws(SchemaError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek(), let digit = UInt32(String(Character(c)), radix: 16) else {
                throw error("invalid \\u escape")
            }
            value = value * 16 + digit
            advance()
        }
        return value
    }

    private mutating func parseString() throws(SchemaError) -> CedarString {
        try expect("\"")
        var out: [Unicode.Scalar] = []
        while true {
            guard let c = peek() else { throw error("unterminated string") }
            if c == "\"" {
                advance()
                return CedarString(scalars: out)
            }
            if c.value < 0x20 { throw error("control character in string") }
            if c != "\\" {
                out.append(c)
                advance()
                continue
            }
            advance()
            guard let e = peek() else { throw error("unterminated string") }
            advance()
            switch e {
            case "\"": out.append("\"")
            case "\\": out.append("\\")
            case "/": out.append("/")
            case "b": out.append("\u{8}")
            case "f": out.append("\u{c}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "u":
                var value = try hex4()
                if (0xD800...0xDBFF).contains(value) {
                    guard peek() == "\\" else { throw error("unpaired surrogate in \\u escape") }
                    advance()
                    guard peek() == "u" else { throw error("unpaired surrogate in \\u escape") }
                    advance()
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate in \\u escape") }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(value) else { throw error("unpaired surrogate in \\u escape") }
                out.append(scalar)
            default:
                throw error("invalid escape `\\\(Character(e))`")
            }
        }
    }
}
