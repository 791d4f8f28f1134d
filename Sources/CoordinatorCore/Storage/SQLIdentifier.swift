/// Table, column and function names that may appear in generated SQL or PostgREST paths.
///
/// Names are never taken from agent input unchecked: anything that is not a plain identifier (optionally
/// schema-qualified for tables and functions) is refused before a statement is built.
public enum SQLIdentifier {
    /// `^[A-Za-z_][A-Za-z0-9_]*$`, at most 63 bytes (PostgreSQL's limit).
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63 else { return false }
        guard isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    /// A plain or schema-qualified name (`audit_log`, `public.audit_log`).
    public static func isValidQualified(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && parts.allSatisfy { isValid(String($0)) }
    }

    /// Throws ``DatabaseError`` unless `name` is valid; `qualified` allows one schema prefix.
    public static func check(_ name: String, qualified: Bool = false, backend: String) throws {
        let valid = qualified ? isValidQualified(name) : isValid(name)
        guard valid else {
            throw DatabaseError(.invalidRequest, backend: backend, "refusing identifier \(String(reflecting: name))")
        }
    }

    /// Double-quoted for SQL, after validation.
    public static func quoted(_ name: String) -> String {
        name.split(separator: ".").map { "\"\($0)\"" }.joined(separator: ".")
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}
