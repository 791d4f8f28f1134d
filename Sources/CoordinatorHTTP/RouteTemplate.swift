import Foundation

/// An operation's HTTP path (`/locks/status/{file_path}`), split into literal and parameter segments.
///
/// A parameter in the last segment captures the rest of the path, slashes included (`/locks/status/src/a.swift`
/// gives `file_path` = `src/a.swift`); a parameter elsewhere captures one segment. Captured text is
/// percent-decoded.
struct RouteTemplate: Sendable, Hashable {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case parameter(String)
    }

    let path: String
    let segments: [Segment]

    init(_ path: String) {
        self.path = path
        segments = path.split(separator: "/").map { part in
            if part.hasPrefix("{") && part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(String(part))
        }
    }

    var parameterNames: [String] {
        segments.compactMap { if case .parameter(let name) = $0 { return name } else { return nil } }
    }

    /// The path in Hummingbird's router syntax: `:name` for inner parameters, `**` for a trailing one.
    var routerPath: String {
        "/" + segments.enumerated().map { index, segment in
            switch segment {
            case .literal(let text): return text
            case .parameter(let name): return index == segments.count - 1 ? "**" : ":\(name)"
            }
        }.joined(separator: "/")
    }

    /// The parameters captured from a raw (still percent-encoded) request path, or `nil` when it does not match.
    /// A parameter whose percent-encoding is broken is returned as `nil` in the dictionary.
    func match(_ rawPath: String) -> [String: String?]? {
        var rest = Substring(rawPath)
        var captured: [String: String?] = [:]
        for (index, segment) in segments.enumerated() {
            guard rest.hasPrefix("/") else { return nil }
            rest = rest.dropFirst()
            let piece: Substring
            if case .parameter = segment, index == segments.count - 1 {
                piece = rest
                rest = ""
            } else if let slash = rest.firstIndex(of: "/") {
                piece = rest[..<slash]
                rest = rest[slash...]
            } else {
                piece = rest
                rest = ""
            }
            guard !piece.isEmpty else { return nil }
            switch segment {
            case .literal(let text):
                guard piece == text else { return nil }
            case .parameter(let name):
                captured[name] = String(piece).removingPercentEncoding
            }
        }
        guard rest.isEmpty || rest == "/" else { return nil }
        return captured
    }
}
