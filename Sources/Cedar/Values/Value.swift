/// A Cedar runtime value.
///
/// Equality and hashing follow Cedar: sets are unordered and deduplicated (`[1, 2] == [2, 1, 1]`), records ignore the
/// order their keys were written in, strings compare scalar by scalar, and values of different types are simply unequal
/// (never an error).
public enum Value: Sendable, Hashable {
    case bool(Bool)
    case long(Int64)
    case string(CedarString)
    case entity(EntityUID)
    case set(CedarSet)
    case record(CedarRecord)
    case ext(ExtensionValue)

    /// The value's type, as named in error messages.
    public var type: CedarType {
        switch self {
        case .bool: .bool
        case .long: .long
        case .string: .string
        case .entity(let uid): .entity(uid.type)
        case .set: .set
        case .record: .record
        case .ext(let value): value.type
        }
    }
}

// MARK: - Convenience constructors and accessors

extension Value: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .long(value) }
    public init(stringLiteral value: String) { self = .string(CedarString(value)) }

    /// A set value from elements (duplicates collapse).
    public static func set(_ elements: [Value]) -> Value { .set(CedarSet(elements)) }
    /// A record value from key/value pairs (a later duplicate key wins).
    public static func record(_ pairs: [(CedarString, Value)]) -> Value { .record(CedarRecord(pairs)) }
    public static func decimal(_ value: CedarDecimal) -> Value { .ext(.decimal(value)) }
    public static func ipaddr(_ value: CedarIPAddr) -> Value { .ext(.ipaddr(value)) }
    public static func datetime(_ value: CedarDatetime) -> Value { .ext(.datetime(value)) }
    public static func duration(_ value: CedarDuration) -> Value { .ext(.duration(value)) }

    public var asBool: Bool? { if case .bool(let value) = self { value } else { nil } }
    public var asLong: Int64? { if case .long(let value) = self { value } else { nil } }
    public var asString: CedarString? { if case .string(let value) = self { value } else { nil } }
    public var asEntity: EntityUID? { if case .entity(let value) = self { value } else { nil } }
    public var asSet: CedarSet? { if case .set(let value) = self { value } else { nil } }
    public var asRecord: CedarRecord? { if case .record(let value) = self { value } else { nil } }
    public var asExtension: ExtensionValue? { if case .ext(let value) = self { value } else { nil } }

    /// The Bool, or a type error naming what was found.
    public func expectBool() throws(EvaluationError) -> Bool {
        guard case .bool(let value) = self else { throw .typeError(expected: [.bool], got: type) }
        return value
    }

    public func expectLong() throws(EvaluationError) -> Int64 {
        guard case .long(let value) = self else { throw .typeError(expected: [.long], got: type) }
        return value
    }

    public func expectString() throws(EvaluationError) -> CedarString {
        guard case .string(let value) = self else { throw .typeError(expected: [.string], got: type) }
        return value
    }

    public func expectSet() throws(EvaluationError) -> CedarSet {
        guard case .set(let value) = self else { throw .typeError(expected: [.set], got: type) }
        return value
    }

    public func expectEntity() throws(EvaluationError) -> EntityUID {
        guard case .entity(let value) = self else { throw .typeError(expected: [.anyEntity], got: type) }
        return value
    }

    public func expectRecord() throws(EvaluationError) -> CedarRecord {
        guard case .record(let value) = self else { throw .typeError(expected: [.record], got: type) }
        return value
    }

    public func expectDecimal() throws(EvaluationError) -> CedarDecimal {
        guard case .ext(.decimal(let value)) = self else { throw .typeError(expected: [.decimal], got: type) }
        return value
    }

    public func expectIPAddr() throws(EvaluationError) -> CedarIPAddr {
        guard case .ext(.ipaddr(let value)) = self else { throw .typeError(expected: [.ipaddr], got: type) }
        return value
    }

    public func expectDatetime() throws(EvaluationError) -> CedarDatetime {
        guard case .ext(.datetime(let value)) = self else { throw .typeError(expected: [.datetime], got: type) }
        return value
    }

    public func expectDuration() throws(EvaluationError) -> CedarDuration {
        guard case .ext(.duration(let value)) = self else { throw .typeError(expected: [.duration], got: type) }
        return value
    }
}

// MARK: - Ordering operators

extension Value {
    /// Cedar's `<`: defined on two longs, two datetimes or two durations; anything else is a type error worded as Cedar
    /// words it (`1 < "a"`: expected long, got string; `"a" < "b"`: expected one of [long, datetime, duration]).
    public static func lessThan(_ left: Value, _ right: Value) throws(EvaluationError) -> Bool {
        try compare(left, right) < 0
    }

    /// Cedar's `<=`.
    public static func lessThanOrEqual(_ left: Value, _ right: Value) throws(EvaluationError) -> Bool {
        try compare(left, right) <= 0
    }

    /// Cedar's `>` (the same type rules as `<`).
    public static func greaterThan(_ left: Value, _ right: Value) throws(EvaluationError) -> Bool {
        try compare(left, right) > 0
    }

    /// Cedar's `>=`.
    public static func greaterThanOrEqual(_ left: Value, _ right: Value) throws(EvaluationError) -> Bool {
        try compare(left, right) >= 0
    }

    private static func compare(_ left: Value, _ right: Value) throws(EvaluationError) -> Int {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        switch (left, right) {
        case (.long(let a), .long(let b)): return order(a, b)
        case (.ext(.datetime(let a)), .ext(.datetime(let b))): return order(a, b)
        case (.ext(.duration(let a)), .ext(.duration(let b))): return order(a, b)
        default: break
        }
        for wanted in [CedarType.long, .datetime, .duration] {
            if left.type == wanted { throw .typeError(expected: [wanted], got: right.type) }
            if right.type == wanted { throw .typeError(expected: [wanted], got: left.type) }
        }
        throw .typeError(expected: [.long, .datetime, .duration], got: left.type)
    }
}

// MARK: - Printing

extension Value: CustomStringConvertible {
    /// Cedar syntax for the value: `true`, `-3`, `"a\"b"`, `User::"alice"`, `[1, 2]` (elements in a canonical order),
    /// `{"a": 1}` (keys in scalar order), `ip("10.0.0.1/24")`.
    public var description: String {
        switch self {
        case .bool(let value): return value ? "true" : "false"
        case .long(let value): return String(value)
        case .string(let value): return "\"\(CedarEscaping.escape(value))\""
        case .entity(let uid): return uid.description
        case .set(let set): return "[" + set.sorted.map(\.description).joined(separator: ", ") + "]"
        case .record(let record):
            return "{" + record.sortedPairs.map { "\"\(CedarEscaping.escape($0.key))\": \($0.value)" }
                .joined(separator: ", ") + "}"
        case .ext(let value): return value.description
        }
    }
}

// MARK: - A total order for deterministic output

extension Value {
    /// A total order over all values, used only to print sets and records deterministically (not Cedar's `<`):
    /// by type first, then by value.
    public static func canonicallyPrecedes(_ left: Value, _ right: Value) -> Bool {
        let (lr, rr) = (left.rank, right.rank)
        if lr != rr { return lr < rr }
        switch (left, right) {
        case (.bool(let a), .bool(let b)): return !a && b
        case (.long(let a), .long(let b)): return a < b
        case (.string(let a), .string(let b)): return a < b
        case (.entity(let a), .entity(let b)): return a < b
        case (.set(let a), .set(let b)):
            return a.sorted.lexicographicallyPrecedes(b.sorted, by: canonicallyPrecedes)
        case (.record(let a), .record(let b)):
            let (pa, pb) = (a.sortedPairs, b.sortedPairs)
            for (x, y) in zip(pa, pb) {
                if x.key != y.key { return x.key < y.key }
                if x.value != y.value { return canonicallyPrecedes(x.value, y.value) }
            }
            return pa.count < pb.count
        case (.ext(let a), .ext(let b)): return a.canonicallyPrecedes(b)
        default: return false
        }
    }

    private var rank: Int {
        switch self {
        case .bool: 0
        case .long: 1
        case .string: 2
        case .entity: 3
        case .set: 4
        case .record: 5
        case .ext: 6
        }
    }
}
