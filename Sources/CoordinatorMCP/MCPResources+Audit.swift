import CoordinatorCore
import Foundation

extension MCPResources {
    /// `audit://recent`: the 20 newest audit entries of all agents.
    static let audit = "audit://recent"

    /// "No audit log entries." or "# Recent Audit Log" with one block per entry: `[OK]`/`[FAIL]`, the operation,
    /// the agent and the duration, then the time and, for failures, the error.
    static func renderAudit(_ entries: [JSONValue]) -> String {
        guard !entries.isEmpty else { return "No audit log entries." }
        var lines = ["# Recent Audit Log"]
        for entry in entries {
            let outcome = entry["success"] == .bool(false) ? "FAIL" : "OK"
            let operation = entry["operation"]?.stringValue ?? "?"
            let agent = entry["agent_id"]?.stringValue ?? "?"
            let duration = entry["duration_ms"]?.doubleValue.map { " (\(milliseconds($0))ms)" } ?? ""
            lines += ["", "- [\(outcome)] **\(operation)** by \(agent)\(duration)"]
            if let time = entry["created_at"]?.stringValue { lines.append("  - \(time)") }
            if let error = entry["error_message"]?.stringValue, !error.isEmpty { lines.append("  - Error: \(error)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func milliseconds(_ value: Double) -> String {
        switch value {
        case ..<1: return String(format: "%.2f", value)
        case ..<100: return String(format: "%.1f", value)
        default: return String(format: "%.0f", value)
        }
    }
}
