/// Parses the supported pattern syntax (the common subset of PostgreSQL ARE and ICU) into a ``RegexNode``,
/// refusing everything else with a ``LinearRegexError`` that names the character where the problem is.
///
/// Recursion follows group nesting only, which is capped at ``RegexLimits/maxNestingDepth``.
struct RegexParser {
    private let pattern: String
    private let scalars: [Unicode.Scalar]
    /// The `Character` offset of every scalar, plus one entry for the end of the pattern.
    private let characterOffsets: [Int]
    private var position = 0
    private var depth = 0

    /// Parses `pattern`, case-folding ASCII letters.
    static func parse(_ pattern: String) throws(LinearRegexError) -> RegexNode {
        var parser = RegexParser(pattern: pattern)
        guard let length = parser.characterOffsets.last, length <= RegexLimits.maxPatternLength else {
            throw LinearRegexError(
                pattern: pattern, offset: RegexLimits.maxPatternLength,
                message: "the pattern is longer than \(RegexLimits.maxPatternLength) characters")
        }
        let node = try parser.parseAlternation()
        if parser.position < parser.scalars.count {
            // Only an unmatched ')' stops the top-level alternation early.
            throw parser.error(at: parser.position, "unbalanced ')': there is no open group to close")
        }
        return node
    }

    private init(pattern: String) {
        self.pattern = pattern
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int] = []
        var characterIndex = 0
        for character in pattern {
            for scalar in character.unicodeScalars {
                scalars.append(scalar)
                offsets.append(characterIndex)
            }
            characterIndex += 1
            if characterIndex > RegexLimits.maxPatternLength { break }
        }
        offsets.append(characterIndex)
        self.scalars = scalars
        self.characterOffsets = offsets
    }

    // MARK: - Helpers

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        let index = position + ahead
        return index < scalars.count ? scalars[index] : nil
    }

    private func error(at scalarIndex: Int, _ message: String) -> LinearRegexError {
        let clamped = min(max(scalarIndex, 0), characterOffsets.count - 1)
        return LinearRegexError(pattern: pattern, offset: characterOffsets[clamped], message: message)
    }

    private static func isASCIILetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        default: false
        }
    }

    private static func literal(_ scalar: Unicode.Scalar) -> RegexNode {
        .scalars(ScalarSet(scalar: scalar).caseFolded())
    }

    // MARK: - Alternation, concatenation, quantifiers

    private mutating func parseAlternation() throws(LinearRegexError) -> RegexNode {
        var branches = [try parseConcatenation()]
        while peek() == "|" {
            position += 1
            branches.append(try parseConcatenation())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcatenation() throws(LinearRegexError) -> RegexNode {
        var items: [RegexNode] = []
        while let scalar = peek(), scalar != "|", scalar != ")" {
            let atomStart = position
            let atom = try parseAtom()
            items.append(try parseQuantifier(of: atom, atomStart: atomStart))
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concatenation(items)
        }
    }

    private static func isQuantifierStart(_ scalar: Unicode.Scalar?) -> Bool {
        scalar == "*" || scalar == "+" || scalar == "?" || scalar == "{"
    }

    private mutating func parseQuantifier(of atom: RegexNode, atomStart: Int) throws(LinearRegexError) -> RegexNode {
        guard let scalar = peek(), Self.isQuantifierStart(scalar) else { return atom }
        let quantifierStart = position
        let minimum: Int
        let maximum: Int?
        switch scalar {
        case "*":
            (minimum, maximum) = (0, nil)
            position += 1
        case "+":
            (minimum, maximum) = (1, nil)
            position += 1
        case "?":
            (minimum, maximum) = (0, 1)
            position += 1
        default:
            (minimum, maximum) = try parseBound()
        }
        if scalars[atomStart] == "^" || scalars[atomStart] == "$" {
            throw error(at: quantifierStart, "a quantifier cannot be applied to the anchor '\(scalars[atomStart])'")
        }
        if peek() == "?" {
            position += 1  // Lazy: accepted, treated as greedy (match/no-match does not depend on it).
        } else if peek() == "+" {
            throw error(at: position, "possessive quantifiers are not supported")
        }
        if Self.isQuantifierStart(peek()) {
            throw error(
                at: position,
                "a quantifier cannot follow another quantifier; wrap the repeated part in (?: ) first")
        }
        return .repetition(atom, min: minimum, max: maximum)
    }

    /// Parses `{n}`, `{n,}` or `{n,m}` at the current `{`.
    private mutating func parseBound() throws(LinearRegexError) -> (Int, Int?) {
        let open = position
        let malformed = "'{' must start a bound like {3}, {2,} or {2,5}; write \\{ for a literal brace"
        position += 1
        guard let minimum = try parseCount(boundStart: open) else { throw error(at: open, malformed) }
        var maximum: Int? = minimum
        if peek() == "," {
            position += 1
            maximum = try parseCount(boundStart: open)
        }
        guard peek() == "}" else { throw error(at: open, malformed) }
        position += 1
        if let maximum, maximum < minimum {
            throw error(at: open, "invalid bound {\(minimum),\(maximum)}: the minimum exceeds the maximum")
        }
        return (minimum, maximum)
    }

    private mutating func parseCount(boundStart: Int) throws(LinearRegexError) -> Int? {
        var value = 0
        var digits = 0
        while let scalar = peek(), ("0"..."9").contains(scalar) {
            value = value * 10 + Int(scalar.value - 0x30)
            digits += 1
            position += 1
            if value > RegexLimits.maxRepetitionCount {
                throw error(
                    at: boundStart,
                    "repetition count exceeds the maximum of \(RegexLimits.maxRepetitionCount)")
            }
        }
        return digits == 0 ? nil : value
    }

    // MARK: - Atoms

    private mutating func parseAtom() throws(LinearRegexError) -> RegexNode {
        let scalar = scalars[position]
        switch scalar {
        case "(":
            return try parseGroup()
        case "[":
            return try parseBracketExpression()
        case ".":
            position += 1
            return .scalars(.all)
        case "^":
            position += 1
            return .startAnchor
        case "$":
            position += 1
            return .endAnchor
        case "\\":
            switch try parseEscape(inBracket: false) {
            case .scalar(let value): return Self.literal(value)
            case .set(let set): return .scalars(set)
            }
        case "*", "+", "?":
            throw error(at: position, "the quantifier '\(scalar)' has nothing to repeat")
        case "{":
            throw error(at: position, "'{' has nothing to repeat; write \\{ for a literal brace")
        case "}":
            throw error(at: position, "an unmatched '}' must be escaped as \\} (ICU refuses it)")
        default:
            position += 1
            return Self.literal(scalar)
        }
    }

    private mutating func parseGroup() throws(LinearRegexError) -> RegexNode {
        let open = position
        position += 1
        if peek() == "?" {
            switch peek(1) {
            case ":":
                position += 2
            case "=", "!":
                throw error(at: open, "lookahead assertions are not supported")
            case "<" where peek(2) == "=" || peek(2) == "!":
                throw error(at: open, "lookbehind assertions are not supported")
            case "<", "P", "'":
                throw error(at: open, "named groups are not supported; use ( ) or (?: )")
            case ">":
                throw error(at: open, "atomic groups are not supported")
            case "#":
                throw error(at: open, "comment groups are not supported")
            default:
                throw error(
                    at: open,
                    "inline options and other (? forms are not supported; only (?: ) is (matching is always case-insensitive)"
                )
            }
        }
        depth += 1
        if depth > RegexLimits.maxNestingDepth {
            throw error(at: open, "groups are nested more than \(RegexLimits.maxNestingDepth) deep")
        }
        let inner = try parseAlternation()
        guard peek() == ")" else {
            throw error(at: open, "unbalanced '(': missing ')'")
        }
        position += 1
        depth -= 1
        return inner
    }

    private enum Escape {
        case scalar(Unicode.Scalar)
        case set(ScalarSet)
    }

    /// Parses the escape at the current backslash.
    private mutating func parseEscape(inBracket: Bool) throws(LinearRegexError) -> Escape {
        let start = position
        guard let escaped = peek(1) else {
            throw error(at: start, "trailing backslash: there is nothing to escape")
        }
        position += 2
        if escaped.isASCII && !Self.isASCIILetterOrDigit(escaped) {
            return .scalar(escaped)  // Any escaped ASCII punctuation (or space) is itself.
        }
        func negatedClassInBracket() -> LinearRegexError {
            error(
                at: start,
                "\\\(escaped) inside a bracket expression is not supported (PostgreSQL refuses it); use [^...] or an alternation"
            )
        }
        switch escaped {
        case "t": return .scalar("\t")
        case "n": return .scalar("\n")
        case "r": return .scalar("\r")
        case "s": return .set(.whitespace)
        case "d": return .set(.digits)
        case "w": return .set(.wordCharacters)
        case "S":
            if inBracket { throw negatedClassInBracket() }
            return .set(ScalarSet.whitespace.complemented())
        case "D":
            if inBracket { throw negatedClassInBracket() }
            return .set(ScalarSet.digits.complemented())
        case "W":
            if inBracket { throw negatedClassInBracket() }
            return .set(ScalarSet.wordCharacters.complemented())
        case "1"..."9", "k", "g":
            throw error(at: start, "back-references are not supported")
        case "0":
            throw error(at: start, "octal escapes are not supported; write the character itself")
        case "b", "B", "y", "Y", "m", "M":
            throw error(
                at: start,
                "word-boundary escapes (\\b \\B \\y \\Y \\m \\M) are not supported: they differ between PostgreSQL and ICU"
            )
        case "A", "Z", "z", "G":
            throw error(at: start, "the anchor escape \\\(escaped) is not supported; use ^ and $")
        case "x", "u", "U", "o", "N":
            throw error(at: start, "code-point escapes (\\\(escaped)) are not supported; write the character itself")
        case "p", "P":
            throw error(at: start, "Unicode property escapes (\\\(escaped)) are not supported")
        case "Q", "E":
            throw error(at: start, "\\Q…\\E quoting is not supported; escape each character instead")
        default:
            if escaped.isASCII {
                throw error(at: start, "unknown escape \\\(escaped)")
            }
            throw error(at: start, "escaping a non-ASCII character is not supported; write it without the backslash")
        }
    }

    // MARK: - Bracket expressions

    private mutating func parseBracketExpression() throws(LinearRegexError) -> RegexNode {
        let open = position
        position += 1
        var negated = false
        if peek() == "^" {
            negated = true
            position += 1
        }
        var set = ScalarSet()
        var first = true
        while true {
            guard let scalar = peek() else {
                throw error(at: open, "unbalanced '[': missing ']'")
            }
            if scalar == "]" && !first {
                position += 1
                break
            }
            let itemStart = position
            let lowerBound: Unicode.Scalar
            switch scalar {
            case "[":
                if let next = peek(1), next == ":" || next == "." || next == "=" {
                    throw error(at: itemStart, "POSIX bracket classes such as [:alpha:] are not supported; use \\w, \\d, \\s or ranges")
                }
                throw error(
                    at: itemStart,
                    "an unescaped '[' inside a bracket expression is ambiguous (ICU reads a nested set); write \\[")
            case "&" where peek(1) == "&":
                throw error(at: itemStart, "'&&' inside a bracket expression is ambiguous (ICU reads an intersection); write \\&")
            case "-" where !first && peek(1) != "]":
                throw error(at: itemStart, "'-' must be first or last in a bracket expression, or escaped as \\-")
            case "\\":
                switch try parseEscape(inBracket: true) {
                case .set(let classSet):
                    set = set.union(classSet)
                    first = false
                    continue
                case .scalar(let value):
                    lowerBound = value
                }
            default:
                position += 1
                lowerBound = scalar
            }
            first = false
            // A range: `-` followed by something other than the closing `]`.
            if peek() == "-", let next = peek(1), next != "]" {
                if scalars[itemStart] == "-" {
                    throw error(at: itemStart, "a range cannot start with an unescaped '-'; write \\-")
                }
                position += 1
                let upperStart = position
                let upperBound: Unicode.Scalar
                switch next {
                case "\\":
                    switch try parseEscape(inBracket: true) {
                    case .scalar(let value): upperBound = value
                    case .set: throw error(at: upperStart, "a class escape cannot end a range")
                    }
                case "[", "-":
                    throw error(at: upperStart, "invalid range end '\(next)'; escape it")
                default:
                    position += 1
                    upperBound = next
                }
                if upperBound.value < lowerBound.value {
                    throw error(at: itemStart, "invalid range \(lowerBound)-\(upperBound): the end is before the start")
                }
                set = set.union(ScalarSet([lowerBound.value...upperBound.value]))
            } else {
                set = set.union(ScalarSet(scalar: lowerBound))
            }
        }
        let folded = set.caseFolded()
        return .scalars(negated ? folded.complemented() : folded)
    }
}
