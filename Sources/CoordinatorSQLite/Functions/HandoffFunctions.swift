import CoordinatorCore
import Foundation
import GRDB

/// `write_handoff` and `read_handoff` (docs/storage-functions.md, Handoffs).
enum HandoffFunctions {
    static let all = [write, read]
    static let listColumns = ["completed_work", "in_progress", "decisions", "next_steps", "relevant_files"]

    static let write = StorageFunction(
        "write_handoff",
        parameters: ["p_agent_name", "p_session_id", "p_summary", "p_now"] + listColumns.map { "p_" + $0 }
    ) { db, arguments in
        guard let agent = try arguments.text("p_agent_name"), !agent.isBlank else {
            return ["success": false, "error": "invalid_agent_name", "reason": "invalid_agent_name"]
        }
        guard let summary = try arguments.text("p_summary"), !summary.isBlank else {
            return ["success": false, "error": "summary_required", "reason": "summary_required"]
        }
        let id = UUID().uuidString.lowercased()
        let lists = listColumns.map { column -> String in
            let value = arguments.json("p_" + column, default: [])
            return (value.isNull ? JSONValue.array([]) : value).jsonText
        }
        try db.execute(
            sql: """
                INSERT INTO handoff_documents (id, agent_name, session_id, summary, completed_work, in_progress, decisions,
                                               next_steps, relevant_files, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: StatementArguments([id, agent, try arguments.text("p_session_id"), summary] + lists
                + [Timestamp.format(try arguments.now())]))
        return ["success": true, "handoff_id": .string(id)]
    }

    static let read = StorageFunction("read_handoff", parameters: ["p_agent_name", "p_limit"]) { db, arguments in
        let agent = try arguments.text("p_agent_name").flatMap { $0.isBlank ? nil : $0 }
        let limit = min(max(try arguments.integer("p_limit", default: 1) ?? 1, 1), 100)
        var sql = """
            SELECT id, agent_name, session_id, summary, completed_work, in_progress, decisions, next_steps,
                   relevant_files, created_at
            FROM handoff_documents
            """
        var sqlArguments: [(any DatabaseValueConvertible)?] = []
        if let agent {
            sql += " WHERE agent_name = ?"
            sqlArguments.append(agent)
        }
        sql += " ORDER BY created_at DESC, seq DESC LIMIT ?"
        sqlArguments.append(limit)
        let types = Dictionary(uniqueKeysWithValues: listColumns.map { ($0, SQLiteColumnType.json) })
        let rows = try db.jsonRows(sql, sqlArguments, types: types)
        return ["handoffs": .array(rows.map(JSONValue.object))]
    }
}
