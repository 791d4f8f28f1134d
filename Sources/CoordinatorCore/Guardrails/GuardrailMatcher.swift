import GuardrailMatching
import Synchronization

/// A compiled set of guardrail patterns: finds every pattern that matches any of a text's canonical lines in one
/// pass per line (``LinearRegexSet``), then the matched text of each (leftmost-longest, at most 200 characters).
/// Patterns outside the supported syntax are left out and listed in ``errors``.
public struct GuardrailMatcher: Sendable {
    /// Characters of a match kept in a report.
    public static let matchedTextLimit = 200

    public let patterns: [GuardrailPattern]
    public let errors: [GuardrailPatternError]
    private let regexes: [LinearRegex]
    private let set: LinearRegexSet

    public init(_ candidates: [GuardrailPattern], errors: [GuardrailPatternError] = []) {
        var patterns: [GuardrailPattern] = []
        var regexes: [LinearRegex] = []
        var errors = errors
        for pattern in candidates {
            do {
                regexes.append(try LinearRegex(pattern.pattern))
                patterns.append(pattern)
            } catch {
                errors.append(GuardrailPatternError(name: pattern.name, message: "\(error)"))
            }
        }
        self.patterns = patterns
        self.errors = errors
        self.regexes = regexes
        set = LinearRegexSet(regexes)
    }

    /// Compiled sets by their patterns: compiling the DFA of a pattern set takes a noticeable moment (milliseconds
    /// in a release build), and every service over the same table compiles the same set.
    private static let compiledSets = Mutex<[[String]: GuardrailMatcher]>([:])

    /// The matcher for `patterns`, compiled once per process for each distinct set.
    public static func compiled(_ patterns: [GuardrailPattern], errors: [GuardrailPatternError] = []) -> GuardrailMatcher {
        let key = patterns.flatMap { [$0.name, $0.pattern, $0.category.rawValue, $0.severity.rawValue, String($0.minTrustLevel), $0.description] }
            + errors.map(\.description)
        // Compiled under the lock: callers that need the same set at once wait for one compilation instead of
        // each compiling it.
        let matcher = compiledSets.withLock { sets in
            if let known = sets[key] { return known }
            let matcher = GuardrailMatcher(patterns, errors: errors)
            if sets.count > 64 { sets.removeAll() }
            sets[key] = matcher
            return matcher
        }
        return matcher
    }

    /// The same matcher restricted to one category (the lock hook needs only the credential patterns).
    public func only(_ category: GuardrailPattern.Category) -> GuardrailMatcher {
        .compiled(patterns.filter { $0.category == category })
    }

    /// Every pattern found in `lines`, in pattern order, each with its first match (the common case — nothing found —
    /// is one DFA pass over the lines).
    public func matches(in lines: [String]) -> [GuardrailMatch] {
        let found = set.matchingIndexes(inLines: lines)
        return found.compactMap { index in
            for line in lines {
                guard let range = regexes[index].firstMatch(in: line) else { continue }
                return GuardrailMatch(pattern: patterns[index], matchedText: String(line[range].prefix(Self.matchedTextLimit)))
            }
            return nil
        }
    }
}
