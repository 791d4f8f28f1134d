// Commands that run other commands given as text or as words: `bash -c`, `eval`, `su -c`, `ssh host CMD…`,
// `find -exec`, `docker exec`, `kubectl exec --`. The wrapper's own line leaves the inner command out; the inner
// command is parsed one nesting level down and gets lines of its own.

enum ReentryCommands {
    static let shells: [String] = [
        "bash", "sh", "zsh", "dash", "ksh", "mksh", "ash", "yash", "posh", "fish", "tcsh", "csh",
    ]

    static let sshShortWithValue: StaticString = "BbcDEeFIiJLlmOoPpQRSWw"
    static let containerExecLongWithValue: [StaticString] = [
        "--env", "--env-file", "--user", "--workdir", "--detach-keys", "--index",
    ]
}

extension NormalizerSession {
    /// `bash [options] -c SCRIPT [ARG0 ARGS…]` (`-c` anywhere in a bundle such as `-lc`, `-ec`, `-xc`), fish's
    /// `--command`. Without `-c` and without a script file the shell reads a script on standard input.
    mutating func renderShell(
        name: ByteSpan, _ argv: Argv, at index: Int, source: ShellSource, context: inout CommandContext
    ) {
        line.appendLowercased(name, from: source)
        var current = index + 1
        var runsCommand = false
        var scriptTaken = false
        var readsStandardInput = false
        while current < argv.count {
            let word = argv[current]
            let first = source.byte(word, 0)
            if source.equals(word, "--") || source.equals(word, "-") {
                line.append(word.span, from: source)
                current += 1
                break
            }
            guard word.span.count >= 2, first == 0x2D || first == 0x2B else { break }
            if source.byte(word, 1) == 0x2D {
                if source.hasPrefix(word, "--command="), let value = source.valueAfterEquals(word) {
                    line.append("--command")
                    context.jobs.append(.span(value))
                    context.consumed.append(current..<current + 1)
                    runsCommand = true
                    scriptTaken = true
                } else {
                    line.append(word.span, from: source)
                    if source.equals(word, "--command") {
                        runsCommand = true
                    } else if source.equalsAny(word, ["--rcfile", "--init-file"]) && current + 1 < argv.count {
                        current += 1
                        line.append(argv[current].span, from: source)
                    }
                }
                current += 1
                continue
            }
            var takesValue = false
            for offset in 1..<word.span.count {
                switch source.byte(word, offset) {
                case 0x63 where first == 0x2D: runsCommand = true  // c
                case 0x73: readsStandardInput = true  // s
                case 0x6F, 0x4F: takesValue = true  // o O
                default: break
                }
            }
            line.append(word.span, from: source)
            current += 1
            if takesValue && current < argv.count {
                line.append(argv[current].span, from: source)
                current += 1
            }
        }
        if runsCommand {
            if !scriptTaken && current < argv.count {
                context.jobs.append(.span(argv[current].span))
                context.consumed.append(current..<current + 1)
                current += 1
            }
        } else if current >= argv.count || readsStandardInput {
            context.readsScript = true
        }
        appendWords(argv, from: current, source: source)
    }

    /// `eval ARGS…`: the arguments joined by spaces are a script.
    mutating func renderEval(_ argv: Argv, at index: Int, source: ShellSource, context: inout CommandContext) {
        line.append("eval")
        guard index + 1 < argv.count else { return }
        context.jobs.append(.text(source.join(argv[(index + 1)...])))
        context.consumed.append(index + 1..<argv.count)
    }

    /// `su [options] [USER] -c SCRIPT` / `--command=SCRIPT`.
    mutating func renderSu(_ argv: Argv, at index: Int, source: ShellSource, context: inout CommandContext) {
        line.append("su")
        var current = index + 1
        while current < argv.count {
            let word = argv[current]
            if source.equals(word, "-c") || source.equals(word, "--command") {
                line.append(word.span, from: source)
                if current + 1 < argv.count {
                    context.jobs.append(.span(argv[current + 1].span))
                    context.consumed.append(current + 1..<current + 2)
                }
                current += 2
            } else if source.hasPrefix(word, "--command="), let value = source.valueAfterEquals(word) {
                line.append("--command")
                context.jobs.append(.span(value))
                context.consumed.append(current..<current + 1)
                current += 1
            } else if source.equalsAny(
                word, ["-s", "--shell", "-g", "--group", "-G", "--supp-group", "-w", "--whitelist-environment"])
            {
                appendWords(argv, from: current, to: current + 2, source: source)
                current += 2
            } else {
                line.append(word.span, from: source)
                current += 1
            }
        }
    }

    /// `ssh [options] HOST [COMMAND…]`: the command words joined are a script for the remote shell; without them
    /// the remote shell reads a script on standard input. The line keeps only `ssh HOST`.
    mutating func renderSsh(_ argv: Argv, at index: Int, source: ShellSource, context: inout CommandContext) {
        line.append("ssh")
        var current = CommandPrefixes.skipOptions(
            argv, from: index + 1, source: source, shortWithValue: ReentryCommands.sshShortWithValue)
        guard current < argv.count else { return }
        line.append(argv[current].span, from: source)
        current += 1
        if current < argv.count {
            context.jobs.append(.text(source.join(argv[current...])))
            context.consumed.append(current..<argv.count)
        } else {
            context.readsScript = true
        }
    }

    /// `find … -exec|-execdir|-ok|-okdir CMD … ;|+`: each inner command is a command of its own (`{}` kept), run
    /// on every file found (so an `rm` is a bulk delete); the find line keeps the action and the inner command's
    /// name (prefixes such as `sudo` stripped), followed by `-delete` when that command is `rm`.
    mutating func renderFind(_ argv: Argv, at index: Int, source: ShellSource, context: inout CommandContext) {
        line.append("find")
        var current = index + 1
        while current < argv.count {
            let word = argv[current]
            line.append(word.span, from: source)
            current += 1
            guard source.equalsAny(word, ["-exec", "-execdir", "-ok", "-okdir"]) else { continue }
            let innerStart = current
            while current < argv.count {
                let inner = argv[current]
                if source.equals(inner, ";") { break }
                if source.equals(inner, "+") && current > innerStart && source.equals(argv[current - 1], "{}") { break }
                current += 1
            }
            if current > innerStart {
                let inner = UnsafeBufferPointer(rebasing: argv[innerStart..<current])
                var innerContext = CommandContext()
                var wrapper: ByteSpan?
                var header = false
                let command = stripPrefixes(
                    inner, source: source, context: &innerContext, wrapper: &wrapper, header: &header)
                line.appendLowercased(
                    command.index < inner.count ? command.name : source.nameSpan(inner[0]), from: source)
                if command.index < inner.count && command.kind == .rm { line.append("-delete") }
                context.jobs.append(.argv(Array(inner), forwardsStdin: false, bulk: true))
            }
            current = min(current + 1, argv.count)
            context.consumed.append(innerStart..<current)
        }
    }

    /// `docker exec [options] CONTAINER CMD…` (also `docker container exec`, `docker compose exec`): the command
    /// words are a command of their own. `start` is the index after `exec`.
    mutating func renderContainerExec(
        _ argv: Argv, from start: Int, source: ShellSource, context: inout CommandContext
    ) {
        var current = CommandPrefixes.skipOptions(
            argv, from: start, source: source, shortWithValue: "euw",
            longWithValue: ReentryCommands.containerExecLongWithValue)
        guard current < argv.count else { return }
        line.append(argv[current].span, from: source)
        current += 1
        if current < argv.count {
            context.jobs.append(.argv(Array(argv[current...]), forwardsStdin: true))
            context.consumed.append(current..<argv.count)
        }
    }

    /// `kubectl exec … -- CMD…`: the words after `--` are a command of their own. `start` is the index after
    /// `exec`.
    mutating func renderKubectlExec(
        _ argv: Argv, from start: Int, source: ShellSource, context: inout CommandContext
    ) {
        var current = start
        while current < argv.count && !source.equals(argv[current], "--") {
            line.append(argv[current].span, from: source)
            current += 1
        }
        if current + 1 < argv.count {
            context.jobs.append(.argv(Array(argv[(current + 1)...]), forwardsStdin: true))
            context.consumed.append(current..<argv.count)
        }
    }
}
