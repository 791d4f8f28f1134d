import CoordinatorCore
import Foundation
import GRDB

/// The work-queue storage functions (docs/storage-functions.md, Work queue).
enum WorkQueueFunctions {
    static let all = [submit, claim, renewLease, complete, cancel]

    static let submit = StorageFunction(
        "submit_task",
        parameters: ["p_task_type", "p_description", "p_input_data", "p_priority", "p_depends_on", "p_deadline",
                     "p_max_attempts", "p_now"]
    ) { db, arguments in
        let taskType = try arguments.text("p_task_type")
        let description = try arguments.text("p_description")
        let priority = try arguments.integer("p_priority", default: 5)
        let maxAttempts = try arguments.integer("p_max_attempts", default: 3)
        let now = Timestamp.format(try arguments.now())
        guard let taskType, !taskType.isBlank else { return ["success": false, "reason": "invalid_task_type"] }
        guard let description, !description.isBlank else { return ["success": false, "reason": "invalid_description"] }
        guard let priority, WorkQueueConfig.priorityRange.contains(priority) else {
            return ["success": false, "reason": "priority_out_of_range"]
        }
        guard let maxAttempts, WorkQueueConfig.maxAttemptsRange.contains(maxAttempts) else {
            return ["success": false, "reason": "max_attempts_out_of_range"]
        }
        var dependencies: [String] = []
        for raw in try arguments.textArray("p_depends_on") ?? [] {
            guard let uuid = UUID(uuidString: raw) else {
                throw SQLiteFailure.invalid("submit_task: p_depends_on holds a non-UUID \(String(reflecting: raw))")
            }
            let id = uuid.uuidString.lowercased()
            if !dependencies.contains(id) { dependencies.append(id) }
        }
        if !dependencies.isEmpty {
            let placeholders = Array(repeating: "?", count: dependencies.count).joined(separator: ", ")
            let found = try Row.fetchAll(
                db, sql: "SELECT id, status FROM work_queue WHERE id IN (\(placeholders))",
                arguments: StatementArguments(dependencies))
            let statusById = Dictionary(uniqueKeysWithValues: found.map { ($0["id"] as String, $0["status"] as String) })
            let missing = dependencies.filter { statusById[$0] == nil }
            if !missing.isEmpty {
                return ["success": false, "reason": "unknown_dependency", "missing": JSONValue(missing)]
            }
            if let failed = dependencies.first(where: { ["failed", "cancelled"].contains(statusById[$0]) }) {
                return ["success": false, "reason": "dependency_failed", "dependency_id": .string(failed)]
            }
        }
        let deadline = try arguments.text("p_deadline").map { text -> String in
            guard let canonical = Timestamp.canonical(text) else {
                throw SQLiteFailure.invalid("submit_task: p_deadline is not a timestamp: \(String(reflecting: text))")
            }
            return canonical
        }
        let input = arguments.json("p_input_data")
        let id = UUID().uuidString.lowercased()
        try db.execute(
            sql: """
                INSERT INTO work_queue (id, task_type, description, input_data, priority, depends_on, status, created_at,
                                        deadline, max_attempts)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)
                """,
            arguments: [id, taskType, description, input.isNull ? nil : input.jsonText, priority,
                        dependencies.isEmpty ? nil : JSONValue(dependencies).jsonText, now, deadline, maxAttempts])
        for dependency in dependencies {
            try db.execute(
                sql: "INSERT INTO work_queue_dependencies (dependency_id, task_id) VALUES (?, ?)", arguments: [dependency, id])
        }
        return ["success": true, "task_id": .string(id)]
    }

    static let claim = StorageFunction(
        "claim_task", parameters: ["p_agent_id", "p_agent_type", "p_task_types", "p_lease_minutes", "p_now"]
    ) { db, arguments in
        let agent = try arguments.text("p_agent_id")
        let lease = try arguments.integer("p_lease_minutes", default: 30)
        let now = try arguments.now()
        guard let agent, !agent.isBlank else { return ["success": false, "reason": "invalid_agent_id"] }
        guard let lease, WorkQueueConfig.leaseRange.contains(lease) else {
            return ["success": false, "reason": "lease_out_of_range"]
        }
        let nowText = Timestamp.format(now)
        try expireLeases(db, now: nowText)

        let types = (try arguments.textArray("p_task_types") ?? [])
        // INDEXED BY pins the partial pending index: without statistics SQLite would pick the status index and
        // sort every pending row on each claim.
        var sql = "SELECT id FROM work_queue t INDEXED BY idx_work_queue_pending WHERE status = 'pending'"
        var sqlArguments: [(any DatabaseValueConvertible)?] = []
        if !types.isEmpty {
            sql += " AND task_type IN (\(Array(repeating: "?", count: types.count).joined(separator: ", ")))"
            sqlArguments += types
        }
        sql += """
             AND NOT EXISTS (SELECT 1 FROM work_queue_dependencies d JOIN work_queue w ON w.id = d.dependency_id
                             WHERE d.task_id = t.id AND w.status <> 'completed')
            ORDER BY priority, seq LIMIT 1
            """
        guard let id = try String.fetchOne(db, sql: sql, arguments: StatementArguments(sqlArguments)) else {
            return ["success": false, "reason": "no_tasks_available"]
        }
        let leaseEnd = Timestamp.format(now.addingTimeInterval(Double(lease) * 60))
        try db.execute(
            sql: """
                UPDATE work_queue SET status = 'claimed', claimed_by = ?, claimed_at = ?, attempt_count = attempt_count + 1,
                       lease_expires_at = ?
                WHERE id = ?
                """,
            arguments: [agent, nowText, leaseEnd, id])
        guard let task = try db.jsonRows(
            """
            SELECT id AS task_id, task_type, description, input_data, priority, deadline, attempt_count, max_attempts,
                   lease_expires_at
            FROM work_queue WHERE id = ?
            """, [id], types: ["input_data": .json]
        ).first else {
            throw SQLiteFailure.invalid("claim_task: claimed row vanished inside a write transaction")
        }
        return .object(task.merging(["success": true], uniquingKeysWith: { _, new in new }))
    }

    static let renewLease = StorageFunction(
        "renew_task_lease", parameters: ["p_task_id", "p_agent_id", "p_lease_minutes", "p_now"]
    ) { db, arguments in
        let id = try taskId(arguments)
        let agent = try arguments.text("p_agent_id") ?? ""
        let lease = try arguments.integer("p_lease_minutes", default: 30)
        let now = try arguments.now()
        guard let lease, WorkQueueConfig.leaseRange.contains(lease) else {
            return ["success": false, "reason": "lease_out_of_range"]
        }
        if let refusal = try refusalUnlessActiveClaim(db, taskId: id, agent: agent) { return refusal }
        let nowText = Timestamp.format(now)
        let leaseEnd = Timestamp.format(now.addingTimeInterval(Double(lease) * 60))
        try db.execute(
            sql: """
                UPDATE work_queue SET status = 'running', started_at = COALESCE(started_at, ?), lease_expires_at = ?
                WHERE id = ?
                """,
            arguments: [nowText, leaseEnd, id])
        return ["success": true, "task_id": .string(id), "status": "running", "lease_expires_at": .string(leaseEnd)]
    }

    static let complete = StorageFunction(
        "complete_task", parameters: ["p_task_id", "p_agent_id", "p_success", "p_result", "p_error_message", "p_now"]
    ) { db, arguments in
        let id = try taskId(arguments)
        let agent = try arguments.text("p_agent_id") ?? ""
        let succeeded = try arguments.boolean("p_success") ?? false
        let now = Timestamp.format(try arguments.now())
        if let refusal = try refusalUnlessActiveClaim(db, taskId: id, agent: agent) { return refusal }
        let result = arguments.json("p_result")
        let newStatus = succeeded ? "completed" : "failed"
        try db.execute(
            sql: """
                UPDATE work_queue SET status = ?, result = ?, error_message = ?, completed_at = ?, lease_expires_at = NULL
                WHERE id = ?
                """,
            arguments: [newStatus, result.isNull ? nil : result.jsonText, try arguments.text("p_error_message"), now, id])
        let dependentsFailed = succeeded ? 0 : try failDependents(db, of: id, now: now)
        return ["success": true, "status": .string(newStatus), "task_id": .string(id), "dependents_failed": .int(dependentsFailed)]
    }

    static let cancel = StorageFunction("cancel_task", parameters: ["p_task_id", "p_agent_id", "p_reason", "p_now"]) { db, arguments in
        let id = try taskId(arguments)
        let agent = try arguments.text("p_agent_id") ?? "unknown"
        let now = Timestamp.format(try arguments.now())
        guard let status = try String.fetchOne(db, sql: "SELECT status FROM work_queue WHERE id = ?", arguments: [id]) else {
            return ["success": false, "reason": "task_not_found", "task_id": .string(id)]
        }
        guard !(TaskStatus(rawValue: status)?.isFinal ?? true) else {
            return ["success": false, "reason": "task_not_cancellable", "task_id": .string(id), "status": .string(status)]
        }
        let message = "cancelled by \(agent): \(try arguments.text("p_reason") ?? "")"
        try db.execute(
            sql: """
                UPDATE work_queue SET status = 'cancelled', error_message = ?, completed_at = ?, lease_expires_at = NULL
                WHERE id = ?
                """,
            arguments: [message, now, id])
        let dependentsFailed = try failDependents(db, of: id, now: now)
        return ["success": true, "task_id": .string(id), "status": "cancelled", "dependents_failed": .int(dependentsFailed)]
    }

    /// Why `agent` may not act on `taskId` as its claimer (not found / not its claim / not claimed or running),
    /// or nil when it may.
    private static func refusalUnlessActiveClaim(_ db: Database, taskId id: String, agent: String) throws -> JSONValue? {
        guard let row = try Row.fetchOne(db, sql: "SELECT status, claimed_by FROM work_queue WHERE id = ?", arguments: [id]),
            row["claimed_by"] as String? == agent
        else {
            return ["success": false, "reason": "task_not_found_or_not_claimed_by_agent", "task_id": .string(id)]
        }
        let status: String = row["status"]
        guard TaskStatus(rawValue: status)?.isActive == true else {
            return ["success": false, "reason": "task_not_active", "task_id": .string(id), "status": .string(status)]
        }
        return nil
    }

    private static func taskId(_ arguments: StorageArguments) throws -> String {
        guard let raw = try arguments.text("p_task_id"), let uuid = UUID(uuidString: raw) else {
            throw SQLiteFailure.invalid("\(arguments.function): p_task_id must be a UUID")
        }
        return uuid.uuidString.lowercased()
    }

    /// Fails every pending task that waits, directly or transitively, on `taskId` (each names `taskId`, the task
    /// that ended, as the cause); returns how many.
    static func failDependents(_ db: Database, of taskId: String, now: String) throws -> Int {
        var frontier = [taskId]
        var failed = 0
        while let ended = frontier.popLast() {
            let dependents = try String.fetchAll(
                db,
                sql: """
                    SELECT w.id FROM work_queue_dependencies d JOIN work_queue w ON w.id = d.task_id
                    WHERE d.dependency_id = ? AND w.status = 'pending'
                    """,
                arguments: [ended])
            for dependent in dependents {
                try db.execute(
                    sql: """
                        UPDATE work_queue SET status = 'failed', error_message = ?, completed_at = ?
                        WHERE id = ? AND status = 'pending'
                        """,
                    arguments: ["dependency_failed: \(taskId)", now, dependent])
                failed += db.changesCount
                frontier.append(dependent)
            }
        }
        return failed
    }

    /// Returns claimed tasks whose lease ran out to the queue (or fails them after `max_attempts`).
    static func expireLeases(_ db: Database, now: String) throws {
        let expired = try String.fetchAll(
            db,
            sql: """
                SELECT id FROM work_queue INDEXED BY idx_work_queue_lease
                WHERE status IN ('claimed', 'running') AND lease_expires_at <= ?
                """,
            arguments: [now])
        for id in expired { try releaseClaim(db, taskId: id, now: now) }
    }

    /// Takes a task away from its claimer: back to `pending` while attempts remain, else `failed` (with the
    /// dependency cascade). Returns true when it went back to the queue.
    @discardableResult
    static func releaseClaim(_ db: Database, taskId: String, now: String) throws -> Bool {
        try db.execute(
            sql: """
                UPDATE work_queue SET status = 'pending', claimed_by = NULL, claimed_at = NULL, lease_expires_at = NULL,
                       error_message = 'claim_lease_expired'
                WHERE id = ? AND status IN ('claimed', 'running') AND attempt_count < max_attempts
                """,
            arguments: [taskId])
        if db.changesCount == 1 { return true }
        try db.execute(
            sql: """
                UPDATE work_queue SET status = 'failed', lease_expires_at = NULL, completed_at = ?,
                       error_message = 'claim_lease_expired: max_attempts reached'
                WHERE id = ? AND status IN ('claimed', 'running')
                """,
            arguments: [now, taskId])
        if db.changesCount == 1 { _ = try failDependents(db, of: taskId, now: now) }
        return false
    }
}
