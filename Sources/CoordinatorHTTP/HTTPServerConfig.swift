import CoordinatorCore
import Foundation

/// The identity an API key is bound to (`COORDINATION_API_KEY_IDENTITIES`). A key bound to an `agent_id` can
/// only act as that agent; likewise for `agent_type`. Either may be absent.
public struct KeyIdentity: Sendable, Hashable {
    public var agentId: String?
    public var agentType: String?

    public init(agentId: String? = nil, agentType: String? = nil) {
        self.agentId = agentId
        self.agentType = agentType
    }
}

/// Settings of `coordinator serve`, read from the environment and checked once at start-up.
///
/// * `API_HOST` (default `127.0.0.1`) and `API_PORT` (default `8081`; `0` picks a free port).
/// * `API_TIMEOUT_KEEP_ALIVE`: seconds an idle keep-alive connection stays open (default 5, as the original).
/// * `COORDINATION_API_KEYS`: comma-separated keys accepted in the `X-API-Key` header (trimmed, empties dropped).
/// * `COORDINATION_API_KEY_IDENTITIES`: JSON `{"<key>": {"agent_id": "…", "agent_type": "…"}}` binding keys to
///   identities. Invalid JSON stops the server (the original silently ignored it). A bound key that is not in
///   `COORDINATION_API_KEYS` is not accepted.
///
/// Safe default: with no keys configured the server runs **without authentication**, and therefore refuses to
/// bind anything but a loopback address (`127.0.0.0/8`, `::1`, `localhost`). Callers then act as the
/// `agent_id`/`agent_type` they name in the request (body or `X-Agent-Id`/`X-Agent-Type` headers), else as
/// `cloud-agent`/`cloud_agent`.
public struct HTTPServerConfig: Sendable, Equatable {
    public static let defaultHost = "127.0.0.1"
    public static let defaultPort = 8081
    public static let defaultMaxBodyBytes = 1 << 20

    public var host: String
    public var port: Int
    /// Accepted API keys; empty = authentication disabled (loopback only).
    public var apiKeys: [String]
    /// Identities bound to keys.
    public var keyIdentities: [String: KeyIdentity]
    /// Largest request body accepted (bytes); larger bodies get 413.
    public var maxBodyBytes: Int
    /// How long `/health` and `/ready` wait for the database to answer.
    public var healthTimeout: Duration
    /// How long a graceful shutdown waits for in-flight requests before cancelling them.
    public var shutdownGracePeriod: Duration
    /// How long an idle keep-alive connection stays open (a response being streamed is never idle).
    public var keepAliveTimeout: Duration

    public init(host: String = HTTPServerConfig.defaultHost, port: Int = HTTPServerConfig.defaultPort, apiKeys: [String] = [],
                keyIdentities: [String: KeyIdentity] = [:], maxBodyBytes: Int = HTTPServerConfig.defaultMaxBodyBytes,
                healthTimeout: Duration = .seconds(2), shutdownGracePeriod: Duration = .seconds(30),
                keepAliveTimeout: Duration = .seconds(5)) {
        self.host = host
        self.port = port
        self.apiKeys = apiKeys
        self.keyIdentities = keyIdentities
        self.maxBodyBytes = maxBodyBytes
        self.healthTimeout = healthTimeout
        self.shutdownGracePeriod = shutdownGracePeriod
        self.keepAliveTimeout = keepAliveTimeout
    }

    /// Whether requests must carry a valid `X-API-Key`.
    public var requiresAPIKey: Bool { !apiKeys.isEmpty }

    /// Reads and checks the configuration; `host`/`port` (command-line flags) override `API_HOST`/`API_PORT`.
    /// Throws a ``ConfigurationError`` naming the offending variable.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       host: String? = nil, port: Int? = nil) throws -> HTTPServerConfig {
        let reader = EnvironmentReader(environment)
        var config = HTTPServerConfig()
        config.host = host?.trimmingCharacters(in: .whitespaces) ?? reader.string("API_HOST") ?? defaultHost
        if let port {
            guard (0...65_535).contains(port) else {
                throw ConfigurationError(variable: "API_PORT", "must be a whole number from 0 to 65535, got \(port)")
            }
            config.port = port
        } else {
            config.port = try reader.integer("API_PORT", default: defaultPort, range: 0...65_535)
        }
        config.keepAliveTimeout = .seconds(try reader.integer("API_TIMEOUT_KEEP_ALIVE", default: 5, range: 1...3600))
        config.apiKeys = parseKeys(environment["COORDINATION_API_KEYS"])
        config.keyIdentities = try parseIdentities(reader.string("COORDINATION_API_KEY_IDENTITIES"))
        try config.validate()
        return config
    }

    /// Checks the combination of settings: a host is given, and without API keys only loopback is bound.
    public func validate() throws {
        guard !host.isEmpty else { throw ConfigurationError(variable: "API_HOST", "must not be empty") }
        guard (0...65_535).contains(port) else {
            throw ConfigurationError(variable: "API_PORT", "must be a whole number from 0 to 65535, got \(port)")
        }
        if !requiresAPIKey && !Self.isLoopback(host) {
            throw ConfigurationError(
                variable: "COORDINATION_API_KEYS",
                "is required to serve on the non-loopback address \(host); set API keys, or bind 127.0.0.1 to run without authentication")
        }
    }

    /// Keys from the comma-separated list: trimmed, empties dropped, duplicates removed (order kept).
    public static func parseKeys(_ raw: String?) -> [String] {
        var seen = Set<String>()
        return (raw ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Key bindings from `COORDINATION_API_KEY_IDENTITIES` JSON.
    public static func parseIdentities(_ raw: String?) throws -> [String: KeyIdentity] {
        let variable = "COORDINATION_API_KEY_IDENTITIES"
        guard let raw else { return [:] }
        let json: JSONValue
        do {
            json = try JSONValue(jsonText: raw)
        } catch {
            throw ConfigurationError(variable: variable, "must be a JSON object like {\"<key>\": {\"agent_id\": \"…\", \"agent_type\": \"…\"}} (\(error))")
        }
        guard case .object(let members) = json else {
            throw ConfigurationError(variable: variable, "must be a JSON object keyed by API key, got \(json.typeName)")
        }
        var identities: [String: KeyIdentity] = [:]
        for (key, value) in members {
            let trimmedKey = key.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmedKey.isEmpty else { throw ConfigurationError(variable: variable, "has an empty API key") }
            guard case .object(let binding) = value else {
                throw ConfigurationError(variable: variable, "the binding of a key must be an object with agent_id and/or agent_type, got \(value.typeName)")
            }
            var identity = KeyIdentity()
            for field in ["agent_id", "agent_type"] {
                guard let member = binding[field], !member.isNull else { continue }
                guard let text = member.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                    throw ConfigurationError(variable: variable, "\(field) of a key binding must be a non-empty string")
                }
                if field == "agent_id" { identity.agentId = text } else { identity.agentType = text }
            }
            identities[trimmedKey] = identity
        }
        return identities
    }

    /// Whether `host` names only this machine.
    public static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("[") && name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ !$0.isEmpty && $0.count <= 3 && UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }
}
