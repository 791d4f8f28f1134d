/// Cedar policy tokens. Keywords are lexed as identifiers; the parser gives them meaning by position, as Cedar's
/// grammar does (`permit`, `when`, `principal` … are ordinary identifiers in many places).
enum TokenKind: Equatable, Sendable {
    case identifier
    case number
    /// The raw text between the quotes is kept; escapes are processed by the parser (patterns treat `\*` specially).
    case string
    /// `?name`
    case slot
    case punct(Punct)
    /// A character that starts no token (or an unterminated string).
    case invalid
    case end
}

enum Punct: String, Sendable {
    case at = "@", dot = ".", comma = ",", semicolon = ";", colon = ":", colonColon = "::"
    case leftParen = "(", rightParen = ")", leftBrace = "{", rightBrace = "}", leftBracket = "[", rightBracket = "]"
    case equalEqual = "==", notEqual = "!=", less = "<", lessEqual = "<=", greaterEqual = ">=", greater = ">"
    case orOr = "||", andAnd = "&&", plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
    case bang = "!", equal = "="
}

struct Token: Sendable {
    var kind: TokenKind
    /// UTF-8 byte offsets into the source, half-open.
    var start: Int
    var end: Int
}

/// Splits Cedar source (as UTF-8) into tokens, skipping whitespace (Unicode `White_Space`) and `//` comments.
struct Lexer {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    static func isIdentStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || b == 0x5f
    }

    static func isIdentContinue(_ b: UInt8) -> Bool { isIdentStart(b) || (b >= 0x30 && b <= 0x39) }

    /// Decodes the scalar starting at `i` (the input is valid UTF-8, coming from a Swift String).
    static func scalar(in bytes: [UInt8], at i: Int) -> (Unicode.Scalar, Int) {
        let b0 = bytes[i]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        var length = 2
        var value = UInt32(b0 & 0x1f)
        if b0 >= 0xf0 { length = 4; value = UInt32(b0 & 0x07) } else if b0 >= 0xe0 { length = 3; value = UInt32(b0 & 0x0f) }
        var k = 1
        while k < length, i + k < bytes.count {
            value = (value << 6) | UInt32(bytes[i + k] & 0x3f)
            k += 1
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", k)
    }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000...0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000: true
        default: false
        }
    }

    func tokenize() -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 3)
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            // Whitespace and comments.
            if b == 0x20 || b == 0x0a || b == 0x0d || b == 0x09 { i += 1; continue }
            if b >= 0x80 || b == 0x0b || b == 0x0c {
                let (scalar, length) = Lexer.scalar(in: bytes, at: i)
                if Lexer.isWhitespace(scalar) { i += length; continue }
                tokens.append(Token(kind: .invalid, start: i, end: i + length))
                i += length
                continue
            }
            if b == 0x2f, i + 1 < n, bytes[i + 1] == 0x2f {
                while i < n, bytes[i] != 0x0a, bytes[i] != 0x0d { i += 1 }
                continue
            }
            let start = i
            if Lexer.isIdentStart(b) {
                i += 1
                while i < n, Lexer.isIdentContinue(bytes[i]) { i += 1 }
                tokens.append(Token(kind: .identifier, start: start, end: i))
                continue
            }
            if b >= 0x30 && b <= 0x39 {
                while i < n, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
                tokens.append(Token(kind: .number, start: start, end: i))
                continue
            }
            if b == 0x22 {  // "
                i += 1
                var closed = false
                while i < n {
                    let c = bytes[i]
                    if c == 0x22 { closed = true; i += 1; break }
                    if c == 0x5c { i += (i + 1 < n) ? 2 : 1 } else { i += 1 }
                }
                tokens.append(Token(kind: closed ? .string : .invalid, start: start, end: closed ? i : start + 1))
                if !closed { i = start + 1 }
                continue
            }
            if b == 0x3f, i + 1 < n, Lexer.isIdentStart(bytes[i + 1]) {  // ?slot
                i += 2
                while i < n, Lexer.isIdentContinue(bytes[i]) { i += 1 }
                tokens.append(Token(kind: .slot, start: start, end: i))
                continue
            }
            let next: UInt8 = i + 1 < n ? bytes[i + 1] : 0
            let two: Punct? =
                switch (b, next) {
                case (0x3a, 0x3a): .colonColon
                case (0x3d, 0x3d): .equalEqual
                case (0x21, 0x3d): .notEqual
                case (0x3c, 0x3d): .lessEqual
                case (0x3e, 0x3d): .greaterEqual
                case (0x7c, 0x7c): .orOr
                case (0x26, 0x26): .andAnd
                default: nil
                }
            if let two {
                tokens.append(Token(kind: .punct(two), start: start, end: i + 2))
                i += 2
                continue
            }
            let one: Punct? =
                switch b {
                case 0x40: .at
                case 0x2e: .dot
                case 0x2c: .comma
                case 0x3b: .semicolon
                case 0x3a: .colon
                case 0x28: .leftParen
                case 0x29: .rightParen
                case 0x7b: .leftBrace
                case 0x7d: .rightBrace
                case 0x5b: .leftBracket
                case 0x5d: .rightBracket
                case 0x3c: .less
                case 0x3e: .greater
                case 0x2b: .plus
                case 0x2d: .minus
                case 0x2a: .star
                case 0x2f: .slash
                case 0x25: .percent
                case 0x21: .bang
                case 0x3d: .equal
                default: nil
                }
            tokens.append(Token(kind: one.map { .punct($0) } ?? .invalid, start: start, end: i + 1))
            i += 1
        }
        tokens.append(Token(kind: .end, start: n, end: n))
        return tokens
    }
}
