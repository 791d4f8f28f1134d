import CoordinatorCore
import Foundation
import GRDB

/// `get_pending_approvals` and `approve_changeset` (docs/storage-functions.md, Verification).
enum VerificationFunctions {
    static let all = [pendingApprovals, approve]

    static let pendingApprovals = StorageFunction("get_pending_approvals", parameters: []) { db, _ in
        let rows = try db.jsonRows(
            """
            SELECT a.id, a.changeset_id, a.requested_by, a.reason, a.status, a.created_at,
                   c.agent_id, c.description, c.changed_files
            FROM approval_queue a JOIN changesets c ON c.id = a.changeset_id
            WHERE a.status = 'pending'
            ORDER BY a.created_at, a.seq
            """, types: ["changed_files": .json])
        return ["approvals": .array(rows.map(JSONValue.object))]
    }

    static let approve = StorageFunction(
        "approve_changeset", parameters: ["p_approval_id", "p_reviewer", "p_approved", "p_notes", "p_now"]
    ) { db, arguments in
        guard let raw = try arguments.text("p_approval_id"), let uuid = UUID(uuidString: raw) else {
            throw SQLiteFailure.invalid("approve_changeset: p_approval_id must be a UUID")
        }
        let approvalId = uuid.uuidString.lowercased()
        guard let reviewer = try arguments.text("p_reviewer"), !reviewer.isBlank else {
            return ["success": false, "reason": "invalid_reviewer"]
        }
        guard let approved = try arguments.boolean("p_approved") else {
            return ["success": false, "reason": "invalid_decision"]
        }
        let now = Timestamp.format(try arguments.now())
        let status = approved ? "approved" : "denied"
        // Only a pending approval can be decided; the transaction is BEGIN IMMEDIATE, so nobody decides it
        // between this read and the update.
        guard let changesetId = try String.fetchOne(
            db, sql: "SELECT changeset_id FROM approval_queue WHERE id = ? AND status = 'pending'", arguments: [approvalId])
        else {
            return ["success": false, "reason": "approval_not_found_or_already_reviewed", "approval_id": .string(approvalId)]
        }
        try db.execute(
            sql: "UPDATE approval_queue SET status = ?, reviewed_by = ?, reviewed_at = ?, review_notes = ? WHERE id = ?",
            arguments: [status, reviewer, now, try arguments.text("p_notes"), approvalId])
        try db.execute(
            sql: "UPDATE changesets SET status = ?, updated_at = ? WHERE id = ?",
            arguments: [approved ? "approved" : "rejected", now, changesetId])
        return [
            "success": true, "approval_id": .string(approvalId), "changeset_id": .string(changesetId),
            "status": .string(status),
        ]
    }
}
