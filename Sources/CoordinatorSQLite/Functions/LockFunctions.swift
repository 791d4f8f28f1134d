import CoordinatorCore
import Foundation
import GRDB

/// `acquire_lock` and `release_lock` (docs/storage-functions.md, Locks).
enum LockFunctions {
    static let all = [acquire, release]

    static let acquire = StorageFunction(
        "acquire_lock",
        parameters: ["p_file_path", "p_agent_id", "p_agent_type", "p_session_id", "p_reason", "p_ttl_minutes", "p_now"]
    ) { db, arguments in
        let path = try arguments.text("p_file_path")
        let agent = try arguments.text("p_agent_id")
        let ttl = try arguments.integer("p_ttl_minutes", default: 120)
        let now = try arguments.now()
        guard let path, !path.isBlank else { return ["success": false, "reason": "invalid_file_path"] }
        guard let agent, !agent.isBlank else { return ["success": false, "reason": "invalid_agent_id"] }
        guard let ttl, LockConfig.ttlRange.contains(ttl) else { return ["success": false, "reason": "ttl_out_of_range"] }
        let agentType = try arguments.text("p_agent_type").flatMap { $0.isBlank ? nil : $0 } ?? "unknown"
        let reason = try arguments.text("p_reason")
        let nowText = Timestamp.format(now)
        let expires = Timestamp.format(now.addingTimeInterval(Double(ttl) * 60))

        try db.execute(sql: "DELETE FROM file_locks WHERE file_path = ? AND expires_at <= ?", arguments: [path, nowText])
        try db.execute(
            sql: """
                INSERT INTO file_locks (file_path, locked_by, agent_type, session_id, locked_at, expires_at, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (file_path) DO NOTHING
                """,
            arguments: [path, agent, agentType, try arguments.text("p_session_id"), nowText, expires, reason])
        if db.changesCount == 1 {
            return ["success": true, "action": "acquired", "file_path": .string(path), "expires_at": .string(expires)]
        }
        guard let holder = try db.jsonRows(
            "SELECT locked_by, agent_type, locked_at, expires_at, reason FROM file_locks WHERE file_path = ?", [path]
        ).first else {
            throw SQLiteFailure.invalid("acquire_lock: lock row vanished inside a write transaction")
        }
        if holder["locked_by"]?.stringValue == agent {
            try db.execute(
                sql: "UPDATE file_locks SET expires_at = ?, reason = COALESCE(?, reason) WHERE file_path = ?",
                arguments: [expires, reason, path])
            return ["success": true, "action": "refreshed", "file_path": .string(path), "expires_at": .string(expires)]
        }
        return [
            "success": false, "reason": "locked_by_other", "file_path": .string(path),
            "locked_by": holder["locked_by"] ?? .null, "agent_type": holder["agent_type"] ?? .null,
            "locked_at": holder["locked_at"] ?? .null, "expires_at": holder["expires_at"] ?? .null,
            "lock_reason": holder["reason"] ?? .null,
        ]
    }

    static let release = StorageFunction("release_lock", parameters: ["p_file_path", "p_agent_id", "p_now"]) { db, arguments in
        let path = try arguments.text("p_file_path") ?? ""
        let agent = try arguments.text("p_agent_id") ?? ""
        let now = Timestamp.format(try arguments.now())
        try db.execute(
            sql: "DELETE FROM file_locks WHERE file_path = ? AND locked_by = ? AND expires_at > ?",
            arguments: [path, agent, now])
        if db.changesCount == 1 {
            return ["success": true, "action": "released", "file_path": .string(path)]
        }
        return ["success": false, "reason": "lock_not_found_or_not_owner", "file_path": .string(path)]
    }
}
