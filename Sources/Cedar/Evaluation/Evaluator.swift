/// Evaluates Cedar expressions and policies against one request and an entity store, with the semantics of the Lean
/// specification (`Cedar/Spec/Evaluator.lean`) and the Rust engine 4.12:
///
/// * `&&` and `||` short-circuit; every operand they do evaluate must be a Bool (`true || 1` is `true`,
///   `false || 1` is a type error). `if` needs a Bool condition.
/// * `==`/`!=` never fail: values of different types are unequal.
/// * `<`, `<=`, `>`, `>=` take two longs, two datetimes or two durations.
/// * `+`, `-`, `*` and unary `-` are 64-bit and overflow-checked.
/// * `in` takes an entity on the left and an entity or a set of entities on the right; an entity missing from the
///   store is `in` only itself.
/// * `has` on a missing entity is false; reading an attribute of one is an error ("entity … does not exist"),
///   as is `getTag` (while `hasTag` is false).
/// * Binary operators, set and record literals and calls evaluate their operands left to right and stop at the
///   first error.
///
/// Template slots must have been linked: evaluating a slot is an error.
public struct Evaluator: Sendable {
    public let request: Request
    public let entities: Entities

    public init(request: Request, entities: Entities) {
        self.request = request
        self.entities = entities
    }

    // MARK: - Policies

    /// Whether the policy is satisfied: its scope matches and every `when` holds and no `unless` does. Conditions
    /// are evaluated in order and the first error is thrown (the scope itself cannot fail, except on an unlinked
    /// slot).
    public func isSatisfied(_ policy: Policy) throws(EvaluationError) -> Bool {
        guard try scopeMatches(policy) else { return false }
        for condition in policy.conditions {
            let holds = try evaluate(condition.body).expectBool()
            switch condition.kind {
            case .when: if !holds { return false }
            case .unless: if holds { return false }
            }
        }
        return true
    }

    /// Whether the principal, action and resource constraints of the policy's scope all match.
    public func scopeMatches(_ policy: Policy) throws(EvaluationError) -> Bool {
        guard try matches(policy.principal, request.principal), matches(policy.action) else { return false }
        return try matches(policy.resource, request.resource)
    }

    private func matches(_ constraint: ScopeConstraint, _ uid: EntityUID) throws(EvaluationError) -> Bool {
        switch constraint {
        case .any: return true
        case .equal(let target):
            let other = try resolve(target)
            return uid == other
        case .in(let target):
            let ancestor = try resolve(target)
            return entities.isDescendant(uid, of: ancestor)
        case .isType(let type): return uid.type == type
        case .isTypeIn(let type, let target):
            let ancestor = try resolve(target)
            return uid.type == type && entities.isDescendant(uid, of: ancestor)
        }
    }

    private func matches(_ constraint: ActionConstraint) -> Bool {
        switch constraint {
        case .any: true
        case .equal(let uid): request.action == uid
        case .in(let groups): entities.isDescendant(request.action, ofAny: groups)
        }
    }

    private func resolve(_ reference: EntityReference) throws(EvaluationError) -> EntityUID {
        switch reference {
        case .entity(let uid): return uid
        case .slot(let slot): throw Self.unlinked(slot)
        }
    }

    private static func unlinked(_ slot: SlotID) -> EvaluationError {
        .other("template slot `\(slot)` is not linked")
    }

    // MARK: - Expressions

    /// The value of `expr` for this request.
    public func evaluate(_ expr: Expr) throws(EvaluationError) -> Value {
        switch expr {
        case .bool(let value): return .bool(value)
        case .long(let value): return .long(value)
        case .string(let value): return .string(value)
        case .entity(let uid): return .entity(uid)
        case .variable(let variable):
            switch variable {
            case .principal: return .entity(request.principal)
            case .action: return .entity(request.action)
            case .resource: return .entity(request.resource)
            case .context: return .record(request.context)
            }
        case .slot(let slot):
            throw Self.unlinked(slot)
        case .ifThenElse(let condition, let then, let otherwise):
            return try evaluate(condition).expectBool() ? try evaluate(then) : try evaluate(otherwise)
        case .and(let left, let right):
            guard try evaluate(left).expectBool() else { return .bool(false) }
            return .bool(try evaluate(right).expectBool())
        case .or(let left, let right):
            if try evaluate(left).expectBool() { return .bool(true) }
            return .bool(try evaluate(right).expectBool())
        case .unary(let op, let operand):
            return try unary(op, try evaluate(operand))
        case .binary(let op, let left, let right):
            let leftValue = try evaluate(left)
            let rightValue = try evaluate(right)
            return try binary(op, leftValue, rightValue)
        case .getAttr(let target, let attribute):
            return try getAttribute(try evaluate(target), attribute)
        case .hasAttr(let target, let attribute):
            return .bool(try hasAttribute(try evaluate(target), attribute))
        case .like(let target, let pattern):
            return .bool(pattern.matches(try evaluate(target).expectString()))
        case .isType(let target, let type, let inExpr):
            let uid = try evaluate(target).expectEntity()
            guard uid.type == type else { return .bool(false) }
            guard let inExpr else { return .bool(true) }
            return .bool(try isIn(uid, try evaluate(inExpr)))
        case .set(let items):
            var set = CedarSet()
            for item in items { set.insert(try evaluate(item)) }
            return .set(set)
        case .record(let entries):
            var record = CedarRecord()
            for entry in entries { record[entry.key] = try evaluate(entry.value) }
            return .record(record)
        case .call(let function, let arguments):
            var values: [Value] = []
            values.reserveCapacity(arguments.count)
            for argument in arguments { values.append(try evaluate(argument)) }
            return try ExtensionFunctions.call(function, values)
        }
    }

    private func unary(_ op: UnaryOp, _ value: Value) throws(EvaluationError) -> Value {
        switch op {
        case .not: return .bool(!(try value.expectBool()))
        case .neg: return .long(try CedarArithmetic.negate(try value.expectLong()))
        case .isEmpty: return .bool(try value.expectSet().isEmpty)
        }
    }

    private func binary(_ op: BinaryOp, _ left: Value, _ right: Value) throws(EvaluationError) -> Value {
        switch op {
        case .equal: return .bool(left == right)
        case .notEqual: return .bool(left != right)
        case .less: return .bool(try Value.lessThan(left, right))
        case .lessEqual: return .bool(try Value.lessThanOrEqual(left, right))
        case .greater: return .bool(try Value.greaterThan(left, right))
        case .greaterEqual: return .bool(try Value.greaterThanOrEqual(left, right))
        case .add: return .long(try CedarArithmetic.add(try left.expectLong(), try right.expectLong()))
        case .subtract: return .long(try CedarArithmetic.subtract(try left.expectLong(), try right.expectLong()))
        case .multiply: return .long(try CedarArithmetic.multiply(try left.expectLong(), try right.expectLong()))
        case .in: return .bool(try isIn(try left.expectEntity(), right))
        case .contains: return .bool(try left.expectSet().contains(right))
        case .containsAll: return .bool(try left.expectSet().containsAll(try right.expectSet()))
        case .containsAny: return .bool(try left.expectSet().containsAny(try right.expectSet()))
        case .hasTag:
            let uid = try left.expectEntity()
            let tag = try right.expectString()
            return .bool(entities[uid]?.tags.has(tag) ?? false)
        case .getTag:
            let uid = try left.expectEntity()
            let tag = try right.expectString()
            guard let entity = entities[uid] else { throw .entityDoesNotExist(uid) }
            return try entity.tag(tag)
        }
    }

    /// `uid in target`: `target` is an entity or a set of entities (every element must be an entity, even when an
    /// earlier one already matches).
    private func isIn(_ uid: EntityUID, _ target: Value) throws(EvaluationError) -> Bool {
        switch target {
        case .entity(let ancestor):
            return entities.isDescendant(uid, of: ancestor)
        case .set(let set):
            var ancestors: [EntityUID] = []
            ancestors.reserveCapacity(set.count)
            for element in set { ancestors.append(try element.expectEntity()) }
            return entities.isDescendant(uid, ofAny: ancestors)
        default:
            throw .typeError(expected: [.set, .anyEntity], got: target.type)
        }
    }

    private func getAttribute(_ target: Value, _ attribute: CedarString) throws(EvaluationError) -> Value {
        switch target {
        case .record(let record):
            return try record.get(attribute)
        case .entity(let uid):
            guard let entity = entities[uid] else { throw .entityDoesNotExist(uid) }
            return try entity.attribute(attribute)
        default:
            throw .typeError(expected: [.record, .anyEntity], got: target.type)
        }
    }

    private func hasAttribute(_ target: Value, _ attribute: CedarString) throws(EvaluationError) -> Bool {
        switch target {
        case .record(let record):
            return record.has(attribute)
        case .entity(let uid):
            return entities[uid]?.attributes.has(attribute) ?? false
        default:
            throw .typeError(expected: [.record, .anyEntity], got: target.type)
        }
    }
}
