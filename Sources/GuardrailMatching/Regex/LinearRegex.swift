/// A case-insensitive regular expression matched in time linear in the text, whatever the pattern.
///
/// Patterns use the common subset of PostgreSQL ARE and ICU syntax (literals, escapes, `.`, `\s \S \d \D \w \W`,
/// bracket expressions, groups, alternation, greedy or lazy `* + ? {n} {n,} {n,m}`, `^`, `$`); everything else
/// (back-references, lookaround, word boundaries, inline options, …) is refused at compile time. ASCII letters
/// match either case; `^` and `$` are the start and end of the whole text; `.` matches any Unicode scalar.
///
/// The pattern is compiled to a Thompson NFA over UTF-8 bytes and then, eagerly, to a DFA; when the DFA would be
/// too large the NFA is simulated instead, which is still linear. Values are immutable and safe to share across
/// tasks.
public struct LinearRegex: Sendable {
    /// The pattern, exactly as given.
    public let pattern: String
    /// The anchored program (ends in `.match(regex: 0)`), used for leftmost-longest positions and by sets.
    let program: NFA
    /// The unanchored matcher for ``matches(_:)``.
    let matcher: SetMatcher

    /// Compiles `pattern`; throws LinearRegexError for syntax errors or unsupported features.
    public init(_ pattern: String) throws(LinearRegexError) {
        try self.init(pattern, dfaStateLimit: RegexLimits.dfaStateLimit)
    }

    /// Compiles `pattern` with a custom DFA state cap (0 forces NFA simulation; for tests).
    init(_ pattern: String, dfaStateLimit: Int) throws(LinearRegexError) {
        self.pattern = pattern
        let syntax = try RegexParser.parse(pattern)
        program = try NFACompiler.compile(syntax, pattern: pattern)
        matcher = SetMatcher(programs: [program], dfaStateLimit: dfaStateLimit)
    }

    /// True when the pattern matches somewhere in `text`.
    public func matches(_ text: String) -> Bool {
        var work = 0
        return matches(text, work: &work)
    }

    /// ``matches(_:)``, adding the automaton steps taken to `work`.
    func matches(_ text: String, work: inout Int) -> Bool {
        SetMatcher.withUTF8Bytes(of: text) { !matcher.matchingIndexes(in: $0, work: &work).isEmpty }
    }

    /// The leftmost match, and of the matches starting there the longest (POSIX leftmost-longest, as PostgreSQL reports); nil when none.
    public func firstMatch(in text: String) -> Range<String.Index>? {
        var work = 0
        guard let offsets = firstMatchOffsets(in: text, work: &work) else { return nil }
        let utf8 = text.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: offsets.lowerBound)
        let upper = utf8.index(lower, offsetBy: offsets.count)
        return lower..<upper
    }

    /// ``firstMatch(in:)`` as UTF-8 byte offsets, adding the automaton steps taken to `work`.
    func firstMatchOffsets(in text: String, work: inout Int) -> Range<Int>? {
        SetMatcher.withUTF8Bytes(of: text) { bytes in
            // The DFA answers "no match" quickly; the NFA simulation then finds the exact positions.
            guard !matcher.matchingIndexes(in: bytes, work: &work).isEmpty else { return nil }
            return NFASimulation.leftmostLongest(program, bytes: bytes, work: &work)
        }
    }

    /// Number of DFA states, or nil when matching simulates the NFA.
    var dfaStateCount: Int? { matcher.dfaStateCount }
}
