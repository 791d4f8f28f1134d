import Foundation
import Testing

@testable import GuardrailMatching

/// SplitMix64: a small deterministic generator, so the corpus is the same on every run and machine.
struct RegexSeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    mutating func pick<T>(_ options: [T]) -> T {
        options[Int.random(in: 0..<options.count, using: &self)]
    }

    mutating func chance(_ percent: Int) -> Bool {
        Int.random(in: 0..<100, using: &self) < percent
    }
}

/// Random patterns from the syntax both engines read the same way, and random texts over a small alphabet.
struct RegexCorpus {
    var random: RegexSeededGenerator
    /// When false, patterns avoid `\s \S \d \D \w \W` (whose non-ASCII meaning differs between ICU and us).
    let classEscapes: Bool
    let literals: [String]
    let textAlphabet: [String]

    static let asciiLiterals = ["a", "b", "c", "A", "B", "0", "1", " ", "-", "_", "/", #"\."#, #"\-"#, #"\/"#, #"\t"#, "x"]
    static let asciiText = ["a", "b", "c", "A", "B", "C", "0", "1", " ", "-", "_", "/", ".", "\t", "x", "a", "b"]
    static let unicodeLiterals = ["a", "b", "é", "日", "🙂", "-", #"\."#, "x"]
    static let unicodeText = ["a", "b", "é", "日", "🙂", "-", ".", "x", "ü", "a"]

    mutating func pattern() -> String {
        var depth = 0
        return alternation(&depth).text
    }

    /// A generated fragment and whether it holds an unbounded quantifier (`*`, `+`, `{n,}`).
    typealias Fragment = (text: String, unbounded: Bool)

    private mutating func alternation(_ depth: inout Int) -> Fragment {
        let count = random.chance(70) ? 1 : Int.random(in: 2...3, using: &random)
        let branches = (0..<count).map { _ in concatenation(&depth) }
        return (branches.map(\.text).joined(separator: "|"), branches.contains { $0.unbounded })
    }

    private mutating func concatenation(_ depth: inout Int) -> Fragment {
        let count = random.chance(8) ? 0 : Int.random(in: 1...4, using: &random)
        var result = ""
        var unbounded = false
        for _ in 0..<count {
            if random.chance(5) {
                result += random.pick(["^", "$"])
                continue
            }
            let item = atom(&depth)
            // ICU backtracks: an unbounded quantifier around another one can take exponential time there, so
            // such groups only get `?` (our engine's own hostile-pattern tests live in RegexLinearTimeTests).
            let quantifier = quantifier(allowUnbounded: !item.unbounded)
            result += item.text + quantifier.text
            unbounded = unbounded || item.unbounded || quantifier.unbounded
        }
        return (result, unbounded)
    }

    private mutating func atom(_ depth: inout Int) -> Fragment {
        let roll = Int.random(in: 0..<100, using: &random)
        if roll < 45 { return (random.pick(literals), false) }
        if roll < 52 { return (".", false) }
        if roll < 62 && classEscapes { return (random.pick([#"\s"#, #"\S"#, #"\d"#, #"\D"#, #"\w"#, #"\W"#]), false) }
        if roll < 80 { return (bracket(), false) }
        if depth < 3 {
            depth += 1
            defer { depth -= 1 }
            let inner = alternation(&depth)
            return ((random.chance(50) ? "(" : "(?:") + inner.text + ")", inner.unbounded)
        }
        return (random.pick(literals), false)
    }

    private mutating func bracket() -> String {
        var items: [String] = []
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let roll = Int.random(in: 0..<10, using: &random)
            if roll < 5 {
                items.append(random.pick(literals.filter { $0 != "-" && $0 != "/" }))
            } else if roll < 8 {
                items.append(random.pick(classEscapes ? ["a-c", "A-B", "0-9", "b-x", "!-/"] : ["a-c", "à-ë", "a-z"]))
            } else {
                items.append(classEscapes ? random.pick([#"\s"#, #"\d"#, #"\w"#]) : random.pick(["é", "日"]))
            }
        }
        let negated = random.chance(35) ? "^" : ""
        let trailingDash = random.chance(10) ? "-" : ""
        return "[" + negated + items.joined() + trailingDash + "]"
    }

    private mutating func quantifier(allowUnbounded: Bool) -> Fragment {
        let roll = Int.random(in: 0..<100, using: &random)
        let base: Fragment
        switch roll {
        case 0..<55: return ("", false)
        case 55..<67: base = allowUnbounded ? ("*", true) : ("?", false)
        case 67..<77: base = allowUnbounded ? ("+", true) : ("?", false)
        case 77..<85: base = ("?", false)
        case 85..<90: base = ("{\(Int.random(in: 0...3, using: &random))}", false)
        case 90..<94: base = allowUnbounded ? ("{\(Int.random(in: 0...2, using: &random)),}", true) : ("", false)
        default:
            let low = Int.random(in: 0...2, using: &random)
            base = ("{\(low),\(low + Int.random(in: 0...2, using: &random))}", false)
        }
        return (base.text + (random.chance(10) ? "?" : ""), base.unbounded)
    }

    mutating func text() -> String {
        (0..<Int.random(in: 0...10, using: &random)).map { _ in random.pick(textAlphabet) }.joined()
    }
}

/// ICU (NSRegularExpression) as the reference for match/no-match, and a brute-force leftmost-longest oracle.
struct RegexICUReference {
    let regex: NSRegularExpression
    /// `(?:pattern)(?!.)`: with opaque bounds, a match anchored at a range's start that ends exactly at its end.
    let exact: NSRegularExpression

    init(_ pattern: String) throws {
        // NSRegularExpression refuses the empty pattern; `(?:)` means the same.
        let pattern = pattern.isEmpty ? "(?:)" : pattern
        regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive, .dotMatchesLineSeparators])
        exact = try NSRegularExpression(
            pattern: "(?:" + pattern + ")(?!.)", options: [.caseInsensitive, .dotMatchesLineSeparators])
    }

    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Tries every start (ascending) and every end (descending) at scalar boundaries; `^` and `$` still refer to
    /// the whole text. Returns UTF-8 offsets.
    func leftmostLongest(_ text: String) -> Range<Int>? {
        var boundaries: [(utf16: Int, utf8: Int)] = [(0, 0)]
        for scalar in text.unicodeScalars {
            let last = boundaries[boundaries.count - 1]
            boundaries.append((last.utf16 + scalar.utf16.count, last.utf8 + scalar.utf8.count))
        }
        for start in boundaries {
            for end in boundaries.reversed() where end.utf16 >= start.utf16 {
                let range = NSRange(location: start.utf16, length: end.utf16 - start.utf16)
                if exact.firstMatch(in: text, options: [.anchored, .withoutAnchoringBounds], range: range) != nil {
                    return start.utf8..<end.utf8
                }
            }
        }
        return nil
    }
}

@Suite struct RegexDifferentialTests {
    /// Our answers for one pattern on many texts, checked against ICU and against our own other paths.
    static func check(
        pattern: String, texts: [String], oracleBudget: inout Int, pairs: inout Int, matched: inout Int
    ) throws {
        let ours = try LinearRegex(pattern)
        let simulated = try LinearRegex(pattern, dfaStateLimit: 0)
        let icu: RegexICUReference
        do {
            icu = try RegexICUReference(pattern)
        } catch {
            Issue.record("ICU refuses \(pattern.debugDescription): \(error)")
            return
        }
        for text in texts {
            let expected = icu.matches(text)
            let actual = ours.matches(text)
            pairs += 1
            if expected { matched += 1 }
            #expect(actual == expected, "pattern \(pattern.debugDescription) on \(text.debugDescription)")
            #expect(simulated.matches(text) == expected, "NFA simulation: \(pattern.debugDescription) on \(text.debugDescription)")
            var work = 0
            let range = ours.firstMatchOffsets(in: text, work: &work)
            #expect((range != nil) == expected, "firstMatch: \(pattern.debugDescription) on \(text.debugDescription)")
            if expected && oracleBudget > 0 {
                oracleBudget -= 1
                let oracle = icu.leftmostLongest(text)
                #expect(range == oracle, "leftmost-longest: \(pattern.debugDescription) on \(text.debugDescription)")
            }
        }
    }

    @Test func asciiCorpusAgreesWithICU() throws {
        var corpus = RegexCorpus(
            random: RegexSeededGenerator(seed: 0x5EED_0001), classEscapes: true, literals: RegexCorpus.asciiLiterals,
            textAlphabet: RegexCorpus.asciiText)
        var pairs = 0
        var matched = 0
        var oracleBudget = 2_000
        var patterns: [String] = []
        for _ in 0..<400 {
            let pattern = corpus.pattern()
            let texts = (0..<12).map { _ in corpus.text() }
            try Self.check(pattern: pattern, texts: texts, oracleBudget: &oracleBudget, pairs: &pairs, matched: &matched)
            patterns.append(pattern)
        }
        #expect(pairs == 4_800)
        // Both outcomes are well represented, and the oracle ran on thousands of matching pairs.
        #expect(matched > 1_000 && matched < 3_800, "\(matched) of \(pairs) matched")
        #expect(oracleBudget == 0)
    }

    @Test func unicodeCorpusAgreesWithICU() throws {
        var corpus = RegexCorpus(
            random: RegexSeededGenerator(seed: 0x5EED_0002), classEscapes: false, literals: RegexCorpus.unicodeLiterals,
            textAlphabet: RegexCorpus.unicodeText)
        var pairs = 0
        var matched = 0
        var oracleBudget = 800
        for _ in 0..<150 {
            let pattern = corpus.pattern()
            let texts = (0..<10).map { _ in corpus.text() }
            try Self.check(pattern: pattern, texts: texts, oracleBudget: &oracleBudget, pairs: &pairs, matched: &matched)
        }
        #expect(pairs == 1_500)
        #expect(matched > 300 && matched < 1_200, "\(matched) of \(pairs) matched")
    }

    @Test func setsAgreeWithTheirMembers() throws {
        var corpus = RegexCorpus(
            random: RegexSeededGenerator(seed: 0x5EED_0003), classEscapes: true, literals: RegexCorpus.asciiLiterals,
            textAlphabet: RegexCorpus.asciiText)
        for round in 0..<12 {
            let regexes = try (0..<10).map { _ in try LinearRegex(corpus.pattern()) }
            // A small cap in some rounds forces several DFA groups and NFA simulation.
            let set = LinearRegexSet(regexes, dfaStateLimit: round % 3 == 0 ? 40 : 3_000)
            print("set round \(round): groups \(set.matcher.groups.map { $0.dfa?.stateCount ?? -1 })")
            for _ in 0..<40 {
                let text = corpus.text() + corpus.text()
                let expected = regexes.indices.filter { regexes[$0].matches(text) }
                #expect(set.matchingIndexes(in: text) == expected, "round \(round) on \(text.debugDescription)")
            }
        }
    }
}
