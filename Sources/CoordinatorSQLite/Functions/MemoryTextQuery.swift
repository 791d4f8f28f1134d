/// Turns a task description into an FTS5 query that matches memories sharing any of its words, as PostgreSQL's
/// `memory_task_query` ORs the description's lexemes: words are split at anything but letters and digits,
/// lower-cased, common English function words are dropped (PostgreSQL's `english` configuration drops its stop
/// words too), and each remaining word is quoted so no character of the input acts as FTS5 syntax. The table's
/// Porter tokenizer stems the quoted words.
enum MemoryTextQuery {
    /// The MATCH expression, or nil when the description has no searchable word.
    static func match(_ description: String?) -> String? {
        guard let description else { return nil }
        var words: [String] = []
        var seen = Set<String>()
        for word in description.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        where !stopWords.contains(word) && seen.insert(word).inserted {
            words.append(word)
        }
        guard !words.isEmpty else { return nil }
        return words.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " OR ")
    }

    static let stopWords: Set<String> = [
        "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
        "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further",
        "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how",
        "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself",
        "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves",
        "out", "over", "own", "s", "same", "she", "should", "so", "some", "such", "t", "than", "that", "the",
        "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to",
        "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who",
        "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves",
    ]
}
