/// Bounds what one audit entry stores, so a large input (a long description, 1,000 file paths) or result (every
/// lock) cannot bloat the audit table: long strings, arrays and objects are cut with a marker saying how much was
/// left out, deep nesting is summarised, and a document still over ``Limits/maxBytes`` keeps only its top-level
/// scalars. Strings also lose U+0000, which PostgreSQL cannot store in text or JSONB (it becomes U+FFFD). Pure.
public enum AuditSummary {
    public struct Limits: Sendable, Equatable {
        /// Characters kept of a string.
        public var maxStringLength: Int
        /// Elements kept of an array (then one marker string).
        public var maxItems: Int
        /// Members kept of an object, by name order (then `"…": "<n> more keys"`).
        public var maxKeys: Int
        /// Containers deeper than this become a one-line summary.
        public var maxDepth: Int
        /// Size of the JSON text above which only top-level scalars are kept.
        public var maxBytes: Int

        public init(maxStringLength: Int = 500, maxItems: Int = 20, maxKeys: Int = 50, maxDepth: Int = 4, maxBytes: Int = 8_192) {
            self.maxStringLength = maxStringLength
            self.maxItems = maxItems
            self.maxKeys = maxKeys
            self.maxDepth = maxDepth
            self.maxBytes = maxBytes
        }

        /// For operation inputs.
        public static let parameters = Limits()
        /// For results: listings (locks, tasks, handoffs) are summarised more tightly.
        public static let result = Limits(maxStringLength: 300, maxItems: 10, maxKeys: 40, maxDepth: 3, maxBytes: 4_096)
    }

    /// Characters kept of a member name.
    public static let maxKeyLength = 200

    /// The marker key of an object whose members were cut.
    public static let omittedKey = "…"

    /// `value` within `limits`; with `redacting`, secret members (``AuditRedaction``) are replaced in the same pass.
    public static func bounded(_ value: JSONValue, limits: Limits, redacting: Bool = false) -> JSONValue {
        var size = 0
        let cut = bounded(value, limits: limits, redacting: redacting, depth: 0, size: &size)
        // `size` is a lower bound of the JSON text's length (escapes are not counted): serialise only when it is close.
        guard size * 5 / 4 > limits.maxBytes, cut.jsonText.utf8.count > limits.maxBytes else { return cut }
        switch cut {
        case .object(let members):
            var scalars: JSONObject = [:]
            for (name, member) in members {
                switch member {
                case .array, .object: continue
                default: scalars[name] = member
                }
            }
            scalars[omittedKey] = .string("document larger than \(limits.maxBytes) bytes; only top-level values kept")
            return .object(scalars)
        default:
            return .string("[\(cut.typeName) larger than \(limits.maxBytes) bytes]")
        }
    }

    public static func bounded(_ members: JSONObject, limits: Limits, redacting: Bool = false) -> JSONObject {
        bounded(.object(members), limits: limits, redacting: redacting).objectValue ?? [:]
    }

    /// Text cut to `maxLength` characters (with a marker) and without U+0000.
    public static func text(_ text: String, maxLength: Int) -> String {
        let utf8 = text.utf8
        // Fast path: no NUL byte and few enough bytes that the characters cannot exceed the limit.
        if utf8.count <= maxLength, !utf8.contains(0) { return text }
        var clean = text
        if utf8.contains(0) {
            var scalars = String.UnicodeScalarView()
            for scalar in text.unicodeScalars { scalars.append(scalar == "\u{0}" ? "\u{FFFD}" : scalar) }
            clean = String(scalars)
        }
        let count = clean.count
        if count > maxLength {
            clean = String(clean.prefix(maxLength)) + "…[+\(count - maxLength) chars]"
        }
        return clean
    }

    private static func bounded(_ value: JSONValue, limits: Limits, redacting: Bool, depth: Int, size: inout Int) -> JSONValue {
        switch value {
        case .string(let string):
            let cut = text(string, maxLength: limits.maxStringLength)
            size += cut.utf8.count + 2
            return .string(cut)
        case .array(let items):
            guard depth < limits.maxDepth else {
                size += 30
                return .string("[array of \(items.count) items]")
            }
            var kept: [JSONValue] = []
            kept.reserveCapacity(min(items.count, limits.maxItems) + 1)
            for item in items.prefix(limits.maxItems) {
                kept.append(bounded(item, limits: limits, redacting: redacting, depth: depth + 1, size: &size))
                size += 1
            }
            if items.count > limits.maxItems {
                kept.append(.string("…[+\(items.count - limits.maxItems) items]"))
                size += 20
            }
            size += 2
            return .array(kept)
        case .object(let members):
            guard depth < limits.maxDepth else {
                size += 30
                return .string("[object with \(members.count) keys]")
            }
            var kept: JSONObject = [:]
            kept.reserveCapacity(min(members.count, limits.maxKeys) + 1)
            func keep(_ name: String, _ member: JSONValue) {
                let key = text(name, maxLength: maxKeyLength)
                size += key.utf8.count + 4
                if redacting, AuditRedaction.isSensitive(name) {
                    kept[key] = .string(AuditRedaction.placeholder)
                    size += AuditRedaction.placeholder.utf8.count + 2
                } else {
                    kept[key] = bounded(member, limits: limits, redacting: redacting, depth: depth + 1, size: &size)
                }
            }
            if members.count > limits.maxKeys {
                for name in members.keys.sorted().prefix(limits.maxKeys) { keep(name, members[name]!) }
                kept[omittedKey] = .string("\(members.count - limits.maxKeys) more keys")
                size += 20
            } else {
                for (name, member) in members { keep(name, member) }
            }
            size += 2
            return .object(kept)
        default:
            size += 8
            return value
        }
    }
}
