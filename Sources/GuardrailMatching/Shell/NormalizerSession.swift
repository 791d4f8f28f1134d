import Synchronization

// One normalisation run: parses scripts level by level, hands each simple command to the canonicaliser, follows
// pipelines and here-documents into nested scripts, and collects the canonical lines.
//
// Nesting (substitutions, `bash -c`, `eval`, here-documents, words re-parsed as scripts, …) is the only recursion;
// it is capped at `maxDepth`, beyond which the remaining text is emitted as one lowercased line (fail closed).
// Each nesting level scans its text once, so the total work is O(length × depth).

/// Work that a canonicalised command hands back, to be done one nesting level down.
enum NestedJob {
    /// Text parsed as a script.
    case text([UInt8])
    /// Arena text parsed as a script.
    case span(ByteSpan)
    /// Words canonicalised as a command of their own (`find -exec`, `docker exec`, `kubectl exec --`). When
    /// `forwardsStdin` is set, the outer command's standard input reaches this one; `bulk` says it runs once per
    /// item found (`find -exec`).
    case argv([ShellWord], forwardsStdin: Bool, bulk: Bool = false)
}

/// The arguments of a piped `echo`/`printf`, parsed as a script when the pipeline ends in a shell.
struct EchoPayload {
    var words: [ShellWord]
    var decodesEscapes: Bool
}

/// What the canonicaliser learned about one command while rendering it.
struct CommandContext {
    var jobs: [NestedJob] = []
    /// Word ranges parsed by a job (so neither re-parsed by the generic rule nor their substitutions processed).
    /// Renderers add them in word order.
    var consumed: [Range<Int>] = []
    /// Words from this index on are data (inert command arguments): only their substitutions are processed.
    var inertFrom = Int.max
    /// The command reads a script (shell or SQL) on its standard input.
    var readsScript = false
    var echoPayload: EchoPayload?
    /// The command runs on items produced by another command (`xargs`, `find -exec`), so a deletion is a bulk
    /// deletion.
    var bulk = false
}

/// The result of canonicalising one command.
struct CommandOutcome {
    var readsScript: Bool
    var echoPayload: EchoPayload?
}

/// Growable byte storage for the line under construction (reused for every line of a session, and from one session
/// to the next through `NormalizerWorkspace`). `@unchecked Sendable`: a storage belongs to one session at a time and
/// only moves between sessions through the workspace pool's lock.
/// The capacity is a multiple of 8 and every byte is initialised, so that whole 8-byte chunks can be read up to the
/// end of the last one that holds line bytes.
final class LineStorage: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var count = 0

    init() {
        capacity = 512
        base = .allocate(capacity: capacity)
        base.initialize(repeating: 0, count: capacity)
    }

    deinit {
        base.deallocate()
    }

    @inline(__always)
    func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(repeating: 0, count: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
}

/// Storage that normalisation runs reuse: the lexer buffers of each nesting level, the line under construction and
/// the line index. A run takes one from a small process-wide pool and gives it back, so that repeated calls allocate
/// little beyond the lines they return. A workspace that grew large (a huge input) is not kept.
struct NormalizerWorkspace: Sendable {
    var bufferPool: [ScriptBuffers] = []
    var line = LineBuilder()
    var lineHashes: [UInt64] = []
    var lineSlots: [Int32] = []

    /// At most this many workspaces are kept (one per concurrent caller).
    static let poolLimit = 8
    /// A workspace holding more bytes than this is dropped instead of kept.
    static let retainLimit = 1 << 20

    private static let pool = Mutex<[NormalizerWorkspace]>([])

    static func take() -> NormalizerWorkspace {
        pool.withLock { $0.popLast() } ?? NormalizerWorkspace()
    }

    static func recycle(_ workspace: NormalizerWorkspace) {
        guard workspace.retainedBytes <= retainLimit else { return }
        pool.withLock { pool in
            if pool.count < poolLimit { pool.append(workspace) }
        }
    }

    /// Approximate bytes of storage held.
    var retainedBytes: Int {
        var bytes = line.capacity + lineHashes.capacity * 8 + lineSlots.count * 4
        for buffers in bufferPool { bytes += buffers.retainedBytes }
        return bytes
    }
}

/// One canonical line under construction: words separated by single spaces.
struct LineBuilder: Sendable {
    let storage = LineStorage()

    var isEmpty: Bool { storage.count == 0 }
    var count: Int { storage.count }
    var capacity: Int { storage.capacity }
    var bytes: UnsafeBufferPointer<UInt8> { storage.bytes }

    func reset() {
        storage.count = 0
    }

    @inline(__always)
    func appendByte(_ byte: UInt8) {
        storage.reserve(1)
        storage.base[storage.count] = byte
        storage.count += 1
    }

    @inline(__always)
    private func appendRaw(_ bytes: UnsafeBufferPointer<UInt8>, separated: Bool) {
        guard let from = bytes.baseAddress, !bytes.isEmpty else { return }
        storage.reserve(bytes.count + 1)
        if separated && storage.count > 0 {
            storage.base[storage.count] = 0x20
            storage.count += 1
        }
        let target = storage.base + storage.count
        if bytes.count <= 16 {
            for offset in 0..<bytes.count { target[offset] = from[offset] }
        } else {
            target.update(from: from, count: bytes.count)
        }
        storage.count += bytes.count
    }

    /// Appends arena bytes as one word; empty words are skipped. (Line breaks become spaces when the line is
    /// emitted.)
    @inline(__always)
    func append(_ span: ByteSpan, from source: ShellSource) {
        appendRaw(source.bytes(span), separated: true)
    }

    /// Appends arena bytes to the last word (no separator).
    func appendAttached(_ span: ByteSpan, from source: ShellSource) {
        appendRaw(source.bytes(span), separated: false)
    }

    /// Appends arena bytes ASCII-lowercased as one word (a normalised command name).
    func appendLowercased(_ span: ByteSpan, from source: ShellSource) {
        let start = storage.count + (storage.count > 0 ? 1 : 0)
        appendRaw(source.bytes(span), separated: true)
        var index = start
        while index < storage.count {
            storage.base[index] = ByteClass.lowercased(storage.base[index])
            index += 1
        }
    }

    func append(_ word: [UInt8]) {
        word.withUnsafeBufferPointer { appendRaw($0, separated: true) }
    }

    func append(_ word: StaticString) {
        word.withUTF8Buffer { appendRaw($0, separated: true) }
    }

    /// Inserts `text` (which should start with a space) at byte offset `offset`.
    func insert(_ text: StaticString, at offset: Int) {
        text.withUTF8Buffer { inserted in
            storage.reserve(inserted.count)
            let moved = storage.count - offset
            (storage.base + offset + inserted.count).update(from: storage.base + offset, count: moved)
            (storage.base + offset).update(from: inserted.baseAddress!, count: inserted.count)
            storage.count += inserted.count
        }
    }
}

struct NormalizerSession {
    /// Nesting levels parsed as shell; deeper text is emitted as one line.
    static let maxDepth = 8
    static let maxLines = 10_000
    /// Words after an embedded command name that belong to its line.
    static let embeddedWordLimit = 24

    private(set) var lines: [String] = []
    /// Hashes of `lines`, and an open-addressing index over them (entries are line indices, -1 is empty).
    private var lineHashes: [UInt64]
    private var lineSlots: [Int32]
    var line: LineBuilder
    /// Lexer and parser storage, one per nesting level, reused.
    private var bufferPool: [ScriptBuffers]
    /// Bytes scanned and emitted.
    private(set) var work = 0

    /// A session for a text of `length` bytes, working in the storage of `workspace`.
    init(workspace: NormalizerWorkspace, length: Int) {
        lineHashes = workspace.lineHashes
        lineHashes.removeAll(keepingCapacity: true)
        lineSlots = workspace.lineSlots
        if lineSlots.count < 64 || lineSlots.count > 1_024 {
            lineSlots = Array(repeating: -1, count: 64)
        } else {
            lineSlots.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
        }
        line = workspace.line
        line.reset()
        bufferPool = workspace.bufferPool
        lines.reserveCapacity(min(16 + length / 48, 1_024))
    }

    /// The buffers of nesting level `depth`, taken out of the pool while in use.
    @inline(__always)
    private mutating func takeBuffers(_ buffers: inout ScriptBuffers, depth: Int) {
        if depth < bufferPool.count { swap(&buffers, &bufferPool[depth]) }
    }

    @inline(__always)
    private mutating func returnBuffers(_ buffers: inout ScriptBuffers, depth: Int) {
        while bufferPool.count <= depth { bufferPool.append(ScriptBuffers()) }
        swap(&buffers, &bufferPool[depth])
    }

    /// Hands the storage back (the session is not used afterwards).
    mutating func releaseWorkspace() -> NormalizerWorkspace {
        var workspace = NormalizerWorkspace()
        swap(&workspace.bufferPool, &bufferPool)
        swap(&workspace.lineHashes, &lineHashes)
        swap(&workspace.lineSlots, &lineSlots)
        workspace.line = line
        return workspace
    }

    var isFull: Bool { lines.count >= Self.maxLines }

    /// Finishes the line under construction (appending " ;", line breaks from quoted words becoming spaces) and
    /// records it unless empty or already seen.
    mutating func emitLine() {
        guard !line.isEmpty, !isFull else {
            line.reset()
            return
        }
        line.appendByte(0x20)
        line.appendByte(0x3B)
        let bytes = line.bytes
        work += bytes.count
        let hash = Self.hashFlatteningLineBreaks(UnsafeMutablePointer(mutating: bytes.baseAddress!), bytes.count)
        let mask = lineSlots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while lineSlots[slot] >= 0 {
            let index = Int(lineSlots[slot])
            if lineHashes[index] == hash && Self.equal(lines[index], bytes) {
                line.reset()
                return
            }
            slot = (slot + 1) & mask
        }
        lineSlots[slot] = Int32(lines.count)
        lines.append(String(decoding: bytes, as: UTF8.self))
        lineHashes.append(hash)
        line.reset()
        if lines.count * 2 > lineSlots.count { growLineIndex() }
    }

    private static func equal(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let contiguous = text.utf8.withContiguousStorageIfAvailable { stored in
            let other = UnsafeRawBufferPointer(bytes)
            let storedRaw = UnsafeRawBufferPointer(stored)
            guard storedRaw.count == other.count else { return false }
            var offset = 0
            while offset + 8 <= other.count {
                if storedRaw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    != other.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                {
                    return false
                }
                offset += 8
            }
            while offset < other.count {
                if storedRaw[offset] != other[offset] { return false }
                offset += 1
            }
            return true
        }
        return contiguous ?? text.utf8.elementsEqual(bytes)
    }

    private mutating func growLineIndex() {
        lineSlots = Array(repeating: -1, count: lineSlots.count * 2)
        let mask = lineSlots.count - 1
        for (index, hash) in lineHashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while lineSlots[slot] >= 0 { slot = (slot + 1) & mask }
            lineSlots[slot] = Int32(index)
        }
    }

    /// A fast 64-bit hash of a line (eight bytes at a time), replacing its line breaks (`\n`, `\r`) by spaces on
    /// the way. `base` must have room for 8 bytes (the line storage always has): the last partial chunk is read whole
    /// and masked.
    private static func hashFlatteningLineBreaks(_ base: UnsafeMutablePointer<UInt8>, _ count: Int) -> UInt64 {
        let raw = UnsafeMutableRawPointer(base)
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
        var offset = 0
        while offset < count {
            let remaining = count &- offset
            var chunk = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            if remaining < 8 { chunk &= (1 &<< UInt64(truncatingIfNeeded: remaining &* 8)) &- 1 }
            if Self.hasLineBreak(chunk) {
                chunk = flatteningLineBreaks(base + offset, min(8, remaining))
            }
            hash = (hash ^ chunk) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash &>> 32
            offset &+= 8
        }
        hash ^= hash &>> 29
        return hash &* 0xC4CE_B9FE_1A85_EC53
    }

    /// Replaces the line breaks among the `count` (at most 8) bytes at `bytes` by spaces; returns the 8 bytes at
    /// `bytes` with those beyond `count` zeroed.
    private static func flatteningLineBreaks(_ bytes: UnsafeMutablePointer<UInt8>, _ count: Int) -> UInt64 {
        for index in 0..<count where bytes[index] == 0x0A || bytes[index] == 0x0D { bytes[index] = 0x20 }
        let chunk = UnsafeRawPointer(bytes).loadUnaligned(as: UInt64.self)
        return count < 8 ? chunk & ((1 << UInt64(count * 8)) - 1) : chunk
    }

    /// Whether one of the eight bytes of `chunk` is `\n` or `\r` (zero bytes, as in a masked chunk, are not).
    @inline(__always)
    private static func hasLineBreak(_ chunk: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let newlines = chunk ^ (ones &* 0x0A)
        let returns = chunk ^ (ones &* 0x0D)
        return ((newlines &- ones) & ~newlines | (returns &- ones) & ~returns) & highs != 0
    }

    /// Emits `text` as one line: lowercased, whitespace collapsed, quotes and backslashes dropped.
    mutating func emitFailClosed(_ text: UnsafeBufferPointer<UInt8>) {
        line.reset()
        var pendingSpace = false
        for byte in text {
            if ByteClass.isWhitespace(byte) {
                pendingSpace = !line.isEmpty
            } else if byte == 0x22 || byte == 0x27 || byte == 0x5C || byte == 0x60 {
                continue
            } else {
                if pendingSpace {
                    line.appendByte(0x20)
                    pendingSpace = false
                }
                line.appendByte(ByteClass.lowercased(byte))
            }
        }
        work += text.count
        emitLine()
    }

    // MARK: - Scripts and pipelines

    private enum PipelinePayload {
        case echo(EchoPayload)
        case heredoc(ShellHeredoc)
    }

    /// Parses `text` as a script at nesting level `depth` and emits the lines of all its commands.
    mutating func normalizeScript(_ text: [UInt8], depth: Int) {
        text.withUnsafeBufferPointer { normalizeScript($0, depth: depth) }
    }

    /// Parses `text` as a script at nesting level `depth` and emits the lines of all its commands. `text` may point
    /// into the arena of an enclosing script.
    mutating func normalizeScript(_ text: UnsafeBufferPointer<UInt8>, depth: Int) {
        guard !isFull else { return }
        guard depth <= Self.maxDepth else {
            emitFailClosed(text)
            return
        }
        // One set of buffers per nesting level, taken out of the pool while in use.
        var script = ScriptBuffers()
        takeBuffers(&script, depth: depth)
        ShellScriptParser.parse(text, into: &script)
        work += script.work
        script.arena.withUnsafeBufferPointer { arena in
            script.substitutions.withUnsafeBufferPointer { substitutions in
                script.words.withUnsafeBufferPointer { words in
                    script.redirects.withUnsafeBufferPointer { redirects in
                        script.heredocs.withUnsafeBufferPointer { heredocs in
                            let source = ShellSource(
                                arena: UnsafeBufferPointer(rebasing: arena[0..<script.arenaCount]),
                                substitutions: substitutions)
                            normalizeCommands(
                                script.commands, words: words, redirects: redirects, heredocs: heredocs,
                                source: source, depth: depth)
                        }
                    }
                }
            }
        }
        returnBuffers(&script, depth: depth)
    }

    private mutating func normalizeCommands(
        _ commands: [SimpleCommand], words: UnsafeBufferPointer<ShellWord>,
        redirects allRedirects: UnsafeBufferPointer<ShellRedirect>, heredocs: UnsafeBufferPointer<ShellHeredoc>,
        source: ShellSource, depth: Int
    ) {
        var payloads: [PipelinePayload] = []
        for command in commands {
            if isFull { return }
            let piped = !command.endsPipeline
            let argv = UnsafeBufferPointer(rebasing: words[command.words])
            let redirects = UnsafeBufferPointer(rebasing: allRedirects[command.redirects])
            let outcome: CommandOutcome
            if argv.contains(where: { $0.flags.contains(.braceList) }) {
                outcome = expandingBraceLists(argv, source: source).withUnsafeBufferPointer {
                    canonicalize(
                        $0, redirects: redirects, source: source, depth: depth, embedded: false, piped: piped)
                }
            } else {
                outcome = canonicalize(
                    argv, redirects: redirects, source: source, depth: depth, embedded: false, piped: piped)
            }
            for heredoc in heredocs[command.heredocs] {
                if outcome.readsScript {
                    normalizeScript(source.bytes(heredoc.body), depth: depth + 1)
                } else if piped {
                    payloads.append(.heredoc(heredoc))
                } else if heredoc.expands {
                    processSubstitutions(heredoc.substitutions, source: source, depth: depth)
                }
            }
            if piped, let echo = outcome.echoPayload { payloads.append(.echo(echo)) }
            if command.endsPipeline && !payloads.isEmpty {
                finishPipeline(payloads, endsInScriptReader: outcome.readsScript, source: source, depth: depth)
                payloads.removeAll()
            }
        }
        if !payloads.isEmpty {
            finishPipeline(payloads, endsInScriptReader: false, source: source, depth: depth)
        }
    }

    /// Upstream `echo`/`printf` arguments and here-documents of a pipeline are parsed as a script when the
    /// pipeline ends in a shell or SQL client; otherwise only their substitutions are.
    private mutating func finishPipeline(
        _ payloads: [PipelinePayload], endsInScriptReader: Bool, source: ShellSource, depth: Int
    ) {
        for payload in payloads {
            switch payload {
            case .echo(let echo):
                if endsInScriptReader {
                    let joined = source.join(echo.words)
                    normalizeScript(echo.decodesEscapes ? ShellEscapes.decodeAll(joined) : joined, depth: depth + 1)
                } else {
                    for word in echo.words { processSubstitutions(word.substitutions, source: source, depth: depth) }
                }
            case .heredoc(let heredoc):
                if endsInScriptReader {
                    normalizeScript(source.bytes(heredoc.body), depth: depth + 1)
                } else if heredoc.expands {
                    processSubstitutions(heredoc.substitutions, source: source, depth: depth)
                }
            }
        }
    }

    /// The words with each unquoted `{a,b,c}` word replaced by its comma-separated items.
    private func expandingBraceLists(_ argv: Argv, source: ShellSource) -> [ShellWord] {
        var expanded: [ShellWord] = []
        expanded.reserveCapacity(argv.count + 4)
        for word in argv {
            guard word.flags.contains(.braceList) else {
                expanded.append(word)
                continue
            }
            var itemStart = word.span.start + 1
            let stop = word.span.end - 1
            var index = itemStart
            while index <= stop {
                if index == stop || source.arena[index] == 0x2C {
                    expanded.append(ShellWord(span: ByteSpan(start: itemStart, end: index)))
                    itemStart = index + 1
                }
                index += 1
            }
        }
        return expanded
    }

    /// Parses each substitution (`$(…)`, backticks, `<(…)`, `>(…)`) one level down.
    mutating func processSubstitutions(_ substitutions: Range<Int>, source: ShellSource, depth: Int) {
        for index in substitutions {
            if isFull { return }
            normalizeNested(source.substitutions[index], source: source, depth: depth + 1)
        }
    }

    /// Parses the arena text `span` of `source` as a script at nesting level `depth`, like `normalizeScript`. A
    /// text that is one simple command of plain words (bytes without special meaning, separated by spaces or tabs;
    /// no word starting with `#` or `{`) is split here and canonicalised with words that point into `source`,
    /// without lexing it into buffers of its own.
    mutating func normalizeNested(_ span: ByteSpan, source: ShellSource, depth: Int) {
        guard !isFull else { return }
        guard depth <= Self.maxDepth, Self.isPlainWords(span, in: source.arena) else {
            normalizeScript(source.bytes(span), depth: depth)
            return
        }
        work += span.count
        // The words array of this level's buffers, taken out of the pool while in use.
        while bufferPool.count <= depth { bufferPool.append(ScriptBuffers()) }
        var words: [ShellWord] = []
        swap(&words, &bufferPool[depth].words)
        if !words.isEmpty { words.removeAll(keepingCapacity: true) }
        let arena = source.arena
        var index = span.start
        while index < span.end {
            if arena[index] == 0x20 || arena[index] == 0x09 {
                index += 1
                continue
            }
            let start = index
            while index < span.end && arena[index] != 0x20 && arena[index] != 0x09 { index += 1 }
            var flags: WordFlags = []
            if ByteClass.isNameStart(arena[start]) {  // `NAME=…` or `NAME+=…`: an assignment
                var nameEnd = start + 1
                while nameEnd < index && ByteClass.isNameByte(arena[nameEnd]) { nameEnd += 1 }
                if nameEnd < index && arena[nameEnd] == 0x2B { nameEnd += 1 }
                if nameEnd < index && arena[nameEnd] == 0x3D { flags = .assignment }
            }
            words.append(ShellWord(span: ByteSpan(start: start, end: index), flags: flags))
        }
        if !words.isEmpty {
            words.withUnsafeBufferPointer { words in
                _ = canonicalize(
                    words, redirects: Self.noRedirects, source: source, depth: depth, embedded: false, piped: false)
            }
        }
        swap(&words, &bufferPool[depth].words)
    }

    /// Whether `span` is plain words separated by spaces or tabs: bytes without special meaning to the shell, no
    /// word starting with `#` (a comment) or `{` (maybe a brace list).
    private static func isPlainWords(_ span: ByteSpan, in arena: UnsafeBufferPointer<UInt8>) -> Bool {
        var wordStart = true
        var index = span.start
        while index < span.end {
            let byte = arena[index]
            if byte == 0x20 || byte == 0x09 {
                wordStart = true
            } else {
                guard ByteClass.isPlainWordByte(byte), !wordStart || (byte != 0x23 && byte != 0x7B) else {
                    return false
                }
                wordStart = false
            }
            index += 1
        }
        return true
    }

    /// Runs the nested jobs of a command. Returns whether a job that receives the command's standard input reads a
    /// script from it.
    mutating func runJobs(_ jobs: [NestedJob], source: ShellSource, depth: Int) -> Bool {
        var forwarded = false
        for job in jobs {
            if isFull { break }
            switch job {
            case .text(let bytes):
                normalizeScript(bytes, depth: depth + 1)
            case .span(let span):
                normalizeNested(span, source: source, depth: depth + 1)
            case .argv(let words, let forwardsStdin, let bulk):
                guard depth < Self.maxDepth else {
                    source.join(words).withUnsafeBufferPointer { emitFailClosed($0) }
                    continue
                }
                let outcome = words.withUnsafeBufferPointer {
                    canonicalize(
                        $0, redirects: Self.noRedirects, source: source, depth: depth + 1, embedded: false,
                        piped: false, bulk: bulk)
                }
                if forwardsStdin && outcome.readsScript { forwarded = true }
            }
        }
        return forwarded
    }
}
