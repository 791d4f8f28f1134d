import CoordinatorCore
import Foundation
import GRDB

/// `record_audit_entries` and `cleanup_old_audit_entries` (docs/storage-functions.md, Audit).
enum AuditFunctions {
    static let all = [record, cleanup]

    /// The only text the immutability triggers raise (kept equal to the PostgreSQL message).
    static let immutableMessage = "Audit log entries are immutable — UPDATE and DELETE are prohibited"

    /// One entry ready to bind: everything that needs no database is done before the write transaction.
    struct Row: Sendable {
        let id: String
        let agentId: String
        let agentType: String?
        let operation: String
        let parameters: String
        let result: String
        let durationMilliseconds: Double?
        let success: Bool?
        let errorMessage: String?
        let createdAt: String
    }

    static let record = StorageFunction("record_audit_entries", parameters: ["p_entries"], prepare: { arguments in
        var prepared = arguments
        prepared.prepared = try rows(arguments)
        return prepared
    }) { db, arguments in
        let outcome = try (arguments.prepared as? Result<[Row], DomainRefusal>) ?? rows(arguments)
        let rows: [Row]
        switch outcome {
        case .failure(let refusal): return refusal.answer
        case .success(let ready): rows = ready
        }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO audit_log (id, agent_id, agent_type, operation, parameters, result, duration_ms, success,
                                   error_message, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for row in rows {
            try statement.execute(arguments: [
                row.id, row.agentId, row.agentType, row.operation, row.parameters, row.result, row.durationMilliseconds,
                row.success, row.errorMessage, row.createdAt,
            ])
        }
        return ["success": true, "inserted": .int(rows.count)]
    }

    /// A domain outcome (`success:false`) found while preparing.
    struct DomainRefusal: Error, Sendable {
        let answer: JSONValue
    }

    /// The rows of `p_entries`, or the refusal of a malformed batch (nothing is inserted then). Wrong value types raise.
    static func rows(_ arguments: StorageArguments) throws -> Result<[Row], DomainRefusal> {
        guard case .array(let entries) = arguments.json("p_entries") else {
            return .failure(DomainRefusal(answer: [
                "success": false, "reason": "invalid_entries", "detail": "p_entries must be a JSON array of objects",
            ]))
        }
        let now = Date()
        let nowText = Timestamp.format(now)
        var system = SystemRandomNumberGenerator()
        var random = SplitMix64(seed: system.next())
        var rows: [Row] = []
        rows.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            guard case .object(let members) = entry,
                  let agent = members["agent_id"]?.stringValue, !agent.isBlank,
                  let operation = members["operation"]?.stringValue, !operation.isBlank
            else {
                return .failure(DomainRefusal(answer: [
                    "success": false, "reason": "invalid_entry", "index": .int(index),
                    "detail": "every entry must be an object with a non-blank agent_id and operation",
                ]))
            }
            let createdAt: String
            switch members["created_at"] {
            case nil, .null?: createdAt = nowText
            case .string(let text)?:
                // The audit trail sends canonical text already (no reformatting then: it is the costly part).
                if isCanonical(text), Timestamp.parse(text) != nil {
                    createdAt = text
                } else if let canonical = Timestamp.canonical(text) {
                    createdAt = canonical
                } else {
                    throw SQLiteFailure.invalid("record_audit_entries: created_at is not a timestamp: \(String(reflecting: text))")
                }
            case let other?:
                throw SQLiteFailure.invalid("record_audit_entries: created_at must be a timestamp, got \(other.typeName)")
            }
            let duration: Double?
            switch members["duration_ms"] {
            case nil, .null?: duration = nil
            case let value?:
                guard let number = value.doubleValue else {
                    throw SQLiteFailure.invalid("record_audit_entries: duration_ms must be a number, got \(value.typeName)")
                }
                duration = number
            }
            let success: Bool?
            switch members["success"] {
            case nil, .null?: success = nil
            case .bool(let flag)?: success = flag
            case let other?: throw SQLiteFailure.invalid("record_audit_entries: success must be a boolean, got \(other.typeName)")
            }
            rows.append(Row(
                id: timeOrderedId(now: now, random: &random), agentId: agent, agentType: text(members["agent_type"]),
                operation: operation, parameters: document(members["parameters"]), result: document(members["result"]),
                durationMilliseconds: duration, success: success, errorMessage: text(members["error_message"]), createdAt: createdAt))
        }
        return .success(rows)
    }

    static let cleanup = StorageFunction("cleanup_old_audit_entries", parameters: ["p_retention_days", "p_now"]) { db, arguments in
        guard let days = try arguments.integer("p_retention_days", default: 90), AuditConfig.retentionRange.contains(days) else {
            return [
                "success": false, "reason": "retention_days_out_of_range",
                "retention_days": JSONValue(try arguments.integer("p_retention_days", default: 90)),
                "detail": .string("retention_days must be between \(AuditConfig.retentionRange.lowerBound) and \(AuditConfig.retentionRange.upperBound)"),
            ]
        }
        // A time later than the machine's clock counts as now, as in PostgreSQL.
        let now = min(try arguments.now(), Date())
        let cutoff = Timestamp.format(now.addingTimeInterval(-Double(days) * 86_400))
        try db.execute(sql: "DELETE FROM audit_prune_window")
        try db.execute(sql: "INSERT INTO audit_prune_window (id, cutoff) VALUES (1, ?)", arguments: [cutoff])
        try db.execute(sql: "DELETE FROM audit_log WHERE created_at < ?", arguments: [cutoff])
        let deleted = db.changesCount
        try db.execute(sql: "DELETE FROM audit_prune_window")
        return ["success": true, "entries_deleted": .int(deleted), "retention_days": .int(days), "cutoff": .string(cutoff)]
    }

    /// Whether `text` has the stored form `YYYY-MM-DDTHH:MM:SS.ffffffZ` (see `Timestamp.format`).
    static func isCanonical(_ text: String) -> Bool {
        let bytes = text.utf8
        guard bytes.count == 27 else { return false }
        for (index, byte) in bytes.enumerated() {
            switch index {
            case 4, 7: guard byte == UInt8(ascii: "-") else { return false }
            case 10: guard byte == UInt8(ascii: "T") else { return false }
            case 13, 16: guard byte == UInt8(ascii: ":") else { return false }
            case 19: guard byte == UInt8(ascii: ".") else { return false }
            case 26: guard byte == UInt8(ascii: "Z") else { return false }
            default: guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return false }
            }
        }
        return true
    }

    /// A version-7 UUID (RFC 9562: 48-bit Unix milliseconds, then random bits), lower-case: unique like any UUID,
    /// and time-ordered, so entries written together land next to each other in the `id` index.
    static func timeOrderedId(now: Date, random generator: inout some RandomNumberGenerator) -> String {
        let milliseconds = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        let random = generator.next() as UInt64
        let more = generator.next() as UInt64
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: random & 0x0f)
        bytes[7] = UInt8(truncatingIfNeeded: random >> 8)
        bytes[8] = 0x80 | UInt8(truncatingIfNeeded: (random >> 16) & 0x3f)
        for index in 9..<16 { bytes[index] = UInt8(truncatingIfNeeded: more >> (8 * (index - 9))) }
        let hex = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A fast generator for the random bits of one batch's ids, seeded from the system's generator per batch (one
    /// system call per batch instead of two per entry).
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Text, or nil for absent/null; other JSON values are stored as their JSON text.
    private static func text(_ value: JSONValue?) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?: return other.jsonText
        }
    }

    /// A JSON document column: `{}` for absent/null.
    private static func document(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: return "{}"
        case let other?: return other.jsonText
        }
    }
}
