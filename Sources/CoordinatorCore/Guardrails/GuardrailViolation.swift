/// One pattern that matched a checked text, and what it means for the caller: `blocked` refuses the operation;
/// `elevated` says the caller's trust and profile let it through (recorded, like every match).
public struct GuardrailViolation: Sendable, Equatable {
    public var patternName: String
    public var category: GuardrailPattern.Category
    public var severity: GuardrailPattern.Severity
    /// The leftmost-longest match in the canonical line, at most 200 characters.
    public var matchedText: String
    public var blocked: Bool
    public var elevated: Bool

    public init(patternName: String, category: GuardrailPattern.Category, severity: GuardrailPattern.Severity, matchedText: String,
                blocked: Bool, elevated: Bool) {
        self.patternName = patternName
        self.category = category
        self.severity = severity
        self.matchedText = matchedText
        self.blocked = blocked
        self.elevated = elevated
    }

    public var json: JSONValue {
        [
            "pattern_name": .string(patternName), "category": .string(category.rawValue), "severity": .string(severity.rawValue),
            "matched_text": .string(matchedText), "blocked": .bool(blocked), "elevated": .bool(elevated),
        ]
    }
}
