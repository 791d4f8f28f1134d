/// Cedar's string-literal escapes: `\n \r \t \\ \0 \' \" \xHH` (HH ≤ 7f) and `\u{H…}` (1–6 hex digits, a Unicode
/// scalar). In a `like` pattern, `\*` is also allowed (a literal star) and a bare `*` is a wildcard.
enum Unescaper {
    struct Failures: Error { var list: [Failure] }

    struct Failure {
        /// The offending escape as written, e.g. `\q`.
        var text: String
        /// Byte offset of the backslash within the raw string contents.
        var offset: Int
    }

    /// Unescapes the raw contents of a string literal (without quotes) into scalars.
    static func string(_ raw: ArraySlice<UInt8>) -> Result<[Unicode.Scalar], Failures> {
        var out: [Unicode.Scalar] = []
        var failures: [Failure] = []
        process(raw, pattern: false, failures: &failures) { element in
            if case .literal(let s) = element { out.append(s) }
        }
        return failures.isEmpty ? .success(out) : .failure(Failures(list: failures))
    }

    /// Parses the raw contents of a pattern literal.
    static func pattern(_ raw: ArraySlice<UInt8>) -> Result<Pattern, Failures> {
        var out: [PatternElement] = []
        var failures: [Failure] = []
        process(raw, pattern: true, failures: &failures) { out.append($0) }
        return failures.isEmpty ? .success(Pattern(out)) : .failure(Failures(list: failures))
    }

    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: UInt32(b - 0x30)
        case 0x61...0x66: UInt32(b - 0x61 + 10)
        case 0x41...0x46: UInt32(b - 0x41 + 10)
        default: nil
        }
    }

    private static func process(
        _ raw: ArraySlice<UInt8>, pattern: Bool, failures: inout [Failure], emit: (PatternElement) -> Void
    ) {
        let bytes = Array(raw)
        var i = 0
        let n = bytes.count
        func text(_ from: Int, _ to: Int) -> String { String(decoding: bytes[from..<min(to, n)], as: UTF8.self) }
        while i < n {
            let b = bytes[i]
            if b == 0x2a, pattern { emit(.wildcard); i += 1; continue }
            if b != 0x5c {
                let (scalar, length) = Lexer.scalar(in: bytes, at: i)
                emit(.literal(scalar))
                i += length
                continue
            }
            // Backslash.
            guard i + 1 < n else {
                failures.append(Failure(text: "\\", offset: i))
                return
            }
            let c = bytes[i + 1]
            switch c {
            case 0x6e: emit(.literal("\n")); i += 2
            case 0x72: emit(.literal("\r")); i += 2
            case 0x74: emit(.literal("\t")); i += 2
            case 0x5c: emit(.literal("\\")); i += 2
            case 0x30: emit(.literal("\0")); i += 2
            case 0x27: emit(.literal("'")); i += 2
            case 0x22: emit(.literal("\"")); i += 2
            case 0x2a where pattern: emit(.literal("*")); i += 2
            case 0x78:  // \xHH
                if i + 3 < n, let h = hexValue(bytes[i + 2]), let l = hexValue(bytes[i + 3]) {
                    let value = h * 16 + l
                    if value <= 0x7f {
                        emit(.literal(Unicode.Scalar(UInt8(value))))
                    } else {
                        failures.append(Failure(text: text(i, i + 4), offset: i))
                    }
                    i += 4
                } else {
                    failures.append(Failure(text: text(i, i + 2), offset: i))
                    i += 2
                }
            case 0x75:  // \u{…}
                var j = i + 2
                guard j < n, bytes[j] == 0x7b else {
                    failures.append(Failure(text: text(i, i + 2), offset: i))
                    i += 2
                    continue
                }
                j += 1
                var value: UInt32 = 0
                var digits = 0
                while j < n, let d = hexValue(bytes[j]) {
                    if digits < 8 { value = value * 16 + d }
                    digits += 1
                    j += 1
                }
                guard j < n, bytes[j] == 0x7d else {
                    failures.append(Failure(text: text(i, j), offset: i))
                    i = j
                    continue
                }
                j += 1
                if digits >= 1, digits <= 6, let scalar = Unicode.Scalar(value) {
                    emit(.literal(scalar))
                } else {
                    failures.append(Failure(text: text(i, j), offset: i))
                }
                i = j
            default:
                let (_, length) = Lexer.scalar(in: bytes, at: i + 1)
                failures.append(Failure(text: text(i, i + 1 + length), offset: i))
                i += 1 + length
            }
        }
    }
}
