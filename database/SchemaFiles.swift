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
            migration("004_memory_tables.sql", PackageResources._04_memory_tables_sql),
            migration("005_verification_tables.sql", PackageResources._05_verification_tables_sql),
            migration("006_guardrails_tables.sql", PackageResources._06_guardrails_tables_sql),
            migration("007_agent_profiles.sql", PackageResources._07_agent_profiles_sql),
            migration("008_audit_log.sql", PackageResources._08_audit_log_sql),
            migration("009_network_policies.sql", PackageResources._09_network_policies_sql),
            migration("010_safety_enforcement.sql", PackageResources._10_safety_enforcement_sql),
        ]
    }

    /// Embedded SQLite migrations, in order.
    public static var sqlite: [Migration] {
        [
            migration("001_core_schema.sql", PackageResources._01_core_schema_sqlite_sql),
            migration("004_memory_tables.sql", PackageResources._04_memory_tables_sqlite_sql),
            migration("005_verification_tables.sql", PackageResources._05_verification_tables_sqlite_sql),
            migration("006_guardrails_tables.sql", PackageResources._06_guardrails_tables_sqlite_sql),
            migration("007_agent_profiles.sql", PackageResources._07_agent_profiles_sqlite_sql),
            migration("008_audit_log.sql", PackageResources._08_audit_log_sqlite_sql),
            migration("009_network_policies.sql", PackageResources._09_network_policies_sqlite_sql),
            migration("010_safety_enforcement.sql", PackageResources._10_safety_enforcement_sqlite_sql),
        ]
    }

    private static func migration(_ fileName: String, _ bytes: [UInt8]) -> Migration {
        guard let migration = Migration(fileName: fileName, sql: String(decoding: bytes, as: UTF8.self)) else {
            preconditionFailure("migration file name \(fileName) is not NNN_name.sql")
        }
        return migration
    }
}
