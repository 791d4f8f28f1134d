/// Scratch space for epsilon closures over an ``NFA``: visit marks by generation and an explicit stack (no
/// recursion, whatever the NFA's shape).
struct ClosureScratch {
    private var marks: [UInt32]
    private var generation: UInt32 = 0
    private var stack: [Int32] = []

    init(instructionCount: Int) {
        marks = [UInt32](repeating: 0, count: instructionCount)
    }

    /// Starts a new round of ``mark(_:)``.
    mutating func beginMarking() {
        generation &+= 1
        if generation == 0 {
            for index in marks.indices { marks[index] = 0 }
            generation = 1
        }
    }

    /// Marks `state`; true when it was not yet marked in this round.
    @inline(__always)
    mutating func mark(_ state: Int32) -> Bool {
        if marks[Int(state)] == generation { return false }
        marks[Int(state)] = generation
        return true
    }

    /// Appends to `output` every instruction reachable from `seeds` through epsilon moves that the DFA needs to
    /// remember: `.bytes`, `.match`, and — when not `atEnd` — pending `.assertEnd`. `^` is passed only when
    /// `atStart`. Returns the number of instructions visited (work).
    mutating func closure(
        of seeds: [Int32], in instructions: [NFAInstruction], atStart: Bool, atEnd: Bool,
        into output: inout [Int32]
    ) -> Int {
        beginMarking()
        var visited = 0
        stack.removeAll(keepingCapacity: true)
        stack.append(contentsOf: seeds.reversed())
        while let state = stack.popLast() {
            let index = Int(state)
            if marks[index] == generation { continue }
            marks[index] = generation
            visited += 1
            switch instructions[index] {
            case .bytes, .match:
                output.append(state)
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .assertStart(let next):
                if atStart { stack.append(next) }
            case .assertEnd(let next):
                if atEnd {
                    stack.append(next)
                } else {
                    output.append(state)
                }
            }
        }
        return visited
    }
}

/// A sorted list of NFA instructions used as a dictionary key, with a hash computed once (FNV-1a over the
/// values, far cheaper than feeding every element to `Hasher`).
struct StateKey: Hashable {
    let states: [Int32]
    private let fingerprint: UInt64

    init(_ states: [Int32]) {
        self.states = states
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for state in states {
            hash = (hash ^ UInt64(UInt32(bitPattern: state))) &* 0x100_0000_01b3
        }
        fingerprint = hash
    }

    static func == (left: StateKey, right: StateKey) -> Bool {
        left.fingerprint == right.fingerprint && left.states == right.states
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(fingerprint)
    }
}

/// A DFA built eagerly by subset construction from an unanchored ``NFA`` that may hold several regexes.
///
/// States are numbered so that the hot loop needs one comparison per byte: ordinary states first, then states
/// where some regex has just matched, then dead states (from which no match is reachable any more). Transition
/// targets are stored premultiplied by the number of byte classes.
struct DFA: Sendable {
    /// Byte → equivalence class.
    let classOf: [UInt8]
    /// Columns per state (the number of byte classes).
    let stride: Int
    /// `transitions[state * stride + class]` = next state * stride.
    let transitions: [Int32]
    /// Start state (premultiplied).
    let start: Int
    /// States at or above this (premultiplied) have a match or are dead.
    let firstSpecial: Int
    /// States at or above this (premultiplied) are dead.
    let firstDead: Int
    /// 64-bit words per regex mask.
    let wordCount: Int
    /// Regexes matched on entering each special state: `(state - firstSpecialState) * wordCount`.
    let matchMasks: [UInt64]
    /// Regexes that match if the text ends in each state: `state * wordCount`.
    let endMasks: [UInt64]
    /// Number of states.
    let stateCount: Int
    /// Number of byte classes.
    var classCount: Int { stride }

    /// Builds the DFA, or returns nil when it would need more than `stateLimit` states, `workLimit` steps, or
    /// ``RegexLimits/dfaBuildElementLimit`` NFA instructions stored across its states.
    static func build(nfa: NFA, regexCount: Int, stateLimit: Int, workLimit: Int) -> DFA? {
        let classes = ByteClasses(sets: nfa.byteSets)
        let stride = classes.count
        let classLists: [[Int]] = nfa.byteSets.map { set in
            (0..<stride).filter { set.contains(classes.representatives[$0]) }
        }
        let instructions = nfa.instructions
        var scratch = ClosureScratch(instructionCount: instructions.count)
        var work = 0

        var startSet: [Int32] = []
        work += scratch.closure(of: [nfa.start], in: instructions, atStart: true, atEnd: false, into: &startSet)
        startSet.sort()
        // The start state is never looked up by content: only it may pass `^` when the text ends immediately.
        var sets: [[Int32]] = [startSet]
        var index: [StateKey: Int32] = [:]
        var transitions: [Int32] = []
        // buckets[class]: the `.bytes` instructions of the current state that accept the class.
        var buckets = [[Int32]](repeating: [], count: stride)
        var memo: [StateKey: Int32] = [:]
        // The closure after each `.bytes` instruction, sorted; cached while the cache stays small.
        var successorClosures = [[Int32]?](repeating: nil, count: instructions.count)
        var cachedElements = 0
        var unionScratch = ClosureScratch(instructionCount: instructions.count)
        var storedElements = startSet.count
        var current = 0
        while current < sets.count {
            for column in 0..<stride { buckets[column].removeAll(keepingCapacity: true) }
            for state in sets[current] {
                if case .bytes(let set, _) = instructions[Int(state)] {
                    for column in classLists[Int(set)] { buckets[column].append(state) }
                    work += classLists[Int(set)].count
                }
                work += 1
            }
            memo.removeAll(keepingCapacity: true)
            for column in 0..<stride {
                let sources = StateKey(buckets[column])
                if let known = memo[sources] {
                    transitions.append(known)
                    continue
                }
                var target: [Int32] = []
                unionScratch.beginMarking()
                for source in sources.states {
                    let successors: [Int32]
                    if let cached = successorClosures[Int(source)] {
                        successors = cached
                    } else {
                        guard case .bytes(_, let next) = instructions[Int(source)] else { continue }
                        var computed: [Int32] = []
                        work += scratch.closure(of: [next], in: instructions, atStart: false, atEnd: false, into: &computed)
                        if cachedElements < 1 << 20 {
                            successorClosures[Int(source)] = computed
                            cachedElements += computed.count
                        }
                        successors = computed
                    }
                    work += successors.count
                    for state in successors where unionScratch.mark(state) {
                        target.append(state)
                    }
                }
                target.sort()
                let key = StateKey(target)
                let id: Int32
                if let existing = index[key] {
                    id = existing
                } else {
                    id = Int32(sets.count)
                    storedElements += target.count
                    sets.append(target)
                    index[key] = id
                    if sets.count > stateLimit || storedElements > RegexLimits.dfaBuildElementLimit { return nil }
                }
                memo[sources] = id
                transitions.append(id)
            }
            if work > workLimit { return nil }
            current += 1
        }

        let rawCount = sets.count
        let wordCount = max(1, (regexCount + 63) / 64)
        var rawMatchMasks = [UInt64](repeating: 0, count: rawCount * wordCount)
        var rawEndMasks = [UInt64](repeating: 0, count: rawCount * wordCount)
        var endClosure: [Int32] = []
        for state in 0..<rawCount {
            for instruction in sets[state] {
                if case .match(let regex) = instructions[Int(instruction)] {
                    rawMatchMasks[state * wordCount + Int(regex) / 64] |= 1 << UInt64(regex % 64)
                }
            }
            endClosure.removeAll(keepingCapacity: true)
            _ = scratch.closure(
                of: sets[state], in: instructions, atStart: state == 0, atEnd: true, into: &endClosure)
            for instruction in endClosure {
                if case .match(let regex) = instructions[Int(instruction)] {
                    rawEndMasks[state * wordCount + Int(regex) / 64] |= 1 << UInt64(regex % 64)
                }
            }
        }
        return finish(
            Raw(
                stateCount: rawCount, stride: stride, transitions: transitions, start: 0, wordCount: wordCount,
                matchMasks: rawMatchMasks, endMasks: rawEndMasks
            ).minimized(),
            classOf: classes.classOf)
    }

    /// A DFA before minimization and renumbering: plain state numbers, masks for every state.
    struct Raw {
        var stateCount: Int
        var stride: Int
        var transitions: [Int32]
        var start: Int
        var wordCount: Int
        var matchMasks: [UInt64]
        var endMasks: [UInt64]

        func matchMask(_ state: Int) -> ArraySlice<UInt64> {
            matchMasks[(state * wordCount)..<((state + 1) * wordCount)]
        }

        func endMask(_ state: Int) -> ArraySlice<UInt64> {
            endMasks[(state * wordCount)..<((state + 1) * wordCount)]
        }

        /// The equivalent DFA with the fewest states (Moore's partition refinement): states are merged when they
        /// report the same matches on entry and at the end of the text, now and after any input. Returns `self`
        /// unchanged when refinement would take more than ``RegexLimits/dfaBuildWorkLimit`` steps.
        func minimized() -> Raw {
            var block = [Int32](repeating: 0, count: stateCount)
            var blockCount = 0
            do {
                var ids: [[UInt64]: Int32] = [:]
                for state in 0..<stateCount {
                    let key = Array(matchMask(state)) + Array(endMask(state))
                    if let id = ids[key] {
                        block[state] = id
                    } else {
                        block[state] = Int32(ids.count)
                        ids[key] = Int32(ids.count)
                    }
                }
                blockCount = ids.count
            }
            var signature = [Int32](repeating: 0, count: stride + 1)
            var work = 0
            while true {
                // Each round can split as little as one block; give up (keeping the DFA as it is) on long chains.
                work += stateCount * (stride + 1)
                if work > RegexLimits.dfaBuildWorkLimit { return self }
                var ids: [StateKey: Int32] = [:]
                ids.reserveCapacity(blockCount * 2)
                var next = [Int32](repeating: 0, count: stateCount)
                for state in 0..<stateCount {
                    signature[0] = block[state]
                    for column in 0..<stride {
                        signature[column + 1] = block[Int(transitions[state * stride + column])]
                    }
                    let key = StateKey(signature)
                    if let id = ids[key] {
                        next[state] = id
                    } else {
                        let id = Int32(ids.count)
                        ids[key] = id
                        next[state] = id
                    }
                }
                block = next
                if ids.count == blockCount { break }
                blockCount = ids.count
            }
            guard blockCount < stateCount else { return self }
            var result = Raw(
                stateCount: blockCount, stride: stride,
                transitions: [Int32](repeating: 0, count: blockCount * stride), start: Int(block[start]),
                wordCount: wordCount, matchMasks: [UInt64](repeating: 0, count: blockCount * wordCount),
                endMasks: [UInt64](repeating: 0, count: blockCount * wordCount))
            for state in 0..<stateCount {
                let target = Int(block[state])
                for column in 0..<stride {
                    result.transitions[target * stride + column] = block[Int(transitions[state * stride + column])]
                }
                for word in 0..<wordCount {
                    result.matchMasks[target * wordCount + word] = matchMasks[state * wordCount + word]
                    result.endMasks[target * wordCount + word] = endMasks[state * wordCount + word]
                }
            }
            return result
        }
    }

    /// Renumbers `raw` (ordinary, then matching, then dead states) and premultiplies transition targets.
    private static func finish(_ raw: Raw, classOf: [UInt8]) -> DFA {
        let stateCount = raw.stateCount
        let stride = raw.stride
        let wordCount = raw.wordCount
        let hasMatch = (0..<stateCount).map { state in raw.matchMask(state).contains { $0 != 0 } }
        let accepting = (0..<stateCount).map { state in hasMatch[state] || raw.endMask(state).contains { $0 != 0 } }

        // Live states: those from which an accepting state is reachable.
        var predecessors = [[Int32]](repeating: [], count: stateCount)
        for state in 0..<stateCount {
            for column in 0..<stride {
                predecessors[Int(raw.transitions[state * stride + column])].append(Int32(state))
            }
        }
        var live = accepting
        var queue = (0..<stateCount).filter { accepting[$0] }
        while let state = queue.popLast() {
            for predecessor in predecessors[state] where !live[Int(predecessor)] {
                live[Int(predecessor)] = true
                queue.append(Int(predecessor))
            }
        }

        let ordinary = (0..<stateCount).filter { live[$0] && !hasMatch[$0] }
        let matching = (0..<stateCount).filter { hasMatch[$0] }
        let dead = (0..<stateCount).filter { !live[$0] }
        var newIndex = [Int](repeating: 0, count: stateCount)
        for (new, old) in (ordinary + matching + dead).enumerated() { newIndex[old] = new }

        var transitions = [Int32](repeating: 0, count: stateCount * stride)
        var matchMasks = [UInt64](repeating: 0, count: (matching.count + dead.count) * wordCount)
        var endMasks = [UInt64](repeating: 0, count: stateCount * wordCount)
        for old in 0..<stateCount {
            let new = newIndex[old]
            for column in 0..<stride {
                transitions[new * stride + column] = Int32(newIndex[Int(raw.transitions[old * stride + column])] * stride)
            }
            for word in 0..<wordCount {
                endMasks[new * wordCount + word] = raw.endMasks[old * wordCount + word]
                if new >= ordinary.count {
                    matchMasks[(new - ordinary.count) * wordCount + word] = raw.matchMasks[old * wordCount + word]
                }
            }
        }
        return DFA(
            classOf: classOf, stride: stride, transitions: transitions,
            start: newIndex[raw.start] * stride, firstSpecial: ordinary.count * stride,
            firstDead: (ordinary.count + matching.count) * stride, wordCount: wordCount,
            matchMasks: matchMasks, endMasks: endMasks, stateCount: stateCount)
    }

    /// Runs the DFA over `bytes`, OR-ing every regex that matches into `matched` and decrementing `remaining` for
    /// each newly matched regex; stops early when `remaining` reaches 0 or a dead state is entered. Adds the number
    /// of bytes stepped to `work`.
    func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, matched: UnsafeMutableBufferPointer<UInt64>, remaining: inout Int,
        work: inout Int
    ) {
        let stride = self.stride
        let wordCount = self.wordCount
        let firstSpecial = self.firstSpecial
        let firstDead = self.firstDead
        let firstSpecialState = firstSpecial / stride

        @inline(__always)
        func absorb(_ masks: UnsafeBufferPointer<UInt64>, at offset: Int, remaining: inout Int) {
            for word in 0..<wordCount {
                let new = masks[offset + word] & ~matched[word]
                if new != 0 {
                    matched[word] |= new
                    remaining -= new.nonzeroBitCount
                }
            }
        }

        transitions.withUnsafeBufferPointer { table in
            classOf.withUnsafeBufferPointer { classes in
                matchMasks.withUnsafeBufferPointer { masks in
                    var state = start
                    if state >= firstSpecial {
                        if state >= firstDead { return }
                        absorb(masks, at: (state / stride - firstSpecialState) * wordCount, remaining: &remaining)
                        if remaining <= 0 { return }
                    }
                    let count = bytes.count
                    var position = 0
                    while position < count {
                        state = Int(table[state &+ Int(classes[Int(bytes[position])])])
                        position &+= 1
                        if state >= firstSpecial {
                            if state >= firstDead { break }
                            absorb(masks, at: (state / stride - firstSpecialState) * wordCount, remaining: &remaining)
                            if remaining <= 0 { break }
                        }
                    }
                    work += position
                    if position == count && state < firstDead && remaining > 0 {
                        endMasks.withUnsafeBufferPointer { ends in
                            absorb(ends, at: state / stride * wordCount, remaining: &remaining)
                        }
                    }
                }
            }
        }
    }
}
