/// Refuses text no backend can store: U+0000 (PostgreSQL rejects it in `text` and `jsonb`, which would otherwise
/// surface as a storage error for a client's input). Checked by the dispatcher for every transport, over every
/// member name and string value of the arguments, nested ones included.
enum InputText {
    static func requireNoNUL(_ arguments: JSONObject) throws {
        for (name, value) in arguments {
            try check(name: name, value: value, path: name)
        }
    }

    private static func check(name: String, value: JSONValue, path: String) throws {
        if name.unicodeScalars.contains("\u{0}") {
            throw InputError(field: path, "member names must not contain the NUL character (U+0000)")
        }
        switch value {
        case .string(let text) where text.unicodeScalars.contains("\u{0}"):
            throw InputError(field: path, "must not contain the NUL character (U+0000)")
        case .array(let elements):
            for (index, element) in elements.enumerated() { try check(name: "", value: element, path: "\(path)[\(index)]") }
        case .object(let members):
            for (key, member) in members { try check(name: key, value: member, path: "\(path).\(key)") }
        default:
            break
        }
    }
}
