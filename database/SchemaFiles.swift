import CoordinatorCore

/// The SQL of every migration, compiled into the binary so an installed `coordinator` needs no files beside it.
///
/// PostgreSQL migrations live in `database/migrations/NNN_name.sql`; the embedded backend's in
/// `database/sqlite/NNN_name.sqlite.sql`. Adding a migration means adding its file and one line here.
public enum SchemaFiles {
    /// PostgreSQL / Supabase migrations, in order.
    public static var postgres: [Migration] {
        [
            migration("000_bootstrap.sql", PackageResources._00_bootstrap_sql),
            migration("001_core_schema.sql", PackageResources._01_core_schema_sql),
            migration("002_handoff_documents.sql", PackageResources._02_handoff_documents_sql),
            migration("003_agent_discovery.sql", PackageResources._03_agent_discovery_sql),
        ]
    }

    /// Embedded SQLite migrations, in order.
    public static var sqlite: [Migration] {
        [
            migration("001_core_schema.sql", PackageResources._01_core_schema_sqlite_sql),
        ]
    }

    private static func migration(_ fileName: String, _ bytes: [UInt8]) -> Migration {
        guard let migration = Migration(fileName: fileName, sql: String(decoding: bytes, as: UTF8.self)) else {
            preconditionFailure("migration file name \(fileName) is not NNN_name.sql")
        }
        return migration
    }
}
