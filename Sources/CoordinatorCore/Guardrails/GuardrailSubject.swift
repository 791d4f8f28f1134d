import GuardrailMatching

/// What a guardrail check reads: command or free text (parsed as shell into canonical command lines), file paths
/// (each one line as given) and JSON values such as a task's input or result (every string in them parsed like
/// text, so a command inside `{"steps": ["git push -f"]}` is found without reading the JSON syntax as shell).
public struct GuardrailSubject: Sendable {
    public var text: String?
    public var filePaths: [String]
    public var values: [JSONValue]

    public init(text: String? = nil, filePaths: [String] = [], values: [JSONValue] = []) {
        self.text = text
        self.filePaths = filePaths
        self.values = values
    }

    /// The lines the patterns search. Text that is a JSON object or array (a result or input pasted as text) is
    /// read string by string, like ``values``.
    public var lines: [String] {
        var lines: [String] = []
        if let text {
            if let json = Self.jsonDocument(text) {
                Self.collectStrings(json, into: &lines)
            } else {
                lines += CommandNormalizer.canonicalLines(text)
            }
        }
        lines += filePaths
        for value in values { Self.collectStrings(value, into: &lines) }
        return lines
    }

    /// The text recorded with a violation: the text, else the paths, else the JSON.
    public var description: String {
        if let text, !text.isEmpty { return text }
        if !filePaths.isEmpty { return filePaths.joined(separator: "\n") }
        return values.map(\.jsonText).joined(separator: "\n")
    }

    /// `text` as JSON when it is an object or an array; nil for anything else (commands, prose).
    static func jsonDocument(_ text: String) -> JSONValue? {
        guard let first = text.utf8.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        else { return nil }
        guard let value = try? JSONValue(jsonText: text), value.objectValue != nil || value.arrayValue != nil else { return nil }
        return value
    }

    private static func collectStrings(_ value: JSONValue, into lines: inout [String]) {
        switch value {
        case .string(let string): lines += CommandNormalizer.canonicalLines(string)
        case .array(let items): for item in items { collectStrings(item, into: &lines) }
        case .object(let object): for (_, item) in object { collectStrings(item, into: &lines) }
        default: break
        }
    }
}
