// A lenient, single-pass shell lexer over UTF-8 bytes.
//
// It never fails: an unbalanced quote or substitution runs to the end of the text, and syntax it does not know is
// taken literally. Every byte is visited once by the main pass; finding the end of a `$(…)` scans its inner text
// once more (the inner text is lexed again, one nesting level down, by whoever parses the substitution), so the work
// per nesting level is linear. Nothing here recurses.

struct ShellLexer {
    private struct PendingHeredoc {
        var index: Int
        var delimiter: ByteSpan
        var stripTabs: Bool
        var expands: Bool
    }

    /// The text being lexed (valid for the duration of `lex`).
    private let source: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var end: Int
    private var arena: ByteArena
    private var substitutions: [ByteSpan] = []
    private var commands: [SimpleCommand] = []
    /// Where the pending simple command's words, redirections and here-documents start.
    private var commandWordStart = 0
    private var commandRedirectStart = 0
    private var commandHeredocStart = 0
    /// Open parentheses (subshells, groups, substitution-like syntax) not closed yet.
    private var openParens = 0
    private var words: [ShellWord] = []
    private var redirects: [ShellRedirect] = []
    private var heredocs: [ShellHeredoc] = []
    private var pendingHeredocs: [PendingHeredoc] = []
    /// Scratch stack of quoting contexts used while looking for the `)` that closes a substitution.
    private var contexts: [UInt8] = []
    private var work = 0

    /// Lexes `source` into `buffers` (words, redirections, here-documents, substitutions and the arena) and groups
    /// them into simple commands.
    static func lex(_ source: UnsafeBufferPointer<UInt8>, into buffers: inout ScriptBuffers) {
        buffers.reset()
        let capacity = source.count + 16
        var arena = buffers.arena
        buffers.arena = []
        if arena.count < capacity { arena = [UInt8](repeating: 0, count: max(capacity, arena.count * 2)) }
        arena.withUnsafeMutableBufferPointer { arenaBuffer in
            var lexer = ShellLexer(
                source: source, arena: ByteArena(base: arenaBuffer.baseAddress!, capacity: capacity),
                buffers: &buffers)
            lexer.run()
            buffers.arenaCount = lexer.arena.count
            buffers.work = lexer.work + source.count
            swap(&lexer.substitutions, &buffers.substitutions)
            swap(&lexer.commands, &buffers.commands)
            swap(&lexer.contexts, &buffers.parenContexts)
            swap(&lexer.words, &buffers.words)
            swap(&lexer.redirects, &buffers.redirects)
            swap(&lexer.heredocs, &buffers.heredocs)
        }
        buffers.arena = arena
    }

    /// Takes the (emptied) lists of `buffers` to fill them.
    private init(source: UnsafeBufferPointer<UInt8>, arena: ByteArena, buffers: inout ScriptBuffers) {
        self.source = source
        self.end = source.count
        self.arena = arena
        swap(&substitutions, &buffers.substitutions)
        swap(&commands, &buffers.commands)
        swap(&contexts, &buffers.parenContexts)
        swap(&words, &buffers.words)
        swap(&redirects, &buffers.redirects)
        swap(&heredocs, &buffers.heredocs)
        if commands.capacity < source.count / 8 + 4 { commands.reserveCapacity(source.count / 8 + 4) }
        if words.capacity < source.count / 5 + 4 { words.reserveCapacity(source.count / 5 + 4) }
    }

    @inline(__always)
    private mutating func appendSource(_ start: Int, _ stop: Int) {
        guard stop > start else { return }
        arena.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<stop]))
    }

    @inline(__always)
    private static func isPlainWordByte(_ byte: UInt8) -> Bool {
        ByteClass.isPlainWordByte(byte)
    }

    @inline(__always)
    private static func isGlobByte(_ byte: UInt8) -> Bool {
        byte == 0x2A || byte == 0x3F || byte == 0x5B
    }

    @inline(__always)
    private func peek(_ offset: Int) -> UInt8 {
        let index = position + offset
        return index < end ? source[index] : 0
    }

    // MARK: - Main pass

    private mutating func run() {
        defer { finishCommand(endsPipeline: true) }
        while position < end {
            let byte = source[position]
            // The two most frequent cases first, with plain branches (a jump table mispredicts on varied text).
            if byte == 0x20 {
                position += 1
                continue
            }
            if byte != 0x23 && Self.isPlainWordByte(byte) {
                if !readPlainWord() { readWordToken() }
                continue
            }
            switch byte {
            case 0x20, 0x09, 0x0D, 0x0B, 0x0C:
                position += 1
            case 0x0A:
                apply(.newline)
                position += 1
                if !pendingHeredocs.isEmpty { readHeredocBodies() }
            case 0x23:  // '#' at the start of a word: a comment up to the newline
                while position < end && source[position] != 0x0A { position += 1 }
            case 0x3B:  // ';'  ';;'  ';&'  ';;&'
                if peek(1) == 0x3B {
                    position += peek(2) == 0x26 ? 3 : 2
                    apply(.caseBreak)
                } else if peek(1) == 0x26 {
                    position += 2
                    apply(.caseBreak)
                } else {
                    position += 1
                    apply(.semicolon)
                }
            case 0x26:  // '&'  '&&'  '&>'  '&>>'
                if peek(1) == 0x26 {
                    position += 2
                    apply(.and)
                } else if peek(1) == 0x3E {
                    readRedirect()
                } else {
                    position += 1
                    apply(.background)
                }
            case 0x7C:  // '|'  '||'  '|&'
                if peek(1) == 0x7C {
                    position += 2
                    apply(.or)
                } else {
                    position += peek(1) == 0x26 ? 2 : 1
                    apply(.pipe)
                }
            case 0x28:
                position += 1
                apply(.openParen)
            case 0x29:
                position += 1
                apply(.closeParen)
            case 0x3C, 0x3E:  // redirection, or a process substitution `<(…)` / `>(…)` starting a word
                if peek(1) == 0x28 { readWordToken() } else { readRedirect() }
            case 0x5C where peek(1) == 0x0A:  // line continuation
                position += 2
            case 0x60 where isFenceLine():  // a Markdown code fence is a blank line
                while position < end && source[position] != 0x0A { position += 1 }
            default:
                readWordToken()
            }
        }
    }

    /// Whether `position` starts a Markdown code fence line: only blanks before it on its line, then three or more
    /// backticks and an info string without backticks (```` ``` ````, ```` ```bash ````). As shell such a line is
    /// meaningless (an empty substitution opening another one).
    private func isFenceLine() -> Bool {
        guard peek(1) == 0x60 && peek(2) == 0x60 else { return false }
        var before = position - 1
        while before >= 0 && ByteClass.isBlank(source[before]) { before -= 1 }
        guard before < 0 || source[before] == 0x0A else { return false }
        var index = position + 3
        while index < end && source[index] == 0x60 { index += 1 }
        while index < end && source[index] != 0x0A {
            if source[index] == 0x60 { return false }
            index += 1
        }
        return true
    }

    // MARK: - Simple commands

    /// Ends the pending simple command at a control operator. Compound syntax is flattened: subshells, groups and
    /// `if`/`while`/`for`/`case` bodies are just more simple commands (their reserved words are stripped later).
    private mutating func apply(_ op: ShellOperator) {
        switch op {
        case .pipe:
            finishCommand(endsPipeline: false)
        case .newline:
            // A newline right after `|` continues the pipeline on the next line.
            if hasPendingCommand { finishCommand(endsPipeline: true) }
        case .openParen:
            finishCommand(endsPipeline: true)
            openParens += 1
        case .closeParen:
            if openParens == 0 {
                // `pattern)` of a `case` item: the words are a pattern, not a command.
                skipPendingCommand()
            } else {
                openParens -= 1
                finishCommand(endsPipeline: true)
            }
        case .semicolon, .and, .or, .background, .caseBreak:
            finishCommand(endsPipeline: true)
        }
    }

    private var hasPendingCommand: Bool {
        words.count > commandWordStart || redirects.count > commandRedirectStart
            || heredocs.count > commandHeredocStart
    }

    private mutating func skipPendingCommand() {
        commandWordStart = words.count
        commandRedirectStart = redirects.count
        commandHeredocStart = heredocs.count
    }

    private mutating func finishCommand(endsPipeline: Bool) {
        if hasPendingCommand {
            commands.append(
                SimpleCommand(
                    words: commandWordStart..<words.count, redirects: commandRedirectStart..<redirects.count,
                    heredocs: commandHeredocStart..<heredocs.count, endsPipeline: endsPipeline))
            skipPendingCommand()
        } else if endsPipeline, let last = commands.indices.last, !commands[last].endsPipeline {
            commands[last].endsPipeline = true
        }
    }

    // MARK: - Words

    /// Reads a word in general (the caller tried `readPlainWord` first where it applies).
    private mutating func readWordToken() {
        let startPosition = position
        let arenaMark = arena.count
        guard readWord() else {
            if position == startPosition { position += 1 }
            return
        }
        // `2>file`: an unquoted number right before `<` or `>` names a file descriptor, not a word.
        if position < end, source[position] == 0x3C || source[position] == 0x3E, peek(1) != 0x28,
            let word = words.last, word.flags.isEmpty, !word.span.isEmpty, isAllDigits(word.span)
        {
            words.removeLast()
            arena.truncate(to: arenaMark)
            readRedirect()
            return
        }
    }

    /// Fast path for the common word: a run of plain bytes ended by a blank, a newline, `;`, `&`, `|`, `)` or the
    /// end of the text. Returns false (consuming nothing) for anything else.
    @inline(__always)
    private mutating func readPlainWord() -> Bool {
        let start = position
        guard start < end, source[start] != 0x7B else { return false }  // possible brace list: the general path
        var index = start
        while index < end && Self.isPlainWordByte(source[index]) { index += 1 }
        if index < end {
            switch source[index] {
            case 0x20, 0x09, 0x0D, 0x0B, 0x0C, 0x0A, 0x3B, 0x26, 0x7C, 0x29: break
            default: return false
            }
        }
        guard index > start else { return false }
        let arenaStart = arena.count
        arena.appendShort(source.baseAddress! + start, length: index - start, readable: end - start)
        var flags: WordFlags = []
        if ByteClass.isNameStart(source[start]) {  // `NAME=…` or `NAME+=…`: an assignment
            var nameEnd = start + 1
            while nameEnd < index && ByteClass.isNameByte(source[nameEnd]) { nameEnd += 1 }
            if nameEnd < index && source[nameEnd] == 0x2B { nameEnd += 1 }
            if nameEnd < index && source[nameEnd] == 0x3D { flags = .assignment }
        }
        position = index
        words.append(
            ShellWord(
                span: ByteSpan(start: arenaStart, end: arena.count),
                substitutions: substitutions.count..<substitutions.count, flags: flags))
        return true
    }

    private func isAllDigits(_ span: ByteSpan) -> Bool {
        for index in span.start..<span.end where !ByteClass.isDigit(arena[index]) { return false }
        return true
    }

    // MARK: - Words

    /// Reads one word starting at `position` and appends it to `words`. Returns false (appending nothing) when
    /// nothing but word-splitting (`$IFS`) was read.
    private mutating func readWord() -> Bool {
        let start = arena.count
        let substitutionStart = substitutions.count
        var quotedAt = Int.max  // arena offset of the first quoted, escaped or substituted byte
        var sawGlob = false  // an unquoted `*`, `?` or `[`
        scan: while position < end {
            let byte = source[position]
            switch byte {
            case 0x20, 0x09, 0x0D, 0x0B, 0x0C, 0x0A, 0x3B, 0x26, 0x7C, 0x29:
                break scan
            case 0x28:  // '(' ends a word, except in an array assignment `name=(…)`
                if quotedAt == Int.max, arena.count > start + 1, arena[arena.count - 1] == 0x3D,
                    assignmentEquals(start: start, end: arena.count, quotedAt: quotedAt)
                {
                    let close = findClosingParen(from: position + 1)
                    quotedAt = arena.count  // the list is kept as written, and may hold separators
                    appendSource(position, min(close + 1, end))
                    position = min(close + 1, end)
                    continue
                }
                break scan
            case 0x3C, 0x3E:
                if peek(1) == 0x28 {
                    if quotedAt == Int.max { quotedAt = arena.count }
                    readParenSubstitution()
                    continue
                }
                break scan
            case 0x5C:
                if position + 1 < end {
                    let next = source[position + 1]
                    position += 2
                    if next == 0x0A { continue }
                    if quotedAt == Int.max { quotedAt = arena.count }
                    arena.append(next)
                } else {
                    arena.append(byte)
                    position += 1
                }
            case 0x27:
                if quotedAt == Int.max { quotedAt = arena.count }
                position += 1
                let literalStart = position
                while position < end && source[position] != 0x27 { position += 1 }
                appendSource(literalStart, position)
                if position < end { position += 1 }
            case 0x22:
                if quotedAt == Int.max { quotedAt = arena.count }
                position += 1
                readDoubleQuoted(stopAtQuote: true, hereDocument: false)
            case 0x60:
                if quotedAt == Int.max { quotedAt = arena.count }
                readBackticks()
            case 0x24:
                let next = peek(1)
                if next == 0x27 {
                    if quotedAt == Int.max { quotedAt = arena.count }
                    position += 2
                    readANSICQuoted()
                } else if next == 0x22 {
                    if quotedAt == Int.max { quotedAt = arena.count }
                    position += 2
                    readDoubleQuoted(stopAtQuote: true, hereDocument: false)
                } else if next == 0x28 {
                    if quotedAt == Int.max { quotedAt = arena.count }
                    readParenSubstitution()
                } else if let length = fieldSeparatorLength() {
                    // `$IFS` / `${IFS}` unquoted: the shell splits the word here.
                    position += length
                    if arena.count > start || quotedAt != Int.max { break scan }
                } else {
                    arena.append(byte)
                    position += 1
                }
            default:
                let runStart = position
                position += 1
                while position < end && Self.isPlainWordByte(source[position]) { position += 1 }
                if !sawGlob {
                    for index in runStart..<position where Self.isGlobByte(source[index]) { sawGlob = true }
                }
                appendSource(runStart, position)
            }
        }

        let valueEnd = arena.count
        if valueEnd == start && quotedAt == Int.max && substitutions.count == substitutionStart { return false }
        var flags: WordFlags = []
        if quotedAt != Int.max {
            flags.insert(.quoted)
            if sawGlob { flags.insert(.glob) }
        }
        if valueEnd > start {
            let first = arena[start]
            if ByteClass.isNameStart(first) && assignmentEquals(start: start, end: valueEnd, quotedAt: quotedAt) {
                flags.insert(.assignment)
            } else if first == 0x7B, quotedAt == Int.max, valueEnd - start >= 3, arena[valueEnd - 1] == 0x7D,
                arena.contains(0x2C, in: ByteSpan(start: start, end: valueEnd))
            {
                flags.insert(.braceList)
            }
        }
        words.append(
            ShellWord(
                span: ByteSpan(start: start, end: valueEnd),
                substitutions: substitutionStart..<substitutions.count, flags: flags))
        return true
    }

    /// Whether the value starts with an unquoted `NAME=` / `NAME+=`.
    @inline(__always)
    private func assignmentEquals(start: Int, end valueEnd: Int, quotedAt: Int) -> Bool {
        guard valueEnd > start, ByteClass.isNameStart(arena[start]) else { return false }
        var index = start + 1
        while index < valueEnd && ByteClass.isNameByte(arena[index]) { index += 1 }
        guard index < valueEnd else { return false }
        if arena[index] == 0x2B, index + 1 < valueEnd, arena[index + 1] == 0x3D { index += 1 }
        return arena[index] == 0x3D && index < quotedAt
    }

    /// Length of an unquoted `$IFS` or `${IFS…}` at `position`, if there is one.
    private func fieldSeparatorLength() -> Int? {
        if peek(1) == 0x49 && peek(2) == 0x46 && peek(3) == 0x53 && !ByteClass.isNameByte(peek(4)) {
            return 4
        }
        if peek(1) == 0x7B && peek(2) == 0x49 && peek(3) == 0x46 && peek(4) == 0x53 && !ByteClass.isNameByte(peek(5)) {
            var index = position + 5
            while index < end && source[index] != 0x7D && source[index] != 0x0A { index += 1 }
            return index < end && source[index] == 0x7D ? index + 1 - position : nil
        }
        return nil
    }

    /// Reads the inside of double quotes (or of an expanding here-document body when `stopAtQuote` is false).
    private mutating func readDoubleQuoted(stopAtQuote: Bool, hereDocument: Bool) {
        while position < end {
            let byte = source[position]
            switch byte {
            case 0x22 where stopAtQuote:
                position += 1
                return
            case 0x5C:
                let next = peek(1)
                if next == 0x0A {
                    position += 2
                } else if next == 0x24 || next == 0x60 || next == 0x5C || (next == 0x22 && !hereDocument) {
                    arena.append(next)
                    position += 2
                } else {
                    arena.append(byte)
                    position += 1
                }
            case 0x24 where peek(1) == 0x28:
                readParenSubstitution()
            case 0x60:
                readBackticks()
            default:
                let runStart = position
                position += 1
                while position < end {
                    let next = source[position]
                    if next == 0x22 || next == 0x5C || next == 0x24 || next == 0x60 { break }
                    position += 1
                }
                appendSource(runStart, position)
            }
        }
    }

    /// Reads `$'…'` after the opening quote, decoding its escapes.
    private mutating func readANSICQuoted() {
        while position < end {
            let byte = source[position]
            if byte == 0x27 {
                position += 1
                return
            }
            position += 1
            if byte == 0x5C {
                ShellEscapes.decode(source, at: &position, end: end, into: &arena)
            } else {
                arena.append(byte)
            }
        }
    }

    /// Reads a backtick substitution starting at the opening backtick. The word gets "`inner`" (with the
    /// backslash escapes of the inner text resolved) and the inner text is recorded as a substitution.
    private mutating func readBackticks() {
        arena.append(0x60)
        position += 1
        let innerStart = arena.count
        while position < end {
            let byte = source[position]
            if byte == 0x60 { break }
            if byte == 0x5C && position + 1 < end {
                let next = source[position + 1]
                if next == 0x60 || next == 0x5C || next == 0x24 {
                    arena.append(next)
                    position += 2
                    continue
                }
                if next == 0x0A {
                    position += 2
                    continue
                }
            }
            arena.append(byte)
            position += 1
        }
        substitutions.append(ByteSpan(start: innerStart, end: arena.count))
        if position < end {
            arena.append(0x60)
            position += 1
        }
    }

    /// Reads `$(…)`, `<(…)` or `>(…)` starting at its first byte: the word gets the source text and the inner
    /// text is recorded as a substitution.
    private mutating func readParenSubstitution() {
        arena.append(source[position])
        arena.append(0x28)
        position += 2
        let close = findClosingParen(from: position)
        let innerStart = arena.count
        appendSource(position, close)
        substitutions.append(ByteSpan(start: innerStart, end: arena.count))
        if close < end {
            arena.append(0x29)
            position = close + 1
        } else {
            position = end
        }
    }

    /// Index of the `)` that closes a parenthesis opened just before `start` (or `end` when unbalanced), skipping
    /// quotes, nested parentheses and substitutions, backticks and comments. Uses an explicit stack, not recursion.
    private mutating func findClosingParen(from start: Int) -> Int {
        let command: UInt8 = 0, doubleQuote: UInt8 = 1, backtick: UInt8 = 2
        contexts.removeAll(keepingCapacity: true)
        var index = start
        var atWordStart = true
        while index < end {
            let byte = source[index]
            let context = contexts.last ?? command
            if context == command {
                switch byte {
                case 0x5C:
                    index += 2
                    atWordStart = false
                    continue
                case 0x27:
                    index += 1
                    while index < end && source[index] != 0x27 { index += 1 }
                    if index < end { index += 1 }
                    atWordStart = false
                    continue
                case 0x23 where atWordStart:
                    while index < end && source[index] != 0x0A { index += 1 }
                    continue
                case 0x22:
                    contexts.append(doubleQuote)
                case 0x60:
                    contexts.append(backtick)
                case 0x28:
                    contexts.append(command)
                case 0x29:
                    if contexts.isEmpty {
                        work += index - start
                        return index
                    }
                    contexts.removeLast()
                default:
                    break
                }
                atWordStart = ByteClass.isWhitespace(byte) || byte == 0x3B || byte == 0x26 || byte == 0x7C
                    || byte == 0x28
                index += 1
            } else if context == doubleQuote {
                switch byte {
                case 0x5C:
                    index += 2
                    continue
                case 0x22:
                    contexts.removeLast()
                case 0x60:
                    contexts.append(backtick)
                case 0x24 where index + 1 < end && source[index + 1] == 0x28:
                    contexts.append(command)
                    index += 2
                    atWordStart = true
                    continue
                default:
                    break
                }
                index += 1
            } else {
                switch byte {
                case 0x5C:
                    index += 2
                    continue
                case 0x60:
                    contexts.removeLast()
                default:
                    break
                }
                index += 1
            }
        }
        work += end - start
        return end
    }

    // MARK: - Redirections and here-documents

    private mutating func readRedirect() {
        var kind: RedirectKind
        var hereDocument = false
        var hereString = false
        var stripTabs = false
        var writes = true
        let first = source[position]
        if first == 0x26 {  // &>  &>>
            position += 2
            if peek(0) == 0x3E {
                position += 1
                kind = .append
            } else {
                kind = .output
            }
        } else if first == 0x3E {
            position += 1
            switch peek(0) {
            case 0x3E:
                position += 1
                kind = .append
            case 0x7C:
                position += 1
                kind = .output
            case 0x26:
                position += 1
                kind = .duplicate
            default:
                kind = .output
            }
        } else {
            writes = false
            position += 1
            switch peek(0) {
            case 0x3C:
                position += 1
                if peek(0) == 0x3C {
                    position += 1
                    hereString = true
                } else {
                    hereDocument = true
                    if peek(0) == 0x2D {
                        position += 1
                        stripTabs = true
                    }
                }
                kind = .input
            case 0x3E:
                position += 1
                kind = .readWrite
            case 0x26:
                position += 1
                kind = .duplicate
            default:
                kind = .input
            }
        }

        while position < end {
            let byte = source[position]
            if byte == 0x20 || byte == 0x09 {
                position += 1
            } else if byte == 0x5C && peek(1) == 0x0A {
                position += 2
            } else {
                break
            }
        }
        var target = ShellWord(span: ByteSpan(start: arena.count, end: arena.count))
        if position < end, startsWord(source[position]), readWord() {
            target = words.removeLast()
        }

        if hereDocument {
            let index = heredocs.count
            heredocs.append(ShellHeredoc(body: .empty, substitutions: 0..<0, expands: false))
            pendingHeredocs.append(
                PendingHeredoc(
                    index: index, delimiter: target.span, stripTabs: stripTabs,
                    expands: !target.flags.contains(.quoted)))
            return
        }
        if hereString {
            heredocs.append(ShellHeredoc(body: target.span, substitutions: target.substitutions, expands: true))
            return
        }
        if kind == .duplicate {
            // `>&2`, `<&0`, `>&-` duplicate or close a descriptor; `>&file` writes a file like `&>`.
            let isDescriptor = target.span.isEmpty || isAllDigits(target.span)
                || (target.span.count == 1 && arena[target.span.start] == 0x2D)
            if !isDescriptor { kind = writes ? .output : .input }
        }
        redirects.append(ShellRedirect(kind: kind, target: target))
    }

    /// Whether a byte can begin a redirection target word.
    private func startsWord(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x0A, 0x3B, 0x26, 0x7C, 0x28, 0x29: return false
        case 0x3C, 0x3E: return peek(1) == 0x28
        default: return !ByteClass.isBlank(byte)
        }
    }

    /// Reads the bodies of the here-documents opened on the line that just ended, in order.
    private mutating func readHeredocBodies() {
        let pending = pendingHeredocs
        pendingHeredocs.removeAll(keepingCapacity: true)
        for heredoc in pending {
            let bodyStart = position
            var bodyEnd = end
            var next = end
            var lineStart = position
            while lineStart < end {
                var lineEnd = lineStart
                while lineEnd < end && source[lineEnd] != 0x0A { lineEnd += 1 }
                var contentStart = lineStart
                if heredoc.stripTabs {
                    while contentStart < lineEnd && source[contentStart] == 0x09 { contentStart += 1 }
                }
                var contentEnd = lineEnd
                if contentEnd > contentStart && source[contentEnd - 1] == 0x0D { contentEnd -= 1 }
                if matchesDelimiter(contentStart, contentEnd, heredoc.delimiter) {
                    bodyEnd = lineStart
                    next = min(lineEnd + 1, end)
                    break
                }
                lineStart = lineEnd + 1
            }

            let arenaStart = arena.count
            let substitutionStart = substitutions.count
            if heredoc.expands {
                let savedEnd = end
                end = bodyEnd
                position = bodyStart
                readDoubleQuoted(stopAtQuote: false, hereDocument: true)
                end = savedEnd
                work += bodyEnd - bodyStart
            } else {
                appendSource(bodyStart, bodyEnd)
            }
            position = next
            heredocs[heredoc.index] = ShellHeredoc(
                body: ByteSpan(start: arenaStart, end: arena.count),
                substitutions: substitutionStart..<substitutions.count, expands: heredoc.expands)
        }
    }

    private func matchesDelimiter(_ start: Int, _ stop: Int, _ delimiter: ByteSpan) -> Bool {
        guard stop - start == delimiter.count else { return false }
        var offset = 0
        while offset < delimiter.count {
            if source[start + offset] != arena[delimiter.start + offset] { return false }
            offset += 1
        }
        return true
    }
}
