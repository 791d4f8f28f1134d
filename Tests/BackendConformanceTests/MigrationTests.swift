import CoordinatorCore
import CoordinatorPostgres
import CoordinatorSQLite
import Foundation
import Logging
import PostgresNIO
import Testing

/// The migration history on PostgreSQL: later migrations leave the tables of 000–003 exactly as they were, a
/// second run applies nothing, and a history that does not match the files (a gap, an edited file) is refused.
/// Each test works in its own throwaway database.
@Suite("PostgreSQL migrations", .enabled(if: TestBackend.available.contains(.postgres)))
struct PostgresMigrationTests {
    static var known: [Migration] { PostgresMigrationRunner().migrations.sorted { $0.version < $1.version } }
    static var core: [Migration] { known.filter { $0.version <= 3 } }
    static var later: [Migration] { known.filter { $0.version > 3 } }

    @Test func laterMigrationsLeaveTheCoreTablesUntouched() async throws {
        try await ScratchPostgres.with { scratch in
            let core = try await PostgresMigrationRunner(migrations: Self.core).run(on: scratch.client)
            #expect(core.applied == Self.core.map(\.name))

            let tables = try await scratch.coreTables()
            #expect(Set(tables).isSuperset(of: ["file_locks", "work_queue", "agent_sessions", "handoff_documents"]))
            let before = try await scratch.catalogSnapshot(of: tables)

            let rest = try await PostgresMigrationRunner().run(on: scratch.client)
            #expect(rest.applied == Self.later.map(\.name))
            #expect(rest.alreadyApplied == Self.core.count)

            let after = try await scratch.catalogSnapshot(of: tables)
            let beforeLines = Set(before.split(separator: "\n")), afterLines = Set(after.split(separator: "\n"))
            #expect(beforeLines.subtracting(afterLines).sorted() == [], "catalog entries of 000–003 tables changed or removed")
            #expect(afterLines.subtracting(beforeLines).sorted() == [], "catalog entries added to 000–003 tables")
            #expect(before.contains("column work_queue.lease_expires_at"), "the snapshot covers columns")
            #expect(before.contains("policy file_locks.read for all"), "the snapshot covers policies")
            #expect(before.contains("grant file_locks anon SELECT"), "the snapshot covers grants")
        }
    }

    @Test func aSecondRunAppliesNothing() async throws {
        try await ScratchPostgres.with { scratch in
            let first = try await PostgresMigrationRunner().run(on: scratch.client)
            #expect(first.applied == Self.known.map(\.name))
            #expect(first.alreadyApplied == 0)
            let second = try await PostgresMigrationRunner().run(on: scratch.client)
            #expect(second.applied == [])
            #expect(second.alreadyApplied == Self.known.count)
            #expect(try await scratch.text("SELECT count(*)::text FROM schema_migrations") == String(Self.known.count))
        }
    }

    @Test func aGapInTheHistoryIsRefused() async throws {
        let later = Self.later
        try #require(later.count >= 2, "needs two migrations after 003")
        // With 004 on file: 005 recorded while 004 is missing.
        let missing = later[0], recorded = later[1]
        try await ScratchPostgres.with { scratch in
            _ = try await PostgresMigrationRunner(migrations: Self.core).run(on: scratch.client)
            try await scratch.record(recorded)
            await #expect {
                try await PostgresMigrationRunner().run(on: scratch.client)
            } throws: { error in
                guard let error = error as? DatabaseError, error.kind == .schema else { return false }
                return error.message.contains("\(missing.name) is missing from the database but the later \(recorded.name) is applied")
            }
            #expect(try await scratch.text("SELECT count(*)::text FROM schema_migrations") == String(Self.core.count + 1),
                    "nothing was applied")
        }
    }

    @Test func anEditedMigrationIsRefused() async throws {
        let edited = try #require(Self.later.first { $0.version == 5 } ?? Self.later.first)
        try await ScratchPostgres.with { scratch in
            _ = try await PostgresMigrationRunner().run(on: scratch.client)
            let changed = Self.known.map { migration in
                migration.version == edited.version
                    ? Migration(version: migration.version, name: migration.name, sql: migration.sql + "\n-- edited afterwards\n")
                    : migration
            }
            await #expect {
                try await PostgresMigrationRunner(migrations: changed).run(on: scratch.client)
            } throws: { error in
                guard let error = error as? DatabaseError, error.kind == .schema else { return false }
                return error.message.contains("\(edited.name) was changed after it was applied")
            }
            #expect(try await scratch.text("SELECT count(*)::text FROM schema_migrations") == String(Self.known.count))
        }
    }
}

/// The same history rules on the embedded backend.
@Suite("SQLite migrations")
struct SQLiteMigrationTests {
    @Test func aSecondRunAppliesNothingAndTheCoreTablesStayAsWritten() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let migrating = try #require(db.client as? any SchemaMigrating)
            let history = try await db.client.query("schema_migrations", filter: RowFilter().ordered(by: "version"), select: ["version"])
            let versions = Set(history.compactMap { $0["version"]?.intValue })
            #expect(versions.isSuperset(of: [1, 5, 6, 7, 9]))
            let again = try await migrating.migrate()
            #expect(again.applied == [])
            #expect(again.alreadyApplied == history.count)

            // Every schema object on a table of 001 is exactly as 001 wrote it (SQLite keeps the CREATE text, and
            // rewrites it on ALTER TABLE): later files neither altered those tables nor hung triggers or indexes
            // on them.
            let coreFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("database/sqlite/001_core_schema.sqlite.sql")
            let coreSQL = try String(contentsOf: coreFile, encoding: .utf8)
            let coreTables = coreSQL.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("CREATE TABLE ") else { return nil }
                return line.dropFirst("CREATE TABLE ".count).split(separator: " ").first.map(String.init)
            }
            #expect(coreTables.contains("work_queue"))
            let objects = try await db.client.query("sqlite_master", filter: RowFilter().among("tbl_name", coreTables.map(JSONValue.string)), select: ["name", "sql"])
            #expect(objects.count > coreTables.count)
            for object in objects {
                guard let sql = object["sql"]?.stringValue else { continue }  // automatic indexes
                #expect(coreSQL.contains(sql), "\(object["name"] ?? .null) is not as 001 created it")
            }
        }
    }

    @Test func anEditedMigrationIsRefused() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let migrating = try #require(db.client as? any SchemaMigrating)
            _ = try await db.client.update("schema_migrations", filter: RowFilter().equal("version", 5),
                                           values: ["checksum": "0000000000000000"], returning: false)
            await #expect {
                try await migrating.migrate()
            } throws: { error in
                (error as? DatabaseError)?.kind == .schema
                    && (error as? DatabaseError)?.message.contains("005_verification_tables was changed after it was applied") == true
            }
        }
    }

    @Test func aGapInTheHistoryIsRefused() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let migrating = try #require(db.client as? any SchemaMigrating)
            _ = try await db.client.delete("schema_migrations", filter: RowFilter().equal("version", 5))
            await #expect {
                try await migrating.migrate()
            } throws: { error in
                (error as? DatabaseError)?.kind == .schema
                    && (error as? DatabaseError)?.message.contains("005_verification_tables is missing from the database") == true
            }
        }
    }
}

/// A PostgreSQL database created for one test (not migrated) and dropped afterwards.
struct ScratchPostgres: Sendable {
    let client: DirectPostgresClient
    let dsn: String

    static func with(_ body: (ScratchPostgres) async throws -> Void) async throws {
        guard let adminDSN = TestBackend.postgresDSN else {
            Issue.record("COORDINATOR_TEST_POSTGRES_DSN is not set; the test script starts PostgreSQL and sets it")
            return
        }
        let name = "coord_migration_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try await PostgresAdmin.execute(dsn: adminDSN, "CREATE DATABASE \(name)")
        let dsn = PostgresAdmin.dsn(adminDSN, database: String(name))
        let drop: @Sendable () async -> Void = {
            try? await PostgresAdmin.execute(dsn: adminDSN, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
        let client: DirectPostgresClient
        do {
            client = try await DirectPostgresClient.connect(config: PostgresConfig(dsn: dsn, poolMin: 0, poolMax: 2))
        } catch {
            await drop()
            throw error
        }
        let scratch = ScratchPostgres(client: client, dsn: dsn)
        do {
            try await body(scratch)
        } catch {
            try? await client.close()
            await drop()
            throw error
        }
        try? await client.close()
        await drop()
    }

    /// The first column of the first row of `sql`, as text (nil for NULL or no row), on a connection of its own.
    func text(_ sql: String) async throws -> String? {
        guard let components = URLComponents(string: dsn), let host = components.host else {
            throw PostgresAdminError(message: "unreadable DSN")
        }
        let logger = Logger(label: "test-migrations")
        let connection = try await PostgresConnection.connect(
            configuration: PostgresConnection.Configuration(
                host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
                password: components.password, database: String(components.path.dropFirst()), tls: .disable),
            id: 1, logger: logger)
        do {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            var result: String?
            var first = true
            for try await row in rows where first {
                result = try row.decode(String?.self)
                first = false
            }
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Inserts a history row for `migration` as if it had been applied.
    func record(_ migration: Migration) async throws {
        let safeName = migration.name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        let safeChecksum = migration.checksum.allSatisfy(\.isHexDigit)
        try #require(safeName && safeChecksum)
        _ = try await text("""
            INSERT INTO schema_migrations (version, name, checksum)
            VALUES (\(migration.version), '\(migration.name)', '\(migration.checksum)') RETURNING name
            """)
    }

    /// The ordinary tables in `public`, except the migration history.
    func coreTables() async throws -> [String] {
        let list = try await text("""
            SELECT string_agg(c.relname, ',' ORDER BY c.relname)
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'schema_migrations'
            """) ?? ""
        return list.split(separator: ",").map(String.init)
    }

    /// Everything the catalog says about `tables`, one sorted line per fact: the table's flags and ACL, every
    /// column (position, type, default, nullability, identity, collation, ACL), constraint, index, trigger, RLS
    /// policy, grant and publication membership.
    func catalogSnapshot(of tables: [String]) async throws -> String {
        try #require(tables.allSatisfy { $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } })
        let names = tables.map { "'\($0)'" }.joined(separator: ", ")
        let sql = """
            WITH t AS (
                SELECT c.oid, c.relname
                FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relname = ANY (ARRAY[\(names)]::text[])
            )
            SELECT string_agg(line, E'\\n' ORDER BY line COLLATE "C") FROM (
                SELECT format('table %s kind=%s persistence=%s rls=%s force_rls=%s options=%s acl=%s',
                              t.relname, c.relkind, c.relpersistence, c.relrowsecurity, c.relforcerowsecurity,
                              c.reloptions, c.relacl) AS line
                FROM t JOIN pg_catalog.pg_class c ON c.oid = t.oid
                UNION ALL
                SELECT format('column %s.%s #%s %s notnull=%s default=%s identity=%s generated=%s collation=%s acl=%s',
                              t.relname, a.attname, a.attnum, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
                              pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, a.attcollation,
                              a.attacl)
                FROM t
                JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
                LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = t.oid AND d.adnum = a.attnum
                UNION ALL
                SELECT format('constraint %s.%s %s deferrable=%s deferred=%s validated=%s', t.relname, k.conname,
                              pg_catalog.pg_get_constraintdef(k.oid), k.condeferrable, k.condeferred, k.convalidated)
                FROM t JOIN pg_catalog.pg_constraint k ON k.conrelid = t.oid
                UNION ALL
                SELECT format('index %s valid=%s', pg_catalog.pg_get_indexdef(i.indexrelid), i.indisvalid)
                FROM t JOIN pg_catalog.pg_index i ON i.indrelid = t.oid
                UNION ALL
                SELECT format('trigger %s enabled=%s', pg_catalog.pg_get_triggerdef(g.oid), g.tgenabled)
                FROM t JOIN pg_catalog.pg_trigger g ON g.tgrelid = t.oid AND NOT g.tgisinternal
                UNION ALL
                SELECT format('rule %s', pg_catalog.pg_get_ruledef(r.oid))
                FROM t JOIN pg_catalog.pg_rewrite r ON r.ev_class = t.oid
                UNION ALL
                SELECT format('policy %s.%s %s permissive=%s roles=%s using=%s check=%s', p.tablename, p.policyname,
                              p.cmd, p.permissive, p.roles, p.qual, p.with_check)
                FROM t JOIN pg_catalog.pg_policies p ON p.schemaname = 'public' AND p.tablename = t.relname
                UNION ALL
                SELECT format('grant %s %s %s grantable=%s', g.table_name, g.grantee, g.privilege_type, g.is_grantable)
                FROM t JOIN information_schema.role_table_grants g ON g.table_schema = 'public' AND g.table_name = t.relname
                UNION ALL
                SELECT format('publication %s %s', pt.pubname, pt.tablename)
                FROM t JOIN pg_catalog.pg_publication_tables pt ON pt.schemaname = 'public' AND pt.tablename = t.relname
            ) facts
            """
        return try await text(sql) ?? ""
    }
}
