// Evasion tests: destructive commands written to dodge naive regexes must still produce a line matching the
// intended guardrail pattern, and benign look-alikes must produce no line matching any pattern. The patterns are
// checked with Foundation's NSRegularExpression (case-insensitive), independently of the project's regex engine.

import Foundation
import Testing

@testable import GuardrailMatching

/// The guardrail patterns the canonical lines are matched against.
enum ShellGuardrailPattern: String, CaseIterable, Sendable {
    case gitForcePush = "git_force_push"
    case gitResetHard = "git_reset_hard"
    case gitCleanForce = "git_clean_force"
    case gitBranchDelete = "git_branch_delete"
    case rmRecursiveForce = "rm_recursive_force"
    case rmRf = "rm_rf"
    case findDelete = "find_delete"
    case dropTable = "drop_table"
    case truncateTable = "truncate_table"
    case deleteNoWhere = "delete_no_where"
    case envFileModify = "env_file_modify"
    case credentialsFile = "credentials_file"
    case sshKeyModify = "ssh_key_modify"
    case deployCommand = "deploy_command"
    case npmPublish = "npm_publish"

    var source: String {
        switch self {
        case .gitForcePush: return #"git\s+push\s+.*--force"#
        case .gitResetHard: return #"git\s+reset\s+--hard"#
        case .gitCleanForce: return #"git\s+clean\s+-[fd]"#
        case .gitBranchDelete: return #"git\s+(branch\s+-D|push\s+.*--delete)"#
        case .rmRecursiveForce: return #"rm\s+-r[f]?\s+/"#
        case .rmRf: return #"rm\s+-rf\s+"#
        case .findDelete: return #"find\s+.*-delete"#
        case .dropTable: return #"DROP\s+(TABLE|DATABASE|SCHEMA)"#
        case .truncateTable:
            return #"TRUNCATE\s+(TABLE\s+|ONLY\s+)?[\w."]+(\s*,\s*[\w."]+)*"#
                + #"(\s+(CASCADE|RESTRICT|RESTART\s+IDENTITY|CONTINUE\s+IDENTITY))*\s*;"#
        case .deleteNoWhere:
            return #"DELETE\s+FROM\s+(ONLY\s+)?[\w."]+(\s+WHERE\s+(1\s*=\s*1|true))?\s*;"#
        case .envFileModify:
            return #"(^|[\s/=<>:"'])[\w.-]*\.env(\.(local|production|prod|development|dev|staging|test))?"#
                + #"([\s;"']|$)"#
        case .credentialsFile:
            return #"(/[\w.-]*(credentials|secrets|passwords)|(credentials|secrets|passwords)[\w-]*"#
                + #"\.(json|ya?ml|txt|toml|ini|env|xml|conf|cfg|properties|csv))"#
        case .sshKeyModify: return #"\.ssh/(id_[\w-]+|authorized_keys)"#
        case .deployCommand:
            return #"(kubectl\s+(apply|delete|replace)|terraform\s+(apply|destroy)|docker\s+push"#
                + #"|helm\s+(install|upgrade|uninstall))"#
        case .npmPublish: return #"((npm|pnpm|yarn)\s+publish|cargo\s+publish|twine\s+upload)"#
        }
    }

    var regex: NSRegularExpression {
        // The patterns are constants; a failure here is a bug in this file.
        try! NSRegularExpression(pattern: source, options: [.caseInsensitive])
    }

    func matches(_ line: String) -> Bool {
        regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
    }

    /// The patterns matching any of `lines`, with the first matching line.
    static func matches(in lines: [String]) -> [(ShellGuardrailPattern, String)] {
        var found: [(ShellGuardrailPattern, String)] = []
        for pattern in allCases {
            if let line = lines.first(where: pattern.matches) { found.append((pattern, line)) }
        }
        return found
    }
}

/// A destructive command and the pattern it must trigger.
struct ShellEvasion: CustomTestStringConvertible, Sendable {
    let pattern: ShellGuardrailPattern
    let input: String

    init(_ pattern: ShellGuardrailPattern, _ input: String) {
        self.pattern = pattern
        self.input = input
    }

    var testDescription: String { "\(pattern.rawValue): \(input.debugDescription)" }
}

@Suite("Shell normaliser: evasions and look-alikes")
struct ShellEvasionTests {
    @Test("destructive variants match their pattern", arguments: ShellEvasionTests.destructive)
    func destructiveVariantIsFlagged(_ evasion: ShellEvasion) {
        let lines = CommandNormalizer.canonicalLines(evasion.input)
        #expect(lines.contains(where: evasion.pattern.matches), "lines: \(lines)")
    }

    @Test("benign look-alikes match no pattern", arguments: ShellEvasionTests.benign)
    func benignLookAlikeIsNotFlagged(_ input: String) {
        let lines = CommandNormalizer.canonicalLines(input)
        let found = ShellGuardrailPattern.matches(in: lines)
        #expect(found.isEmpty, "\(found.map { "\($0.0.rawValue): \($0.1)" })")
    }

    @Test("the tables are large enough and cover every pattern")
    func coverage() {
        #expect(Self.destructive.count >= 60)
        #expect(Self.benign.count >= 40)
        let covered = Set(Self.destructive.map(\.pattern))
        #expect(covered == Set(ShellGuardrailPattern.allCases))
    }

    @Test("the raw destructive text would often slip past the patterns")
    func normalisationIsNeeded() {
        // Sanity check of the premise: many variants are missed when the raw text is matched directly.
        let missedRaw = Self.destructive.filter { !$0.pattern.matches($0.input) }
        #expect(missedRaw.count >= 30)
    }

    static let destructive: [ShellEvasion] = [
        ShellEvasion(.gitForcePush, "git push -f origin main"),
        ShellEvasion(.gitForcePush, "git push origin +main"),
        ShellEvasion(.gitForcePush, "git push -fu origin HEAD"),
        ShellEvasion(.gitForcePush, "git push --force-with-lease"),
        ShellEvasion(.gitForcePush, "git -C /srv/repo -c core.x=1 push -f"),
        ShellEvasion(.gitForcePush, "sh -lc 'git push -f'"),
        ShellEvasion(.gitForcePush, "cd repo && GIT_SSH_COMMAND=ssh git push --mirror"),
        ShellEvasion(.gitForcePush, "Please run git push -f origin main when done."),
        ShellEvasion(.gitForcePush, "{\"cmd\": \"git push -f origin main\"}"),
        ShellEvasion(.gitForcePush, "echo 'git push -f' | bash"),
        ShellEvasion(.gitResetHard, "git reset HEAD~3 --hard"),
        ShellEvasion(.gitResetHard, "g''it reset --hard"),
        ShellEvasion(.gitResetHard, "eval \"git reset --hard origin/main\""),
        ShellEvasion(.gitResetHard, "if true; then git reset --hard; fi"),
        ShellEvasion(.gitCleanForce, "git clean -xdf"),
        ShellEvasion(.gitCleanForce, "git clean -d -f -x"),
        ShellEvasion(.gitCleanForce, "git clean --force"),
        ShellEvasion(.gitBranchDelete, "git branch -df feature"),
        ShellEvasion(.gitBranchDelete, "git branch --delete --force feature"),
        ShellEvasion(.gitBranchDelete, "git push origin :feature"),
        ShellEvasion(.gitBranchDelete, "git push -d origin feature"),
        ShellEvasion(.rmRecursiveForce, "rm -fr /"),
        ShellEvasion(.rmRecursiveForce, "rm -r -f /"),
        ShellEvasion(.rmRecursiveForce, "rm --recursive --force /var/lib"),
        ShellEvasion(.rmRecursiveForce, "/bin/rm -Rf /etc"),
        ShellEvasion(.rmRecursiveForce, "\\rm -rf /"),
        ShellEvasion(.rmRecursiveForce, "sudo -u root rm -rf /"),
        ShellEvasion(.rmRecursiveForce, "FOO=1 env -i nice -n 5 nohup rm -rf /"),
        ShellEvasion(.rmRecursiveForce, "timeout 10 rm -r /data"),
        ShellEvasion(.rmRecursiveForce, "'r'm -rf /"),
        ShellEvasion(.rmRecursiveForce, "\"rm\" -rf /"),
        ShellEvasion(.rmRecursiveForce, "$'\\x72m' -rf /"),
        ShellEvasion(.rmRecursiveForce, "rm \\\n  -rf \\\n  /"),
        ShellEvasion(.rmRecursiveForce, "bash -c 'rm -rf /'"),
        ShellEvasion(.rmRecursiveForce, "sh -c \"cd / && rm -rf /home\""),
        ShellEvasion(.rmRecursiveForce, "ssh prod 'rm -rf /var/www'"),
        ShellEvasion(.rmRecursiveForce, "echo $(rm -rf /)"),
        ShellEvasion(.rmRecursiveForce, "x=`rm -rf /`"),
        ShellEvasion(.rmRecursiveForce, "(cd /tmp; rm -rf /)"),
        ShellEvasion(.rmRecursiveForce, "{ rm -rf /; }"),
        ShellEvasion(.rmRecursiveForce, "for d in a b; do rm -rf /$d; done"),
        ShellEvasion(.rmRecursiveForce, "{rm,-rf,/}"),
        ShellEvasion(.rmRecursiveForce, "rm${IFS}-rf${IFS}/"),
        ShellEvasion(.rmRecursiveForce, "docker exec web rm -rf /data"),
        ShellEvasion(.rmRecursiveForce, "kubectl exec pod -- rm -rf /data"),
        ShellEvasion(.rmRecursiveForce, "python -c \"import os; os.system('rm -rf /')\""),
        ShellEvasion(.rmRecursiveForce, "bash <<EOF\nrm -rf /\nEOF"),
        ShellEvasion(.rmRecursiveForce, "printf 'rm -rf /\\n' | sh"),
        ShellEvasion(.rmRecursiveForce, "make clean || rm -rf /opt/app"),
        ShellEvasion(.rmRecursiveForce, "su -c 'rm -rf /' root"),
        ShellEvasion(.rmRf, "find . -name '*.pyc' -exec rm -rf {} +"),
        ShellEvasion(.rmRf, "ls | xargs rm -rf"),
        ShellEvasion(.rmRf, "watch -n 60 'rm -rf ./cache'"),
        ShellEvasion(.rmRf, "Then run rm -fr build/ to clean"),
        ShellEvasion(.rmRf, "CMD=\"rm -rf build\"; $CMD"),
        ShellEvasion(.rmRf, "rm -r ./build"),
        ShellEvasion(.findDelete, "find /var/log -name '*.gz' -delete"),
        ShellEvasion(.findDelete, "sudo find . -type f -mtime +30 -delete"),
        ShellEvasion(.dropTable, "DROP TABLE users;"),
        ShellEvasion(.dropTable, "psql -c \"DROP TABLE users\""),
        ShellEvasion(.dropTable, "mysql -e 'DROP DATABASE prod'"),
        ShellEvasion(.dropTable, "psql <<SQL\ndrop schema public cascade;\nSQL"),
        ShellEvasion(.dropTable, "echo 'DROP TABLE users;' | psql"),
        ShellEvasion(.dropTable, "sqlite3 app.db \"DROP TABLE sessions\""),
        ShellEvasion(.truncateTable, "TRUNCATE users;"),
        ShellEvasion(.truncateTable, "psql -c 'TRUNCATE TABLE audit, logs RESTART IDENTITY CASCADE'"),
        ShellEvasion(.deleteNoWhere, "DELETE FROM users;"),
        ShellEvasion(.deleteNoWhere, "DELETE FROM \"users\";"),
        ShellEvasion(.deleteNoWhere, "psql -c 'DELETE FROM users WHERE 1=1'"),
        ShellEvasion(.deleteNoWhere, "sqlite3 db.sqlite 'delete from sessions'"),
        ShellEvasion(.envFileModify, "echo KEY=1 >> .env"),
        ShellEvasion(.envFileModify, "cp .env.example .env"),
        ShellEvasion(.envFileModify, "cat > .env.production <<EOF\nA=1\nEOF"),
        ShellEvasion(.envFileModify, "sed -i 's/x/y/' config/.env.local"),
        ShellEvasion(.credentialsFile, "cat ~/.aws/credentials"),
        ShellEvasion(.credentialsFile, "cp secrets.yaml /tmp/"),
        ShellEvasion(.sshKeyModify, "echo 'ssh-ed25519 AAAA' >> ~/.ssh/authorized_keys"),
        ShellEvasion(.sshKeyModify, "rm ~/.ssh/id_ed25519"),
        ShellEvasion(.deployCommand, "kubectl --context prod -n web apply -f k8s/"),
        ShellEvasion(.deployCommand, "kubectl -n prod delete deployment api"),
        ShellEvasion(.deployCommand, "terraform -chdir=infra apply -auto-approve"),
        ShellEvasion(.deployCommand, "docker --context prod push registry/app:1"),
        ShellEvasion(.deployCommand, "docker image push registry/app:1"),
        ShellEvasion(.deployCommand, "helm -n web upgrade --install app ./chart"),
        ShellEvasion(.deployCommand, "[\"kubectl\", \"delete\", \"ns\", \"prod\"]"),
        ShellEvasion(.npmPublish, "npm --registry https://registry.example publish"),
        ShellEvasion(.npmPublish, "pnpm --filter app publish"),
        ShellEvasion(.npmPublish, "cargo +stable publish"),
        ShellEvasion(.npmPublish, "python -m twine upload dist/*"),
        ShellEvasion(.npmPublish, "yarn npm publish"),
    ]

    static let benign: [String] = [
        "grep \"rm -rf\" notes.md",
        "echo \"DROP TABLE users\"",
        "git commit -m \"stop using git push --force\"",
        "printf '%s' 'rm -rf /'",
        "git push origin feature",
        "os.environ['HOME']",
        "cp .env.example .env.sample",
        "rg 'DELETE FROM users;'",
        "git log --grep='git push --force'",
        "git grep -n 'DROP TABLE'",
        "git tag -a v1.2 -m 'publish to npm'",
        "man rm",
        "which kubectl terraform helm",
        "echo 'git reset --hard' >> notes.txt",
        "grep -R 'TRUNCATE users;' migrations/",
        "ag 'kubectl apply' docs/",
        "ack 'docker push'",
        "rm -f ./tmp/cache.json",
        "rm -- -rf",
        "git push -u origin feature",
        "git push origin main:main",
        "git reset --soft HEAD~1",
        "git clean -n",
        "git clean -nfd",
        "git branch -m old new",
        "find . -name '*.log' -print",
        "find . -type f -exec grep -l 'rm -rf' {} +",
        "DELETE FROM users WHERE id = 1;",
        "psql -c \"DELETE FROM sessions WHERE expires_at < now()\"",
        "psql -c 'SELECT count(*) FROM users'",
        "kubectl get pods -n prod",
        "kubectl --context prod describe deployment api",
        "terraform plan -out plan.bin",
        "docker pull registry/app:1",
        "docker compose up -d",
        "helm list -n web",
        "npm install && npm run build",
        "npm view left-pad",
        "cargo build --release",
        "twine check dist/*",
        "ls -la ~/.ssh",
        "cat README.md",
        "echo $HOME",
        "bash -c 'echo hello world'",
        "sh -c \"grep -c 'rm -rf' notes.md\"",
        "ssh host uptime",
        "The deploy finished; no destructive commands were run.",
        "{\"tool\": \"Bash\", \"command\": \"swift build\"}",
        "python -c \"print('hello world')\"",
        "echo 'DROP TABLE users;' > notes.sql",
        "echo hi | tee -a build.log",
    ]
}
