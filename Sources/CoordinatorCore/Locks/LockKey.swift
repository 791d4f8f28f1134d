/// A lock key: a repository-relative file path or a logical resource key, in canonical form so that two
/// spellings of one resource contend for one lock.
///
/// Logical keys: `api:` (method upper-cased, one space, normalised path: `api:GET /v1/users`), `db:`
/// (lower-cased identifiers: `db:schema:public`), `event:` (dot-separated, lower-cased: `event:user.created`),
/// and `flag:`, `env:`, `contract:`, `feature:` (kept as written, trimmed).
/// Paths: `./` and `.` segments dropped, repeated `/` collapsed, no leading `/`, no `..` above the root.
public enum LockKey {
    public static let logicalPrefixes = ["api", "db", "event", "flag", "env", "contract", "feature"]

    /// The canonical key, or an ``InputError`` on field `file_path` saying why the key is unusable.
    public static func canonical(_ raw: String) throws -> String {
        let key = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { throw InputError(field: "file_path", "must not be empty") }
        guard !key.contains("\0"), !key.contains("\n"), !key.contains("\r") else {
            throw InputError(field: "file_path", "must not contain NUL or line breaks")
        }
        guard key.utf8.count <= 1024 else { throw InputError(field: "file_path", "must be at most 1024 bytes") }
        if let colon = key.firstIndex(of: ":"), logicalPrefixes.contains(String(key[..<colon])) {
            return try logical(prefix: String(key[..<colon]), body: String(key[key.index(after: colon)...]))
        }
        return try path(key)
    }

    static func logical(prefix: String, body rawBody: String) throws -> String {
        let body = rawBody.trimmingCharacters(in: .whitespaces)
        guard !body.isEmpty else { throw InputError(field: "file_path", "logical key \(prefix): needs a name after the colon") }
        switch prefix {
        case "api":
            let parts = body.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 2 else {
                throw InputError(field: "file_path", "api: keys are `api:METHOD /path`, got \(String(reflecting: rawBody))")
            }
            return "api:\(parts[0].uppercased()) \(apiPath(String(parts[1])))"
        case "db":
            return "db:" + body.split(separator: ":", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.joined(separator: ":")
        case "event":
            let segments = body.split(separator: ".", omittingEmptySubsequences: true)
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            return "event:" + segments.joined(separator: ".")
        default:
            return "\(prefix):\(body)"
        }
    }

    /// `/v1//users/` → `/v1/users`; always one leading slash, no trailing slash except for the root.
    static func apiPath(_ raw: String) -> String {
        let segments = raw.split(separator: "/", omittingEmptySubsequences: true)
        return "/" + segments.joined(separator: "/")
    }

    static func path(_ raw: String) throws -> String {
        guard !raw.hasPrefix("/") else {
            throw InputError(field: "file_path", "must be relative to the repository root (no leading /), got \(String(reflecting: raw))")
        }
        var segments: [Substring] = []
        for segment in raw.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..":
                guard !segments.isEmpty, segments.last != ".." else {
                    throw InputError(field: "file_path", "must not leave the repository root, got \(String(reflecting: raw))")
                }
                segments.removeLast()
            default: segments.append(segment)
            }
        }
        guard !segments.isEmpty else { throw InputError(field: "file_path", "names no file, got \(String(reflecting: raw))") }
        return segments.joined(separator: "/")
    }
}

import Foundation
