/// The answer of one guardrail check: `safe` unless a violation blocks.
public struct GuardrailResult: Sendable, Equatable {
    public var violations: [GuardrailViolation]
    public var trustLevel: Int
    /// The pending approval request a blocked credential-file operation filed.
    public var approvalId: String?

    public init(violations: [GuardrailViolation], trustLevel: Int, approvalId: String? = nil) {
        self.violations = violations
        self.trustLevel = trustLevel
        self.approvalId = approvalId
    }

    public var safe: Bool { !violations.contains(where: \.blocked) }
    /// Names of the patterns that block, in report order.
    public var blockedPatterns: [String] { violations.filter(\.blocked).map(\.patternName) }
    /// True when a credential pattern blocks (a human must review; no trust level passes it).
    public var credentialBlocked: Bool { violations.contains { $0.blocked && $0.category == .credential } }

    /// The refusal code when not safe: `credential_file_protected` or `destructive_operation_blocked`.
    public var refusal: String? {
        guard !safe else { return nil }
        return credentialBlocked ? "credential_file_protected" : "destructive_operation_blocked"
    }

    /// `check_guardrails`' answer: `{safe, violations, trust_level}`, plus on a refusal `error`, `patterns` and
    /// either `requires:"manual_review"` with the approval request (credentials) or `approval_required:true`.
    public var json: JSONValue {
        var object: JSONObject = [
            "safe": .bool(safe), "violations": .array(violations.map(\.json)), "trust_level": .int(trustLevel),
        ]
        object.merge(refusalFields) { $1 }
        return .object(object)
    }

    /// The fields an operation refused by this result adds to its answer.
    public var refusalFields: JSONObject {
        guard let refusal else { return [:] }
        var object: JSONObject = ["error": .string(refusal), "patterns": JSONValue(blockedPatterns), "approval_required": true]
        if credentialBlocked {
            object["requires"] = "manual_review"
            if let approvalId { object["approval_id"] = .string(approvalId) }
        }
        return object
    }
}
