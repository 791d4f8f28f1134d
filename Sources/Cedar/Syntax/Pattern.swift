/// One element of a `like` pattern.
public enum PatternElement: Sendable, Hashable {
    /// A Unicode scalar that must match exactly (`\*` in source is a literal `*`).
    case literal(Unicode.Scalar)
    /// `*`: any sequence of scalars, possibly empty.
    case wildcard
}

/// A parsed `like` pattern: literal scalars and wildcards. Matching is per Unicode scalar, as in Cedar.
public struct Pattern: Sendable, Hashable, CustomStringConvertible {
    public var elements: [PatternElement]

    public init(_ elements: [PatternElement]) { self.elements = elements }

    /// Whether `text` matches the whole pattern.
    public func matches(_ text: CedarString) -> Bool {
        let subject = Array(text.string.unicodeScalars)
        let pattern = elements
        // Greedy matching with backtracking to the most recent wildcard (linear in practice).
        var s = 0, p = 0
        var starP = -1, starS = 0
        while s < subject.count {
            if p < pattern.count, case .literal(let scalar) = pattern[p], scalar == subject[s] {
                s += 1; p += 1
            } else if p < pattern.count, case .wildcard = pattern[p] {
                starP = p; starS = s; p += 1
            } else if starP >= 0 {
                p = starP + 1; starS += 1; s = starS
            } else {
                return false
            }
        }
        while p < pattern.count, case .wildcard = pattern[p] { p += 1 }
        return p == pattern.count
    }

    /// The pattern as Cedar source, quoted (`"a*b\*"`).
    public var description: String {
        var out = "\""
        for element in elements {
            switch element {
            case .wildcard: out += "*"
            case .literal("*"): out += "\\*"
            case .literal(let scalar): out += CedarEscaping.escape(CedarString(scalars: [scalar]))
            }
        }
        return out + "\""
    }
}
