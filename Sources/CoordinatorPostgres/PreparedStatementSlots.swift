import Logging
import PostgresNIO
import Synchronization

/// Named prepared statements for the SQL the client sends most: storage-function calls, whose text is fixed per
/// function and parameter set. PostgreSQL then skips parsing and planning on every call (pgbench's prepared mode,
/// the benchmark baseline, does the same). PostgresNIO names a prepared statement by its Swift type, so a fixed set
/// of slot types is bound at run time, each once and for good, to one SQL text; texts beyond the slots run as
/// unnamed statements.
enum PreparedStatementSlots {
    static let count = 16
    private static let registry = Mutex<(slotByText: [String: Int], texts: [String])>(([:], []))

    /// The slot of `sql`, taking a free one the first time; nil when every slot is taken.
    static func slot(for sql: String) -> Int? {
        registry.withLock { state in
            if let slot = state.slotByText[sql] { return slot }
            guard state.texts.count < count else { return nil }
            state.texts.append(sql)
            state.slotByText[sql] = state.texts.count - 1
            return state.texts.count - 1
        }
    }

    /// The SQL bound to `slot` (only asked for slots that were handed out).
    static func text(of slot: Int) -> String {
        registry.withLock { $0.texts[slot] }
    }
}

/// A slot's number, as a type (see ``PreparedStatementSlots``).
protocol PreparedStatementSlotNumber: Sendable {
    static var slot: Int { get }
}

enum PreparedSlot0: PreparedStatementSlotNumber { static let slot = 0 }
enum PreparedSlot1: PreparedStatementSlotNumber { static let slot = 1 }
enum PreparedSlot2: PreparedStatementSlotNumber { static let slot = 2 }
enum PreparedSlot3: PreparedStatementSlotNumber { static let slot = 3 }
enum PreparedSlot4: PreparedStatementSlotNumber { static let slot = 4 }
enum PreparedSlot5: PreparedStatementSlotNumber { static let slot = 5 }
enum PreparedSlot6: PreparedStatementSlotNumber { static let slot = 6 }
enum PreparedSlot7: PreparedStatementSlotNumber { static let slot = 7 }
enum PreparedSlot8: PreparedStatementSlotNumber { static let slot = 8 }
enum PreparedSlot9: PreparedStatementSlotNumber { static let slot = 9 }
enum PreparedSlot10: PreparedStatementSlotNumber { static let slot = 10 }
enum PreparedSlot11: PreparedStatementSlotNumber { static let slot = 11 }
enum PreparedSlot12: PreparedStatementSlotNumber { static let slot = 12 }
enum PreparedSlot13: PreparedStatementSlotNumber { static let slot = 13 }
enum PreparedSlot14: PreparedStatementSlotNumber { static let slot = 14 }
enum PreparedSlot15: PreparedStatementSlotNumber { static let slot = 15 }

/// The prepared statement of one slot: its SQL returns one nullable text column.
struct SlotStatement<Number: PreparedStatementSlotNumber>: PostgresPreparedStatement {
    typealias Row = String?
    static var name: String { "coordinator_call_\(Number.slot)" }
    static var sql: String { PreparedStatementSlots.text(of: Number.slot) }
    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> String? { try row.decode(String?.self) }
}

extension PostgresConnection {
    /// Runs `statement` as a named prepared statement when a slot is free for its text, else unnamed; returns the
    /// first row's text (nil for NULL or no row).
    func preparedSingleText(_ statement: PostgresStatement, logger: Logger) async throws -> String? {
        guard let slot = PreparedStatementSlots.slot(for: statement.sql) else {
            return try await singleText(statement, logger: logger)
        }
        switch slot {
        case 0: return try await firstText(execute(SlotStatement<PreparedSlot0>(bindings: statement.binds), logger: logger))
        case 1: return try await firstText(execute(SlotStatement<PreparedSlot1>(bindings: statement.binds), logger: logger))
        case 2: return try await firstText(execute(SlotStatement<PreparedSlot2>(bindings: statement.binds), logger: logger))
        case 3: return try await firstText(execute(SlotStatement<PreparedSlot3>(bindings: statement.binds), logger: logger))
        case 4: return try await firstText(execute(SlotStatement<PreparedSlot4>(bindings: statement.binds), logger: logger))
        case 5: return try await firstText(execute(SlotStatement<PreparedSlot5>(bindings: statement.binds), logger: logger))
        case 6: return try await firstText(execute(SlotStatement<PreparedSlot6>(bindings: statement.binds), logger: logger))
        case 7: return try await firstText(execute(SlotStatement<PreparedSlot7>(bindings: statement.binds), logger: logger))
        case 8: return try await firstText(execute(SlotStatement<PreparedSlot8>(bindings: statement.binds), logger: logger))
        case 9: return try await firstText(execute(SlotStatement<PreparedSlot9>(bindings: statement.binds), logger: logger))
        case 10: return try await firstText(execute(SlotStatement<PreparedSlot10>(bindings: statement.binds), logger: logger))
        case 11: return try await firstText(execute(SlotStatement<PreparedSlot11>(bindings: statement.binds), logger: logger))
        case 12: return try await firstText(execute(SlotStatement<PreparedSlot12>(bindings: statement.binds), logger: logger))
        case 13: return try await firstText(execute(SlotStatement<PreparedSlot13>(bindings: statement.binds), logger: logger))
        case 14: return try await firstText(execute(SlotStatement<PreparedSlot14>(bindings: statement.binds), logger: logger))
        case 15: return try await firstText(execute(SlotStatement<PreparedSlot15>(bindings: statement.binds), logger: logger))
        default: return try await singleText(statement, logger: logger)
        }
    }

    private func firstText<Rows: AsyncSequence>(_ rows: Rows) async throws -> String? where Rows.Element == String? {
        var result: String?
        for try await row in rows where result == nil {
            result = row
        }
        return result
    }
}
