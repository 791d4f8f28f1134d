/// An entity's unique identifier: its type and id, written `Type::"id"` (`PhotoApp::User::"alice"`).
///
/// Built structurally, never by interpolating text into Cedar syntax: an id may contain any character (quotes,
/// backslashes, NUL) and must keep it.
public struct EntityUID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var type: EntityType
    public var id: CedarString

    public init(type: EntityType, id: CedarString) {
        self.type = type
        self.id = id
    }

    /// Cedar syntax, with the id escaped as Cedar prints it (`User::"a\"b"`).
    public var description: String { "\(type)::\"\(CedarEscaping.escape(id))\"" }

    public static func < (left: EntityUID, right: EntityUID) -> Bool {
        left.type == right.type ? left.id < right.id : left.type < right.type
    }
}

/// How Cedar writes a string literal's contents.
public enum CedarEscaping {
    /// Escapes `"`, `\`, control characters and the characters Cedar's printer escapes, as `\n`, `\t`, `\r`, `\0`,
    /// `\\`, `\"`, `\'` and `\u{…}`.
    public static func escape(_ string: CedarString) -> String {
        var out = ""
        for scalar in string.string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\0": out += "\\0"
            case "'": out += "\\'"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
