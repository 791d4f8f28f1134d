/// One destructive-operation pattern: a case-insensitive regular expression (the linear-time subset of
/// `LinearRegex`), what it protects, how severe a match is and the trust level from which a profile may be
/// elevated past it.
public struct GuardrailPattern: Sendable, Equatable {
    public enum Category: String, Sendable, CaseIterable {
        case git, file, database, credential, deployment
    }

    public enum Severity: String, Sendable, CaseIterable {
        /// A match below the trust threshold refuses the operation.
        case block
        /// A match is reported and logged, never refused.
        case warn, log
    }

    public var name: String
    public var category: Category
    public var pattern: String
    public var severity: Severity
    /// At or above this trust level a profile that lists the pattern (or its category) as elevated may proceed;
    /// credentials never.
    public var minTrustLevel: Int
    public var description: String

    public init(name: String, category: Category, pattern: String, severity: Severity, minTrustLevel: Int, description: String) {
        self.name = name
        self.category = category
        self.pattern = pattern
        self.severity = severity
        self.minTrustLevel = minTrustLevel
        self.description = description
    }

    /// Reads an enabled `operation_guardrails` row; nil (with why) when a field is missing or unknown.
    public static func from(row: JSONObject) -> Result<GuardrailPattern, GuardrailPatternError> {
        let name = row["name"]?.stringValue ?? "?"
        guard let rawCategory = row["category"]?.stringValue, let category = Category(rawValue: rawCategory) else {
            return .failure(GuardrailPatternError(name: name, message: "unknown category \(String(reflecting: row["category"]?.stringValue ?? "null"))"))
        }
        guard let rawSeverity = row["severity"]?.stringValue, let severity = Severity(rawValue: rawSeverity) else {
            return .failure(GuardrailPatternError(name: name, message: "unknown severity \(String(reflecting: row["severity"]?.stringValue ?? "null"))"))
        }
        guard let pattern = row["pattern"]?.stringValue, let trust = row["min_trust_level"]?.intValue else {
            return .failure(GuardrailPatternError(name: name, message: "pattern or min_trust_level missing"))
        }
        return .success(GuardrailPattern(name: name, category: category, pattern: pattern, severity: severity, minTrustLevel: trust,
                                         description: row["description"]?.stringValue ?? ""))
    }

    /// The wire form (`guardrails://patterns`).
    public var json: JSONValue {
        [
            "name": .string(name), "category": .string(category.rawValue), "pattern": .string(pattern),
            "severity": .string(severity.rawValue), "min_trust_level": .int(minTrustLevel), "description": .string(description),
        ]
    }
}

/// A guardrail row the coordinator cannot use (unknown category or severity, a pattern outside the supported
/// syntax). It is reported by `guardrails://patterns` and logged; the other patterns still apply.
public struct GuardrailPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var message: String

    public init(name: String, message: String) {
        self.name = name
        self.message = message
    }

    public var description: String { "guardrail \(name): \(message)" }
}
