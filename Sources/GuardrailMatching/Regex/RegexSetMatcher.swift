/// Finds which of several compiled regexes match somewhere in a text.
///
/// Normally all regexes share one eagerly built ``DFA`` and a text is scanned once. When that DFA would exceed the
/// state cap, the regexes are split in halves (recursively) into groups whose DFAs fit, each scanned in turn; a
/// regex whose DFA alone exceeds the cap is matched by simulating its NFA (all such regexes share one
/// simulation). Every path is linear in the text.
struct SetMatcher: Sendable {
    /// Regexes matched by one automaton.
    struct Group: Sendable {
        /// Indexes (into the matcher's regexes) of the group's regexes; the group's regex `i` is `members[i]`.
        let members: [Int]
        /// The unanchored union of the members.
        let program: NFA
        /// The DFA, or nil when the group is matched by NFA simulation.
        let dfa: DFA?
    }

    /// Number of regexes combined.
    let regexCount: Int
    /// The automata, together covering every regex exactly once.
    let groups: [Group]

    /// Combines `programs` (anchored, each ending in `.match(regex: 0)`).
    init(programs: [NFA], dfaStateLimit: Int = RegexLimits.dfaStateLimit) {
        regexCount = programs.count
        var groups: [Group] = []
        var simulated: [Int] = []
        func partition(_ members: ArraySlice<Int>) {
            guard !members.isEmpty else { return }
            let program = NFA.unanchoredUnion(of: members.map { programs[$0] })
            if let dfa = DFA.build(
                nfa: program, regexCount: members.count, stateLimit: dfaStateLimit,
                workLimit: RegexLimits.dfaBuildWorkLimit)
            {
                groups.append(Group(members: Array(members), program: program, dfa: dfa))
            } else if members.count == 1 {
                simulated.append(members[members.startIndex])
            } else {
                let middle = members.startIndex + members.count / 2
                partition(members[..<middle])
                partition(members[middle...])
            }
        }
        partition(Array(programs.indices)[...])
        if !simulated.isEmpty {
            groups.append(
                Group(
                    members: simulated, program: NFA.unanchoredUnion(of: simulated.map { programs[$0] }),
                    dfa: nil))
        }
        self.groups = groups
    }

    /// Total DFA states, or nil when some regex is matched by NFA simulation.
    var dfaStateCount: Int? {
        var total = 0
        for group in groups {
            guard let dfa = group.dfa else { return nil }
            total += dfa.stateCount
        }
        return total
    }

    /// Indexes of the regexes matching somewhere in `bytes`, ascending. Adds the steps taken to `work`: bytes
    /// stepped by DFAs, instructions visited by NFA simulation.
    func matchingIndexes(in bytes: UnsafeBufferPointer<UInt8>, work: inout Int) -> [Int] {
        if groups.count == 1 && regexCount <= 64 {
            // The common case: one automaton, one mask word, no allocation besides the result.
            var word: UInt64 = 0
            withUnsafeMutablePointer(to: &word) { pointer in
                Self.run(groups[0], bytes, matched: UnsafeMutableBufferPointer(start: pointer, count: 1), work: &work)
            }
            var result: [Int] = []
            result.reserveCapacity(word.nonzeroBitCount)
            while word != 0 {
                result.append(groups[0].members[word.trailingZeroBitCount])
                word &= word - 1
            }
            return result
        }
        return collect { group, matched in Self.run(group, bytes, matched: matched, work: &work) }
    }

    /// Indexes of the regexes that match in at least one of `lines` (each line searched on its own: `^`/`$` are its
    /// bounds and no match spans two lines), in one pass per line with one shared match mask, so a line adds no
    /// allocation and scanning stops once every regex has matched.
    func matchingIndexes(inLines lines: [String], work: inout Int) -> [Int] {
        collect { group, matched in
            var found = 0
            for line in lines where found < group.members.count {
                var remaining = group.members.count - found
                Self.withUTF8Bytes(of: line) { bytes in
                    if let dfa = group.dfa {
                        dfa.scan(bytes, matched: matched, remaining: &remaining, work: &work)
                    } else {
                        NFASimulation.scan(group.program, bytes: bytes, matched: matched, remaining: &remaining, work: &work)
                    }
                }
                found = group.members.count - remaining
            }
        }
    }

    /// Runs `scan` for every group with a zeroed match mask of its own, and returns the members whose bits it set,
    /// ascending.
    private func collect(_ scan: (Group, UnsafeMutableBufferPointer<UInt64>) -> Void) -> [Int] {
        var result: [Int] = []
        for group in groups {
            var words = [UInt64](repeating: 0, count: (group.members.count + 63) / 64)
            words.withUnsafeMutableBufferPointer { scan(group, $0) }
            for (index, value) in words.enumerated() {
                var word = value
                while word != 0 {
                    result.append(group.members[index * 64 + word.trailingZeroBitCount])
                    word &= word - 1
                }
            }
        }
        if groups.count > 1 { result.sort() }
        return result
    }

    private static func run(
        _ group: Group, _ bytes: UnsafeBufferPointer<UInt8>, matched: UnsafeMutableBufferPointer<UInt64>,
        work: inout Int
    ) {
        var remaining = group.members.count
        if let dfa = group.dfa {
            dfa.scan(bytes, matched: matched, remaining: &remaining, work: &work)
        } else {
            NFASimulation.scan(group.program, bytes: bytes, matched: matched, remaining: &remaining, work: &work)
        }
    }
}

extension SetMatcher {
    /// Calls `body` with the UTF-8 bytes of `text`, without copying when the string is stored contiguously.
    @inline(__always)
    static func withUTF8Bytes<Result>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) {
            return result
        }
        var copy = text
        return copy.withUTF8(body)
    }
}
