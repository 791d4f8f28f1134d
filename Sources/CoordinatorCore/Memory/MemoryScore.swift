import Foundation

/// How `recall` ranks memories: the formula both backends implement (PostgreSQL in `get_relevant_memories`,
/// the embedded backend through this type).
///
///     age_days          = max(0, now − created_at) in seconds / 86400
///     decayed_relevance = relevance_score × e^(−0.1 × age_days)
///     tag_overlap       = |tags ∩ wanted tags| / |distinct wanted tags|      (0 when no tags are asked for)
///     text_match        = text_rank / best text_rank among the candidates   (0 without a description or a match)
///     score             = decayed_relevance × (1 + tag_overlap + text_match)
///
/// So a memory that shares every asked-for tag and is the best text match scores up to 3× its decayed relevance.
/// A memory with no text match is still returned, below matching ones of similar age. `min_relevance` is compared
/// with `score`. Only `text_rank` differs between backends (PostgreSQL `ts_rank`, SQLite FTS5 `bm25`); the best
/// text match has `text_match` 1 on both.
public enum MemoryScore {
    /// The decay rate per day.
    public static let decayPerDay = 0.1

    public static func ageInDays(createdAt: Date, now: Date) -> Double {
        max(now.timeIntervalSince(createdAt), 0) / 86_400
    }

    public static func decayed(relevance: Double, ageInDays: Double) -> Double {
        relevance * exp(-decayPerDay * ageInDays)
    }

    /// The share of `wanted` (distinct) found in `tags`; 0 when `wanted` is empty.
    public static func tagOverlap(tags: [String], wanted: Set<String>) -> Double {
        guard !wanted.isEmpty else { return 0 }
        return Double(wanted.intersection(tags).count) / Double(wanted.count)
    }

    public static func score(decayedRelevance: Double, tagOverlap: Double, textMatch: Double) -> Double {
        decayedRelevance * (1 + tagOverlap + textMatch)
    }
}
