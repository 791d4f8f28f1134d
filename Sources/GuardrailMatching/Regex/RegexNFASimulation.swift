/// A sparse set of NFA instructions in insertion order, each tagged with the text offset where its thread
/// started. Clearing is O(1).
private struct ThreadList {
    var states: [Int32]
    var starts: [Int]
    var slots: [Int32]
    var count = 0

    init(capacity: Int) {
        states = [Int32](repeating: 0, count: capacity)
        starts = [Int](repeating: 0, count: capacity)
        slots = [Int32](repeating: 0, count: capacity)
    }

    @inline(__always)
    func contains(_ state: Int32) -> Bool {
        let slot = Int(slots[Int(state)])
        return slot < count && states[slot] == state
    }

    @inline(__always)
    mutating func insert(_ state: Int32, start: Int) {
        slots[Int(state)] = Int32(count)
        states[count] = state
        starts[count] = start
        count += 1
    }
}

/// Direct simulation of an ``NFA`` (Pike-VM style): O(text length × NFA size) time whatever the pattern, used
/// when a DFA would be too large, and for leftmost-longest match positions.
enum NFASimulation {
    /// Adds the epsilon closure of `seed` to `list` with thread start `start`; states already present keep their
    /// (earlier) start. Calls `onMatch` for every `.match` reached. Returns the number of instructions visited.
    @inline(__always)
    private static func addClosure(
        _ seed: Int32, start: Int, to list: inout ThreadList, stack: inout [Int32], nfa: NFA,
        atStart: Bool, atEnd: Bool, onMatch: (Int32) -> Void
    ) -> Int {
        var visited = 0
        stack.append(seed)
        while let state = stack.popLast() {
            if list.contains(state) { continue }
            list.insert(state, start: start)
            visited += 1
            switch nfa.instructions[Int(state)] {
            case .bytes:
                break
            case .match(let regex):
                onMatch(regex)
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .assertStart(let next):
                if atStart { stack.append(next) }
            case .assertEnd(let next):
                if atEnd { stack.append(next) }
            }
        }
        return visited
    }

    /// Runs an unanchored multi-regex NFA (see ``NFA/unanchoredUnion(of:)``) over `bytes`, OR-ing matched regexes
    /// into `matched` and decrementing `remaining` per newly matched regex; stops when `remaining` reaches 0.
    static func scan(
        _ nfa: NFA, bytes: UnsafeBufferPointer<UInt8>, matched: UnsafeMutableBufferPointer<UInt64>,
        remaining: inout Int, work: inout Int
    ) {
        var current = ThreadList(capacity: nfa.count)
        var next = ThreadList(capacity: nfa.count)
        var stack: [Int32] = []
        var newlyMatched = 0
        let onMatch: (Int32) -> Void = { regex in
            let word = Int(regex) / 64
            let bit = UInt64(1) << UInt64(regex % 64)
            if matched[word] & bit == 0 {
                matched[word] |= bit
                newlyMatched += 1
            }
        }
        let count = bytes.count
        work += addClosure(
            nfa.start, start: 0, to: &current, stack: &stack, nfa: nfa, atStart: true, atEnd: count == 0,
            onMatch: onMatch)
        remaining -= newlyMatched
        newlyMatched = 0
        var position = 0
        while position < count && remaining > 0 && current.count > 0 {
            let byte = bytes[position]
            position += 1
            next.count = 0
            for index in 0..<current.count {
                work += 1
                if case .bytes(let set, let target) = nfa.instructions[Int(current.states[index])],
                    nfa.byteSets[Int(set)].contains(byte)
                {
                    work += addClosure(
                        target, start: 0, to: &next, stack: &stack, nfa: nfa, atStart: false,
                        atEnd: position == count, onMatch: onMatch)
                }
            }
            swap(&current, &next)
            remaining -= newlyMatched
            newlyMatched = 0
        }
    }

    /// The POSIX leftmost-longest match of an anchored single-regex NFA (as compiled by ``NFACompiler``) in
    /// `bytes`, as a range of byte offsets.
    ///
    /// Threads are kept in order of their start offset, so when two threads reach the same instruction the one
    /// that started earlier wins; both have the same future, so this loses no leftmost-longest candidate.
    static func leftmostLongest(_ nfa: NFA, bytes: UnsafeBufferPointer<UInt8>, work: inout Int) -> Range<Int>? {
        var current = ThreadList(capacity: nfa.count)
        var next = ThreadList(capacity: nfa.count)
        var stack: [Int32] = []
        var best: Range<Int>? = nil
        func consider(_ start: Int, _ end: Int) {
            if let found = best, start > found.lowerBound || (start == found.lowerBound && end <= found.upperBound) {
                return
            }
            best = start..<end
        }
        let count = bytes.count
        var position = 0
        while true {
            // Seed a thread starting here, unless a match already starts at or before this offset.
            if best == nil {
                let here = position
                work += addClosure(
                    nfa.start, start: here, to: &current, stack: &stack, nfa: nfa, atStart: here == 0,
                    atEnd: here == count, onMatch: { _ in consider(here, here) })
            }
            if position == count || (best != nil && current.count == 0) { break }
            let byte = bytes[position]
            position += 1
            let end = position
            next.count = 0
            for index in 0..<current.count {
                work += 1
                let start = current.starts[index]
                if let found = best, start > found.lowerBound { continue }
                if case .bytes(let set, let target) = nfa.instructions[Int(current.states[index])],
                    nfa.byteSets[Int(set)].contains(byte)
                {
                    work += addClosure(
                        target, start: start, to: &next, stack: &stack, nfa: nfa, atStart: false,
                        atEnd: end == count, onMatch: { _ in consider(start, end) })
                }
            }
            swap(&current, &next)
        }
        return best
    }
}
