import Testing

@testable import GuardrailMatching

/// Hostile patterns on long texts. Each check asserts on the engine's deterministic step counter (never on wall
/// time): DFA scans take at most one step per byte, NFA simulation at most a constant times the NFA size per byte.
@Suite struct RegexLinearTimeTests {
    static let length = 20_000

    struct HostileCase: Sendable, CustomTestStringConvertible {
        let pattern: String
        let text: String
        let matches: Bool
        var testDescription: String { pattern }
    }

    static let cases: [HostileCase] = [
        HostileCase(pattern: "(a+)+b", text: String(repeating: "a", count: length), matches: false),
        HostileCase(pattern: "(a|aa)*c", text: String(repeating: "a", count: length), matches: false),
        HostileCase(pattern: "(a|a)*b", text: String(repeating: "a", count: length), matches: false),
        HostileCase(pattern: "((a*)*)*b", text: String(repeating: "a", count: length), matches: false),
        HostileCase(pattern: "(x+x+)+y", text: String(repeating: "x", count: length), matches: false),
        HostileCase(pattern: "(.*a){20}", text: String(repeating: "a", count: 19) + String(repeating: "b", count: length - 19), matches: false),
        HostileCase(pattern: "(.*a){20}", text: String(repeating: "ba", count: length / 2), matches: true),
        HostileCase(pattern: "^(a?){25}a{25}$", text: String(repeating: "a", count: 25), matches: true),
        HostileCase(pattern: #"(\w+\s?)*$"#, text: String(repeating: "word ", count: length / 5) + "!", matches: true),
        HostileCase(pattern: #"^(\w+\s?)*$"#, text: String(repeating: "word ", count: length / 5) + "!", matches: false),
        HostileCase(pattern: "(a+)+b", text: String(repeating: "a", count: length) + "b", matches: true),
        HostileCase(pattern: "[ab]*a[ab]{20}", text: String(repeating: "b", count: length), matches: false),
        HostileCase(pattern: "[ab]*a[ab]{20}", text: String(repeating: "ab", count: length / 2), matches: true),
    ]

    @Test(arguments: cases)
    func matchingIsLinear(_ hostile: HostileCase) throws {
        let regex = try LinearRegex(hostile.pattern)
        let bytes = hostile.text.utf8.count
        var work = 0
        #expect(regex.matches(hostile.text, work: &work) == hostile.matches)
        let size = regex.program.count + 3  // the unanchored program adds a prefix loop
        if regex.dfaStateCount != nil {
            #expect(work <= bytes, "DFA: \(work) steps for \(bytes) bytes")
        } else {
            #expect(work <= 2 * size * (bytes + 1), "NFA: \(work) steps for \(bytes) bytes, \(size) instructions")
        }

        let simulated = try LinearRegex(hostile.pattern, dfaStateLimit: 0)
        var simulatedWork = 0
        #expect(simulated.matches(hostile.text, work: &simulatedWork) == hostile.matches)
        #expect(simulatedWork <= 2 * size * (bytes + 1), "NFA: \(simulatedWork) steps, \(size) instructions")

        var firstMatchWork = 0
        let range = regex.firstMatchOffsets(in: hostile.text, work: &firstMatchWork)
        #expect((range != nil) == hostile.matches)
        #expect(firstMatchWork <= 4 * size * (bytes + 1), "firstMatch: \(firstMatchWork) steps")
    }

    @Test func exponentialDFAFallsBackToSimulation() throws {
        // Recognising "an `a` 21 bytes before the end" needs 2^21 DFA states: over the cap, so simulated.
        let blowUp = try LinearRegex("[ab]*a[ab]{20}")
        #expect(blowUp.dfaStateCount == nil)
        // 2^12 states fit.
        let fits = try LinearRegex("[ab]*a[ab]{11}")
        let states = try #require(fits.dfaStateCount)
        #expect(states >= 4_096 && states <= RegexLimits.dfaStateLimit)
        #expect(fits.matches("bbb" + "a" + String(repeating: "b", count: 11)))
        #expect(!fits.matches("a" + String(repeating: "b", count: 10)))
    }

    @Test func setWithHostileMembersStaysLinear() throws {
        let patterns = Self.cases.map(\.pattern) + [#"git\s+push\s+.*--force"#]
        let set = LinearRegexSet(try patterns.map { try LinearRegex($0) })
        #expect(set.matcher.groups.contains { $0.dfa == nil })
        let text = String(repeating: "ab", count: Self.length / 2)
        var work = 0
        let indexes = set.matchingIndexes(in: text, work: &work)
        let expected = set.regexes.indices.filter { set.regexes[$0].matches(text) }
        #expect(indexes == expected)
        let size = set.matcher.groups.reduce(0) { $0 + $1.program.count }
        #expect(work <= 2 * size * (text.utf8.count + 1))
    }

    @Test func firstMatchOnLongTextFindsLeftmostLongest() throws {
        let text = String(repeating: "a", count: Self.length) + "b" + String(repeating: "a", count: 100)
        let regex = try LinearRegex("(a+)+b")
        var work = 0
        #expect(regex.firstMatchOffsets(in: text, work: &work) == 0..<(Self.length + 1))
        let tail = try LinearRegex("a+$")
        #expect(tail.firstMatchOffsets(in: text, work: &work) == (Self.length + 1)..<(Self.length + 101))
    }
}
