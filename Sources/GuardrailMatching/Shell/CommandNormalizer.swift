// The public entry point of the shell-command normaliser.

/// Turns shell commands, scripts and command-bearing text into canonical lines that guardrail patterns can match
/// one line at a time, undoing the usual evasions (flag order and bundling, prefixes such as `sudo`/`env`/`xargs`,
/// quoting and escapes, `bash -c`/`eval`/`ssh` re-entry, substitutions, chains and pipelines).
///
/// Each simple command (nested ones included) becomes one line: words joined by single spaces with quoting removed,
/// the command word reduced to its lowercased basename, tool-specific canonical flags (`rm -rf`, `git push --force`,
/// …), redirections appended (`> FILE`, `>> FILE`, `< FILE`) and `" ;"` at the end. Arguments of inert commands
/// (`echo`, `printf`, `git commit`, …) are left out, and so is the pattern of a search command (`grep PATTERN
/// FILE…` keeps its files); their substitutions still run. Markdown code fence lines (```` ```lang ````) are blank
/// lines. Normalisation never fails and takes time linear in the length of the text times the (capped) nesting
/// depth.
public enum CommandNormalizer {
    /// Canonical lines for `text` (a shell command line or script, or prose/SQL/JSON-ish text that may contain
    /// commands).
    ///
    /// Lines are unique and in order of first appearance; there are at most 10,000 of them. Text nested deeper than
    /// 8 levels is emitted as one lowercased line so that it can still be matched.
    public static func canonicalLines(_ text: String) -> [String] {
        normalize(text).lines
    }

    /// The canonical lines together with the work spent (bytes scanned and emitted), for checking that the work
    /// grows linearly with the input.
    static func normalize(_ text: String) -> (lines: [String], work: Int) {
        var text = text
        return text.withUTF8 { bytes in
            var session = NormalizerSession(workspace: NormalizerWorkspace.take(), length: bytes.count)
            session.normalizeScript(bytes, depth: 0)
            let result = (session.lines, session.work)
            NormalizerWorkspace.recycle(session.releaseWorkspace())
            return result
        }
    }
}
