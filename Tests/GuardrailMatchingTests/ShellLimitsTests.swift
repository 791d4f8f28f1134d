// Limits of the shell normaliser: the nesting cap fails closed, huge and hostile inputs never crash, the number of
// lines is capped, and the work (bytes scanned and emitted, counted by the normaliser) grows linearly.

import Testing

@testable import GuardrailMatching

@Suite("Shell normaliser: limits")
struct ShellLimitsTests {
    /// `depth` nested command substitutions around `inner`.
    private static func nested(_ inner: String, depth: Int) -> String {
        var text = inner
        for _ in 0..<depth { text = "echo $(" + text + ")" }
        return text
    }

    @Test("nesting up to the cap is parsed")
    func nestingWithinTheCap() {
        let lines = CommandNormalizer.canonicalLines(Self.nested("rm -fr /", depth: NormalizerSession.maxDepth))
        #expect(lines == ["echo ;", "rm -rf / ;"])
    }

    @Test("nesting beyond the cap fails closed: the rest is one lowercased line")
    func nestingBeyondTheCap() {
        let lines = CommandNormalizer.canonicalLines(Self.nested("RM -rf /", depth: 20))
        #expect(lines.count == 2)
        #expect(lines.first == "echo ;")
        let rest = Self.nested("rm -rf /", depth: 20 - NormalizerSession.maxDepth - 1) + " ;"
        #expect(lines.last == rest)
        #expect(lines.contains(where: ShellGuardrailPattern.rmRf.matches))
    }

    /// `git push -f` wrapped `levels` times, alternately in `eval '…'`, `bash -c '…'` and `ssh host '…'`.
    private static func wrapped(levels: Int) -> String {
        var text = "git push -f"
        for level in 0..<levels {
            switch level % 3 {
            case 0: text = "eval \(shellQuoted(text))"
            case 1: text = "bash -c \(shellQuoted(text))"
            default: text = "ssh host \(shellQuoted(text))"
            }
        }
        return text
    }

    @Test("nested shells, eval and ssh are followed down to the command")
    func mixedNesting() {
        let lines = CommandNormalizer.canonicalLines(Self.wrapped(levels: 6))
        #expect(lines == ["ssh host ;", "bash -c ;", "eval ;", "git push --force ;"])
    }

    @Test("nested shells, eval and ssh count towards the cap")
    func mixedNestingBeyondTheCap() {
        let lines = CommandNormalizer.canonicalLines(Self.wrapped(levels: 10))
        // Levels 0 to 8 are parsed; the ninth is emitted as written (quotes dropped, lowercased).
        #expect(lines == ["eval ;", "ssh host ;", "bash -c ;", "eval git push -f ;"])
    }

    @Test("a 50,000-character nest of substitutions fails closed without crashing")
    func deepNestOfSubstitutions() {
        let text = String(repeating: "$(", count: 25_000) + "rm -rf /" + String(repeating: ")", count: 25_000)
        #expect(text.utf8.count > 50_000)
        let (lines, work) = CommandNormalizer.normalize(text)
        #expect(lines.contains(where: ShellGuardrailPattern.rmRf.matches))
        #expect(work <= Self.workBound(text))
    }

    /// The work allowed for `text`: a few passes over it per nesting level.
    private static func workBound(_ text: String) -> Int {
        text.utf8.count * 4 * (NormalizerSession.maxDepth + 2) + 1_024
    }

    @Test("50,000-character hostile inputs never crash", arguments: ShellLimitsTests.hostileInputs)
    func hostileInput(_ input: HostileInput) {
        let text = input.text
        let (lines, work) = CommandNormalizer.normalize(text)
        #expect(lines.count <= NormalizerSession.maxLines)
        #expect(work <= Self.workBound(text))
        for line in lines { #expect(line.hasSuffix(" ;") && !line.contains("\n")) }
    }

    /// A large input, described by its start and length only.
    struct HostileInput: CustomTestStringConvertible, Sendable {
        let text: String
        var testDescription: String { "\(String(text.prefix(24)).debugDescription)… (\(text.utf8.count) bytes)" }
    }

    static let hostileInputs: [HostileInput] = hostileTexts.map(HostileInput.init)

    static let hostileTexts: [String] = [
        String(repeating: "'\"", count: 25_000),
        String(repeating: "`", count: 50_000),
        String(repeating: "\\", count: 50_001),
        String(repeating: "(", count: 50_000),
        String(repeating: ")", count: 50_000),
        String(repeating: "<<EOF ", count: 8_500),
        String(repeating: "$'\\x", count: 12_500),
        String(repeating: "a=(", count: 17_000),
        String(repeating: "{a,b}", count: 10_000),
        String(repeating: "rm ", count: 17_000),
        String(repeating: "please rm -rf / ", count: 3_200),
        String(repeating: "x", count: 50_000),
        String(repeating: "bash -c \"", count: 5_600),
        String(repeating: "echo a | ", count: 5_600) + "sh",
        String(repeating: "find . -exec ", count: 3_900),
        "find . " + String(repeating: "-exec rm -rf {} \\; ", count: 2_600),
        String(repeating: "sudo ", count: 10_000) + "rm -rf /",
        String(repeating: "é🙂 ", count: 7_200),
        String(repeating: "please rm rm rm rm ", count: 2_700),
        String(repeating: "\"$(echo ", count: 6_250),
        String(repeating: "```", count: 16_700),
        String(repeating: "  ```sh\n", count: 6_300),
        String(repeating: "grep -e ", count: 6_300),
        String(repeating: "git -c alias.a='!a' ", count: 2_500),
        randomShellText(length: 50_000, seed: 1),
        randomShellText(length: 50_000, seed: 2),
    ]

    @Test("the number of lines is capped at 10,000")
    func lineCap() {
        let text = (0..<12_000).map { "rm -rf /tmp/x\($0)" }.joined(separator: "\n")
        let lines = CommandNormalizer.canonicalLines(text)
        #expect(lines.count == NormalizerSession.maxLines)
        #expect(lines.first == "rm -rf /tmp/x0 ;")
    }

    @Test("work grows linearly with the input", arguments: ShellLimitsTests.linearBases)
    func workIsLinear(_ base: String) {
        let single = CommandNormalizer.normalize(base).work
        #expect(single > 0)
        for copies in [2, 8, 64] {
            let work = CommandNormalizer.normalize(String(repeating: base, count: copies)).work
            #expect(work <= single * copies * 11 / 10, "\(copies) copies")
            #expect(work >= single * copies * 9 / 10, "\(copies) copies")
        }
    }

    static let linearBases: [String] = [
        "cd /repo && sudo -u deploy git -C /srv push --force-with-lease origin +main; rm -rf $(pwd)/build\n",
        "bash -c 'eval \"rm -rf /tmp/$(date +%s)\"' | tee log; psql <<SQL\nDROP TABLE x;\nSQL\n",
        "Please run git push --force and then DROP TABLE users; thanks. ",
        "{\"cmd\": \"kubectl --context prod delete pod x\", \"note\": \"rm rm rm rm rm\"}\n",
        "echo \"$(echo \"$(echo \"$(rm -rf /)\")\")\"\n",
    ]

    @Test("work stays within length × nesting for nested text")
    func workIsBoundedByDepth() {
        for depth in [1, 4, 8, 16, 64] {
            let text = Self.nested("rm -rf /", depth: depth)
            let work = CommandNormalizer.normalize(text).work
            #expect(work <= Self.workBound(text), "depth \(depth)")
        }
    }
}

/// Single-quotes `text` for a shell.
private func shellQuoted(_ text: String) -> String {
    "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
}

/// Deterministic pseudo-random text over an alphabet rich in shell syntax.
private func randomShellText(length: Int, seed: UInt64) -> String {
    let alphabet = Array("ab rm-f/;&|()<>$`'\"\\{}\n\t#=*,.:[]!~%^+xyz0123456789 EOFgitpush")
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    var text = ""
    text.reserveCapacity(length)
    for _ in 0..<length {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        text.append(alphabet[Int(state % UInt64(alphabet.count))])
    }
    return text
}
