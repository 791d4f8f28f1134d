import CoordinatorCore
import Foundation

/// Where a PostgREST service answers and the key it expects: `SUPABASE_URL` followed by
/// `SUPABASE_REST_PREFIX` (`/rest/v1` on Supabase, empty for a bare PostgREST).
///
/// ```swift
/// let endpoint = try PostgRESTEndpoint(url: "https://abc.supabase.co/", serviceKey: key)
/// endpoint.baseURL     // "https://abc.supabase.co/rest/v1"
/// endpoint.hostAndPort // "abc.supabase.co:443"
/// ```
public struct PostgRESTEndpoint: Sendable, Hashable {
    /// The URL every request path is appended to, without a trailing slash.
    public let baseURL: String
    /// The normalised prefix (`/rest/v1`, or empty), the path part of ``baseURL`` after the server URL.
    public let restPrefix: String
    /// `host:port` of the server, for error messages.
    public let hostAndPort: String
    /// Sent as `apikey` and as the bearer token; never printed.
    let serviceKey: String

    /// Validates the server URL and the key, and joins URL and prefix.
    ///
    /// Trailing slashes of `url` are dropped; the prefix gets exactly one leading slash and none at the end.
    /// Throws ``DatabaseError`` (`.invalidRequest`) when the URL is not `http(s)://host…` or the key holds
    /// characters an HTTP header cannot carry.
    public init(url: String, restPrefix: String = "/rest/v1", serviceKey: String) throws {
        var trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let components = URLComponents(string: trimmed),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty,
              components.query == nil, components.fragment == nil
        else {
            throw DatabaseError(.invalidRequest, backend: SupabaseClient.name,
                                "SUPABASE_URL must be an http:// or https:// URL with a host and no query, got \(String(reflecting: url))")
        }
        guard !serviceKey.isEmpty, serviceKey.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw DatabaseError(.invalidRequest, backend: SupabaseClient.name,
                                "SUPABASE_SERVICE_KEY must be non-empty printable ASCII without spaces")
        }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        let segments = restPrefix.split(separator: "/", omittingEmptySubsequences: true)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        self.restPrefix = segments.isEmpty ? "" : "/" + segments.joined(separator: "/")
        self.baseURL = trimmed + self.restPrefix
        // An IPv6 literal needs its brackets; some Foundations keep them in `host`, some strip them.
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        self.hostAndPort = "\(bracketed):\(port)"
        self.serviceKey = serviceKey
    }

    /// The endpoint of a ``SupabaseConfig``.
    public init(_ config: SupabaseConfig) throws {
        try self.init(url: config.url, restPrefix: config.restPrefix, serviceKey: config.serviceKey)
    }

    /// `{baseURL}/{path}` plus `?{query}` when the query is not empty.
    func url(_ path: String, query: String = "") -> String {
        baseURL + "/" + path + (query.isEmpty ? "" : "?" + query)
    }
}

extension PostgRESTEndpoint: CustomStringConvertible {
    /// The base URL; the key is left out.
    public var description: String { "PostgREST at \(baseURL)" }
}
