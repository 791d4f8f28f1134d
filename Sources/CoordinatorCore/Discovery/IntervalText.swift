/// PostgreSQL interval text as the storage functions take it (`'15 minutes'`, `'1 hour'`, `'90 seconds'`,
/// `'2 days'`, or `HH:MM:SS`), in seconds; `nil` when it is not of that form.
public enum IntervalText {
    public static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let clock = trimmed.split(separator: ":")
        if clock.count == 3, let hours = Double(clock[0]), let minutes = Double(clock[1]), let seconds = Double(clock[2]) {
            return hours * 3600 + minutes * 60 + seconds
        }
        let words = trimmed.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count == 2, let amount = Double(words[0]), amount.isFinite else { return nil }
        switch words[1] {
        case "second", "seconds", "sec", "secs", "s": return amount
        case "minute", "minutes", "min", "mins", "m": return amount * 60
        case "hour", "hours", "h": return amount * 3600
        case "day", "days", "d": return amount * 86_400
        default: return nil
        }
    }
}

import Foundation
