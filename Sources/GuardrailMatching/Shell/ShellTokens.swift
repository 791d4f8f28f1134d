// What the shell lexer produces (words, redirections, here-documents), and the byte helpers shared by the lexer
// and the canonicaliser. Everything works on UTF-8 bytes: word values live in one byte arena per parsed script and
// are referenced by range.

/// A half-open range of bytes inside a script's arena.
struct ByteSpan: Hashable, Sendable {
    var start: Int
    var end: Int

    static let empty = ByteSpan(start: 0, end: 0)

    var count: Int { end - start }
    var isEmpty: Bool { end <= start }
}

/// What the lexer learned about how a word was written.
struct WordFlags: OptionSet, Hashable, Sendable {
    let rawValue: UInt8

    /// Some part was quoted, escaped or substituted, so the word is not a plain literal.
    static let quoted = WordFlags(rawValue: 1 << 0)
    /// The word starts with an unquoted `NAME=` (or `NAME+=`): a variable assignment when it prefixes a command.
    static let assignment = WordFlags(rawValue: 1 << 1)
    /// The word is an unquoted `{a,b,c}` brace list that the shell expands into several words.
    static let braceList = WordFlags(rawValue: 1 << 2)
    /// A quoted word with an unquoted glob character (`*`, `?`, `[`). Unquoted words are not marked: every glob
    /// character in them is unquoted (see `ShellSource.hasGlob`).
    static let glob = WordFlags(rawValue: 1 << 3)
}

/// One shell word: its value as the shell would pass it (quotes removed, escapes resolved; command and process
/// substitutions kept as their source text), and the scripts of the substitutions it contains.
struct ShellWord: Sendable {
    /// The value, in the script's arena.
    var span: ByteSpan
    /// Indices into the script's substitution list (the inner scripts of `$(…)`, backticks, `<(…)`, `>(…)`).
    var substitutions: Range<Int>
    var flags: WordFlags

    init(span: ByteSpan, substitutions: Range<Int> = 0..<0, flags: WordFlags = []) {
        self.span = span
        self.substitutions = substitutions
        self.flags = flags
    }
}

/// Control operators that end a simple command.
enum ShellOperator: UInt8, Sendable {
    case semicolon, newline, and, or, pipe, background, openParen, closeParen, caseBreak
}

/// How a redirection uses its target.
enum RedirectKind: UInt8, Sendable {
    /// `>`, `>|`, `N>`, `&>`, `>&file`: writes (truncating) the target.
    case output
    /// `>>`, `N>>`, `&>>`: appends to the target.
    case append
    /// `<`, `N<`: reads the target.
    case input
    /// `<>`: opens the target for reading and writing.
    case readWrite
    /// `>&N`, `<&N`, `>&-`: duplicates or closes a descriptor; no file is named.
    case duplicate
}

/// A redirection with its target word.
struct ShellRedirect: Sendable {
    var kind: RedirectKind
    var target: ShellWord
}

/// A here-document (`<<EOF`, `<<-EOF`, `<<'EOF'`) or here-string (`<<<word`) feeding a command's standard input.
struct ShellHeredoc: Sendable {
    /// The body, in the script's arena (escapes of an expanding here-document resolved).
    var body: ByteSpan
    /// Substitutions found in the body (only when the delimiter was unquoted).
    var substitutions: Range<Int>
    /// The delimiter was unquoted, so the shell expands `$(…)` and backticks inside the body.
    var expands: Bool
}

/// Storage for one lexed and parsed script: the words, redirections and here-documents, the arena the words point
/// into, and the simple commands. Reused from one script to the next at the same nesting level,
/// so that nested parsing does not allocate.
struct ScriptBuffers: Sendable {
    /// Word values. The array is sized for the lexer to write into; only the first `arenaCount` bytes are meaningful.
    var arena: [UInt8] = []
    var arenaCount = 0
    var substitutions: [ByteSpan] = []
    var words: [ShellWord] = []
    var redirects: [ShellRedirect] = []
    var heredocs: [ShellHeredoc] = []
    var commands: [SimpleCommand] = []
    /// The lexer's scratch stack of quoting contexts (kept here only to be reused).
    var parenContexts: [UInt8] = []
    /// Bytes scanned, for the linear-work check.
    var work = 0

    /// Approximate bytes of storage held.
    var retainedBytes: Int {
        arena.capacity + substitutions.capacity * MemoryLayout<ByteSpan>.stride
            + words.capacity * MemoryLayout<ShellWord>.stride
            + redirects.capacity * MemoryLayout<ShellRedirect>.stride
            + heredocs.capacity * MemoryLayout<ShellHeredoc>.stride
            + commands.capacity * MemoryLayout<SimpleCommand>.stride + parenContexts.capacity
    }

    mutating func reset() {
        arenaCount = 0
        if !substitutions.isEmpty { substitutions.removeAll(keepingCapacity: true) }
        if !words.isEmpty { words.removeAll(keepingCapacity: true) }
        if !redirects.isEmpty { redirects.removeAll(keepingCapacity: true) }
        if !heredocs.isEmpty { heredocs.removeAll(keepingCapacity: true) }
        if !commands.isEmpty { commands.removeAll(keepingCapacity: true) }
        work = 0
    }
}

/// A fixed-capacity byte buffer the lexer writes word values into. The lexer never writes more bytes than it
/// reads, so a capacity of the source length suffices; writes beyond the capacity are dropped, never out of bounds.
struct ByteArena {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int
    private(set) var count = 0

    init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    @inline(__always)
    subscript(index: Int) -> UInt8 { base[index] }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        guard count < capacity else { return }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        let length = min(bytes.count, capacity - count)
        guard length > 0, let from = bytes.baseAddress else { return }
        if length <= 16 {
            var offset = 0
            while offset < length {
                base[count + offset] = from[offset]
                offset += 1
            }
        } else {
            (base + count).update(from: from, count: length)
        }
        count += length
    }

    /// Appends the `length` bytes at `from`, copying 16 bytes at once when a short word has 16 readable bytes at
    /// `from` and 16 writable ones at the end (the bytes beyond `length` are overwritten by later appends).
    @inline(__always)
    mutating func appendShort(_ from: UnsafePointer<UInt8>, length: Int, readable: Int) {
        if length <= 16 && readable >= 16 && count + 16 <= capacity {
            let target = UnsafeMutableRawPointer(base + count)
            let origin = UnsafeRawPointer(from)
            target.storeBytes(of: origin.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(
                of: origin.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
            count += length
        } else {
            append(contentsOf: UnsafeBufferPointer(start: from, count: length))
        }
    }

    mutating func truncate(to newCount: Int) {
        count = min(count, max(0, newCount))
    }

    func contains(_ byte: UInt8, in span: ByteSpan) -> Bool {
        var index = span.start
        while index < span.end {
            if base[index] == byte { return true }
            index += 1
        }
        return false
    }
}

/// Classification of single bytes (ASCII only; bytes of multi-byte UTF-8 sequences are ordinary word bytes).
enum ByteClass {
    /// Space, tab, carriage return, vertical tab, form feed.
    @inline(__always)
    static func isBlank(_ byte: UInt8) -> Bool {
        byte < 64 && (0x0000_0001_0000_3A00 as UInt64) & (1 << UInt64(byte)) != 0
    }

    /// Blank or newline.
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte < 64 && (0x0000_0001_0000_3E00 as UInt64) & (1 << UInt64(byte)) != 0
    }

    /// Whether a byte can continue an unquoted word without special meaning (so runs of them are copied at once).
    @inline(__always)
    static func isPlainWordByte(_ byte: UInt8) -> Bool {
        // Special: \t \n \v \f \r space " $ & ' ( ) ; < > \\ ` |
        let low: UInt64 = 0x5800_03D5_0000_3E00
        let high: UInt64 = 0x1000_0001_1000_0000
        if byte < 64 { return low & (1 << UInt64(byte)) == 0 }
        if byte < 128 { return high & (1 << UInt64(byte - 64)) == 0 }
        return true
    }

    /// Bytes that make a word worth re-parsing as a script: whitespace and `;`, `&`, `|`.
    @inline(__always)
    static func isScriptSeparator(_ byte: UInt8) -> Bool {
        if byte < 64 { return (0x0800_0041_0000_3E00 as UInt64) & (1 << UInt64(byte)) != 0 }
        return byte == 0x7C
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 10
    }

    @inline(__always)
    static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- 0x61 < 26
    }

    @inline(__always)
    static func isNameStart(_ byte: UInt8) -> Bool {
        isLetter(byte) || byte == 0x5F
    }

    @inline(__always)
    static func isNameByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte) || byte == 0x5F
    }

    @inline(__always)
    static func isUpper(_ byte: UInt8) -> Bool {
        byte &- 0x41 < 26
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        isUpper(byte) ? byte | 0x20 : byte
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt32? {
        if isDigit(byte) { return UInt32(byte &- 0x30) }
        let lower = byte | 0x20
        if lower &- 0x61 < 6 { return UInt32(lower &- 0x61 + 10) }
        return nil
    }
}
