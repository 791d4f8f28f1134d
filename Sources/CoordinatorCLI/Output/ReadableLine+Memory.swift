import CoordinatorCore
import Foundation

extension ReadableLine {
    static func remembered(_ result: JSONValue) -> String {
        guard result["success"] == .bool(true) else { return declined(result) }
        let verb = result["action"] == "deduplicated" ? "merged into memory" : "remembered as memory"
        return "\(verb) \(text(result["memory_id"]))"
    }

    static func memories(_ result: JSONValue) -> String {
        let items = result["memories"]?.arrayValue ?? []
        guard !items.isEmpty else { return "no memories" }
        return items.map { item in
            let score = item["score"]?.doubleValue.map { String(format: "%.3f", $0) } ?? "-"
            var lines = ["\(score)  [\(text(item["event_type"]))] \(text(item["summary"]))  (\(text(item["agent_id"])), \(text(item["created_at"])))"]
            let tags = (item["tags"]?.arrayValue ?? []).map { text($0) }
            if !tags.isEmpty { lines.append("  tags: " + tags.joined(separator: ", ")) }
            if let outcome = item["outcome"]?.stringValue { lines.append("  outcome: \(outcome)") }
            let lessons = (item["lessons"]?.arrayValue ?? []).map { text($0) }
            if !lessons.isEmpty { lines.append("  lessons: " + lessons.joined(separator: "; ")) }
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
