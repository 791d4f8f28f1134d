// Per-tool canonical forms: `rm` flags, `git` subcommands (push, branch, reset, clean), tools whose subcommand is
// moved right after the tool name (kubectl, docker, terraform, helm, npm, …), and SQL clients.

enum ToolCanonicalForms {
    static let subcommandTools: [(String, SubcommandTool)] = [
        ("kubectl", .kubectl), ("docker", .docker), ("podman", .podman), ("terraform", .terraform),
        ("helm", .helm), ("npm", .npm), ("pnpm", .pnpm), ("yarn", .yarn), ("cargo", .cargo), ("twine", .twine),
    ]

    static let sqlClients: [(String, SQLClient)] = [
        ("psql", .psql), ("mysql", .mysql), ("mariadb", .mysql), ("sqlite3", .sqlite3), ("sqlite", .sqlite3),
        ("duckdb", .duckdb), ("cockroach", .cockroach),
    ]

    /// Global options (before the subcommand) that take the next word as their value.
    static func globalOptionsWithValue(_ tool: SubcommandTool) -> [StaticString] {
        switch tool {
        case .kubectl: return kubectlOptions
        case .docker, .podman: return dockerOptions
        case .helm: return helmOptions
        case .npm, .pnpm, .yarn: return packageManagerOptions
        case .cargo: return cargoOptions
        case .terraform, .twine: return []
        }
    }

    private static let kubectlOptions: [StaticString] = [
        "--context", "-n", "--namespace", "--kubeconfig", "--cluster", "--user", "-s", "--server", "--token", "--as",
        "--as-group", "--certificate-authority", "--client-certificate", "--client-key", "--request-timeout", "-v",
        "--v",
    ]
    private static let dockerOptions: [StaticString] = [
        "-c", "--context", "-H", "--host", "--config", "-l", "--log-level", "--tlscacert", "--tlscert", "--tlskey",
        "--url", "--connection",
    ]
    private static let helmOptions: [StaticString] = [
        "--kube-context", "-n", "--namespace", "--kubeconfig", "--kube-apiserver", "--kube-token", "--kube-as-user",
        "--kube-as-group", "--kube-ca-file", "--registry-config", "--repository-cache", "--repository-config",
        "--burst-limit", "--qps",
    ]
    private static let packageManagerOptions: [StaticString] = [
        "--registry", "--prefix", "-w", "--workspace", "-C", "--dir", "--cwd", "--filter", "-F", "--userconfig",
        "--cache", "--loglevel",
    ]
    private static let cargoOptions: [StaticString] = ["-C", "--config", "-Z", "--color", "--manifest-path"]

    /// Tools that document a `--dry-run` option which keeps the command from changing anything (kubectl's
    /// mutating commands, helm install/upgrade/uninstall, npm/pnpm/cargo publish). Their subcommand is rendered
    /// `dry-run-SUBCOMMAND` when it is given. (terraform, twine and docker push have no such option.)
    static func documentsDryRun(_ tool: SubcommandTool) -> Bool {
        switch tool {
        case .kubectl, .helm, .npm, .pnpm, .cargo: return true
        case .docker, .podman, .terraform, .yarn, .twine: return false
        }
    }

    static let gitGlobalOptionsWithValue: [StaticString] = [
        "-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env", "--super-prefix",
    ]
}

extension NormalizerSession {
    // MARK: - rm

    /// `rm`: a recursive delete (`-r`/`-R`/`--recursive`, also in bundles, anywhere before `--`) or a bulk delete
    /// (run by `xargs` or `find -exec` — `bulk` — or with an unquoted glob operand) is destructive with or without
    /// `-f` and becomes one leading `-rf`; otherwise `-f`/`--force` becomes `-f`. Then the operands (after `--` when
    /// one starts with `-`), then other options sorted.
    mutating func renderRm(_ argv: Argv, at index: Int, source: ShellSource, bulk: Bool) {
        var recursive = false
        var force = false
        var glob = false
        var dashOperand = false
        var others: [[UInt8]] = []
        var optionsDone = false
        for position in (index + 1)..<max(index + 1, argv.count) {
            let word = argv[position]
            if !optionsDone && source.isOption(word) {
                if source.equals(word, "--") {
                    optionsDone = true
                } else if source.byte(word, 1) == 0x2D {
                    if source.equals(word, "--recursive") {
                        recursive = true
                    } else if source.equals(word, "--force") {
                        force = true
                    } else {
                        others.append(Array(source.bytes(word.span)))
                    }
                } else {
                    for offset in 1..<word.span.count {
                        switch source.byte(word, offset) {
                        case 0x72, 0x52: recursive = true
                        case 0x66: force = true
                        case let letter: others.append([0x2D, letter])
                        }
                    }
                }
            } else {
                if source.byte(word, 0) == 0x2D && word.span.count > 1 { dashOperand = true }
                if !glob && source.hasGlob(word) { glob = true }
            }
        }
        line.append("rm")
        if recursive || bulk || glob {
            line.append("-rf")
        } else if force {
            line.append("-f")
        }
        if dashOperand { line.append("--") }
        optionsDone = false
        for position in (index + 1)..<max(index + 1, argv.count) {
            let word = argv[position]
            if !optionsDone && source.isOption(word) {
                if source.equals(word, "--") { optionsDone = true }
                continue
            }
            line.append(word.span, from: source)
        }
        others.sort { $0.lexicographicallyPrecedes($1) }
        var previous: [UInt8]?
        for option in others where option != previous {
            line.append(option)
            previous = option
        }
    }

    // MARK: - git

    /// `git`: global options before the subcommand are dropped; `push`, `branch`, `reset` and `clean` get canonical
    /// flags; `grep` is a search command; the subcommands of `InertCommands.inertGitSubcommands` are inert.
    ///
    /// A `-c NAME=VALUE` value is configuration, parsed as a script when it holds several words (values such as
    /// `core.sshCommand` or `core.pager` are commands git runs). An alias `-c alias.NAME=VALUE` is the command
    /// `git VALUE` (or the shell command after `!`), which gets its line; when the subcommand is `NAME` the alias is
    /// expanded with the remaining words and the line keeps only `git NAME`.
    mutating func renderGit(_ argv: Argv, at index: Int, source: ShellSource, context: inout CommandContext) {
        line.append("git")
        var aliases: [(name: ByteSpan, value: ByteSpan)] = []
        var current = index + 1
        while current < argv.count, source.isOption(argv[current]) {
            let word = argv[current]
            if source.equals(word, "-c") && current + 1 < argv.count {
                if let alias = gitConfigValue(argv, at: current + 1, source: source, context: &context) {
                    aliases.append(alias)
                }
                current += 2
                continue
            }
            let takesValue = !source.contains(0x3D, in: word)
                && source.equalsAny(word, ToolCanonicalForms.gitGlobalOptionsWithValue)
            current += takesValue ? 2 : 1
        }
        guard current < argv.count else { return }
        let subcommand = argv[current]
        line.append(subcommand.span, from: source)
        if let alias = aliases.last(where: { source.equalsIgnoringCase(subcommand.span, $0.name) }) {
            var text = Self.gitAliasCommand(alias.value, source: source)
            for word in argv[(current + 1)...] {
                text.append(0x20)
                text.append(contentsOf: source.bytes(word.span))
            }
            context.jobs.append(.text(text))
            context.consumed.append(current + 1..<argv.count)
        } else if source.equalsAny(subcommand, InertCommands.inertGitSubcommands) {
            context.inertFrom = current + 1
        } else if source.equals(subcommand, "grep") {
            context.inertFrom = current + 1
            renderSearch(.gitGrep, argv, from: current + 1, source: source)
        } else if source.equals(subcommand, "push") {
            renderGitPush(argv, from: current + 1, source: source)
        } else if source.equals(subcommand, "branch") {
            renderGitBranch(argv, from: current + 1, source: source)
        } else if source.equals(subcommand, "reset") {
            renderGitReset(argv, from: current + 1, source: source)
        } else if source.equals(subcommand, "clean") {
            renderGitClean(argv, from: current + 1, source: source)
        } else {
            appendWords(argv, from: current + 1, source: source)
        }
    }

    /// The value of `git -c` at `position`: an alias definition is returned (and its command becomes a job); any
    /// other value holding several words is parsed as a script.
    private func gitConfigValue(
        _ argv: Argv, at position: Int, source: ShellSource, context: inout CommandContext
    ) -> (name: ByteSpan, value: ByteSpan)? {
        let word = argv[position]
        guard let value = source.valueAfterEquals(word) else { return nil }
        let key = ByteSpan(start: word.span.start, end: value.start - 1)
        if key.count > 6, source.equalsLowercased(ByteSpan(start: key.start, end: key.start + 6), "alias.") {
            context.jobs.append(.text(Self.gitAliasCommand(value, source: source)))
            context.consumed.append(position..<position + 1)
            return (ByteSpan(start: key.start + 6, end: key.end), value)
        }
        if word.flags.contains(.quoted), source.containsScriptSeparator(value) {
            context.jobs.append(.span(value))
            context.consumed.append(position..<position + 1)
        }
        return nil
    }

    /// The command an alias value runs: `git VALUE`, or the shell command after a leading `!`.
    private static func gitAliasCommand(_ value: ByteSpan, source: ShellSource) -> [UInt8] {
        if value.count > 0 && source.arena[value.start] == 0x21 {
            return Array(source.bytes(ByteSpan(start: value.start + 1, end: value.end)))
        }
        return Array("git ".utf8) + source.bytes(value)
    }

    /// `git push`: `--force` when forced (`-f`, `--force`, `--force-with-lease…`, `--force-if-includes`,
    /// `--mirror`, a bundle with `f`, a `+refspec`), `--delete` when deleting (`-d`, `--delete`, `:branch`).
    private mutating func renderGitPush(_ argv: Argv, from start: Int, source: ShellSource) {
        let mark = line.count
        var force = false
        var delete = false
        var optionsDone = false
        var current = start
        while current < argv.count {
            let word = argv[current]
            current += 1
            if !optionsDone && source.isOption(word) {
                if source.equals(word, "--") {
                    optionsDone = true
                    line.append(word.span, from: source)
                } else if source.byte(word, 1) == 0x2D {
                    if source.equals(word, "--force") || source.hasPrefix(word, "--force-with-lease")
                        || source.equals(word, "--force-if-includes")
                    {
                        force = true
                    } else if source.equals(word, "--delete") {
                        delete = true
                    } else {
                        if source.equals(word, "--mirror") { force = true }
                        line.append(word.span, from: source)
                        if current < argv.count
                            && source.equalsAny(word, ["--push-option", "--repo", "--receive-pack", "--exec"])
                        {
                            line.append(argv[current].span, from: source)
                            current += 1
                        }
                    }
                } else {
                    var kept: [UInt8] = [0x2D]
                    var takesValue = false
                    var offset = 1
                    while offset < word.span.count {
                        let letter = source.byte(word, offset)
                        if letter == 0x66 {
                            force = true
                        } else if letter == 0x64 {
                            delete = true
                        } else if letter == 0x6F {  // -o VALUE (attached or next)
                            kept.append(contentsOf: source.arena[(word.span.start + offset)..<word.span.end])
                            takesValue = offset == word.span.count - 1
                            break
                        } else {
                            kept.append(letter)
                        }
                        offset += 1
                    }
                    if kept.count > 1 { line.append(kept) }
                    if takesValue && current < argv.count {
                        line.append(argv[current].span, from: source)
                        current += 1
                    }
                }
                continue
            }
            var span = word.span
            if source.byte(word, 0) == 0x2B {
                force = true
                span.start += 1
            } else if source.byte(word, 0) == 0x3A && span.count > 1 {
                delete = true
                span.start += 1
            }
            line.append(span, from: source)
        }
        if delete { line.insert(" --delete", at: mark) }
        if force { line.insert(" --force", at: mark) }
    }

    /// `git branch`: force-delete → `-D`, delete → `-d`, followed by the other words; anything else as given.
    private mutating func renderGitBranch(_ argv: Argv, from start: Int, source: ShellSource) {
        var delete = false
        var force = false
        var forceDelete = false
        for position in start..<max(start, argv.count) {
            let word = argv[position]
            guard source.isOption(word) else { continue }
            if source.byte(word, 1) == 0x2D {
                if source.equals(word, "--delete") { delete = true }
                if source.equals(word, "--force") { force = true }
                continue
            }
            for offset in 1..<word.span.count {
                switch source.byte(word, offset) {
                case 0x44: forceDelete = true  // D
                case 0x64: delete = true
                case 0x66: force = true
                default: break
                }
            }
        }
        guard forceDelete || delete else {
            appendWords(argv, from: start, source: source)
            return
        }
        line.append(forceDelete || force ? "-D" : "-d")
        for position in start..<max(start, argv.count) {
            let word = argv[position]
            guard source.isOption(word) else {
                line.append(word.span, from: source)
                continue
            }
            if source.byte(word, 1) == 0x2D {
                if !source.equals(word, "--delete") && !source.equals(word, "--force") {
                    line.append(word.span, from: source)
                }
                continue
            }
            var kept: [UInt8] = [0x2D]
            for offset in 1..<word.span.count {
                let letter = source.byte(word, offset)
                if letter != 0x44 && letter != 0x64 && letter != 0x66 { kept.append(letter) }
            }
            if kept.count > 1 { line.append(kept) }
        }
    }

    /// `git reset`: `--hard` anywhere is moved first.
    private mutating func renderGitReset(_ argv: Argv, from start: Int, source: ShellSource) {
        var hard = false
        for position in start..<max(start, argv.count) where source.equals(argv[position], "--hard") { hard = true }
        if hard { line.append("--hard") }
        for position in start..<max(start, argv.count) where !(hard && source.equals(argv[position], "--hard")) {
            line.append(argv[position].span, from: source)
        }
    }

    /// `git clean`: a dry run (`-n`, `--dry-run`, even bundled) renders `-n` without f/d; otherwise the force and
    /// directory flags become one leading `-fd`, `-f` or `-d`. Other letters (`-x`, `-X`, …) follow.
    private mutating func renderGitClean(_ argv: Argv, from start: Int, source: ShellSource) {
        var force = false
        var directories = false
        var dryRun = false
        var current = start
        while current < argv.count {
            let word = argv[current]
            current += 1
            guard source.isOption(word) else { continue }
            if source.byte(word, 1) == 0x2D {
                if source.equals(word, "--force") { force = true }
                if source.equals(word, "--dry-run") { dryRun = true }
                if source.equals(word, "--exclude") { current += 1 }
                continue
            }
            for offset in 1..<word.span.count {
                let letter = source.byte(word, offset)
                if letter == 0x66 { force = true }
                if letter == 0x64 { directories = true }
                if letter == 0x6E { dryRun = true }
                if letter == 0x65 {  // -e PATTERN
                    if offset == word.span.count - 1 { current += 1 }
                    break
                }
            }
        }
        if dryRun {
            line.append("-n")
        } else if force && directories {
            line.append("-fd")
        } else if force {
            line.append("-f")
        } else if directories {
            line.append("-d")
        }
        current = start
        while current < argv.count {
            let word = argv[current]
            current += 1
            guard source.isOption(word) else {
                line.append(word.span, from: source)
                continue
            }
            if source.byte(word, 1) == 0x2D {
                if !source.equals(word, "--force") && !source.equals(word, "--dry-run") {
                    line.append(word.span, from: source)
                }
                continue
            }
            var kept: [UInt8] = [0x2D]
            var offset = 1
            while offset < word.span.count {
                let letter = source.byte(word, offset)
                if letter == 0x65 {
                    kept.append(contentsOf: source.arena[(word.span.start + offset)..<word.span.end])
                    break
                }
                if letter != 0x66 && letter != 0x64 && letter != 0x6E { kept.append(letter) }
                offset += 1
            }
            if kept.count > 1 { line.append(kept) }
        }
    }

    // MARK: - Tools with subcommands

    /// `tool [global options] SUBCOMMAND …` → `tool SUBCOMMAND [global options] …`. Also `docker exec`,
    /// `docker image push` → `docker push`, and `kubectl exec … -- CMD`.
    mutating func renderTool(
        _ tool: SubcommandTool, name: ByteSpan, _ argv: Argv, at index: Int, source: ShellSource,
        context: inout CommandContext
    ) {
        let valueOptions = ToolCanonicalForms.globalOptionsWithValue(tool)
        var current = index + 1
        while current < argv.count {
            let word = argv[current]
            if tool == .cargo && source.byte(word, 0) == 0x2B {  // cargo +toolchain
                current += 1
                continue
            }
            guard source.isOption(word), !source.equals(word, "--") else { break }
            let takesValue = !source.contains(0x3D, in: word) && source.equalsAny(word, valueOptions)
            current += takesValue ? 2 : 1
        }
        current = min(current, argv.count)
        line.appendLowercased(name, from: source)
        guard current < argv.count else {
            appendWords(argv, from: index + 1, source: source)
            return
        }
        let subcommand = argv[current]
        let next = current + 1 < argv.count ? argv[current + 1] : nil
        if tool == .docker || tool == .podman {
            if source.equals(subcommand, "exec") {
                line.append("exec")
                renderContainerExec(argv, from: current + 1, source: source, context: &context)
                return
            }
            if let next, source.equals(next, "exec"),
                source.equals(subcommand, "container") || source.equals(subcommand, "compose")
            {
                line.append(subcommand.span, from: source)
                line.append("exec")
                renderContainerExec(argv, from: current + 2, source: source, context: &context)
                return
            }
            if let next, source.equals(subcommand, "image"), source.equals(next, "push") {
                line.append("push")
                appendWords(argv, from: index + 1, to: current, source: source)
                appendWords(argv, from: current + 2, source: source)
                return
            }
        }
        if ToolCanonicalForms.documentsDryRun(tool) && isDryRun(tool, argv, from: index + 1, source: source) {
            line.append("dry-run-")
            line.appendAttached(subcommand.span, from: source)
        } else {
            line.append(subcommand.span, from: source)
        }
        if tool == .kubectl && source.equals(subcommand, "exec") {
            appendWords(argv, from: index + 1, to: current, source: source)
            renderKubectlExec(argv, from: current + 1, source: source, context: &context)
            return
        }
        appendWords(argv, from: index + 1, to: current, source: source)
        appendWords(argv, from: current + 1, source: source)
    }

    /// Whether the options (up to `--`) ask for a dry run: `--dry-run`, or `--dry-run=client|server|true`; the
    /// last setting wins, and `--dry-run=none|false`, `--no-dry-run` or (npm, pnpm) `--dry-run false` turn it off.
    private func isDryRun(_ tool: SubcommandTool, _ argv: Argv, from start: Int, source: ShellSource) -> Bool {
        var dryRun = false
        var current = start
        while current < argv.count {
            let word = argv[current]
            current += 1
            guard source.isOption(word), source.byte(word, 1) == 0x2D else { continue }
            if source.equals(word, "--") { break }
            if source.equals(word, "--dry-run") {
                dryRun = true
                if (tool == .npm || tool == .pnpm) && current < argv.count {
                    if source.equals(argv[current], "false") { dryRun = false }
                    if source.equals(argv[current], "false") || source.equals(argv[current], "true") { current += 1 }
                }
            } else if source.hasPrefix(word, "--dry-run=") {
                dryRun = source.equalsAny(
                    ShellWord(span: ByteSpan(start: word.span.start + 10, end: word.span.end)),
                    ["client", "server", "true"])
            } else if source.equals(word, "--no-dry-run") {
                dryRun = false
            }
        }
        return dryRun
    }

    // MARK: - SQL clients

    /// SQL clients: the command option's value (`psql -c`, `mysql -e`, `--command`, `--execute`, `sqlite3 -cmd`,
    /// `duckdb -c`) and the SQL operands after the database file (sqlite3, duckdb) are parsed as SQL text; the
    /// client reads SQL on standard input (here-documents, pipes).
    mutating func renderSQLClient(
        _ client: SQLClient, name: ByteSpan, _ argv: Argv, at index: Int, source: ShellSource,
        context: inout CommandContext
    ) {
        line.appendLowercased(name, from: source)
        context.readsScript = true
        let commandLetter: UInt8
        let valueLetters: StaticString
        let commandLong: StaticString
        let singleDashOptions = client == .sqlite3 || client == .duckdb
        switch client {
        case .psql:
            commandLetter = 0x63
            valueLetters = "cdfhLopPRTUvF"
            commandLong = "--command"
        case .mysql:
            commandLetter = 0x65
            valueLetters = "eDhPuSO"
            commandLong = "--execute"
        case .cockroach:
            commandLetter = 0x65
            valueLetters = "edfu"
            commandLong = "--execute"
        case .sqlite3, .duckdb:
            commandLetter = 0
            valueLetters = ""
            commandLong = "--command"
        }
        var positionals = 0
        var optionsDone = false
        var current = index + 1
        while current < argv.count {
            let word = argv[current]
            current += 1
            guard !optionsDone && source.isOption(word) else {
                positionals += 1
                if singleDashOptions && positionals >= 2 {
                    context.jobs.append(.span(word.span))
                    context.consumed.append(current - 1..<current)
                } else {
                    line.append(word.span, from: source)
                }
                continue
            }
            if source.equals(word, "--") {
                optionsDone = true
                line.append(word.span, from: source)
                continue
            }
            if singleDashOptions {
                line.append(word.span, from: source)
                let isCommand = source.equals(word, "-cmd")
                    || (client == .duckdb && source.equalsAny(word, ["-c", "-s"]))
                if isCommand && current < argv.count {
                    context.jobs.append(.span(argv[current].span))
                    context.consumed.append(current..<current + 1)
                    current += 1
                } else if source.equalsAny(
                    word, ["-init", "-separator", "-newline", "-nullvalue", "-vfs", "-maxsize", "-mmap"])
                {
                    appendWords(argv, from: current, to: current + 1, source: source)
                    current += 1
                }
                continue
            }
            if source.byte(word, 1) == 0x2D {
                let isCommand = source.hasPrefix(word, commandLong)
                if isCommand, let value = source.valueAfterEquals(word) {
                    line.append(commandLong)
                    context.jobs.append(.span(value))
                    context.consumed.append(current - 1..<current)
                } else if isCommand && source.equals(word, commandLong) && current < argv.count {
                    line.append(word.span, from: source)
                    context.jobs.append(.span(argv[current].span))
                    context.consumed.append(current..<current + 1)
                    current += 1
                } else {
                    line.append(word.span, from: source)
                }
                continue
            }
            var handled = false
            for offset in 1..<word.span.count {
                let letter = source.byte(word, offset)
                if letter == commandLetter {
                    let option = ByteSpan(start: word.span.start, end: word.span.start + offset + 1)
                    line.append(option, from: source)
                    if offset + 1 < word.span.count {
                        context.jobs.append(.span(ByteSpan(start: word.span.start + offset + 1, end: word.span.end)))
                        context.consumed.append(current - 1..<current)
                    } else if current < argv.count {
                        context.jobs.append(.span(argv[current].span))
                        context.consumed.append(current..<current + 1)
                        current += 1
                    }
                    handled = true
                    break
                }
                if valueLetters.withUTF8Buffer({ $0.contains(letter) }) {
                    line.append(word.span, from: source)
                    if offset == word.span.count - 1 && current < argv.count {
                        line.append(argv[current].span, from: source)
                        current += 1
                    }
                    handled = true
                    break
                }
            }
            if !handled { line.append(word.span, from: source) }
        }
    }
}
