/// Writes `JSONValue`s as compact JSON text (no whitespace, members in order, strings scalar-exact with only `"`, `\`
/// and control characters escaped).
public enum JSONWriter {
    public static func compact(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    public static func write(_ value: JSONValue, into out: inout String) {
        switch value.kind {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let number): out += number.text
        case .string(let text): writeString(text, into: &out)
        case .array(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                write(element, into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                writeString(member.key, into: &out)
                out += ":"
                write(member.value, into: &out)
            }
            out += "}"
        }
    }

    /// `text` as a JSON string literal.
    public static func quote(_ text: CedarString) -> String {
        var out = ""
        writeString(text, into: &out)
        return out
    }

    /// Escapes as serde_json does (so EST text matches the reference engine's): `\"`, `\\`, `\b`, `\f`, `\n`, `\r`,
    /// `\t`, other control characters as `\u00xx`; everything else, including non-ASCII, as is.
    static func writeString(_ text: CedarString, into out: inout String) {
        out += "\""
        for scalar in text.string.unicodeScalars {
            switch scalar.value {
            case 0x22, 0x5C:
                out += "\\"
                out.unicodeScalars.append(scalar)
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case ..<0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u00" + (hex.count == 1 ? "0" : "") + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
