import CoordinatorCore
import Testing

@Suite("Migration planning refuses inconsistent histories")
struct MigrationPlanTests {
    let files = [
        Migration(version: 0, name: "000_bootstrap", sql: "select 0"),
        Migration(version: 1, name: "001_core", sql: "select 1"),
        Migration(version: 2, name: "002_more", sql: "select 2"),
    ]

    func applied(_ migration: Migration) -> AppliedMigration {
        AppliedMigration(version: migration.version, name: migration.name, checksum: migration.checksum)
    }

    @Test func freshDatabaseGetsEverythingInOrder() throws {
        #expect(try MigrationPlan.pending(known: files.reversed(), applied: []).map(\.version) == [0, 1, 2])
    }

    @Test func upToDateDatabaseGetsNothing() throws {
        #expect(try MigrationPlan.pending(known: files, applied: files.map(applied)).isEmpty)
        #expect(try MigrationPlan.pending(known: files, applied: files.prefix(2).map(applied)).map(\.version) == [2])
    }

    @Test func editedMigrationIsRefused() {
        var history = files.map(applied)
        history[1] = AppliedMigration(version: 1, name: "001_core", checksum: "0000000000000000")
        #expect(throws: MigrationPlan.Problem.edited(name: "001_core")) { try MigrationPlan.pending(known: files, applied: history) }
    }

    @Test func gapIsRefused() {
        let history = [applied(files[0]), applied(files[2])]
        #expect(throws: MigrationPlan.Problem.outOfOrder(pending: "001_core", appliedLater: "002_more")) {
            try MigrationPlan.pending(known: files, applied: history)
        }
    }

    @Test func unknownAppliedMigrationIsRefused() {
        let history = files.map(applied) + [AppliedMigration(version: 9, name: "009_future", checksum: "x")]
        #expect(throws: MigrationPlan.Problem.unknownApplied(name: "009_future")) { try MigrationPlan.pending(known: files, applied: history) }
    }

    @Test func duplicateVersionsAreRefused() {
        #expect(throws: MigrationPlan.Problem.duplicateVersion(1)) {
            try MigrationPlan.pending(known: files + [Migration(version: 1, name: "001_other", sql: "")], applied: [])
        }
    }

    @Test func fileNamesParse() {
        #expect(Migration(fileName: "003_agent_discovery.sql", sql: "")?.version == 3)
        #expect(Migration(fileName: "003_agent_discovery.sql", sql: "")?.name == "003_agent_discovery")
        #expect(Migration(fileName: "notes.sql", sql: "") == nil)
        #expect(Migration(fileName: "003_x.txt", sql: "") == nil)
        #expect(Migration(version: 1, name: "a", sql: "x").checksum != Migration(version: 1, name: "a", sql: "y").checksum)
    }
}
