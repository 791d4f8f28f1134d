/// One numbered schema migration: `NNN_name.sql`, applied once, in order, and never edited afterwards.
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Parses `NNN_name.sql` into a migration; `nil` when the file name is not of that form.
    public init?(fileName: String, sql: String) {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]), version >= 0 else {
            return nil
        }
        self.init(version: version, name: String(stem), sql: sql)
    }

    /// A stable fingerprint of the SQL text (FNV-1a, 64 bit, hex), recorded to detect edited migrations.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// What `schema_migrations` says was applied.
public struct AppliedMigration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let checksum: String

    public init(version: Int, name: String, checksum: String) {
        self.version = version
        self.name = name
        self.checksum = checksum
    }
}

/// What a migration run did.
public struct MigrationReport: Sendable, Equatable {
    /// Names of the migrations applied by this run, in order.
    public var applied: [String]
    /// How many were already in place.
    public var alreadyApplied: Int

    public init(applied: [String], alreadyApplied: Int) {
        self.applied = applied
        self.alreadyApplied = alreadyApplied
    }

    public var json: JSONValue {
        ["success": true, "applied": JSONValue(applied), "already_applied": .int(alreadyApplied)]
    }
}

/// Decides which migrations to run, refusing a database whose history does not match the known files.
public enum MigrationPlan {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case duplicateVersion(Int)
        case edited(name: String)
        case unknownApplied(name: String)
        case outOfOrder(pending: String, appliedLater: String)

        public var description: String {
            switch self {
            case .duplicateVersion(let version):
                return "two migration files share version \(version)"
            case .edited(let name):
                return "migration \(name) was changed after it was applied (checksum differs); add a new migration instead of editing an applied one"
            case .unknownApplied(let name):
                return "the database has migration \(name) applied, which this coordinator does not know; it was written by a different build"
            case .outOfOrder(let pending, let later):
                return "migration \(pending) is missing from the database but the later \(later) is applied; migrations must run in order"
            }
        }
    }

    /// The migrations still to apply, in version order; throws when the recorded history is inconsistent.
    public static func pending(known: [Migration], applied: [AppliedMigration]) throws -> [Migration] {
        let sorted = known.sorted { $0.version < $1.version }
        for (left, right) in zip(sorted, sorted.dropFirst()) where left.version == right.version {
            throw Problem.duplicateVersion(left.version)
        }
        let knownByVersion = Dictionary(uniqueKeysWithValues: sorted.map { ($0.version, $0) })
        for record in applied.sorted(by: { $0.version < $1.version }) {
            guard let migration = knownByVersion[record.version], migration.name == record.name else {
                throw Problem.unknownApplied(name: record.name)
            }
            guard migration.checksum == record.checksum else { throw Problem.edited(name: record.name) }
        }
        let appliedVersions = Set(applied.map(\.version))
        let pending = sorted.filter { !appliedVersions.contains($0.version) }
        if let first = pending.first, let later = applied.filter({ $0.version > first.version }).min(by: { $0.version < $1.version }) {
            throw Problem.outOfOrder(pending: first.name, appliedLater: later.name)
        }
        return pending
    }
}
