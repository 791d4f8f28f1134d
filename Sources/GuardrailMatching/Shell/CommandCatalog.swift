// Which command names the canonicaliser knows, and what kind of handling each gets.

/// Prefixes that run the rest of the words as a command (stripped before the command is canonicalised).
enum CommandPrefix: Sendable, Equatable {
    case env, sudo, doas, command, builtin, exec, nohup, time, nice, ionice, timeout, stdbuf, xargs, watch
    case busybox, setsid, unbuffer, pkexec
}

/// Tools whose subcommand is moved right after the tool name.
enum SubcommandTool: Sendable, Equatable {
    case kubectl, docker, podman, terraform, helm, npm, pnpm, yarn, cargo, twine
}

/// Database command-line clients: their SQL arguments and standard input are parsed as SQL text.
enum SQLClient: Sendable, Equatable {
    case psql, mysql, sqlite3, duckdb, cockroach
}

/// How a command name is handled.
enum CommandKind: Sendable, Equatable {
    /// Reserved words that open or close compound commands (`if`, `then`, `do`, `{`, `!`, …): stripped.
    case keyword
    /// `for`/`select`/`case` headers: the loop or case header is not a command.
    case header
    /// `function NAME`: the keyword and the name are stripped.
    case function
    case prefix(CommandPrefix)
    /// Commands whose arguments are data, not commands (`echo`, `printf`, …): only the name is rendered.
    case inert
    /// Search commands (`grep`, `rg`, …): the pattern is data, the files searched are rendered.
    case search(SearchTool)
    /// `bash`, `sh`, … : `-c SCRIPT` is parsed as a script; without it they read a script on standard input.
    case shell
    case eval, su, ssh, find, rm, git
    case tool(SubcommandTool)
    case sqlClient(SQLClient)
    /// `supabase`: `supabase db …` reads SQL on standard input.
    case supabase
    /// SQL statements that destroy data (`DROP`, `TRUNCATE`, `DELETE`) seen as a command word.
    case sqlKeyword
    /// Any other well-known command: rendered as given.
    case known
}

extension CommandKind {
    var isSearch: Bool {
        if case .search = self { return true }
        return false
    }
}

/// A command name of up to 16 bytes, ASCII-lowercased and packed into two integers, so that table lookups need
/// neither a String nor a general-purpose hash.
struct NameKey: Hashable, Sendable {
    var low: UInt64 = 0
    var high: UInt64 = 0

    init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    /// The key of `span` lowercased; nil when it is empty, longer than 16 bytes or contains a NUL byte.
    init?(_ source: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) {
        guard span.count >= 1 && span.count <= 16 else { return nil }
        var offset = 0
        while offset < span.count {
            let byte = ByteClass.lowercased(source[span.start + offset])
            if byte == 0 { return nil }
            if offset < 8 {
                low |= UInt64(byte) << UInt64(offset * 8)
            } else {
                high |= UInt64(byte) << UInt64((offset - 8) * 8)
            }
            offset += 1
        }
    }

    init?(_ name: String) {
        let bytes = Array(name.utf8)
        let key = bytes.withUnsafeBufferPointer { NameKey($0, ByteSpan(start: 0, end: bytes.count)) }
        guard let key else { return nil }
        self = key
    }

    var slotHash: Int {
        let mixed = (low &* 0x9E37_79B9_7F4A_7C15) ^ (high &* 0xC2B2_AE3D_27D4_EB4F)
        return Int(truncatingIfNeeded: mixed ^ (mixed >> 29))
    }
}

/// What the catalog knows about a name.
struct CatalogEntry: Sendable {
    var key: NameKey
    /// How the name is handled as a command word; nil when it is not a known command.
    var kind: CommandKind?
    /// Whether the name starts an embedded command inside prose, SQL or JSON-ish text.
    var isOfInterest: Bool
}

enum CommandCatalog {
    /// What the catalog knows about the (lowercased) bytes of `span`; nil for an unknown name.
    static func lookup(_ source: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> CatalogEntry? {
        guard let key = NameKey(source, span) else { return nil }
        return table.lookup(key)
    }

    /// The part of command word `span` that names the command (as `ShellSource.nameSpan`: the basename, leading
    /// backslashes removed, a word with whitespace taken whole) and what the catalog knows about it, in one pass for
    /// the common short word.
    static func lookupCommandWord(
        _ source: UnsafeBufferPointer<UInt8>, _ span: ByteSpan
    ) -> (ByteSpan, CatalogEntry?) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var start = span.start
        var index = span.start
        while index < span.end {
            let byte = source[index]
            if byte == 0x2F {
                start = index + 1
                low = 0
                high = 0
            } else {
                let offset = index - start
                // Whitespace, a NUL byte, a leading backslash or a long name: the general path decides.
                guard !ByteClass.isWhitespace(byte), byte != 0, offset < 16, offset > 0 || byte != 0x5C else {
                    return slowLookup(source, span)
                }
                let lowered = UInt64(ByteClass.lowercased(byte))
                if offset < 8 {
                    low |= lowered << UInt64(offset * 8)
                } else {
                    high |= lowered << UInt64((offset - 8) * 8)
                }
            }
            index += 1
        }
        guard start < span.end else { return slowLookup(source, span) }  // empty, or ends with `/`
        return (ByteSpan(start: start, end: span.end), table.lookup(NameKey(low: low, high: high)))
    }

    private static func slowLookup(
        _ source: UnsafeBufferPointer<UInt8>, _ span: ByteSpan
    ) -> (ByteSpan, CatalogEntry?) {
        let name = ShellSource(arena: source, substitutions: UnsafeBufferPointer(start: nil, count: 0))
            .nameSpan(ShellWord(span: span))
        return (name, lookup(source, name))
    }

    /// A cheap pre-check for `lookup(…)?.isOfInterest`: false means the span is certainly not a name of interest.
    @inline(__always)
    static func mayBeOfInterest(_ source: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Bool {
        guard span.count >= 2 && span.count <= 9 else { return false }
        let bit = filterBit(
            first: ByteClass.lowercased(source[span.start]), last: ByteClass.lowercased(source[span.end - 1]),
            length: span.count)
        return interestFilter[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    @inline(__always)
    private static func filterBit(first: UInt8, last: UInt8, length: Int) -> Int {
        ((Int(first & 0x1F) &* 37 &+ Int(last & 0x7F)) &* 11 &+ length) & 4095
    }

    private static let interestFilter: [UInt64] = {
        var filter = [UInt64](repeating: 0, count: 64)
        for name in InertCommands.namesOfInterest {
            let bytes = Array(name.utf8)
            let bit = filterBit(first: bytes[0], last: bytes[bytes.count - 1], length: bytes.count)
            filter[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        return filter
    }()

    /// The kind of a command name (for tests and table checks).
    static func kind(of name: String) -> CommandKind? {
        guard let key = NameKey(name) else { return nil }
        return table.lookup(key)?.kind
    }

    private static let table = CatalogTable(kinds: kinds, interesting: InertCommands.namesOfInterest)

    private static var kinds: [(String, CommandKind)] {
        var kinds: [(String, CommandKind)] = []
        for name in InertCommands.knownCommands { kinds.append((name, .known)) }
        for name in InertCommands.inert { kinds.append((name, .inert)) }
        for (name, tool) in InertCommands.searchCommands { kinds.append((name, .search(tool))) }
        for name in ["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "esac"] {
            kinds.append((name, .keyword))
        }
        for name in ["for", "select", "case"] { kinds.append((name, .header)) }
        kinds.append(("function", .function))
        for (name, prefix) in CommandPrefixes.names { kinds.append((name, .prefix(prefix))) }
        for name in ReentryCommands.shells { kinds.append((name, .shell)) }
        kinds += [("eval", .eval), ("su", .su), ("ssh", .ssh), ("find", .find), ("rm", .rm), ("git", .git)]
        for (name, tool) in ToolCanonicalForms.subcommandTools { kinds.append((name, .tool(tool))) }
        for (name, client) in ToolCanonicalForms.sqlClients { kinds.append((name, .sqlClient(client))) }
        kinds.append(("supabase", .supabase))
        for name in ["drop", "truncate", "delete"] { kinds.append((name, .sqlKeyword)) }
        return kinds
    }
}

/// An open-addressing hash table of catalog entries (later entries for the same name win). Built once; its storage
/// is allocated for the life of the process and never written after initialisation, hence `@unchecked Sendable`.
private struct CatalogTable: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Int16>
    private let entries: UnsafeMutablePointer<CatalogEntry>
    private let mask: Int

    init(kinds: [(String, CommandKind)], interesting: Set<String>) {
        var size = 64
        while size < (kinds.count + interesting.count) * 4 { size *= 2 }
        var slotArray = [Int16](repeating: -1, count: size)
        var entryArray: [CatalogEntry] = []
        let mask = size - 1
        func update(_ key: NameKey, _ change: (inout CatalogEntry) -> Void) {
            var slot = key.slotHash & mask
            while slotArray[slot] >= 0 {
                let index = Int(slotArray[slot])
                if entryArray[index].key == key {
                    change(&entryArray[index])
                    return
                }
                slot = (slot + 1) & mask
            }
            var entry = CatalogEntry(key: key, kind: nil, isOfInterest: false)
            change(&entry)
            slotArray[slot] = Int16(entryArray.count)
            entryArray.append(entry)
        }
        for (name, kind) in kinds {
            guard let key = NameKey(name) else { continue }
            update(key) { $0.kind = kind }
        }
        for name in interesting {
            guard let key = NameKey(name) else { continue }
            update(key) { $0.isOfInterest = true }
        }
        slots = .allocate(capacity: size)
        slots.initialize(from: slotArray, count: size)
        entries = .allocate(capacity: max(entryArray.count, 1))
        entries.initialize(from: entryArray, count: entryArray.count)
        self.mask = mask
    }

    @inline(__always)
    func lookup(_ key: NameKey) -> CatalogEntry? {
        var slot = key.slotHash & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            if entries[index].key == key { return entries[index] }
            slot = (slot + 1) & mask
        }
    }
}
