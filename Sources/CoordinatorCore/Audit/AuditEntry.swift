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
            "created_at": .string(timestamp(record.time)),
        ])
    }

    /// `Timestamp.format` without `String(format:)` (which costs more than the rest of an entry): the same text.
    public static func timestamp(_ date: Date) -> String {
        let totalMicros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = totalMicros / 1_000_000
        var micros = totalMicros % 1_000_000
        if micros < 0 {
            micros += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = Timestamp.civilDate(daysSinceEpoch: days)
        guard (0...9999).contains(year) else { return Timestamp.format(date) }
        var bytes = [UInt8](repeating: 0, count: 27)
        func put(_ value: Int64, at offset: Int, digits: Int) {
            var rest = value
            for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                bytes[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
        }
        put(year, at: 0, digits: 4)
        put(month, at: 5, digits: 2)
        put(day, at: 8, digits: 2)
        put(secondOfDay / 3600, at: 11, digits: 2)
        put((secondOfDay % 3600) / 60, at: 14, digits: 2)
        put(secondOfDay % 60, at: 17, digits: 2)
        put(micros, at: 20, digits: 6)
        for (index, mark) in [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "."), (26, "Z")] as [(Int, Unicode.Scalar)] {
            bytes[index] = UInt8(ascii: mark)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Bounded text, or ``unknown`` when it is blank (ASCII white space only, as the storage functions' check).
    private static func clean(_ text: String, maxLength: Int) -> String {
        let blank = text.utf8.allSatisfy { $0 == 0x20 || (0x09...0x0d).contains($0) }
        return blank ? unknown : AuditSummary.text(text, maxLength: maxLength)
    }
}
