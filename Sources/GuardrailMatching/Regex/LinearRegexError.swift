/// Why a pattern could not be compiled by ``LinearRegex``: a syntax error, a resource limit, or a feature the
/// engine refuses on purpose (back-references, lookaround, word boundaries, inline options, …).
public struct LinearRegexError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The pattern that failed to compile, exactly as given.
    public let pattern: String
    /// Where the problem is: an offset in `Character`s from the start of ``pattern`` (0 is the first character).
    public let offset: Int
    /// What is wrong, for example `"back-references are not supported"`.
    public let message: String

    /// Creates an error for `pattern` at character `offset`.
    public init(pattern: String, offset: Int, message: String) {
        self.pattern = pattern
        self.offset = offset
        self.message = message
    }

    /// `pattern "…": at character N: message`.
    public var description: String {
        "pattern \"\(pattern)\": at character \(offset): \(message)"
    }
}

/// Resource limits that keep compilation and matching bounded for hostile patterns.
enum RegexLimits {
    /// Longest accepted pattern, in characters.
    static let maxPatternLength = 10_000
    /// Deepest accepted group nesting.
    static let maxNestingDepth = 100
    /// Largest accepted count in `{n}`, `{n,}` and `{n,m}` (PostgreSQL's own limit, RE_DUP_MAX, is also 255).
    static let maxRepetitionCount = 255
    /// Most NFA instructions one pattern may compile to once bounded repetitions are expanded.
    static let maxNFAInstructions = 20_000
    /// Most DFA states built eagerly before falling back to NFA simulation.
    static let dfaStateLimit = 10_000
    /// Most closure/transition steps spent building a DFA before falling back to NFA simulation.
    static let dfaBuildWorkLimit = 30_000_000
    /// Most NFA instructions stored across all states while building a DFA (bounds the builder's memory).
    static let dfaBuildElementLimit = 2_000_000
}
