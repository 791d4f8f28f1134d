/// What a match means at a trust level, as a pure function.
///
/// - Credential files block at every trust level (and ask for a human's approval).
/// - Below a pattern's `min_trust_level`: a `block` pattern blocks; `warn`/`log` patterns are reported only.
/// - At or above it, a profile that lists the pattern or its category in `elevated_operations` (or `*`) proceeds,
///   recorded as `elevated`; a profile that does not list it is treated as below the threshold.
public enum GuardrailTrustRules {
    public static func violations(for matches: [GuardrailMatch], trustLevel: Int, profile: AgentProfile?) -> [GuardrailViolation] {
        matches.map { match in
            let pattern = match.pattern
            let blocked: Bool
            let elevated: Bool
            if pattern.category == .credential {
                (blocked, elevated) = (true, false)
            } else if trustLevel >= pattern.minTrustLevel,
                      profile?.elevates(pattern: pattern.name, category: pattern.category.rawValue) == true {
                (blocked, elevated) = (false, true)
            } else {
                (blocked, elevated) = (pattern.severity == .block, false)
            }
            return GuardrailViolation(patternName: pattern.name, category: pattern.category, severity: pattern.severity,
                                      matchedText: match.matchedText, blocked: blocked, elevated: elevated)
        }
    }
}
