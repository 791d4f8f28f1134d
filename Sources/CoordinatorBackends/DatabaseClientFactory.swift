import CoordinatorCore
import CoordinatorPostgres
import CoordinatorSQLite
import CoordinatorSupabase

/// Opens the backend named by `config.backend`. Does not migrate: callers that own the schema call
/// ``CoordinatorCore/SchemaMigrating/migrate()`` (the CLI and servers do at start).
public func makeDatabaseClient(_ config: DatabaseConfig) async throws -> any DatabaseClient {
    switch config.backend {
    case .sqlite:
        return try SQLiteDatabaseClient(config: config.sqlite)
    case .postgres:
        guard let postgres = config.postgres else {
            throw ConfigurationError(variable: "POSTGRES_DSN", "is required when DB_BACKEND=postgres")
        }
        return try await DirectPostgresClient.connect(config: postgres)
    case .supabase:
        guard let supabase = config.supabase else {
            throw ConfigurationError(variable: "SUPABASE_URL", "is required when DB_BACKEND=supabase")
        }
        return try SupabaseClient(config: supabase)
    }
}
