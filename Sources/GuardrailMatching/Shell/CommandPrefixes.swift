// Command prefixes and wrappers that run the rest of their words as the real command: variable assignments,
// reserved words, `env`, `sudo`, `nice`, `timeout`, `xargs`, … They are stripped (with their options and option
// values) before the command is canonicalised. `watch` re-parses its joined arguments as a script.

enum CommandPrefixes {
    static let names: [(String, CommandPrefix)] = [
        ("env", .env), ("sudo", .sudo), ("doas", .doas), ("command", .command), ("builtin", .builtin),
        ("exec", .exec), ("nohup", .nohup), ("time", .time), ("nice", .nice), ("ionice", .ionice),
        ("timeout", .timeout), ("gtimeout", .timeout), ("stdbuf", .stdbuf), ("xargs", .xargs), ("watch", .watch),
        ("busybox", .busybox), ("setsid", .setsid), ("unbuffer", .unbuffer), ("pkexec", .pkexec),
    ]

    static let sudoLongWithValue: [StaticString] = [
        "--user", "--group", "--prompt", "--close-from", "--chdir", "--role", "--type", "--command-timeout",
        "--other-user", "--host",
    ]
    static let xargsLongWithValue: [StaticString] = [
        "--arg-file", "--delimiter", "--max-args", "--max-procs", "--max-chars", "--process-slot-var",
    ]

    /// Index of the first word after the leading options starting at `start`. `--` ends the options (and is
    /// skipped); an option word of `longWithValue` (without `=`) takes the next word as its value, and so does a
    /// short bundle whose last letter is in `shortWithValue` (a letter followed by more bytes has its value attached).
    static func skipOptions(
        _ argv: Argv, from start: Int, source: ShellSource, shortWithValue: StaticString,
        longWithValue: [StaticString] = []
    ) -> Int {
        var index = start
        while index < argv.count {
            let word = argv[index]
            guard source.isOption(word) else { break }
            if source.equals(word, "--") { return index + 1 }
            if source.byte(word, 1) == 0x2D {
                let takesValue = !source.contains(0x3D, in: word) && source.equalsAny(word, longWithValue)
                index += takesValue ? 2 : 1
                continue
            }
            var next = index + 1
            var offset = 1
            while offset < word.span.count {
                let letter = source.byte(word, offset)
                let takesValue = shortWithValue.withUTF8Buffer { $0.contains(letter) }
                if takesValue {
                    if offset == word.span.count - 1 { next = index + 2 }
                    break
                }
                offset += 1
            }
            index = next
        }
        return min(index, argv.count)
    }
}

/// The word that names the command once prefixes are stripped.
struct CommandWord {
    var index: Int
    /// The normalised part of the word (basename).
    var name: ByteSpan
    var kind: CommandKind?
}

extension NormalizerSession {
    /// Skips assignments, reserved words and prefixes. Returns the command word (index `argv.count` when nothing is
    /// left); `wrapper` is the last prefix stripped, `header` is set for a `for`/`select`/`case` header.
    mutating func stripPrefixes(
        _ argv: Argv, source: ShellSource, context: inout CommandContext, wrapper: inout ByteSpan?,
        header: inout Bool
    ) -> CommandWord {
        var index = 0
        while index < argv.count {
            let word = argv[index]
            if word.flags.contains(.assignment) {
                index += 1
                continue
            }
            let (name, entry) = CommandCatalog.lookupCommandWord(source.arena, word.span)
            guard let kind = entry?.kind else {
                return CommandWord(index: index, name: name, kind: nil)
            }
            switch kind {
            case .keyword:
                index += 1
            case .header:
                header = true
                return CommandWord(index: index, name: name, kind: kind)
            case .function:
                index += 2
            case .prefix(let prefix):
                wrapper = name
                index = skipPrefix(prefix, argv, at: index, source: source, context: &context)
            default:
                return CommandWord(index: index, name: name, kind: kind)
            }
        }
        return CommandWord(index: argv.count, name: .empty, kind: nil)
    }

    /// Index of the word after prefix `prefix` (at `index`) and its options.
    private mutating func skipPrefix(
        _ prefix: CommandPrefix, _ argv: Argv, at index: Int, source: ShellSource,
        context: inout CommandContext
    ) -> Int {
        let next = index + 1
        switch prefix {
        case .env:
            return skipEnv(argv, from: next, source: source, context: &context)
        case .sudo:
            return CommandPrefixes.skipOptions(
                argv, from: next, source: source, shortWithValue: "ugpCDrtTU",
                longWithValue: CommandPrefixes.sudoLongWithValue)
        case .doas:
            return CommandPrefixes.skipOptions(argv, from: next, source: source, shortWithValue: "uC")
        case .command:
            var current = next
            while current < argv.count, source.isOption(argv[current]) {
                if source.equals(argv[current], "--") { return current + 1 }
                if source.contains(0x76, in: argv[current]) || source.contains(0x56, in: argv[current]) {
                    // `command -v NAME` only looks the name up.
                    context.inertFrom = current
                    return argv.count
                }
                current += 1
            }
            return current
        case .builtin, .nohup, .busybox, .setsid, .unbuffer:
            return CommandPrefixes.skipOptions(argv, from: next, source: source, shortWithValue: "")
        case .exec:
            return CommandPrefixes.skipOptions(argv, from: next, source: source, shortWithValue: "a")
        case .time:
            return CommandPrefixes.skipOptions(
                argv, from: next, source: source, shortWithValue: "fo", longWithValue: ["--format", "--output"])
        case .nice:
            var current = next
            // `nice -5`, `nice --10`: the adjustment written as an option.
            while current < argv.count, source.isOption(argv[current]) {
                let word = argv[current]
                var offset = source.byte(word, 1) == 0x2D ? 2 : 1
                guard offset < word.span.count else { break }
                while offset < word.span.count && ByteClass.isDigit(source.byte(word, offset)) { offset += 1 }
                guard offset == word.span.count else { break }
                current += 1
            }
            return CommandPrefixes.skipOptions(
                argv, from: current, source: source, shortWithValue: "n", longWithValue: ["--adjustment"])
        case .ionice:
            return CommandPrefixes.skipOptions(
                argv, from: next, source: source, shortWithValue: "cnpPu",
                longWithValue: ["--class", "--classdata", "--pid", "--pgid", "--uid"])
        case .timeout:
            let current = CommandPrefixes.skipOptions(
                argv, from: next, source: source, shortWithValue: "sk", longWithValue: ["--signal", "--kill-after"])
            return min(current + 1, argv.count)  // the duration
        case .stdbuf:
            return CommandPrefixes.skipOptions(
                argv, from: next, source: source, shortWithValue: "ioe",
                longWithValue: ["--input", "--output", "--error"])
        case .xargs:
            context.bulk = true
            return CommandPrefixes.skipOptions(
                argv, from: next, source: source, shortWithValue: "adEILnPs",
                longWithValue: CommandPrefixes.xargsLongWithValue)
        case .watch:
            let current = CommandPrefixes.skipOptions(
                argv, from: next, source: source, shortWithValue: "nq", longWithValue: ["--interval", "--equexit"])
            if current < argv.count {
                context.jobs.append(.text(source.join(argv[current...])))
                context.consumed.append(current..<argv.count)
            }
            return argv.count
        case .pkexec:
            return CommandPrefixes.skipOptions(
                argv, from: next, source: source, shortWithValue: "", longWithValue: ["--user"])
        }
    }

    /// `env [-i] [-u NAME] [-C DIR] [-S STRING] [NAME=VALUE…]`. The `-S` string is parsed as a script.
    private func skipEnv(
        _ argv: Argv, from start: Int, source: ShellSource, context: inout CommandContext
    ) -> Int {
        var index = start
        options: while index < argv.count {
            let word = argv[index]
            if source.equals(word, "-") {
                index += 1
                continue
            }
            guard source.isOption(word) else { break }
            if source.equals(word, "--") {
                index += 1
                break options
            }
            if source.byte(word, 1) == 0x2D {
                if source.hasPrefix(word, "--split-string") {
                    if let value = source.valueAfterEquals(word) {
                        context.jobs.append(.span(value))
                        context.consumed.append(index..<index + 1)
                    } else if index + 1 < argv.count {
                        context.jobs.append(.span(argv[index + 1].span))
                        context.consumed.append(index + 1..<index + 2)
                        index += 1
                    }
                    index += 1
                    continue
                }
                let takesValue = !source.contains(0x3D, in: word) && source.equalsAny(word, ["--unset", "--chdir"])
                index += takesValue ? 2 : 1
                continue
            }
            var next = index + 1
            var offset = 1
            while offset < word.span.count {
                let letter = source.byte(word, offset)
                if letter == 0x75 || letter == 0x43 || letter == 0x53 {  // -u NAME, -C DIR, -S STRING
                    let attached = offset + 1 < word.span.count
                    if letter == 0x53 {
                        if attached {
                            context.jobs.append(
                                .span(ByteSpan(start: word.span.start + offset + 1, end: word.span.end)))
                            context.consumed.append(index..<index + 1)
                        } else if index + 1 < argv.count {
                            context.jobs.append(.span(argv[index + 1].span))
                            context.consumed.append(index + 1..<index + 2)
                        }
                    }
                    if !attached { next = index + 2 }
                    break
                }
                offset += 1
            }
            index = next
        }
        while index < argv.count {
            let word = argv[index]
            guard word.span.count > 1, source.byte(word, 0) != 0x3D, source.contains(0x3D, in: word) else { break }
            index += 1
        }
        return min(index, argv.count)
    }
}
