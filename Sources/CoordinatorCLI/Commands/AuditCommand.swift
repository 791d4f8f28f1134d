import ArgumentParser
import CoordinatorCore
import Foundation

/// `coordinator audit`: read and prune the audit trail.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit trail: one immutable entry per operation any agent ran.",
        subcommands: [List.self, Prune.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show audit entries, newest first.",
            discussion: "--agent-id here filters the entries; you act as $AGENT_ID ($AGENT_TYPE, $SESSION_ID).")
        @Option(name: .customLong("agent-id"), help: "Only entries of this agent.") var agentId: String?
        @Option(help: "Only entries of this operation (e.g. acquire_lock).") var operation: String?
        @Option(help: "Only entries at or after this time (ISO-8601, e.g. 2026-12-01T00:00:00Z).") var since: String?
        @Option(help: "Only entries at or before this time (ISO-8601).") var until: String?
        @Option(help: "How many (1–500).") var limit: Int = AuditService.defaultLimit
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.perform("query_audit", [
                "agent_id": agentId.map(JSONValue.string), "operation": operation.map(JSONValue.string),
                "since": since.map(JSONValue.string), "until": until.map(JSONValue.string), "limit": .int(limit),
            ], line: ReadableLine.auditEntries, identity: try IdentityOptions.parse([]), output: output)
        }
    }

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete audit entries older than the retention window (the only deletion the audit table allows).",
            discussion: """
                Entries younger than one day can never be deleted, whatever the window. Not an MCP tool or HTTP endpoint: \
                pruning is an operator's decision. The prune itself is recorded in the audit trail (operation prune_audit).
                """)
        @Option(name: .customLong("older-than-days"), help: "Retention window in days (default: $AUDIT_RETENTION_DAYS, else 90).")
        var olderThanDays: Int?
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandEnvironment.run(identity: identity, output: output) { env in
                let days = olderThanDays ?? env.coordinator.config.audit.retentionDays
                let retention = AuditRetention(service: env.coordinator.audit, recorder: env.audit)
                try env.emit(try await retention.prune(olderThanDays: days, context: env.context), line: ReadableLine.auditPruned)
            }
        }
    }
}

extension ReadableLine {
    static func auditEntries(_ result: JSONValue) -> String {
        let entries = result["entries"]?.arrayValue ?? []
        guard !entries.isEmpty else { return "no audit entries" }
        return entries.map { entry in
            let outcome = entry["success"] == .bool(false) ? "FAIL" : "ok  "
            let duration = entry["duration_ms"]?.doubleValue.map { String(format: "%.2f ms", $0) } ?? "-"
            var line = "\(text(entry["created_at"]))  \(outcome)  \(text(entry["operation"]))  \(text(entry["agent_id"])) "
                + "(\(text(entry["agent_type"])))  \(duration)"
            if let error = entry["error_message"]?.stringValue, !error.isEmpty { line += "  \(error)" }
            return line
        }.joined(separator: "\n")
    }

    static func auditPruned(_ result: JSONValue) -> String {
        guard result["success"] == .bool(true) else { return declined(result) }
        return "deleted \(text(result["entries_deleted"])) audit entries older than \(text(result["retention_days"])) days"
    }
}
