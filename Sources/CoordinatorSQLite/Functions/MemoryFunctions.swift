import CoordinatorCore
import Foundation
import GRDB

/// `store_episodic_memory` and `get_relevant_memories` (docs/storage-functions.md, Memory). Each call runs in
/// one `BEGIN IMMEDIATE` transaction, which also makes the dedup check-then-insert race-free across processes.
enum MemoryFunctions {
    static let all = [store, relevant]

    static let store = StorageFunction(
        "store_episodic_memory",
        parameters: ["p_agent_id", "p_session_id", "p_event_type", "p_summary", "p_details", "p_outcome", "p_lessons",
                     "p_tags", "p_dedup_window_minutes", "p_now"]
    ) { db, arguments in
        guard let agent = try arguments.text("p_agent_id"), !agent.isBlank else {
            return ["success": false, "reason": "invalid_agent_id"]
        }
        guard let summary = try arguments.text("p_summary"), !summary.isBlank else {
            return ["success": false, "reason": "invalid_summary"]
        }
        let details: JSONObject
        switch arguments.json("p_details", default: .object([:])) {
        case .null: details = [:]
        case .object(let members): details = members
        default: return ["success": false, "reason": "invalid_details"]
        }
        guard let window = try arguments.integer("p_dedup_window_minutes", default: 60),
            MemoryConfig.dedupWindowRange.contains(window)
        else {
            return ["success": false, "reason": "dedup_window_out_of_range"]
        }
        let eventType = try arguments.text("p_event_type").flatMap { $0.isBlank ? nil : $0 } ?? "discovery"
        let outcome = try arguments.text("p_outcome")
        let lessons = merged([], adding: try arguments.textArray("p_lessons") ?? [])
        let tags = merged([], adding: try arguments.textArray("p_tags") ?? [])
        let now = try arguments.now()

        if window > 0, let existing = try Row.fetchOne(
            db,
            sql: """
                SELECT id, details, outcome, lessons, tags FROM memory_episodic
                WHERE agent_id = ? AND event_type = ? AND created_at > ? AND summary = ?
                ORDER BY created_at DESC, seq DESC LIMIT 1
                """,
            arguments: [agent, eventType, Timestamp.format(now.addingTimeInterval(-Double(window) * 60)), summary])
        {
            // Merge: stored list items first, then new ones not yet present; details merge key by key (the new
            // value wins); a given outcome replaces the stored one.
            let id: String = existing["id"]
            var storedDetails = try storedJSON(existing["details"]).objectValue ?? [:]
            storedDetails.merge(details) { _, new in new }
            try db.execute(
                sql: "UPDATE memory_episodic SET details = ?, outcome = ?, lessons = ?, tags = ? WHERE id = ?",
                arguments: [
                    JSONValue.object(storedDetails).jsonText,
                    outcome ?? (existing["outcome"] as String?),
                    JSONValue(merged(try storedTexts(existing["lessons"]), adding: lessons)).jsonText,
                    JSONValue(merged(try storedTexts(existing["tags"]), adding: tags)).jsonText,
                    id,
                ])
            return ["success": true, "memory_id": .string(id), "action": "deduplicated"]
        }

        let id = UUID().uuidString.lowercased()
        let sessionId = try arguments.text("p_session_id").flatMap { $0.isBlank ? nil : $0 }
        try db.execute(
            sql: """
                INSERT INTO memory_episodic (id, agent_id, session_id, event_type, summary, details, outcome, lessons, tags,
                                             created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [id, agent, sessionId, eventType, summary, JSONValue.object(details).jsonText, outcome,
                        JSONValue(lessons).jsonText, JSONValue(tags).jsonText, Timestamp.format(now)])
        return ["success": true, "memory_id": .string(id), "action": "created"]
    }

    static let relevant = StorageFunction(
        "get_relevant_memories",
        parameters: ["p_agent_id", "p_tags", "p_event_type", "p_limit", "p_min_relevance", "p_task_description", "p_now"]
    ) { db, arguments in
        let agent = try arguments.text("p_agent_id").flatMap { $0.isBlank ? nil : $0 }
        let eventType = try arguments.text("p_event_type").flatMap { $0.isBlank ? nil : $0 }
        let wanted = Set(try arguments.textArray("p_tags") ?? [])
        let limit = min(max(try arguments.integer("p_limit", default: 10) ?? 10, 1), 100)
        let minimum = try arguments.number("p_min_relevance", default: 0) ?? 0
        let now = try arguments.now()

        var conditions: [String] = []
        var sqlArguments: [(any DatabaseValueConvertible)?] = []
        if let agent {
            conditions.append("agent_id = ?")
            sqlArguments.append(agent)
        }
        if let eventType {
            conditions.append("event_type = ?")
            sqlArguments.append(eventType)
        }
        if !wanted.isEmpty {
            let placeholders = Array(repeating: "?", count: wanted.count).joined(separator: ", ")
            conditions.append("seq IN (SELECT seq FROM memory_episodic_tags WHERE tag IN (\(placeholders)))")
            sqlArguments += wanted.sorted().map { $0 as (any DatabaseValueConvertible)? }
        }
        let sql = """
            SELECT seq, id, agent_id, session_id, event_type, summary, details, outcome, lessons, tags, relevance_score,
                   created_at
            FROM memory_episodic
            """ + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
        let types: [String: SQLiteColumnType] = [
            "seq": .integer, "details": .json, "lessons": .json, "tags": .json, "relevance_score": .real,
            "created_at": .timestamp,
        ]
        let candidates = try db.jsonRows(sql, sqlArguments, types: types)
        guard !candidates.isEmpty else { return .array([]) }

        var textRanks: [Int: Double] = [:]
        if let match = MemoryTextQuery.match(try arguments.text("p_task_description")) {
            // bm25 is lower for better matches; negated it is a positive rank. Column weights follow PostgreSQL's
            // ts_rank defaults for summary (A = 1.0), details (C = 0.2) and lessons (B = 0.4).
            for row in try Row.fetchAll(
                db, sql: "SELECT rowid, -bm25(memory_episodic_fts, 1.0, 0.2, 0.4) FROM memory_episodic_fts WHERE memory_episodic_fts MATCH ?",
                arguments: [match])
            {
                textRanks[row[0]] = max(row[1] as Double, 0)
            }
        }
        let bestRank = candidates.compactMap { $0["seq"]?.intValue.flatMap { textRanks[$0] } }.max() ?? 0

        var scored: [(memory: JSONObject, score: Double, createdAt: String, seq: Int)] = []
        for var memory in candidates {
            let seq = memory["seq"]?.intValue ?? 0
            let createdAt = memory["created_at"]?.stringValue ?? ""
            let relevance = memory["relevance_score"]?.doubleValue ?? 1
            let age = MemoryScore.ageInDays(createdAt: Timestamp.parse(createdAt) ?? now, now: now)
            let decayed = MemoryScore.decayed(relevance: relevance, ageInDays: age)
            let tags = (memory["tags"]?.arrayValue ?? []).compactMap(\.stringValue)
            let overlap = MemoryScore.tagOverlap(tags: tags, wanted: wanted)
            let textMatch = bestRank > 0 ? (textRanks[seq] ?? 0) / bestRank : 0
            let score = MemoryScore.score(decayedRelevance: decayed, tagOverlap: overlap, textMatch: textMatch)
            guard score >= minimum else { continue }
            memory["seq"] = nil
            memory["relevance_score"] = .double(relevance)
            memory["decayed_relevance"] = .double(decayed)
            memory["tag_overlap"] = .double(overlap)
            memory["text_match"] = .double(textMatch)
            memory["score"] = .double(score)
            scored.append((memory, score, createdAt, seq))
        }
        scored.sort { left, right in
            if left.score != right.score { return left.score > right.score }
            if left.createdAt != right.createdAt { return left.createdAt > right.createdAt }
            return left.seq > right.seq
        }
        return .array(scored.prefix(limit).map { .object($0.memory) })
    }

    /// `existing` followed by the items of `adding` it lacks, each once, in first-seen order.
    static func merged(_ existing: [String], adding: [String]) -> [String] {
        var seen = Set(existing)
        var result = existing
        for item in adding where seen.insert(item).inserted { result.append(item) }
        return result
    }

    private static func storedJSON(_ text: String?) throws -> JSONValue {
        guard let text else { return .null }
        return try JSONValue(jsonText: text)
    }

    private static func storedTexts(_ text: String?) throws -> [String] {
        (try storedJSON(text).arrayValue ?? []).compactMap(\.stringValue)
    }
}

extension StorageArguments {
    /// A floating-point number; `fallback` when absent, nil when explicitly null.
    func number(_ name: String, default fallback: Double?) throws -> Double? {
        switch values[name] {
        case nil: return fallback
        case .null?: return nil
        case let value?:
            if let number = value.doubleValue { return number }
            if let text = value.stringValue, let number = Double(text.trimmingCharacters(in: .whitespaces)) { return number }
            throw SQLiteFailure.invalid("function \(function): parameter \(name) must be double precision, got \(value.typeName)")
        }
    }
}
