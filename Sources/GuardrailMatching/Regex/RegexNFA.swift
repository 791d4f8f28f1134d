/// One instruction of a Thompson NFA over UTF-8 bytes.
enum NFAInstruction: Sendable, Equatable {
    /// Consume one byte in `byteSets[set]`, then continue at `next`.
    case bytes(set: Int32, next: Int32)
    /// Continue at both targets (an epsilon fork).
    case split(Int32, Int32)
    /// `^`: continue at `next` only at the start of the text.
    case assertStart(next: Int32)
    /// `$`: continue at `next` only at the end of the text.
    case assertEnd(next: Int32)
    /// Regex number `regex` has matched.
    case match(regex: Int32)
}

/// A Thompson NFA over UTF-8 bytes: instructions addressed by index, byte sets shared by index.
struct NFA: Sendable {
    /// The instructions.
    var instructions: [NFAInstruction] = []
    /// The byte sets referenced by `.bytes` instructions.
    var byteSets: [ByteSet] = []
    /// The instruction where matching starts.
    var start: Int32 = 0

    /// Number of instructions.
    var count: Int { instructions.count }

    /// Combines `programs` (each anchored, ending in `.match(regex: 0)`) into one unanchored NFA: a loop over any
    /// byte in front lets a match start anywhere, and program `i` reports `.match(regex: i)`.
    static func unanchoredUnion(of programs: [NFA]) -> NFA {
        var result = NFA()
        var setIndexes: [ByteSet: Int32] = [:]
        func index(of set: ByteSet) -> Int32 {
            if let existing = setIndexes[set] { return existing }
            let new = Int32(result.byteSets.count)
            result.byteSets.append(set)
            setIndexes[set] = new
            return new
        }
        var starts: [Int32] = []
        for (regex, program) in programs.enumerated() {
            let base = Int32(result.instructions.count)
            let remap = program.byteSets.map(index(of:))
            for instruction in program.instructions {
                switch instruction {
                case .bytes(let set, let next):
                    result.instructions.append(.bytes(set: remap[Int(set)], next: next + base))
                case .split(let first, let second):
                    result.instructions.append(.split(first + base, second + base))
                case .assertStart(let next):
                    result.instructions.append(.assertStart(next: next + base))
                case .assertEnd(let next):
                    result.instructions.append(.assertEnd(next: next + base))
                case .match:
                    result.instructions.append(.match(regex: Int32(regex)))
                }
            }
            starts.append(program.start + base)
        }
        // loop: split(anyByte -> loop, every program's start)
        let loop = Int32(result.instructions.count)
        result.instructions.append(.split(-1, -1))
        let anyByte = Int32(result.instructions.count)
        result.instructions.append(.bytes(set: index(of: .all), next: loop))
        var alternatives = starts.last ?? anyByte
        for start in starts.dropLast().reversed() {
            result.instructions.append(.split(start, alternatives))
            alternatives = Int32(result.instructions.count - 1)
        }
        result.instructions[Int(loop)] = .split(anyByte, alternatives)
        result.start = loop
        return result
    }
}

/// Compiles a ``RegexNode`` into an anchored ``NFA`` that ends in `.match(regex: 0)`.
///
/// Compilation works backwards: each node is compiled with its continuation already known, so no patching is
/// needed except for loops. Recursion follows the syntax tree, whose depth the parser caps.
struct NFACompiler {
    private var nfa = NFA()
    private var setIndexes: [ByteSet: Int32] = [:]
    private let pattern: String

    private init(pattern: String) {
        self.pattern = pattern
    }

    /// Compiles `node`; throws when expanding repetitions would exceed ``RegexLimits/maxNFAInstructions``.
    static func compile(_ node: RegexNode, pattern: String) throws(LinearRegexError) -> NFA {
        var compiler = NFACompiler(pattern: pattern)
        let match = try compiler.emit(.match(regex: 0))
        compiler.nfa.start = try compiler.compile(node, next: match)
        return compiler.nfa
    }

    private mutating func emit(_ instruction: NFAInstruction) throws(LinearRegexError) -> Int32 {
        guard nfa.instructions.count < RegexLimits.maxNFAInstructions else {
            throw LinearRegexError(
                pattern: pattern, offset: 0,
                message:
                    "the pattern is too large: it needs more than \(RegexLimits.maxNFAInstructions) automaton states once repetitions are expanded"
            )
        }
        nfa.instructions.append(instruction)
        return Int32(nfa.instructions.count - 1)
    }

    private mutating func setIndex(_ set: ByteSet) -> Int32 {
        if let existing = setIndexes[set] { return existing }
        let index = Int32(nfa.byteSets.count)
        nfa.byteSets.append(set)
        setIndexes[set] = index
        return index
    }

    /// Emits alternatives that all continue at `next`, returning their entry.
    private mutating func alternatives(_ starts: [Int32], next: Int32) throws(LinearRegexError) -> Int32 {
        guard var entry = starts.last else { return next }
        for start in starts.dropLast().reversed() {
            entry = try emit(.split(start, entry))
        }
        return entry
    }

    private mutating func compile(_ node: RegexNode, next: Int32) throws(LinearRegexError) -> Int32 {
        switch node {
        case .empty:
            return next
        case .startAnchor:
            return try emit(.assertStart(next: next))
        case .endAnchor:
            return try emit(.assertEnd(next: next))
        case .scalars(let set):
            return try compileScalars(set, next: next)
        case .concatenation(let items):
            var entry = next
            for item in items.reversed() {
                entry = try compile(item, next: entry)
            }
            return entry
        case .alternation(let branches):
            var starts: [Int32] = []
            for branch in branches {
                starts.append(try compile(branch, next: next))
            }
            return try alternatives(starts, next: next)
        case .repetition(let body, let minimum, let maximum):
            var entry = next
            if let maximum {
                // Optional copies nest: (x(x(x)?)?)? — fewer simultaneous states than x?x?x?.
                for _ in 0..<(maximum - minimum) {
                    let copy = try compile(body, next: entry)
                    entry = try emit(.split(copy, next))
                }
            } else {
                let loop = try emit(.split(-1, -1))
                let copy = try compile(body, next: loop)
                nfa.instructions[Int(loop)] = .split(copy, next)
                // x* enters at the loop; x+ enters at the body (which returns to the loop).
                entry = minimum == 0 ? loop : copy
            }
            let mandatory = maximum == nil ? max(minimum - 1, 0) : minimum
            for _ in 0..<mandatory {
                entry = try compile(body, next: entry)
            }
            return entry
        }
    }

    private mutating func compileScalars(_ set: ScalarSet, next: Int32) throws(LinearRegexError) -> Int32 {
        let sequences = UTF8Sequences.sequences(for: set)
        var singleBytes = ByteSet()
        var starts: [Int32] = []
        for sequence in sequences {
            if sequence.count == 1 {
                singleBytes.insert(sequence[0])
                continue
            }
            var entry = next
            for range in sequence.reversed() {
                entry = try emit(.bytes(set: setIndex(ByteSet(range)), next: entry))
            }
            starts.append(entry)
        }
        if !singleBytes.isEmpty {
            starts.insert(try emit(.bytes(set: setIndex(singleBytes), next: next)), at: 0)
        }
        if starts.isEmpty {
            // An empty class can never match: a byte set that contains nothing.
            return try emit(.bytes(set: setIndex(ByteSet()), next: next))
        }
        return try alternatives(starts, next: next)
    }
}
