import Foundation

/// One PostgREST call as plain data: method, full URL, headers and JSON body.
///
/// Built by the factories in `PostgRESTRequest+Operations.swift` with no I/O, so the exact wire format can be
/// checked without a server; ``SupabaseClient`` only sends it.
public struct PostgRESTRequest: Sendable, Hashable {
    /// The HTTP methods PostgREST is called with.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        case get = "GET"
        case post = "POST"
        case patch = "PATCH"
        case delete = "DELETE"
    }

    /// One header line, in the order it is sent.
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var method: Method
    /// The full URL, query string included and already percent-encoded.
    public var url: String
    public var headers: [Header]
    /// The JSON body, or `nil` for requests without one.
    public var body: Data?

    public init(method: Method, url: String, headers: [Header], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The value of the first header called `name` (compared case-insensitively).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The body as UTF-8 text.
    public var bodyText: String? { body.map { String(decoding: $0, as: UTF8.self) } }

    /// The URL's path (no scheme, host or query), for error messages.
    public var path: String {
        let withoutQuery = url.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? url
        guard let schemeEnd = withoutQuery.range(of: "://") else { return withoutQuery }
        let afterScheme = withoutQuery[schemeEnd.upperBound...]
        guard let slash = afterScheme.firstIndex(of: "/") else { return "/" }
        return String(afterScheme[slash...])
    }
}

extension PostgRESTRequest: CustomStringConvertible {
    /// Method, URL and headers with the key redacted, so a logged request never leaks credentials.
    public var description: String {
        let redacted: Set<String> = ["apikey", "authorization"]
        let lines = headers.map { header in
            "\(header.name): " + (redacted.contains(header.name.lowercased()) ? "<redacted>" : header.value)
        }
        return ([method.rawValue + " " + url] + lines).joined(separator: "\n") + (bodyText.map { "\n\n" + $0 } ?? "")
    }
}
