/// A guardrail pattern found in a checked text, before trust is applied.
public struct GuardrailMatch: Sendable, Equatable {
    public var pattern: GuardrailPattern
    public var matchedText: String

    public init(pattern: GuardrailPattern, matchedText: String) {
        self.pattern = pattern
        self.matchedText = matchedText
    }
}
