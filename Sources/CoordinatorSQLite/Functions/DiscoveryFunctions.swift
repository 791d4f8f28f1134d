import CoordinatorCore
import Foundation
import GRDB

/// Session registration, heartbeats, discovery and dead-agent cleanup (docs/storage-functions.md, Discovery).
enum DiscoveryFunctions {
    static let all = [register, heartbeat, discover, cleanup]

    static let register = StorageFunction(
        "register_agent_session",
        parameters: ["p_agent_id", "p_agent_type", "p_session_id", "p_capabilities", "p_current_task", "p_now"]
    ) { db, arguments in
        guard let agent = try arguments.text("p_agent_id"), !agent.isBlank else {
            return ["success": false, "reason": "invalid_agent_id"]
        }
        let agentType = try arguments.text("p_agent_type").flatMap { $0.isBlank ? nil : $0 } ?? "unknown"
        let given = try arguments.text("p_session_id").flatMap { $0.isBlank ? nil : $0 }
        let sessionId = given ?? "\(agent)-\(UUID().uuidString.lowercased())"
        let capabilities = JSONValue(try arguments.textArray("p_capabilities") ?? []).jsonText
        let currentTask = try arguments.text("p_current_task")
        let now = Timestamp.format(try arguments.now())
        if let owner = try String.fetchOne(db, sql: "SELECT agent_id FROM agent_sessions WHERE id = ?", arguments: [sessionId]) {
            guard owner == agent else {
                return ["success": false, "reason": "session_owned_by_other_agent", "session_id": .string(sessionId)]
            }
            try db.execute(
                sql: """
                    UPDATE agent_sessions SET capabilities = ?, current_task = ?, status = 'active', last_heartbeat = ?,
                           ended_at = NULL
                    WHERE id = ?
                    """,
                arguments: [capabilities, currentTask, now, sessionId])
        } else {
            try db.execute(
                sql: """
                    INSERT INTO agent_sessions (id, agent_id, agent_type, started_at, capabilities, status, last_heartbeat,
                                                current_task)
                    VALUES (?, ?, ?, ?, ?, 'active', ?, ?)
                    """,
                arguments: [sessionId, agent, agentType, now, capabilities, now, currentTask])
        }
        return ["success": true, "session_id": .string(sessionId)]
    }

    static let heartbeat = StorageFunction("agent_heartbeat", parameters: ["p_session_id", "p_agent_id", "p_now"]) { db, arguments in
        let sessionId = try arguments.text("p_session_id").flatMap { $0.isBlank ? nil : $0 }
        let agent = try arguments.text("p_agent_id").flatMap { $0.isBlank ? nil : $0 }
        let now = Timestamp.format(try arguments.now())
        let target: String?
        if let sessionId {
            var sql = "SELECT id FROM agent_sessions WHERE id = ?"
            var sqlArguments: [(any DatabaseValueConvertible)?] = [sessionId]
            if let agent {
                sql += " AND agent_id = ?"
                sqlArguments.append(agent)
            }
            target = try String.fetchOne(db, sql: sql, arguments: StatementArguments(sqlArguments))
        } else if let agent {
            target = try String.fetchOne(
                db, sql: "SELECT id FROM agent_sessions WHERE agent_id = ? ORDER BY last_heartbeat DESC, rowid DESC LIMIT 1",
                arguments: [agent])
        } else {
            target = nil
        }
        guard let target else { return ["success": false, "error": "session_not_found", "reason": "session_not_found"] }
        try db.execute(
            sql: "UPDATE agent_sessions SET last_heartbeat = ?, status = 'active' WHERE id = ?", arguments: [now, target])
        return ["success": true, "session_id": .string(target)]
    }

    static let discover = StorageFunction("discover_agents", parameters: ["p_capability", "p_status"]) { db, arguments in
        var conditions: [String] = []
        var sqlArguments: [(any DatabaseValueConvertible)?] = []
        if let status = try arguments.text("p_status"), !status.isBlank {
            conditions.append("status = ?")
            sqlArguments.append(status)
        } else {
            conditions.append("status <> 'disconnected'")
        }
        if let capability = try arguments.text("p_capability"), !capability.isBlank {
            conditions.append("EXISTS (SELECT 1 FROM json_each(agent_sessions.capabilities) c WHERE c.value = ?)")
            sqlArguments.append(capability)
        }
        let rows = try db.jsonRows(
            """
            SELECT agent_id, agent_type, id AS session_id, capabilities, status, current_task, last_heartbeat, started_at
            FROM agent_sessions WHERE \(conditions.joined(separator: " AND "))
            ORDER BY last_heartbeat DESC, rowid DESC
            """, sqlArguments, types: ["capabilities": .json])
        return ["agents": .array(rows.map(JSONValue.object))]
    }

    static let cleanup = StorageFunction("cleanup_dead_agents", parameters: ["p_stale_threshold", "p_now"]) { db, arguments in
        let thresholdText = try arguments.text("p_stale_threshold") ?? "15 minutes"
        guard let threshold = IntervalText.seconds(thresholdText) else {
            throw SQLiteFailure.invalid("cleanup_dead_agents: p_stale_threshold is not an interval: \(String(reflecting: thresholdText))")
        }
        let now = try arguments.now()
        let nowText = Timestamp.format(now)
        let cutoff = Timestamp.format(now.addingTimeInterval(-threshold))
        let stale = try Row.fetchAll(
            db,
            sql: "SELECT id, agent_id FROM agent_sessions WHERE status IN ('active', 'idle') AND last_heartbeat < ?",
            arguments: [cutoff])
        for session in stale {
            try db.execute(
                sql: "UPDATE agent_sessions SET status = 'disconnected', ended_at = ? WHERE id = ?",
                arguments: [nowText, session["id"] as String])
        }
        var locksReleased = 0
        var tasksReleased = 0
        for agent in Set(stale.map { $0["agent_id"] as String }).sorted() {
            let alive = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM agent_sessions WHERE agent_id = ? AND status IN ('active', 'idle'))",
                arguments: [agent]) ?? false
            if alive { continue }
            try db.execute(sql: "DELETE FROM file_locks WHERE locked_by = ?", arguments: [agent])
            locksReleased += db.changesCount
            let claimed = try String.fetchAll(
                db, sql: "SELECT id FROM work_queue WHERE claimed_by = ? AND status IN ('claimed', 'running')", arguments: [agent])
            for task in claimed {
                try WorkQueueFunctions.releaseClaim(db, taskId: task, now: nowText)
                tasksReleased += 1
            }
        }
        try db.execute(sql: "DELETE FROM file_locks WHERE expires_at <= ?", arguments: [nowText])
        let swept = db.changesCount
        return [
            "success": true, "agents_cleaned": .int(stale.count), "locks_released": .int(locksReleased),
            "tasks_released": .int(tasksReleased), "expired_locks_swept": .int(swept),
        ]
    }
}
