/// A Cedar expression (the body of a `when`/`unless` condition), after Cedar's CST→AST rules: `has a.b.c` is
/// already desugared into `&&`-joined `has` tests, `-<literal>` is folded into the literal, `["k"]` is an attribute
/// access, and only known methods and extension functions can appear.
public indirect enum Expr: Sendable, Hashable {
    case bool(Bool)
    case long(Int64)
    case string(CedarString)
    case entity(EntityUID)
    case variable(Variable)
    /// A template slot; only found in scope constraints after parsing, but kept for generality.
    case slot(SlotID)
    case ifThenElse(Expr, then: Expr, else: Expr)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case unary(UnaryOp, Expr)
    case binary(BinaryOp, Expr, Expr)
    /// `e.attr` or `e["attr"]`.
    case getAttr(Expr, CedarString)
    /// `e has attr` or `e has "attr"`.
    case hasAttr(Expr, CedarString)
    case like(Expr, Pattern)
    /// `e is Type`, or `e is Type in other` when `in` is present.
    case isType(Expr, EntityType, in: Expr?)
    case set([Expr])
    /// Record literal entries in source order (keys are unique).
    case record([RecordEntry])
    /// An extension function or method call; a method's receiver is the first argument (as in Cedar's AST).
    case call(ExtensionFunction, [Expr])
}

/// One `key: value` entry of a record literal.
public struct RecordEntry: Sendable, Hashable {
    public var key: CedarString
    public var value: Expr

    public init(_ key: CedarString, _ value: Expr) {
        self.key = key
        self.value = value
    }
}

public enum UnaryOp: String, Sendable, Hashable, CaseIterable {
    /// `!e`
    case not
    /// `-e` (overflow-checked at evaluation)
    case neg
    /// `e.isEmpty()`
    case isEmpty
}

public enum BinaryOp: String, Sendable, Hashable, CaseIterable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case `in` = "in"
    /// `e.contains(x)`
    case contains
    /// `e.containsAll(x)`
    case containsAll
    /// `e.containsAny(x)`
    case containsAny
    /// `e.getTag(x)`
    case getTag
    /// `e.hasTag(x)`
    case hasTag

    /// True for the operators written as methods (`contains`, `getTag`, …).
    public var isMethod: Bool {
        switch self {
        case .contains, .containsAll, .containsAny, .getTag, .hasTag: true
        default: false
        }
    }
}

/// The extension functions and methods Cedar 4.12 knows: the single list of their names, styles and arities (the
/// implementations are in `ExtensionFunctions`, keyed by this enum). Function-style ones are called as `ip("…")`;
/// method-style ones as `e.isIpv4()`, with the receiver as the first argument. Arity is not checked by the parser
/// (Cedar checks it at evaluation and validation time).
public enum ExtensionFunction: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    // Constructors (function style).
    case ip, decimal, datetime, duration
    // decimal
    case lessThan, lessThanOrEqual, greaterThan, greaterThanOrEqual
    // ipaddr
    case isIpv4, isIpv6, isLoopback, isMulticast, isInRange
    // datetime
    case offset, durationSince, toDate, toTime
    // duration
    case toDays, toHours, toMinutes, toSeconds, toMilliseconds

    public var isMethod: Bool {
        switch self {
        case .ip, .decimal, .datetime, .duration: false
        default: true
        }
    }

    /// The number of arguments, counting a method's receiver.
    public var arity: Int {
        switch self {
        case .ip, .decimal, .datetime, .duration: 1
        case .isIpv4, .isIpv6, .isLoopback, .isMulticast, .toDate, .toTime, .toDays, .toHours, .toMinutes, .toSeconds,
            .toMilliseconds:
            1
        case .lessThan, .lessThanOrEqual, .greaterThan, .greaterThanOrEqual, .isInRange, .offset, .durationSince: 2
        }
    }

    public var description: String { rawValue }
}

extension Expr: CustomStringConvertible {
    /// The expression as Cedar source (see `PolicyFormatter`).
    public var description: String { PolicyFormatter.format(self) }
}

extension Expr {
    /// Every slot used in the expression.
    public var slots: [SlotID] {
        var found: [SlotID] = []
        visit { if case .slot(let slot) = $0, !found.contains(slot) { found.append(slot) } }
        return found
    }

    /// Calls `body` on this expression and every sub-expression, parents first.
    public func visit(_ body: (Expr) -> Void) {
        body(self)
        switch self {
        case .bool, .long, .string, .entity, .variable, .slot: break
        case .ifThenElse(let a, let b, let c): a.visit(body); b.visit(body); c.visit(body)
        case .and(let a, let b), .or(let a, let b), .binary(_, let a, let b): a.visit(body); b.visit(body)
        case .unary(_, let a), .getAttr(let a, _), .hasAttr(let a, _), .like(let a, _): a.visit(body)
        case .isType(let a, _, let other): a.visit(body); other?.visit(body)
        case .set(let items), .call(_, let items): for item in items { item.visit(body) }
        case .record(let entries): for entry in entries { entry.value.visit(body) }
        }
    }

    /// The expression with each slot replaced by `replacement(slot)` (used when linking templates).
    public func substitutingSlots(_ replacement: (SlotID) -> Expr) -> Expr {
        func go(_ e: Expr) -> Expr {
            switch e {
            case .bool, .long, .string, .entity, .variable: e
            case .slot(let slot): replacement(slot)
            case .ifThenElse(let a, let b, let c): .ifThenElse(go(a), then: go(b), else: go(c))
            case .and(let a, let b): .and(go(a), go(b))
            case .or(let a, let b): .or(go(a), go(b))
            case .binary(let op, let a, let b): .binary(op, go(a), go(b))
            case .unary(let op, let a): .unary(op, go(a))
            case .getAttr(let a, let k): .getAttr(go(a), k)
            case .hasAttr(let a, let k): .hasAttr(go(a), k)
            case .like(let a, let p): .like(go(a), p)
            case .isType(let a, let t, let other): .isType(go(a), t, in: other.map(go))
            case .set(let items): .set(items.map(go))
            case .call(let f, let items): .call(f, items.map(go))
            case .record(let entries): .record(entries.map { RecordEntry($0.key, go($0.value)) })
            }
        }
        return go(self)
    }
}
