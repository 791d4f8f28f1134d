/// Several ``LinearRegex`` values matched together: one pass over the text's UTF-8 bytes reports every regex
/// that matches somewhere in it.
///
/// All regexes are combined into one unanchored automaton (a DFA built eagerly when it stays under the state
/// cap, otherwise a simulated NFA), so the cost grows with the text, not with the number of regexes. Values are
/// immutable and safe to share across tasks.
public struct LinearRegexSet: Sendable {
    /// The regexes, in the order their indexes refer to.
    public let regexes: [LinearRegex]
    /// The combined matcher.
    let matcher: SetMatcher

    /// Combines `regexes`.
    public init(_ regexes: [LinearRegex]) {
        self.init(regexes, dfaStateLimit: RegexLimits.dfaStateLimit)
    }

    /// Combines `regexes` with a custom DFA state cap (0 forces NFA simulation; for tests).
    init(_ regexes: [LinearRegex], dfaStateLimit: Int) {
        self.regexes = regexes
        matcher = SetMatcher(programs: regexes.map(\.program), dfaStateLimit: dfaStateLimit)
    }

    /// Indexes (into `regexes`) of every regex that matches somewhere in `text`, ascending, found in ONE pass over the text's UTF-8 bytes.
    public func matchingIndexes(in text: String) -> [Int] {
        var work = 0
        return matchingIndexes(in: text, work: &work)
    }

    /// ``matchingIndexes(in:)``, adding the automaton steps taken to `work`.
    func matchingIndexes(in text: String, work: inout Int) -> [Int] {
        SetMatcher.withUTF8Bytes(of: text) { matcher.matchingIndexes(in: $0, work: &work) }
    }

    /// Number of states of the combined DFA, or nil when matching simulates the NFA.
    /// Indexes (into ``regexes``) of every regex that matches somewhere in at least one of `lines`, ascending. Each
    /// line is searched on its own (`^` and `$` are its bounds; no match spans two lines), all with one match mask.
    public func matchingIndexes(inLines lines: [String]) -> [Int] {
        var work = 0
        return matcher.matchingIndexes(inLines: lines, work: &work)
    }

    var dfaStateCount: Int? { matcher.dfaStateCount }
}
