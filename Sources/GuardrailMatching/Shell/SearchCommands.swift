// Search commands (`grep` and its variants, `rg`, `ag`, `ack`, `git grep`): the search pattern is data and is left
// out, but the files searched are read, so they are kept (`grep API_KEY .env` → `grep .env ;`, a read of `.env`;
// `grep -rn "rm -rf" scripts/` → `grep scripts/ ;`).

/// A search command family: which options take a value and which give the pattern.
enum SearchTool: Sendable, Equatable {
    /// `grep`, `egrep`, `fgrep`, `zgrep`.
    case grep
    /// `rg` (ripgrep).
    case ripgrep
    /// `ag` (the silver searcher).
    case silverSearcher
    case ack
    /// `git grep` (rendered after `git grep`).
    case gitGrep

    /// Short options that take a value (attached, `-A3`, or the next word).
    var shortWithValue: StaticString {
        switch self {
        case .grep: return "efmABCdD"
        case .ripgrep: return "efgmABCMjEtTrd"
        case .silverSearcher: return "ABCGgmpW"
        case .ack: return "ABmg"
        case .gitGrep: return "efmABC"
        }
    }

    /// Short options whose value is a pattern: the pattern is then not an operand.
    var shortPattern: StaticString {
        switch self {
        case .grep, .ripgrep, .gitGrep: return "e"
        case .silverSearcher, .ack: return "g"  // file names matching PATTERN
        }
    }

    /// Short options whose value is a file of patterns: the pattern is not an operand, and the file is read.
    var shortPatternFile: UInt8 {
        switch self {
        case .grep, .ripgrep, .gitGrep: return 0x66  // f
        case .silverSearcher, .ack: return 0
        }
    }

    /// Long options (without `=`) that take the next word as their value.
    var longWithValue: [StaticString] {
        switch self {
        case .grep:
            return [
                "--regexp", "--file", "--max-count", "--after-context", "--before-context", "--context", "--include",
                "--exclude", "--exclude-from", "--exclude-dir", "--label", "--binary-files", "--devices",
                "--directories", "--group-separator",
            ]
        case .ripgrep:
            return [
                "--regexp", "--file", "--glob", "--iglob", "--type", "--type-not", "--type-add", "--type-clear",
                "--max-count", "--after-context", "--before-context", "--context", "--max-columns", "--threads",
                "--encoding", "--replace", "--max-depth", "--max-filesize", "--ignore-file", "--path-separator",
                "--sort", "--sortr", "--color", "--colors", "--context-separator", "--field-context-separator",
                "--field-match-separator", "--engine", "--dfa-size-limit", "--regex-size-limit", "--pre",
                "--pre-glob", "--hyperlink-format",
            ]
        case .silverSearcher:
            return [
                "--file-search-regex", "--ignore", "--ignore-dir", "--max-count", "--path-to-ignore", "--depth",
                "--pager", "--width",
            ]
        case .ack:
            return [
                "--match", "--max-count", "--output", "--type", "--ignore-dir", "--noignore-dir", "--ignore-file",
                "--pager", "--type-add", "--type-set", "--type-del", "--after-context", "--before-context",
                "--range-start", "--range-end",
            ]
        case .gitGrep:
            return ["--max-depth", "--threads", "--max-count", "--after-context", "--before-context", "--context"]
        }
    }

    /// Long options whose value is a pattern.
    var longPattern: [StaticString] {
        switch self {
        case .grep, .ripgrep: return ["--regexp"]
        case .ack: return ["--match"]
        case .silverSearcher, .gitGrep: return []
        }
    }

    /// Long options whose value is a file of patterns (read by the command).
    var longPatternFile: [StaticString] {
        switch self {
        case .grep, .ripgrep: return ["--file"]
        case .silverSearcher, .ack, .gitGrep: return []
        }
    }

    /// Long options after which no pattern is expected: every operand is a path.
    var longWithoutPattern: [StaticString] {
        switch self {
        case .ripgrep: return ["--files", "--type-list"]
        case .ack: return ["--files", "-f"]
        case .grep, .silverSearcher, .gitGrep: return []
        }
    }
}

extension NormalizerSession {
    /// Appends the files a search command reads: its operands after the pattern (the first operand, unless a
    /// pattern is given by an option such as `-e`/`--regexp`), and the pattern files of `-f`/`--file`. Options
    /// may follow operands (GNU argument permutation) up to `--`.
    mutating func renderSearch(_ tool: SearchTool, _ argv: Argv, from start: Int, source: ShellSource) {
        // Pass 0 finds out whether an option gives the pattern; pass 1 appends the files.
        var patternGiven = false
        for pass in 0..<2 {
            let emit = pass == 1
            var patternSkipped = patternGiven
            var optionsDone = false
            var current = start
            while current < argv.count {
                let word = argv[current]
                current += 1
                guard !optionsDone && source.isOption(word) else {
                    if !patternSkipped {
                        patternSkipped = true
                    } else if emit {
                        line.append(word.span, from: source)
                    }
                    continue
                }
                if source.equals(word, "--") {
                    optionsDone = true
                    continue
                }
                if source.byte(word, 1) == 0x2D || (tool == .ack && source.equals(word, "-f")) {
                    var name = word
                    var attached: ByteSpan?
                    if let value = source.valueAfterEquals(word) {
                        attached = value
                        name.span.end = value.start - 1
                    }
                    if source.equalsAny(name, tool.longWithoutPattern) {
                        patternGiven = true
                        continue
                    }
                    let isPattern = source.equalsAny(name, tool.longPattern)
                    let isPatternFile = source.equalsAny(name, tool.longPatternFile)
                    if isPattern || isPatternFile { patternGiven = true }
                    var value = attached
                    if attached == nil && current < argv.count && source.equalsAny(name, tool.longWithValue) {
                        value = argv[current].span
                        current += 1
                    }
                    if emit && isPatternFile, let value { line.append(value, from: source) }
                    continue
                }
                var offset = 1
                while offset < word.span.count {
                    let letter = source.byte(word, offset)
                    let takesValue = tool.shortWithValue.withUTF8Buffer { $0.contains(letter) }
                    guard takesValue else {
                        offset += 1
                        continue
                    }
                    let isPatternFile = letter == tool.shortPatternFile
                    if isPatternFile || tool.shortPattern.withUTF8Buffer({ $0.contains(letter) }) {
                        patternGiven = true
                    }
                    var value: ByteSpan?
                    if offset + 1 < word.span.count {
                        value = ByteSpan(start: word.span.start + offset + 1, end: word.span.end)
                    } else if current < argv.count {
                        value = argv[current].span
                        current += 1
                    }
                    if emit && isPatternFile, let value { line.append(value, from: source) }
                    break
                }
            }
        }
    }
}
