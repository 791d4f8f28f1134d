/// Removes secrets from what the audit trail stores: the value of every object member whose name looks like a
/// credential (`password`, `secret`, `token`, `api_key`, `authorization`, `credential`, `private_key`, and names
/// containing them, such as `github_token` or `DB_PASSWORD`) becomes `"[REDACTED]"`, at any depth. Pure.
///
/// Names are compared case-insensitively with `-` and spaces read as `_` (`X-Api-Key` matches `api_key`). Matching
/// by substring redacts a little too much (`max_tokens`) rather than too little.
public enum AuditRedaction {
    public static let placeholder = "[REDACTED]"

    /// Name fragments that mark a member as secret.
    public static let sensitiveFragments = [
        "password", "passwd", "passphrase", "secret", "token", "api_key", "apikey", "authorization", "credential",
        "private_key", "privatekey", "cookie", "session_key",
    ]

    /// `value` with every secret member's value replaced by ``placeholder``.
    public static func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var redacted: JSONObject = [:]
            redacted.reserveCapacity(members.count)
            for (name, member) in members {
                redacted[name] = isSensitive(name) ? .string(placeholder) : redact(member)
            }
            return .object(redacted)
        case .array(let items):
            return .array(items.map(redact))
        default:
            return value
        }
    }

    public static func redact(_ members: JSONObject) -> JSONObject {
        redact(.object(members)).objectValue ?? [:]
    }

    /// Whether a member of this name holds a secret.
    public static func isSensitive(_ name: String) -> Bool {
        // Byte-wise (names are short and this runs for every member of every audited call): ASCII lower-cased,
        // `-` and space read as `_`; non-ASCII bytes never match a fragment.
        var normalised = [UInt8]()
        normalised.reserveCapacity(name.utf8.count)
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): normalised.append(byte + 32)
            case UInt8(ascii: "-"), UInt8(ascii: " "): normalised.append(UInt8(ascii: "_"))
            default: normalised.append(byte)
            }
        }
        return fragmentBytes.contains { fragment in contains(normalised, fragment) }
    }

    private static let fragmentBytes = sensitiveFragments.map { Array($0.utf8) }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        let first = needle[0]
        var start = 0
        while start <= haystack.count - needle.count {
            if haystack[start] == first {
                var index = 1
                while index < needle.count && haystack[start + index] == needle[index] { index += 1 }
                if index == needle.count { return true }
            }
            start += 1
        }
        return false
    }
}
