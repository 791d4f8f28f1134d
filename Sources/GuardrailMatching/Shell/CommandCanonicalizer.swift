// Renders one simple command as a canonical line: prefixes stripped, the command word normalised, the per-tool
// canonical form applied, redirections appended; then its nested scripts are followed and, for unknown commands
// (prose, SQL, JSON-ish text), the words that name commands of interest start lines of their own.

extension ShellSource {
    /// The byte at `offset` in the word's value, or 0 outside it.
    @inline(__always)
    func byte(_ word: ShellWord, _ offset: Int) -> UInt8 {
        let index = word.span.start + offset
        return offset >= 0 && index < word.span.end ? arena[index] : 0
    }

    @inline(__always)
    func bytes(_ span: ByteSpan) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: arena[span.start..<span.end])
    }

    func equals(_ span: ByteSpan, _ literal: StaticString) -> Bool {
        guard literal.utf8CodeUnitCount == span.count else { return false }
        return literal.withUTF8Buffer { buffer in
            var offset = 0
            while offset < buffer.count {
                if arena[span.start + offset] != buffer[offset] { return false }
                offset += 1
            }
            return true
        }
    }

    @inline(__always)
    func equals(_ word: ShellWord, _ literal: StaticString) -> Bool {
        equals(word.span, literal)
    }

    func hasPrefix(_ word: ShellWord, _ literal: StaticString) -> Bool {
        guard literal.utf8CodeUnitCount <= word.span.count else { return false }
        return literal.withUTF8Buffer { buffer in
            var offset = 0
            while offset < buffer.count {
                if arena[word.span.start + offset] != buffer[offset] { return false }
                offset += 1
            }
            return true
        }
    }

    func equalsAny(_ word: ShellWord, _ literals: [StaticString]) -> Bool {
        for literal in literals where equals(word.span, literal) { return true }
        return false
    }

    /// `-x…` or `--x…` (a lone `-` is an operand).
    @inline(__always)
    func isOption(_ word: ShellWord) -> Bool {
        word.span.count >= 2 && arena[word.span.start] == 0x2D
    }

    func contains(_ byte: UInt8, in word: ShellWord) -> Bool {
        var index = word.span.start
        while index < word.span.end {
            if arena[index] == byte { return true }
            index += 1
        }
        return false
    }

    /// Whether the shell expands the word as a pathname pattern: an unquoted `*`, `?` or `[…]`.
    func hasGlob(_ word: ShellWord) -> Bool {
        if word.flags.contains(.quoted) && !word.flags.contains(.glob) { return false }
        var index = word.span.start
        var bracket = false
        while index < word.span.end {
            switch arena[index] {
            case 0x2A, 0x3F: return true
            case 0x5B: bracket = true
            case 0x5D where bracket: return true
            default: break
            }
            index += 1
        }
        return false
    }

    /// The value after the first `=` of the word.
    func valueAfterEquals(_ word: ShellWord) -> ByteSpan? {
        var index = word.span.start
        while index < word.span.end {
            if arena[index] == 0x3D { return ByteSpan(start: index + 1, end: word.span.end) }
            index += 1
        }
        return nil
    }

    /// The text of a word worth parsing as a script (the generic rule): the word's value (the value after the
    /// first `=` of an assignment or of an option `--name=value`) when it contains whitespace, `;`, `&` or `|`
    /// outside its substitutions; nil otherwise.
    func scriptText(of word: ShellWord) -> ByteSpan? {
        // Unquoted separators end words, so only a quoted, escaped or substituted word can contain one.
        guard word.flags.contains(.quoted) else { return nil }
        var span = word.span
        if word.flags.contains(.assignment), let value = valueAfterEquals(word) {
            span = value
        } else if isOption(word), let value = optionValue(word) {
            span = value
        }
        var index = span.start
        var substitution = word.substitutions.lowerBound
        while index < span.end {
            if substitution < word.substitutions.upperBound && index >= substitutions[substitution].start {
                index = max(index, substitutions[substitution].end)
                substitution += 1
                continue
            }
            if ByteClass.isScriptSeparator(arena[index]) { return span }
            index += 1
        }
        return nil
    }

    /// The value of an option word written `-name=value` / `--name=value` (the name has no whitespace).
    func optionValue(_ word: ShellWord) -> ByteSpan? {
        var index = word.span.start + 1
        while index < word.span.end {
            let byte = arena[index]
            if byte == 0x3D { return ByteSpan(start: index + 1, end: word.span.end) }
            if ByteClass.isScriptSeparator(byte) { return nil }
            index += 1
        }
        return nil
    }

    /// The words' values joined by single spaces.
    func join<Words: Sequence<ShellWord>>(_ words: Words) -> [UInt8] {
        var joined: [UInt8] = []
        for word in words {
            if !joined.isEmpty { joined.append(0x20) }
            joined.append(contentsOf: bytes(word.span))
        }
        return joined
    }

    /// The part of a command word that names the command: the basename of a path with leading backslashes removed
    /// (a word containing whitespace is taken whole).
    func nameSpan(_ word: ShellWord) -> ByteSpan {
        var start = word.span.start
        let end = word.span.end
        var lastSlash = -1
        var index = start
        while index < end {
            let byte = arena[index]
            if ByteClass.isWhitespace(byte) { return word.span }
            if byte == 0x2F { lastSlash = index }
            index += 1
        }
        if lastSlash >= 0 && lastSlash + 1 < end { start = lastSlash + 1 }
        while start + 1 < end && arena[start] == 0x5C { start += 1 }
        return ByteSpan(start: start, end: end)
    }

    /// Whether two spans hold the same bytes, ignoring ASCII case.
    func equalsIgnoringCase(_ span: ByteSpan, _ other: ByteSpan) -> Bool {
        guard span.count == other.count else { return false }
        var offset = 0
        while offset < span.count {
            if ByteClass.lowercased(arena[span.start + offset]) != ByteClass.lowercased(arena[other.start + offset]) {
                return false
            }
            offset += 1
        }
        return true
    }

    /// Whether `span` holds whitespace, `;`, `&` or `|`.
    func containsScriptSeparator(_ span: ByteSpan) -> Bool {
        var index = span.start
        while index < span.end {
            if ByteClass.isScriptSeparator(arena[index]) { return true }
            index += 1
        }
        return false
    }

    /// Whether the lowercased bytes of `span` equal `literal` (which is lowercase).
    func equalsLowercased(_ span: ByteSpan, _ literal: StaticString) -> Bool {
        guard literal.utf8CodeUnitCount == span.count else { return false }
        return literal.withUTF8Buffer { buffer in
            var offset = 0
            while offset < buffer.count {
                if ByteClass.lowercased(arena[span.start + offset]) != buffer[offset] { return false }
                offset += 1
            }
            return true
        }
    }
}

extension NormalizerSession {
    /// An empty list of redirections (for commands built from words).
    static var noRedirects: Redirects { Redirects(start: nil, count: 0) }

    /// Canonicalises one command (`argv`, its redirections) and emits its line, then (unless `embedded`) follows
    /// its nested scripts and embedded commands. `piped` says its output feeds another command.
    mutating func canonicalize(
        _ argv: Argv, redirects: Redirects, source: ShellSource, depth: Int,
        embedded: Bool, piped: Bool, bulk: Bool = false
    ) -> CommandOutcome {
        var context = CommandContext()
        context.bulk = bulk
        line.reset()
        var wrapper: ByteSpan?
        var header = false
        let command = stripPrefixes(argv, source: source, context: &context, wrapper: &wrapper, header: &header)
        let index = command.index
        var scan = false
        if header {
            context.inertFrom = 0
        } else if index < argv.count {
            let name = command.name
            let capitalized = !name.isEmpty && ByteClass.isUpper(source.arena[name.start])
            var kind = command.kind
            if capitalized, kind == .inert || kind?.isSearch == true {
                kind = nil  // "Type …", "Help …", "Grep …": prose, not a command
            }
            // Unknown commands (prose, SQL, JSON-ish text) are scanned for embedded commands; so are other
            // well-known utilities, whose arguments often run tools (`python -m twine upload`, `npx …`), and
            // capitalised command words, which start sentences more often than commands.
            scan = kind == nil || kind == .known || capitalized
            render(kind, name: name, argv, at: index, source: source, context: &context, piped: piped)
        } else if let wrapper {
            line.appendLowercased(wrapper, from: source)
        }
        appendRedirects(redirects, source: source)
        emitLine()
        let outcome = CommandOutcome(readsScript: context.readsScript, echoPayload: context.echoPayload)
        if embedded { return outcome }

        var readsScript = outcome.readsScript
        if !context.jobs.isEmpty && runJobs(context.jobs, source: source, depth: depth) { readsScript = true }
        if context.consumed.count > 1 { context.consumed.sort { $0.lowerBound < $1.lowerBound } }
        var consumedCursor = 0
        for wordIndex in 0..<argv.count {
            if isFull { break }
            while consumedCursor < context.consumed.count
                && context.consumed[consumedCursor].upperBound <= wordIndex
            {
                consumedCursor += 1
            }
            if consumedCursor < context.consumed.count && context.consumed[consumedCursor].contains(wordIndex) {
                continue
            }
            let word = argv[wordIndex]
            if wordIndex < context.inertFrom, word.flags.contains(.quoted), let script = source.scriptText(of: word) {
                normalizeNested(script, source: source, depth: depth + 1)
            } else if !word.substitutions.isEmpty {
                processSubstitutions(word.substitutions, source: source, depth: depth)
            }
        }
        for redirect in redirects where !redirect.target.substitutions.isEmpty {
            processSubstitutions(redirect.target.substitutions, source: source, depth: depth)
        }
        if scan { scanEmbeddedCommands(argv, from: index, source: source, depth: depth) }
        return CommandOutcome(readsScript: readsScript, echoPayload: outcome.echoPayload)
    }

    private mutating func render(
        _ kind: CommandKind?, name: ByteSpan, _ argv: Argv, at index: Int, source: ShellSource,
        context: inout CommandContext, piped: Bool
    ) {
        switch kind {
        case .inert?:
            line.appendLowercased(name, from: source)
            context.inertFrom = index + 1
            if piped {
                if source.equalsLowercased(name, "echo") {
                    deferEchoArguments(printf: false, argv, at: index, source: source, context: &context)
                } else if source.equalsLowercased(name, "printf") {
                    deferEchoArguments(printf: true, argv, at: index, source: source, context: &context)
                }
            }
        case .search(let tool)?:
            line.appendLowercased(name, from: source)
            context.inertFrom = index + 1
            renderSearch(tool, argv, from: index + 1, source: source)
        case .shell?:
            renderShell(name: name, argv, at: index, source: source, context: &context)
        case .eval?:
            renderEval(argv, at: index, source: source, context: &context)
        case .su?:
            renderSu(argv, at: index, source: source, context: &context)
        case .ssh?:
            renderSsh(argv, at: index, source: source, context: &context)
        case .find?:
            renderFind(argv, at: index, source: source, context: &context)
        case .rm?:
            renderRm(argv, at: index, source: source, bulk: context.bulk)
        case .git?:
            renderGit(argv, at: index, source: source, context: &context)
        case .tool(let tool)?:
            renderTool(tool, name: name, argv, at: index, source: source, context: &context)
        case .sqlClient(let client)?:
            renderSQLClient(client, name: name, argv, at: index, source: source, context: &context)
        case .supabase?:
            if index + 1 < argv.count && source.equals(argv[index + 1], "db") { context.readsScript = true }
            renderPlain(name: name, argv, at: index, source: source)
        case nil, .known?, .sqlKeyword?, .keyword?, .header?, .function?, .prefix?:
            renderPlain(name: name, argv, at: index, source: source)
        }
    }

    /// Appends the words from `start` up to `end` (default: all) as given.
    mutating func appendWords(_ argv: Argv, from start: Int, to end: Int? = nil, source: ShellSource) {
        var index = start
        let stop = min(end ?? argv.count, argv.count)
        while index < stop {
            line.append(argv[index].span, from: source)
            index += 1
        }
    }

    /// The normalised name followed by the other words as given.
    private mutating func renderPlain(name: ByteSpan, _ argv: Argv, at index: Int, source: ShellSource) {
        line.appendLowercased(name, from: source)
        appendWords(argv, from: index + 1, source: source)
    }

    /// Keeps the arguments of a piped `echo`/`printf` for the end of the pipeline (their substitutions are
    /// processed then, or they are parsed as a script if the pipeline ends in a shell).
    private func deferEchoArguments(
        printf: Bool, _ argv: Argv, at index: Int, source: ShellSource, context: inout CommandContext
    ) {
        var start = index + 1
        var decodes = printf
        if printf {
            while start < argv.count, source.isOption(argv[start]) {
                if source.equals(argv[start], "--") {
                    start += 1
                    break
                }
                start += source.equals(argv[start], "-v") ? 2 : 1
            }
        } else {
            while start < argv.count, source.isOption(argv[start]) {
                let word = argv[start]
                var flags = true
                for offset in 1..<word.span.count {
                    let byte = source.byte(word, offset)
                    if byte != 0x6E && byte != 0x65 && byte != 0x45 { flags = false }  // n e E
                }
                guard flags else { break }
                if source.contains(0x65, in: word) { decodes = true }
                start += 1
            }
        }
        start = min(start, argv.count)
        context.echoPayload = EchoPayload(words: Array(argv[start...]), decodesEscapes: decodes)
        context.consumed.append(start..<argv.count)
    }

    private mutating func appendRedirects(_ redirects: Redirects, source: ShellSource) {
        for redirect in redirects {
            switch redirect.kind {
            case .output, .readWrite: line.append(">")
            case .append: line.append(">>")
            case .input: line.append("<")
            case .duplicate: continue
            }
            line.append(redirect.target.span, from: source)
        }
    }

    // MARK: - Embedded commands

    /// For each word naming a command of interest, emits a line starting at that word (canonicalised like a
    /// command, at most `embeddedWordLimit` following words, no nested parsing).
    private mutating func scanEmbeddedCommands(_ argv: Argv, from start: Int, source: ShellSource, depth: Int) {
        guard start < argv.count else { return }
        for index in start..<argv.count {
            if isFull { return }
            let word = argv[index]
            if word.span.isEmpty { continue }
            if index == start && !Self.isLeadingPunctuation(source.byte(word, 0))
                && !Self.isTrailingPunctuation(source.byte(word, word.span.count - 1))
            {
                continue  // the command word itself: its own line is the canonical one
            }
            guard let span = commandOfInterest(in: word, source: source) else { continue }
            if index == start && span == word.span { continue }
            var words = [ShellWord(span: span)]
            let stop = min(argv.count, index + 1 + Self.embeddedWordLimit)
            if index + 1 < stop { words.append(contentsOf: argv[(index + 1)..<stop]) }
            words.withUnsafeBufferPointer { words in
                _ = canonicalize(
                    words, redirects: Self.noRedirects, source: source, depth: depth, embedded: true, piped: false)
            }
        }
    }

    /// The part of a word that names a command of interest, after stripping surrounding punctuation and any
    /// `key:` / `key=` prefix.
    ///
    /// Names of interest are letters and digits, so the candidate is the run of letters and digits at the end of
    /// the word (trailing punctuation stripped); it is the name when only leading punctuation stands between it and
    /// the start of the word or the last `:` / `=`.
    private func commandOfInterest(in word: ShellWord, source: ShellSource) -> ByteSpan? {
        let arena = source.arena
        var end = word.span.end
        while end > word.span.start && Self.isTrailingPunctuation(arena[end - 1]) { end -= 1 }
        var nameStart = end
        while nameStart > word.span.start {
            let byte = arena[nameStart - 1]
            guard ByteClass.isLetter(byte) || ByteClass.isDigit(byte) else { break }
            nameStart -= 1
            if end - nameStart > 9 { return nil }  // longer than any name of interest
        }
        guard end - nameStart >= 2, ByteClass.isLetter(arena[nameStart]) else { return nil }
        var before = nameStart
        while before > word.span.start && Self.isLeadingPunctuation(arena[before - 1]) { before -= 1 }
        guard before == word.span.start || arena[before - 1] == 0x3A || arena[before - 1] == 0x3D else { return nil }
        let name = ByteSpan(start: nameStart, end: end)
        return isInterestingName(name, source: source) ? name : nil
    }

    private func isInterestingName(_ span: ByteSpan, source: ShellSource) -> Bool {
        guard CommandCatalog.mayBeOfInterest(source.arena, span), ByteClass.isLetter(source.arena[span.start]) else {
            return false
        }
        return CommandCatalog.lookup(source.arena, span)?.isOfInterest ?? false
    }

    private static func isLeadingPunctuation(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x60, 0x5B, 0x28, 0x7B, 0x22, 0x27, 0x3C, 0x2C: return true  // ` [ ( { " ' < ,
        default: return false
        }
    }

    private static func isTrailingPunctuation(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x60, 0x5D, 0x29, 0x7D, 0x22, 0x27, 0x3E, 0x2C, 0x2E, 0x3B, 0x3A, 0x21, 0x3F: return true
        default: return false  // ` ] ) } " ' > , . ; : ! ?
        }
    }
}
