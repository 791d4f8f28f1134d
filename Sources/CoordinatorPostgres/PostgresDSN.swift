import CoordinatorCore
import Foundation
import PostgresNIO

/// A parsed `POSTGRES_DSN`: `postgres://` or `postgresql://user:password@host:port/database?sslmode=…`.
///
/// - User name, password, host and database are percent-decoded; the port defaults to 5432, the user to
///   `postgres`, the database to the user name.
/// - IPv6 hosts are written in brackets (`postgres://[::1]:5432/db`).
/// - Query parameters: `sslmode`, `application_name`, `connect_timeout` (seconds), and libpq's `host`, `port`,
///   `user`, `password`, `dbname`, which override the URI parts. A `host` that starts with `/` is a Unix-socket
///   directory (`?host=/var/run/postgresql` connects to `/var/run/postgresql/.s.PGSQL.<port>`).
/// - `sslmode`: `disable`, `allow` and `prefer` (the default) connect **without** TLS (PostgresNIO cannot fall back
///   from a failed TLS handshake the way libpq's `prefer` does, so `prefer` is treated as `disable`); `require`,
///   `verify-ca` and `verify-full` require TLS with the system trust roots, and the server certificate and host
///   name are always verified (stricter than libpq's `require`).
///
/// The password never appears in errors or descriptions: ``redacted`` and ``description`` replace it with `***`.
public struct PostgresDSN: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"

        /// Whether this mode makes the coordinator insist on TLS.
        public var requiresTLS: Bool {
            switch self {
            case .disable, .allow, .prefer: return false
            case .require, .verifyCA, .verifyFull: return true
            }
        }
    }

    /// Host name or IP address (without brackets); for a Unix socket, the socket directory.
    public var host: String
    public var port: Int
    /// Set when `host` is a socket directory: the full path of the server's socket file.
    public var unixSocketPath: String?
    public var username: String
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode
    /// Sent as the `application_name` startup parameter (default `agent-coordinator`).
    public var applicationName: String
    /// Connect timeout in seconds (`connect_timeout`; default 5).
    public var connectTimeoutSeconds: Int

    public static let defaultPort = 5432
    public static let defaultUser = "postgres"
    public static let defaultApplicationName = "agent-coordinator"
    public static let defaultConnectTimeoutSeconds = 5
    /// The configuration variable every parse error names.
    public static let variable = "POSTGRES_DSN"

    /// Parses `dsn`; throws ``ConfigurationError`` (variable `POSTGRES_DSN`) with a sentence that never contains
    /// the password.
    public init(parsing dsn: String) throws {
        let text = dsn.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw Self.error("is empty; expected postgresql://user:password@host:5432/database") }

        let lowered = text.lowercased()
        let rest: Substring
        if lowered.hasPrefix("postgresql://") {
            rest = text.dropFirst("postgresql://".count)
        } else if lowered.hasPrefix("postgres://") {
            rest = text.dropFirst("postgres://".count)
        } else {
            let scheme = text.range(of: "://").map { String(text[..<$0.lowerBound]) }
                .flatMap { $0.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) } ? $0 : nil }
            let found = scheme.map { "the scheme \(String(reflecting: $0))" } ?? "no scheme"
            throw Self.error("must be a URI starting with postgres:// or postgresql:// (found \(found)), e.g. postgresql://user:password@localhost:5432/database")
        }

        // RFC 3986: the authority ends at the first "/" or "?"; inside it, the user info ends at the last "@" (an
        // unescaped "@" in a password is common enough to tolerate; "/", "?" and "#" must be percent-encoded).
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let afterAuthority = rest[authorityEnd...]
        let queryStart = afterAuthority.firstIndex(of: "?")
        let pathPart = queryStart.map { afterAuthority[..<$0] } ?? afterAuthority
        let queryText = queryStart.map { afterAuthority[afterAuthority.index(after: $0)...] } ?? ""

        var username: String?
        var password: String?
        let userInfoEnd = authority.lastIndex(of: "@")
        if let userInfoEnd {
            let userInfo = authority[..<userInfoEnd]
            if let colon = userInfo.firstIndex(of: ":") {
                username = try Self.decode(userInfo[..<colon], what: "the user name")
                password = try Self.decode(userInfo[userInfo.index(after: colon)...], what: "the password")
            } else {
                username = try Self.decode(userInfo, what: "the user name")
            }
        }
        let hostPort = userInfoEnd.map { authority[authority.index(after: $0)...] } ?? authority
        let path = pathPart.dropFirst()  // the leading "/"

        var host = "localhost"
        var port = Self.defaultPort
        if !hostPort.isEmpty {
            guard !hostPort.contains(",") else {
                throw Self.error("lists several hosts; the coordinator connects to exactly one")
            }
            var portText: Substring?
            if hostPort.hasPrefix("[") {
                guard let close = hostPort.firstIndex(of: "]") else {
                    throw Self.error("has an IPv6 host without its closing bracket")
                }
                host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
                let afterBracket = hostPort[hostPort.index(after: close)...]
                if !afterBracket.isEmpty {
                    guard afterBracket.hasPrefix(":") else {
                        throw Self.error("has unexpected text after the IPv6 host (expected :port)")
                    }
                    portText = afterBracket.dropFirst()
                }
            } else if let colon = hostPort.lastIndex(of: ":") {
                host = try Self.decode(hostPort[..<colon], what: "the host")
                portText = hostPort[hostPort.index(after: colon)...]
            } else {
                host = try Self.decode(hostPort, what: "the host")
            }
            if let portText { port = try Self.port(String(portText)) }
            if host.isEmpty { host = "localhost" }
        }

        var database = try path.isEmpty ? nil : Self.decode(path, what: "the database name")
        var tlsMode = TLSMode.prefer
        var applicationName = Self.defaultApplicationName
        var connectTimeout = Self.defaultConnectTimeoutSeconds
        var socketDirectory: String?

        for pair in queryText.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try Self.decode(parts[0], what: "a query parameter name")
            let value = parts.count > 1 ? try Self.decode(parts[1], what: "the value of \(key)") : ""
            switch key {
            case "sslmode":
                guard let mode = TLSMode(rawValue: value.lowercased()) else {
                    throw Self.error("has sslmode=\(value); use disable, prefer or require (also allow, verify-ca, verify-full)")
                }
                tlsMode = mode
            case "application_name":
                applicationName = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0, seconds <= 3600 else {
                    throw Self.error("has connect_timeout=\(value); expected a whole number of seconds between 1 and 3600")
                }
                connectTimeout = seconds
            case "host":
                if value.hasPrefix("/") {
                    socketDirectory = value
                } else if !value.isEmpty {
                    guard !value.contains(",") else {
                        throw Self.error("lists several hosts (\(value)); the coordinator connects to exactly one")
                    }
                    host = value
                    socketDirectory = nil
                }
            case "port":
                port = try Self.port(value)
            case "user":
                username = value
            case "password":
                password = value
            case "dbname":
                database = value
            default:
                throw Self.error("has the unsupported parameter \(String(reflecting: key)); supported: sslmode, application_name, connect_timeout, host, port, user, password, dbname")
            }
        }

        let user = (username?.isEmpty ?? true) ? Self.defaultUser : username!
        self.host = socketDirectory ?? host
        self.port = port
        self.unixSocketPath = socketDirectory.map { directory in
            (directory.hasSuffix("/") ? directory : directory + "/") + ".s.PGSQL.\(port)"
        }
        self.username = user
        self.password = password
        self.database = (database?.isEmpty ?? true) ? user : database!
        self.tlsMode = tlsMode
        self.applicationName = applicationName
        self.connectTimeoutSeconds = connectTimeout
    }

    /// `host:port` (or the socket path), for messages.
    public var endpoint: String {
        if let unixSocketPath { return unixSocketPath }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The DSN without its password, safe for logs and errors.
    public var redacted: String {
        let user = Self.encode(username)
        let credentials = password == nil ? user : "\(user):***"
        var text = "postgresql://\(credentials)@"
        if unixSocketPath == nil {
            text += endpoint
        }
        text += "/" + Self.encode(database) + "?sslmode=\(tlsMode.rawValue)"
        if let unixSocketPath {
            text += "&host=" + Self.encode(String(unixSocketPath.dropLast(".s.PGSQL.\(port)".count)))
            text += "&port=\(port)"
        }
        return text
    }

    public var description: String { redacted }
    public var debugDescription: String { "PostgresDSN(\(redacted))" }

    /// Startup parameters every connection sends: UTC session time zone and the application name.
    var startupParameters: [(String, String)] {
        [("TimeZone", "UTC"), ("application_name", applicationName)]
    }

    /// The pool configuration: endpoint, credentials, TLS, startup parameters and pool bounds.
    public func clientConfiguration(poolMin: Int, poolMax: Int) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let unixSocketPath {
            configuration = PostgresClient.Configuration(
                unixSocketPath: unixSocketPath, username: username, password: password, database: database)
        } else {
            configuration = PostgresClient.Configuration(
                host: host, port: port, username: username, password: password, database: database,
                tls: tlsMode.requiresTLS ? .require(.makeClientConfiguration()) : .disable)
        }
        let maximum = max(1, poolMax)
        configuration.options.maximumConnections = maximum
        configuration.options.minimumConnections = min(max(0, poolMin), maximum)
        configuration.options.connectTimeout = .seconds(connectTimeoutSeconds)
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    /// The configuration of one stand-alone connection with the same settings (used to diagnose failures).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let unixSocketPath {
            configuration = PostgresConnection.Configuration(
                unixSocketPath: unixSocketPath, username: username, password: password, database: database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            if tlsMode.requiresTLS {
                tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            } else {
                tls = .disable
            }
            configuration = PostgresConnection.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(Int64(connectTimeoutSeconds))
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    // MARK: - Parsing helpers

    private static func error(_ detail: String) -> ConfigurationError {
        ConfigurationError(variable: variable, detail)
    }

    private static func decode(_ text: Substring, what: String) throws -> String {
        try decode(String(text), what: what)
    }

    /// Percent-decodes; the error echoes nothing of the text (a mis-split DSN could put password characters
    /// anywhere).
    private static func decode(_ text: String, what: String) throws -> String {
        guard let decoded = text.removingPercentEncoding else {
            throw error("has an invalid percent-escape in \(what); write a literal % as %25")
        }
        return decoded
    }

    private static func port(_ text: String) throws -> Int {
        guard let port = Int(text), (1...65535).contains(port) else {
            throw error("has an invalid port; expected a number between 1 and 65535")
        }
        return port
    }

    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
