import CoordinatorCore
import Foundation
import GRDB
import Synchronization

/// `check_guardrails` and `queue_guardrail_approval` (docs/storage-functions.md, Guardrails).
enum GuardrailFunctions {
    static let all = [check, queueApproval]

    /// Characters of an operation text kept as an approval request's changeset description (as on PostgreSQL).
    static let approvalTextLimit = 2000

    /// Files a pending approval (changeset + approval request) for an operation the guardrails refused, or returns
    /// the identical request (same agent, same text) that is still pending. The SQLite connection's write lock
    /// serialises two identical requests, so the second finds the first.
    static let queueApproval = StorageFunction(
        "queue_guardrail_approval",
        parameters: ["p_agent_id", "p_operation_text", "p_reason", "p_file_paths", "p_session_id", "p_now"]
    ) { db, arguments in
        guard let agent = try arguments.text("p_agent_id"), !agent.isBlank else {
            return ["success": false, "reason": "invalid_agent_id"]
        }
        let files = arguments.json("p_file_paths", default: .array([]))
        guard case .array = files else { return ["success": false, "reason": "invalid_file_paths"] }
        let text = (try arguments.text("p_operation_text") ?? "").prefixScalars(approvalTextLimit)
        let now = Timestamp.format(try arguments.now())
        if let pending = try Row.fetchOne(
            db,
            sql: """
                SELECT a.id, a.changeset_id FROM approval_queue a JOIN changesets c ON c.id = a.changeset_id
                WHERE a.status = 'pending' AND c.agent_id = ? AND c.description = ?
                ORDER BY a.created_at, a.seq LIMIT 1
                """,
            arguments: [agent, text]) {
            return ["success": true, "approval_id": .string(pending["id"]), "changeset_id": .string(pending["changeset_id"]),
                    "created": false]
        }
        let changeset = UUID().uuidString.lowercased()
        let approval = UUID().uuidString.lowercased()
        try db.execute(
            sql: """
                INSERT INTO changesets (id, agent_id, session_id, changed_files, description, status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)
                """,
            arguments: [changeset, agent, try arguments.text("p_session_id"), files.jsonText, text, now, now])
        try db.execute(
            sql: "INSERT INTO approval_queue (id, changeset_id, requested_by, reason, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [approval, changeset, agent, try arguments.text("p_reason"), now])
        return ["success": true, "approval_id": .string(approval), "changeset_id": .string(changeset), "created": true]
    }

    /// Characters of the checked text kept in a violation row, and of a match in a report (as on PostgreSQL).
    static let operationTextLimit = 500
    static let matchedTextLimit = 200

    static let check = StorageFunction(
        "check_guardrails", parameters: ["p_operation_text", "p_agent_id", "p_trust_level", "p_now"]
    ) { db, arguments in
        let text = try arguments.text("p_operation_text") ?? ""
        let agent = try arguments.text("p_agent_id").flatMap { $0.isBlank ? nil : $0 }
        guard let trust = try arguments.integer("p_trust_level", default: 2), (0...4).contains(trust) else {
            return ["success": false, "reason": "trust_level_out_of_range"]
        }
        let now = Timestamp.format(try arguments.now())
        let guards = try Row.fetchAll(
            db,
            sql: """
                SELECT name, category, pattern, severity, min_trust_level FROM operation_guardrails
                WHERE enabled ORDER BY name
                """)
        var safe = true
        var violations: [JSONValue] = []
        for row in guards {
            let name: String = row["name"]
            let pattern = try GuardrailPattern.compiled(row["pattern"], name: name)
            guard let matched = pattern.firstMatch(in: text) else { continue }
            let category: String = row["category"]
            let severity: String = row["severity"]
            let blocked: Bool
            let elevated: Bool
            if category == "credential" {
                (blocked, elevated) = (true, false)
            } else if trust >= row["min_trust_level"] as Int {
                (blocked, elevated) = (false, true)
            } else {
                (blocked, elevated) = (severity == "block", false)
            }
            safe = safe && !blocked
            let matchedText = matched.prefixScalars(matchedTextLimit)
            violations.append([
                "pattern_name": .string(name), "category": .string(category), "severity": .string(severity),
                "blocked": .bool(blocked), "elevated": .bool(elevated), "matched_text": .string(matchedText),
            ])
            if let agent {
                try db.execute(
                    sql: """
                        INSERT INTO guardrail_violations (id, agent_id, pattern_name, category, operation_text, matched_text,
                                                          blocked, elevated, trust_level, context, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [UUID().uuidString.lowercased(), agent, name, category, text.prefixScalars(operationTextLimit),
                                matchedText, blocked, elevated, trust, JSONValue.object(["severity": .string(severity)]).jsonText,
                                now])
            }
        }
        return ["success": true, "safe": .bool(safe), "violations": .array(violations)]
    }
}

/// A guardrail's regular expression, compiled once per pattern text and searched like PostgreSQL's
/// `~*` / `regexp_substr(…, 'i')`: case-insensitive, anywhere in the text, `.` matching line breaks too.
///
/// The reported match is the leftmost-longest one, as PostgreSQL's engine reports for these (greedy)
/// patterns; ICU reports the first alternative that matches, so for `\.(env|env\.local)` on `.env.local` it
/// would stop at `.env`. Longer ends are tried up to the 200 reported characters.
final class GuardrailPattern: @unchecked Sendable {
    // NSRegularExpression is immutable and safe to use from several threads.
    private let search: NSRegularExpression
    private let wholeRange: NSRegularExpression

    private static let cache = Mutex<[String: GuardrailPattern]>([:])

    private init(_ pattern: String) throws {
        let options: NSRegularExpression.Options = [.caseInsensitive, .dotMatchesLineSeparators]
        search = try NSRegularExpression(pattern: pattern, options: options)
        // Matches only when the match ends where the searched range ends.
        wholeRange = try NSRegularExpression(pattern: "(?:" + pattern + ")\\z", options: options)
    }

    static func compiled(_ pattern: String, name: String) throws -> GuardrailPattern {
        if let known = cache.withLock({ $0[pattern] }) { return known }
        let compiled: GuardrailPattern
        do {
            compiled = try GuardrailPattern(pattern)
        } catch {
            throw SQLiteFailure.invalid("check_guardrails: the pattern of guardrail \(name) is not a valid regular expression: \(String(reflecting: pattern))")
        }
        cache.withLock { $0[pattern] = compiled }
        return compiled
    }

    /// The leftmost match's text (the longest one starting there, up to the reporting limit); nil when none.
    func firstMatch(in text: String) -> String? {
        let utf16 = text.utf16.count
        guard let first = search.firstMatch(in: text, range: NSRange(location: 0, length: utf16)) else { return nil }
        let start = first.range.location
        var end = first.range.location + first.range.length
        let limit = min(utf16, start + GuardrailFunctions.matchedTextLimit)
        var candidate = limit
        while candidate > end {
            let range = NSRange(location: start, length: candidate - start)
            if wholeRange.firstMatch(in: text, options: [.anchored], range: range) != nil {
                end = candidate
                break
            }
            candidate -= 1
        }
        guard let bounds = Range(NSRange(location: start, length: end - start), in: text) ?? Range(first.range, in: text) else {
            return ""
        }
        return String(text[bounds])
    }
}

fileprivate extension String {
    /// The first `count` Unicode scalars (PostgreSQL's `left(text, n)` counts code points).
    func prefixScalars(_ count: Int) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: unicodeScalars.prefix(count))
        return String(scalars)
    }
}
