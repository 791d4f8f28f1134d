// Table tests for the shell-command normaliser: input → exact canonical lines, for each feature.

import Testing

@testable import GuardrailMatching

/// One table row: an input and the exact canonical lines expected for it.
struct ShellCase: CustomTestStringConvertible, Sendable {
    let input: String
    let lines: [String]

    init(_ input: String, _ lines: [String]) {
        self.input = input
        self.lines = lines
    }

    var testDescription: String { input.debugDescription }
}

@Suite("Shell normaliser: canonical lines")
struct ShellNormalizerTests {
    @Test("prefixes, wrappers and reserved words are stripped", arguments: ShellNormalizerTests.prefixes)
    func prefixesAreStripped(_ row: ShellCase) {
        #expect(CommandNormalizer.canonicalLines(row.input) == row.lines)
    }

    @Test(
        "shell re-entry, substitutions and pipelines into shells become lines",
        arguments: ShellNormalizerTests.reentry)
    func reentryIsParsed(_ row: ShellCase) {
        #expect(CommandNormalizer.canonicalLines(row.input) == row.lines)
    }

    @Test("here-documents reach shells and SQL clients", arguments: ShellNormalizerTests.heredocs)
    func heredocsAreRead(_ row: ShellCase) {
        #expect(CommandNormalizer.canonicalLines(row.input) == row.lines)
    }

    @Test("redirections are rendered for every command", arguments: ShellNormalizerTests.redirections)
    func redirectionsAreRendered(_ row: ShellCase) {
        #expect(CommandNormalizer.canonicalLines(row.input) == row.lines)
    }

    @Test("inert commands keep only their name, search commands their files", arguments: ShellNormalizerTests.inert)
    func inertCommandsHideArguments(_ row: ShellCase) {
        #expect(CommandNormalizer.canonicalLines(row.input) == row.lines)
    }

    @Test("per-tool canonical forms", arguments: ShellNormalizerTests.toolForms)
    func toolFormsAreCanonical(_ row: ShellCase) {
        #expect(CommandNormalizer.canonicalLines(row.input) == row.lines)
    }

    @Test("quoting, escapes, continuations and comments", arguments: ShellNormalizerTests.quoting)
    func quotingIsResolved(_ row: ShellCase) {
        #expect(CommandNormalizer.canonicalLines(row.input) == row.lines)
    }

    @Test("command chains split into lines", arguments: ShellNormalizerTests.chains)
    func chainsAreSplit(_ row: ShellCase) {
        #expect(CommandNormalizer.canonicalLines(row.input) == row.lines)
    }

    @Test("prose, SQL and JSON-ish text", arguments: ShellNormalizerTests.text)
    func textYieldsEmbeddedCommands(_ row: ShellCase) {
        #expect(CommandNormalizer.canonicalLines(row.input) == row.lines)
    }

    @Test("empty and blank text yield no lines")
    func emptyText() {
        #expect(CommandNormalizer.canonicalLines("").isEmpty)
        #expect(CommandNormalizer.canonicalLines("  \n\t ; ;; & \n").isEmpty)
    }

    @Test("every line ends with \" ;\" and has no line break")
    func lineShape() {
        let rows = Self.prefixes + Self.reentry + Self.heredocs + Self.redirections + Self.inert + Self.toolForms
        let inputs = (rows + Self.quoting + Self.chains + Self.text)
            .map(\.input)
        for input in inputs {
            for line in CommandNormalizer.canonicalLines(input) {
                #expect(line.hasSuffix(" ;"), "\(line)")
                #expect(!line.contains("\n") && !line.contains("\r"), "\(line)")
                #expect(!line.hasPrefix(" "), "\(line)")
            }
        }
    }

    @Test("lines are unique and keep the order of first appearance")
    func linesAreUnique() {
        #expect(CommandNormalizer.canonicalLines("rm -rf /; ls; rm -fr /; ls") == ["rm -rf / ;", "ls ;"])
    }

    @Test("the catalog knows the kinds of the names it documents")
    func catalogKinds() {
        #expect(CommandNormalizer.canonicalLines("git status").first == "git status ;")
        #expect(CommandCatalog.kind(of: "rm") == .rm)
        #expect(CommandCatalog.kind(of: "sudo") == .prefix(.sudo))
        #expect(CommandCatalog.kind(of: "echo") == .inert)
        #expect(CommandCatalog.kind(of: "bash") == .shell)
        #expect(CommandCatalog.kind(of: "kubectl") == .tool(.kubectl))
        #expect(CommandCatalog.kind(of: "psql") == .sqlClient(.psql))
        #expect(CommandCatalog.kind(of: "please") == nil)
    }
}

extension ShellNormalizerTests {
    static let prefixes: [ShellCase] = [
        ShellCase("FOO=1 BAR=2 rm -rf /", ["rm -rf / ;"]),
        ShellCase("env -i -u HOME PATH=/bin rm -rf /", ["rm -rf / ;"]),
        ShellCase("sudo -u root -g wheel -- rm -rf /", ["rm -rf / ;"]),
        ShellCase("sudo -E rm -r -f /srv", ["rm -rf /srv ;"]),
        ShellCase("doas -u root rm -rf /", ["rm -rf / ;"]),
        ShellCase("command -p rm -rf /", ["rm -rf / ;"]),
        ShellCase("command -v rm", ["command ;"]),
        ShellCase("builtin exec -a name rm -rf /", ["rm -rf / ;"]),
        ShellCase("nohup time -p nice -n 5 rm -rf / &", ["rm -rf / ;"]),
        ShellCase("nice -10 ionice -c 3 -n 7 rm -rf /", ["rm -rf / ;"]),
        ShellCase("timeout -s KILL 10s stdbuf -oL rm -rf /", ["rm -rf / ;"]),
        ShellCase("timeout 10 git push -f", ["git push --force ;"]),
        ShellCase("xargs -0 -I {} rm -rf {}", ["rm -rf {} ;"]),
        ShellCase("busybox rm -rf /", ["rm -rf / ;"]),
        ShellCase("/usr/bin/sudo /bin/rm -rf /", ["rm -rf / ;"]),
        ShellCase("\\rm -rf /tmp/x", ["rm -rf /tmp/x ;"]),
        ShellCase("if rm -rf /; then echo ok; fi", ["rm -rf / ;", "echo ;"]),
        ShellCase("while true; do rm -rf /tmp/x; done", ["true ;", "rm -rf /tmp/x ;"]),
        ShellCase("for f in a b; do rm -rf \"$f\"; done", ["rm -rf $f ;"]),
        ShellCase("! rm -rf /", ["rm -rf / ;"]),
        ShellCase("{ rm -rf /; }", ["rm -rf / ;"]),
        ShellCase("(cd / && rm -rf *)", ["cd / ;", "rm -rf * ;"]),
        ShellCase("case $x in start) rm -rf /;; *) echo no;; esac", ["rm -rf / ;", "echo ;"]),
        ShellCase("function cleanup { rm -rf /tmp/x; }", ["rm -rf /tmp/x ;"]),
    ]

    static let reentry: [ShellCase] = [
        ShellCase("bash -c 'rm -rf /'", ["bash -c ;", "rm -rf / ;"]),
        ShellCase("sh -lc \"git push --force\"", ["sh -lc ;", "git push --force ;"]),
        ShellCase("zsh -ec 'rm -rf /' arg0", ["zsh -ec arg0 ;", "rm -rf / ;"]),
        ShellCase("bash -o pipefail -xc 'rm -rf /'", ["bash -o pipefail -xc ;", "rm -rf / ;"]),
        ShellCase("busybox sh -c 'rm -rf /'", ["sh -c ;", "rm -rf / ;"]),
        ShellCase("eval \"rm -rf /\"", ["eval ;", "rm -rf / ;"]),
        ShellCase("eval rm -rf '/'", ["eval ;", "rm -rf / ;"]),
        ShellCase("su -c 'rm -rf /' root", ["su -c root ;", "rm -rf / ;"]),
        ShellCase("su root --command='git push -f'", ["su root --command ;", "git push --force ;"]),
        ShellCase("ssh -i ~/.ssh/deploy_key -p 22 user@host rm -rf /", ["ssh user@host ;", "rm -rf / ;"]),
        ShellCase("ssh host 'rm -rf /'", ["ssh host ;", "rm -rf / ;"]),
        ShellCase("docker exec -u root -w /app web rm -rf /data", ["docker exec web ;", "rm -rf /data ;"]),
        ShellCase(
            "docker --context prod container exec web sh -c 'rm -rf /'",
            ["docker container exec web ;", "sh -c ;", "rm -rf / ;"]),
        ShellCase(
            "kubectl -n prod exec -it pod -c app -- rm -rf /",
            ["kubectl exec -n prod -it pod -c app ;", "rm -rf / ;"]),
        ShellCase(
            "find . -name '*.tmp' -exec rm -rf {} \\;", ["find . -name *.tmp -exec rm -delete ;", "rm -rf {} ;"]),
        ShellCase("find . -execdir rm -r {} + -print", ["find . -execdir rm -delete -print ;", "rm -rf {} ;"]),
        ShellCase("ls | xargs rm -fr", ["ls ;", "rm -rf ;"]),
        ShellCase("watch -n 5 'rm -rf /tmp/x'", ["watch ;", "rm -rf /tmp/x ;"]),
        ShellCase("echo $(git push -f)", ["echo ;", "git push --force ;"]),
        ShellCase("echo `rm -rf /`", ["echo ;", "rm -rf / ;"]),
        ShellCase("diff <(ls a) >(rm -rf /)", ["diff <(ls a) >(rm -rf /) ;", "ls a ;", "rm -rf / ;"]),
        ShellCase("x=$(rm -rf /)", ["rm -rf / ;"]),
        ShellCase("echo \"rm -rf /\" | sh", ["echo ;", "sh ;", "rm -rf / ;"]),
        ShellCase("printf 'rm -rf /\\n' | bash", ["printf ;", "bash ;", "rm -rf / ;"]),
        ShellCase("echo \"git push -f\" | sudo bash", ["echo ;", "bash ;", "git push --force ;"]),
        ShellCase("echo -e 'rm\\t-rf /' | zsh -s", ["echo ;", "zsh -s ;", "rm -rf / ;"]),
        ShellCase("echo 'DROP TABLE users;' | psql", ["echo ;", "psql ;", "drop TABLE users ;"]),
        ShellCase("psql -c \"DROP TABLE users\"", ["psql -c ;", "drop TABLE users ;"]),
        ShellCase(
            "python -c \"import os; os.system('rm -rf /')\"",
            ["python -c import os; os.system('rm -rf /') ;", "import os ;", "os.system ;", "rm -rf / ;"]),
    ]

    static let heredocs: [ShellCase] = [
        ShellCase("bash <<'EOF'\nrm -rf /\nEOF", ["bash ;", "rm -rf / ;"]),
        ShellCase("cat <<EOF | sh\nrm -rf /\nEOF", ["cat ;", "sh ;", "rm -rf / ;"]),
        ShellCase("cat <<-EOF\n\trm -rf /\n\tEOF\necho done", ["cat ;", "echo ;"]),
        ShellCase(
            "psql -X -v ON_ERROR_STOP=1 <<SQL\nTRUNCATE users;\nSQL",
            ["psql -X -v ON_ERROR_STOP=1 ;", "truncate users ;"]),
        ShellCase("mysql prod <<'SQL'\nDELETE FROM \"users\";\nSQL", ["mysql prod ;", "delete FROM users ;"]),
        ShellCase("cat > notes.txt <<EOF\nrm -rf /\nEOF", ["cat > notes.txt ;"]),
        ShellCase("cat <<EOF\n$(rm -rf /)\nEOF", ["cat ;", "rm -rf / ;"]),
        ShellCase("ssh host <<EOF\ngit push -f\nEOF", ["ssh host ;", "git push --force ;"]),
        ShellCase("bash <<< 'rm -rf /'", ["bash ;", "rm -rf / ;"]),
        ShellCase("supabase db query <<SQL\nDROP TABLE x;\nSQL", ["supabase db query ;", "drop TABLE x ;"]),
    ]

    static let redirections: [ShellCase] = [
        ShellCase("echo KEY=1 >> .env", ["echo >> .env ;"]),
        ShellCase("echo hi > .env", ["echo > .env ;"]),
        ShellCase("printf x 2>> .env.local", ["printf >> .env.local ;"]),
        ShellCase("cat < ~/.aws/credentials", ["cat < ~/.aws/credentials ;"]),
        ShellCase("cmd &> /tmp/out.log", ["cmd > /tmp/out.log ;"]),
        ShellCase("ls >| out.txt 1>> log.txt", ["ls > out.txt >> log.txt ;"]),
        ShellCase("cat key.pub >> ~/.ssh/authorized_keys", ["cat key.pub >> ~/.ssh/authorized_keys ;"]),
        ShellCase("> .env", ["> .env ;"]),
        ShellCase("make 2>&1 | tee build.log", ["make ;", "tee build.log ;"]),
    ]

    static let inert: [ShellCase] = [
        ShellCase("grep \"rm -rf\" notes.md", ["grep notes.md ;"]),
        ShellCase("echo \"DROP TABLE users\"", ["echo ;"]),
        ShellCase("git commit -m \"stop using git push --force\"", ["git commit ;"]),
        ShellCase("printf '%s' 'rm -rf /'", ["printf ;"]),
        ShellCase("rg 'DELETE FROM users;'", ["rg ;"]),
        ShellCase("git log --grep='force push'", ["git log ;"]),
        ShellCase("git grep 'rm -rf'", ["git grep ;"]),
        ShellCase("git tag -a v1 -m 'rm -rf'", ["git tag ;"]),
        ShellCase("man rm", ["man ;"]),
        ShellCase("which terraform", ["which ;"]),
        ShellCase("true rm -rf /", ["true ;"]),
        ShellCase(": rm -rf /", [": ;"]),
        ShellCase("git -C repo notes add -m 'drop table'", ["git notes ;"]),
    ]

    static let toolForms: [ShellCase] = [
        ShellCase("rm -fr /", ["rm -rf / ;"]),
        ShellCase("rm -r -f /", ["rm -rf / ;"]),
        ShellCase("rm --recursive --force ./x", ["rm -rf ./x ;"]),
        ShellCase("rm -Rf /tmp/x", ["rm -rf /tmp/x ;"]),
        ShellCase("rm -rfv / --no-preserve-root", ["rm -rf / --no-preserve-root -v ;"]),
        ShellCase("rm -v -- -rf", ["rm -- -rf -v ;"]),
        ShellCase("rm /tmp/x -rf", ["rm -rf /tmp/x ;"]),
        ShellCase("rm -r ./build", ["rm -rf ./build ;"]),
        ShellCase("rm -f a.txt", ["rm -f a.txt ;"]),
        ShellCase("git push -f origin main", ["git push --force origin main ;"]),
        ShellCase("git push origin +main", ["git push --force origin main ;"]),
        ShellCase("git push origin :old", ["git push --delete origin old ;"]),
        ShellCase("git push -fu origin main", ["git push --force -u origin main ;"]),
        ShellCase("git push --force-with-lease=main:abc origin main", ["git push --force origin main ;"]),
        ShellCase("git push --mirror backup", ["git push --force --mirror backup ;"]),
        ShellCase("git push -o ci.skip origin main", ["git push -o ci.skip origin main ;"]),
        ShellCase("git push origin feature", ["git push origin feature ;"]),
        ShellCase("git --git-dir=.git --work-tree . push origin --delete old", ["git push --delete origin old ;"]),
        ShellCase("git -c user.name=x -C repo --no-pager push -f", ["git push --force ;"]),
        ShellCase("git branch -D old", ["git branch -D old ;"]),
        ShellCase("git branch -df old", ["git branch -D old ;"]),
        ShellCase("git -C repo branch --delete --force old", ["git branch -D old ;"]),
        ShellCase("git branch -d old", ["git branch -d old ;"]),
        ShellCase("git branch -m old new", ["git branch -m old new ;"]),
        ShellCase("git reset HEAD~1 --hard", ["git reset --hard HEAD~1 ;"]),
        ShellCase("git reset --soft HEAD~1", ["git reset --soft HEAD~1 ;"]),
        ShellCase("git clean -fdx", ["git clean -fd -x ;"]),
        ShellCase("git clean -ffd", ["git clean -fd ;"]),
        ShellCase("git clean -f -d -X", ["git clean -fd -X ;"]),
        ShellCase("git clean -nfd", ["git clean -n ;"]),
        ShellCase("git clean --dry-run -d", ["git clean -n ;"]),
        ShellCase("git clean -e build -fd", ["git clean -fd -e build ;"]),
        ShellCase("terraform -chdir=infra apply", ["terraform apply -chdir=infra ;"]),
        ShellCase("kubectl --context prod -n web delete pod x", ["kubectl delete --context prod -n web pod x ;"]),
        ShellCase("kubectl get pods", ["kubectl get pods ;"]),
        ShellCase(
            "helm --kube-context prod -n web upgrade --install app ./chart",
            ["helm upgrade --kube-context prod -n web --install app ./chart ;"]),
        ShellCase("docker -H tcp://x image push repo/img", ["docker push -H tcp://x repo/img ;"]),
        ShellCase("docker --context prod push img", ["docker push --context prod img ;"]),
        ShellCase(
            "npm --registry https://r publish --access public",
            ["npm publish --registry https://r --access public ;"]),
        ShellCase("pnpm -C packages/a publish", ["pnpm publish -C packages/a ;"]),
        ShellCase("yarn npm publish", ["yarn npm publish ;"]),
        ShellCase("cargo +nightly publish --allow-dirty", ["cargo publish +nightly --allow-dirty ;"]),
        ShellCase("twine upload dist/*", ["twine upload dist/* ;"]),
        ShellCase("mysql -e \"DROP DATABASE prod\"", ["mysql -e ;", "drop DATABASE prod ;"]),
        ShellCase("mysql --execute='DELETE FROM logs'", ["mysql --execute ;", "delete FROM logs ;"]),
        ShellCase("psql -Xc 'TRUNCATE users;'", ["psql -Xc ;", "truncate users ;"]),
        ShellCase("sqlite3 app.db \"DELETE FROM users;\"", ["sqlite3 app.db ;", "delete FROM users ;"]),
        ShellCase("duckdb -c \"DROP SCHEMA s\"", ["duckdb -c ;", "drop SCHEMA s ;"]),
    ]

    static let quoting: [ShellCase] = [
        ShellCase("'r'm -rf /", ["rm -rf / ;"]),
        ShellCase("\"rm\" -rf /", ["rm -rf / ;"]),
        ShellCase("r\\m -rf /", ["rm -rf / ;"]),
        ShellCase("$'\\x72m' -rf /", ["rm -rf / ;"]),
        ShellCase("$'\\162\\155' -rf /", ["rm -rf / ;"]),
        ShellCase("$'\\u0072m' -rf /", ["rm -rf / ;"]),
        ShellCase("$'rm' $'-rf' $'\\057'", ["rm -rf / ;"]),
        ShellCase("echo $'a\\nb' > out", ["echo > out ;"]),
        ShellCase("rm \\\n  -rf \\\n  /", ["rm -rf / ;"]),
        ShellCase("rm -rf / # wipe everything", ["rm -rf / ;"]),
        ShellCase("# rm -rf /\necho hi", ["echo ;"]),
        ShellCase("echo hi # rm -rf /", ["echo ;"]),
        ShellCase("rm -rf \"/tmp", ["rm -rf /tmp ;"]),
        ShellCase("echo \"rm -rf /", ["echo ;"]),
        ShellCase("git push 'origin", ["git push origin ;"]),
        ShellCase("{rm,-rf,/}", ["rm -rf / ;"]),
        ShellCase("rm${IFS}-rf${IFS}/", ["rm -rf / ;"]),
        ShellCase("rm$IFS-rf$IFS/", ["rm -rf / ;"]),
        ShellCase("FOO=\"a b\" rm -rf /", ["rm -rf / ;", "a b ;"]),
        ShellCase("CMD=\"rm -rf /\"; $CMD", ["rm -rf / ;", "$cmd ;"]),
        ShellCase("arr=(a b \"rm -rf /\")", ["a b rm -rf / ;", "rm -rf / ;"]),
    ]

    static let chains: [ShellCase] = [
        ShellCase("cd /repo && git push -f", ["cd /repo ;", "git push --force ;"]),
        ShellCase("make || rm -rf build", ["make ;", "rm -rf build ;"]),
        ShellCase("a; b & c\nd | e", ["a ;", "b ;", "c ;", "d ;", "e ;"]),
        ShellCase("echo x |\n  sh", ["echo ;", "sh ;", "x ;"]),
    ]

    static let text: [ShellCase] = [
        ShellCase("Please run git push --force now", ["please run git push --force now ;", "git push --force now ;"]),
        ShellCase("Then run rm -fr build/ to clean", ["run rm -fr build/ to clean ;", "rm -rf build/ to clean ;"]),
        ShellCase(
            "Find the bug and git push -f origin main",
            ["find the bug and git push -f origin main ;", "git push --force origin main ;"]),
        ShellCase("Use `git reset --hard` to undo.", ["use `git reset --hard` to undo. ;", "git reset --hard ;"]),
        ShellCase("DROP TABLE users;", ["drop TABLE users ;"]),
        ShellCase("DELETE FROM \"users\";", ["delete FROM users ;"]),
        ShellCase("DELETE FROM users WHERE id = 1;", ["delete FROM users WHERE id = 1 ;"]),
        ShellCase("TRUNCATE TABLE audit, logs CASCADE;", ["truncate TABLE audit, logs CASCADE ;"]),
        ShellCase("WITH old AS (SELECT 1) DELETE FROM users;", ["with old AS ;", "delete FROM users ;"]),
        ShellCase(
            "{\"cmd\": \"git push -f origin main\"}",
            ["{cmd: git push -f origin main} ;", "git push --force origin main} ;"]),
        ShellCase(
            "{\"command\":\"rm -rf /tmp/x\",\"description\":\"clean\"}",
            ["{command:rm -rf /tmp/x,description:clean} ;", "rm -rf /tmp/x,description:clean} ;"]),
        ShellCase(
            "[\"kubectl\", \"delete\", \"ns\", \"prod\"]",
            ["[kubectl, delete, ns, prod] ;", "kubectl delete, ns, prod] ;", "delete ns, prod] ;"]),
        ShellCase("os.environ['HOME']", ["os.environ[home] ;"]),
        ShellCase("Ran the tests; all green.", ["ran the tests ;", "all green. ;"]),
    ]
}
