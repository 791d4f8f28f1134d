// Inert commands (their arguments are data and are neither rendered nor re-parsed), the other well-known commands,
// and the words that start an embedded command inside prose, SQL or JSON-ish text.

enum InertCommands {
    /// Commands whose arguments are only printed or looked up. Some git subcommands are inert too (see
    /// `inertGitSubcommands`).
    static let inert: [String] = [
        "echo", "printf", "man", "help", "which", "type", "whatis", "apropos", "true", ":",
    ]

    /// Search commands: their pattern is data, their file operands are kept (see `SearchCommands.swift`).
    static let searchCommands: [(String, SearchTool)] = [
        ("grep", .grep), ("egrep", .grep), ("fgrep", .grep), ("zgrep", .grep), ("rg", .ripgrep),
        ("ag", .silverSearcher), ("ack", .ack),
    ]

    /// Git subcommands that only record text (`commit`, `tag`, `notes`) or show history, status or paths without
    /// file contents (`log`, `status`, `ls-files`, `check-ignore`, `check-attr`, `rev-parse`). (`diff`, `show`,
    /// `blame` and `cat-file` print file contents, so their operands are kept; `git grep` is a search command.)
    static let inertGitSubcommands: [StaticString] = [
        "commit", "log", "tag", "notes", "status", "ls-files", "check-ignore", "check-attr", "rev-parse",
    ]

    /// Words that start an embedded command line when found inside the words of an unknown command.
    static let namesOfInterest: Set<String> = [
        "rm", "git", "find", "kubectl", "terraform", "docker", "helm", "npm", "pnpm", "yarn", "cargo", "twine",
        "psql", "mysql", "mariadb", "sqlite3", "duckdb", "sudo", "doas", "bash", "sh", "zsh",
        "drop", "truncate", "delete",
    ]

    /// Other commands that are known to be commands: a simple command starting with one of them is rendered as
    /// given and not scanned for embedded commands.
    static let knownCommands: [String] = [
        "cd", "pushd", "popd", "ls", "ll", "cat", "tac", "cp", "mv", "ln", "mkdir", "rmdir", "touch", "chmod",
        "chown", "chgrp", "head", "tail", "less", "more", "sed", "awk", "gawk", "sort", "uniq", "wc", "cut", "tr",
        "tee", "diff", "cmp", "patch", "tar", "zip", "unzip", "gzip", "gunzip", "bzip2", "xz", "zstd", "curl",
        "wget", "python", "python3", "pip", "pip3", "pipx", "uv", "poetry", "node", "deno", "bun", "npx", "ruby",
        "gem", "bundle", "perl", "php", "go", "gofmt", "swift", "swiftc", "rustc", "rustup", "make", "cmake",
        "ninja", "gcc", "clang", "javac", "java", "mvn", "gradle", "dotnet", "pytest", "jest", "jq", "yq", "test",
        "[", "[[", "export", "unset", "source", ".", "set", "shopt", "read", "exit", "return", "local", "declare",
        "typeset", "readonly", "shift", "trap", "wait", "kill", "pkill", "killall", "ps", "top", "htop", "df",
        "du", "free", "uname", "whoami", "id", "date", "sleep", "pwd", "basename", "dirname", "realpath",
        "readlink", "stat", "file", "xxd", "od", "hexdump", "base64", "openssl", "ssh-keygen", "ssh-add", "scp",
        "sftp", "rsync", "systemctl", "journalctl", "service", "launchctl", "brew", "apt", "apt-get", "dpkg",
        "yum", "dnf", "apk", "pacman", "snap", "gh", "aws", "gcloud", "az", "dd", "mkfs", "shred", "unlink",
        "install", "envsubst", "alias", "unalias", "history", "jobs", "fg", "bg", "disown", "ulimit", "umask",
        "false", "seq", "yes", "nc", "netstat", "ss", "lsof", "ping", "dig", "host", "nslookup", "tmux", "screen",
        "code", "vim", "vi", "nano", "emacs", "open", "xdg-open", "pbcopy", "pbpaste", "tree", "column", "paste",
        "join", "split", "csplit", "fold", "fmt", "nl", "expand", "unexpand", "rev", "shuf", "comm", "md5sum",
        "sha256sum", "shasum", "cksum", "mktemp", "getopts", "let", "printenv", "locale", "hostname", "tput",
        "stty", "clear", "reset", "logger", "crontab", "at", "mount", "umount", "fdisk", "parted", "lsblk", "blkid",
        "useradd", "userdel", "usermod", "groupadd", "passwd", "chpasswd", "iptables", "ufw", "docker-compose",
        "podman-compose", "minikube", "kind", "k9s", "kustomize", "skaffold", "tofu", "pulumi", "ansible",
        "ansible-playbook", "vault", "consul", "nomad", "redis-cli", "mongosh", "mongo", "pg_dump", "pg_restore",
        "pg_dumpall", "dropdb", "createdb", "mysqldump", "flyway", "liquibase", "alembic", "prisma", "sqlx",
        "diesel", "rake", "rails", "django-admin", "manage.py", "flask", "uvicorn", "gunicorn", "heroku", "fly",
        "flyctl", "vercel", "netlify", "wrangler", "firebase", "supabase-cli", "xcodebuild", "xcrun", "pod",
        "fastlane", "adb", "gradlew", "tsc", "eslint", "prettier", "black", "ruff", "mypy", "flake8", "isort",
        "swiftlint", "swiftformat", "clippy", "fd", "fzf", "bat", "exa", "eza", "http", "httpie", "xh",
    ]
}
