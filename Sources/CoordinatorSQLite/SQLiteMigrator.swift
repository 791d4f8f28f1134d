import CoordinatorCore
import Foundation
import GRDB

/// Applies the embedded schema's migrations, recorded in `schema_migrations`, inside the caller's
/// `BEGIN IMMEDIATE` transaction so two processes starting together cannot both migrate.
enum SQLiteMigrator {
    static func migrate(_ db: Database, known: [Migration]) throws -> MigrationReport {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                checksum TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """)
        let applied = try Row.fetchAll(db, sql: "SELECT version, name, checksum FROM schema_migrations").map {
            AppliedMigration(version: $0["version"], name: $0["name"], checksum: $0["checksum"])
        }
        let pending = try MigrationPlan.pending(known: known, applied: applied)
        for migration in pending {
            try db.execute(sql: migration.sql)
            try db.execute(
                sql: "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                arguments: [migration.version, migration.name, migration.checksum, Timestamp.format(Date())])
        }
        return MigrationReport(applied: pending.map(\.name), alreadyApplied: applied.count)
    }
}
