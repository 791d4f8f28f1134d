/// Tokens of the Cedar schema syntax.
struct SchemaToken: Sendable {
    enum Kind: Sendable, Equatable {
        case identifier(String)
        case string(CedarString)
        case number
        case punct(String)
        case end
    }

    var kind: Kind
    /// The text as written (for error messages).
    var lexeme: String
    var position: SchemaSourcePosition

    var identifier: String? {
        if case .identifier(let text) = kind { return text }
        return nil
    }

    func isPunct(_ text: String) -> Bool { kind == .punct(text) }
    func isWord(_ text: String) -> Bool { kind == .identifier(text) }

    var isEnd: Bool { kind == .end }
}

/// Splits `.cedarschema` text into tokens. Whitespace is Unicode whitespace; `//` starts a line comment.
struct SchemaLexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    static func tokenize(_ text: String) throws(SchemaError) -> [SchemaToken] {
        var lexer = SchemaLexer(text)
        var tokens: [SchemaToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.isEnd { return tokens }
        }
    }

    private var position: SchemaSourcePosition { SchemaSourcePosition(line: line, column: column, offset: index) }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        index + ahead < scalars.count ? scalars[index + ahead] : nil
    }

    private mutating func advance() {
        let scalar = scalars[index]
        index += 1
        if scalar == "\n" || (scalar == "\r" && peek() != "\n") {
            line += 1
            column = 1
        } else {
            column += 1
        }
    }

    private static func isIdentStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func isIdentContinue(_ scalar: Unicode.Scalar) -> Bool {
        isIdentStart(scalar) || ("0"..."9").contains(scalar)
    }

    private mutating func next() throws(SchemaError) -> SchemaToken {
        // Skip whitespace and comments.
        while let scalar = peek() {
            if scalar.properties.isWhitespace {
                advance()
            } else if scalar == "/" && peek(1) == "/" {
                while let c = peek(), c != "\n", c != "\r" { advance() }
            } else {
                break
            }
        }
        let start = position
        let startIndex = index
        guard let scalar = peek() else { return SchemaToken(kind: .end, lexeme: "", position: start) }
        if Self.isIdentStart(scalar) {
            while let c = peek(), Self.isIdentContinue(c) { advance() }
            let text = lexeme(from: startIndex)
            return SchemaToken(kind: .identifier(text), lexeme: text, position: start)
        }
        if ("0"..."9").contains(scalar) {
            while let c = peek(), ("0"..."9").contains(c) { advance() }
            return SchemaToken(kind: .number, lexeme: lexeme(from: startIndex), position: start)
        }
        if scalar == "\"" {
            advance()
            var raw: [Unicode.Scalar] = []
            while true {
                guard let c = peek() else { throw SchemaError("invalid token: unterminated string literal", at: start) }
                if c == "\"" { advance(); break }
                if c == "\\" {
                    raw.append(c)
                    advance()
                    guard let escaped = peek() else {
                        throw SchemaError("invalid token: unterminated string literal", at: start)
                    }
                    raw.append(escaped)
                    advance()
                    continue
                }
                raw.append(c)
                advance()
            }
            guard let value = Self.unescape(raw) else {
                throw SchemaError("invalid escape codes in string literal", at: start)
            }
            return SchemaToken(kind: .string(value), lexeme: lexeme(from: startIndex), position: start)
        }
        if scalar == ":" && peek(1) == ":" {
            advance()
            advance()
            return SchemaToken(kind: .punct("::"), lexeme: "::", position: start)
        }
        if ",;:{}[]<>=?@()".unicodeScalars.contains(scalar) {
            advance()
            let text = String(Character(scalar))
            return SchemaToken(kind: .punct(text), lexeme: text, position: start)
        }
        throw SchemaError("invalid token `\(Character(scalar))`", at: start)
    }

    private func lexeme(from start: Int) -> String {
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars[start..<index])
        return text
    }

    /// Resolves Cedar string escapes (`\n \r \t \\ \0 \' \" \xHH \u{H…}`); `nil` for an invalid escape.
    static func unescape(_ raw: [Unicode.Scalar]) -> CedarString? {
        var out: [Unicode.Scalar] = []
        var i = 0
        func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
            switch scalar {
            case "0"..."9": return scalar.value - 48
            case "a"..."f": return scalar.value - 87
            case "A"..."F": return scalar.value - 55
            default: return nil
            }
        }
        while i < raw.count {
            let c = raw[i]
            if c != "\\" {
                out.append(c)
                i += 1
                continue
            }
            guard i + 1 < raw.count else { return nil }
            let e = raw[i + 1]
            i += 2
            switch e {
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "\\": out.append("\\")
            case "0": out.append("\0")
            case "'": out.append("'")
            case "\"": out.append("\"")
            case "x":
                guard i + 1 < raw.count, let high = hexValue(raw[i]), let low = hexValue(raw[i + 1]) else { return nil }
                let value = high * 16 + low
                guard value <= 0x7F, let scalar = Unicode.Scalar(value) else { return nil }
                out.append(scalar)
                i += 2
            case "u":
                guard i < raw.count, raw[i] == "{" else { return nil }
                i += 1
                var value: UInt32 = 0
                var digits = 0
                while i < raw.count, raw[i] != "}" {
                    guard let digit = hexValue(raw[i]), digits < 6 else { return nil }
                    value = value * 16 + digit
                    digits += 1
                    i += 1
                }
                guard i < raw.count, digits > 0, let scalar = Unicode.Scalar(value) else { return nil }
                i += 1
                out.append(scalar)
            default:
                return nil
            }
        }
        return CedarString(scalars: out)
    }
}
