import Foundation

/// One row of `audit_log` as `record_audit_entries` takes it: a dispatched call with its parameters redacted and
/// bounded, its result summarised, and its outcome.
public enum AuditEntry {
    /// Stands in for an empty agent id or operation name (the table requires both).
    public static let unknown = "unknown"
    /// Characters kept of an error message.
    public static let maxErrorLength = 1_000

    /// The entry for `record`, as the JSON object `record_audit_entries` expects.
    ///
    /// `error_message` is the error a failed call threw or, for a call that answered `success:false`, its `reason`
    /// (and `detail` when there is one), so a failed outcome is readable without opening the result.
    public static func json(for record: OperationRecord) -> JSONValue {
        let parameters: JSONObject = AuditSummary.bounded(record.parameters, limits: .parameters, redacting: true)
        var result: JSONValue = .object([:])
        if let value = record.result {
            let summarised = AuditSummary.bounded(value, limits: .result, redacting: true)
            result = summarised.objectValue != nil ? summarised : .object(["value": summarised])
        }
        var message = record.errorMessage
        if message == nil, !record.success, let reason = record.result?["reason"]?.stringValue {
            message = record.result?["detail"]?.stringValue.map { "\(reason): \($0)" } ?? reason
        }
        return .object([
            "agent_id": .string(clean(record.identity.agentId, maxLength: 500)),
            "agent_type": .string(clean(record.identity.agentType, maxLength: 500)),
            "operation": .string(clean(record.operation, maxLength: 200)),
            "parameters": .object(parameters),
            "result": result,
            "duration_ms": .double((record.durationMilliseconds * 1000).rounded() / 1000),
            "success": .bool(record.success),
            "error_message": message.map { .string(AuditSummary.text($0, maxLength: maxErrorLength)) } ?? .null,
            "created_at": .string(Timestamp.format(record.time)),
        ])
    }

    /// Bounded text, or ``unknown`` when it is blank (ASCII white space only, as the storage functions' check).
    private static func clean(_ text: String, maxLength: Int) -> String {
        let blank = text.utf8.allSatisfy { $0 == 0x20 || (0x09...0x0d).contains($0) }
        return blank ? unknown : AuditSummary.text(text, maxLength: maxLength)
    }
}
