/// The storage backends the coordinator can run on.
public enum DatabaseBackend: String, Sendable, CaseIterable {
    /// Embedded SQLite file, zero setup (the default).
    case sqlite
    /// A PostgreSQL server reached directly with a connection pool.
    case postgres
    /// PostgREST over HTTP (Supabase or bare PostgREST).
    case supabase
}

/// Settings of the embedded backend.
public struct SQLiteConfig: Sendable, Equatable {
    /// `COORDINATOR_DB_PATH`; several agent processes may share this file.
    public var path: String
    /// How long a writer waits for another process's transaction before giving up (milliseconds).
    public var busyTimeoutMilliseconds: Int

    public static let defaultPath = ".coordinator/coordinator.sqlite"

    public init(path: String = SQLiteConfig.defaultPath, busyTimeoutMilliseconds: Int = 10_000) {
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }
}

/// Settings of the direct PostgreSQL backend.
public struct PostgresConfig: Sendable, Equatable {
    /// `POSTGRES_DSN`, e.g. `postgresql://user:pass@localhost:5432/db?sslmode=disable`.
    public var dsn: String
    /// `POSTGRES_POOL_MIN` (default 2) and `POSTGRES_POOL_MAX` (default 10).
    public var poolMin: Int
    public var poolMax: Int

    public init(dsn: String, poolMin: Int = 2, poolMax: Int = 10) {
        self.dsn = dsn
        self.poolMin = poolMin
        self.poolMax = poolMax
    }
}

/// Settings of the PostgREST backend.
public struct SupabaseConfig: Sendable, Equatable {
    /// `SUPABASE_URL`, the project or PostgREST base URL.
    public var url: String
    /// `SUPABASE_SERVICE_KEY`, sent as `apikey` and bearer token.
    public var serviceKey: String
    /// `SUPABASE_REST_PREFIX`, default `/rest/v1`; empty for a bare PostgREST.
    public var restPrefix: String
    /// Per-request timeout in seconds.
    public var timeoutSeconds: Int

    public init(url: String, serviceKey: String, restPrefix: String = "/rest/v1", timeoutSeconds: Int = 30) {
        self.url = url
        self.serviceKey = serviceKey
        self.restPrefix = restPrefix
        self.timeoutSeconds = timeoutSeconds
    }
}

/// Which backend to use and its settings, from `DB_BACKEND` and the backend's own variables.
public struct DatabaseConfig: Sendable, Equatable {
    public var backend: DatabaseBackend
    public var sqlite: SQLiteConfig
    public var postgres: PostgresConfig?
    public var supabase: SupabaseConfig?

    public init(backend: DatabaseBackend = .sqlite, sqlite: SQLiteConfig = SQLiteConfig(),
                postgres: PostgresConfig? = nil, supabase: SupabaseConfig? = nil) {
        self.backend = backend
        self.sqlite = sqlite
        self.postgres = postgres
        self.supabase = supabase
    }

    /// Reads the configuration; a missing setting for the chosen backend is an error naming the variable.
    public static func fromEnvironment(_ environment: [String: String]) throws -> DatabaseConfig {
        let reader = EnvironmentReader(environment)
        let name = reader.string("DB_BACKEND")?.lowercased() ?? DatabaseBackend.sqlite.rawValue
        guard let backend = DatabaseBackend(rawValue: name) else {
            throw ConfigurationError(variable: "DB_BACKEND", "unknown backend \(String(reflecting: name)); use sqlite (default), postgres or supabase")
        }
        var config = DatabaseConfig(backend: backend)
        config.sqlite.path = reader.string("COORDINATOR_DB_PATH") ?? SQLiteConfig.defaultPath
        switch backend {
        case .sqlite:
            break
        case .postgres:
            guard let dsn = reader.string("POSTGRES_DSN") else {
                throw ConfigurationError(variable: "POSTGRES_DSN", "is required when DB_BACKEND=postgres (e.g. postgresql://user:pass@localhost:5432/db)")
            }
            let poolMin = try reader.integer("POSTGRES_POOL_MIN", default: 2, range: 0...1000)
            let poolMax = try reader.integer("POSTGRES_POOL_MAX", default: 10, range: 1...1000)
            guard poolMin <= poolMax else {
                throw ConfigurationError(variable: "POSTGRES_POOL_MIN", "must not exceed POSTGRES_POOL_MAX (\(poolMin) > \(poolMax))")
            }
            config.postgres = PostgresConfig(dsn: dsn, poolMin: poolMin, poolMax: poolMax)
        case .supabase:
            guard let url = reader.string("SUPABASE_URL") else {
                throw ConfigurationError(variable: "SUPABASE_URL", "is required when DB_BACKEND=supabase")
            }
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw ConfigurationError(variable: "SUPABASE_URL", "must be an http:// or https:// URL, got \(String(reflecting: url))")
            }
            guard let key = reader.string("SUPABASE_SERVICE_KEY") else {
                throw ConfigurationError(variable: "SUPABASE_SERVICE_KEY", "is required when DB_BACKEND=supabase")
            }
            // An explicitly empty prefix means bare PostgREST, so read the raw value here.
            let prefix = environment["SUPABASE_REST_PREFIX"].map { $0.trimmingCharacters(in: .whitespaces) } ?? "/rest/v1"
            config.supabase = SupabaseConfig(url: url, serviceKey: key, restPrefix: prefix)
        }
        return config
    }
}
