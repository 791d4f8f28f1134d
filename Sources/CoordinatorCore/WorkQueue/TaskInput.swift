import Foundation

/// Checks on work-queue input shared by every transport.
public enum TaskInput {
    /// A lower-cased UUID, or an ``InputError`` naming `field`.
    public static func taskId(_ raw: String, field: String = "task_id") throws -> String {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard let uuid = UUID(uuidString: trimmed) else {
            throw InputError(field: field, "must be a UUID like 123e4567-e89b-12d3-a456-426614174000, got \(String(reflecting: raw))")
        }
        return uuid.uuidString.lowercased()
    }

    public static func priority(_ value: Int) throws -> Int {
        guard WorkQueueConfig.priorityRange.contains(value) else {
            throw InputError(field: "priority", "must be between 1 (highest) and 10, got \(value)")
        }
        return value
    }

    public static func nonBlank(_ value: String, field: String) throws -> String {
        guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw InputError(field: field, "must not be empty")
        }
        return value
    }

    /// An ISO-8601 timestamp in canonical form.
    public static func timestamp(_ raw: String, field: String) throws -> String {
        Timestamp.format(try date(raw, field: field))
    }

    /// The time `raw` names; an ``InputError`` on `field` when it is not an ISO-8601 time with a zone.
    public static func date(_ raw: String, field: String) throws -> Date {
        guard let date = Timestamp.parse(raw) else {
            throw InputError(field: field, "must be an ISO-8601 time with a zone, like 2026-12-01T17:00:00Z, got \(String(reflecting: raw))")
        }
        return date
    }
}
