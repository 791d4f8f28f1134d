/// What a `has`/`hasTag` test proves: an expression has an attribute, or a tag with the given key expression.
struct Capability: Hashable {
    enum Key: Hashable {
        case attribute(CedarString)
        case tag(Expr)
    }

    var expr: Expr
    var key: Key
}

typealias Capabilities = Set<Capability>

/// One request environment: the principal and resource types, the action, its context, and (for templates) the
/// entity types the slots are linked to.
struct TypeEnvironment {
    var principal: EntityType
    var action: EntityUID
    var resource: EntityType
    var context: ValidatorType
    var principalSlot: EntityType?
    var resourceSlot: EntityType?
}

/// The strict typechecker for one request environment, following Cedar 4.12 (`typecheck.rs`): singleton Boolean
/// types short-circuit `&&`, `||` and `if` (the branch not taken is not typechecked), capabilities make optional
/// attributes and tags accessible under a guard, and equality, `contains`, `containsAll`/`containsAny` and `if`
/// need a least upper bound.
///
/// A sub-expression that fails to typecheck gives `nil`. Failures whose error another pass reports (an undeclared
/// entity type or action in a literal) add no error here.
struct Typechecker {
    let schema: Schema
    let environment: TypeEnvironment
    let policyID: String
    private(set) var errors: [String] = []

    init(schema: Schema, environment: TypeEnvironment, policyID: String) {
        self.schema = schema
        self.environment = environment
        self.policyID = policyID
    }

    private mutating func error(_ message: String) {
        errors.append("for policy `\(policyID)`, \(message)")
    }

    /// Typechecks a policy condition, which must be Boolean. Returns its type (nil on failure).
    mutating func typecheckCondition(_ expr: Expr) -> ValidatorType? {
        guard let type = typeOf(expr, []).type else { return nil }
        guard type.isBool else {
            error("unexpected type: expected Bool but saw \(type)")
            return nil
        }
        return type
    }

    struct Answer {
        var type: ValidatorType?
        var capabilities: Capabilities = []

        static let failed = Answer(type: nil)
    }

    // MARK: - Helpers

    /// The entity uid an expression denotes statically: an entity literal, or `action` (the environment's action).
    private func literalUID(_ expr: Expr) -> EntityUID? {
        switch expr {
        case .entity(let uid): uid
        case .variable(.action): environment.action
        default: nil
        }
    }

    private func isLiteral(_ expr: Expr) -> Bool {
        switch expr {
        case .bool, .long, .string, .entity, .variable(.action): true
        default: false
        }
    }

    private func literalValue(_ expr: Expr) -> Expr {
        if case .variable(.action) = expr { return .entity(environment.action) }
        return expr
    }

    /// Attribute types of an entity or record type (`nil` for other types).
    private func attributes(of type: ValidatorType) -> [CedarString: ValidatorAttribute]? {
        switch type {
        case .record(let attributes): return attributes
        case .entity(let name):
            if let definition = schema.entityTypes[name] { return ValidatorType.attributes(definition.shape) }
            return [:]
        default: return nil
        }
    }

    private static func hasAttributes(_ type: ValidatorType) -> Bool {
        switch type {
        case .record, .entity: true
        default: false
        }
    }

    private func describeAccess(_ type: ValidatorType, _ attribute: CedarString) -> String {
        switch type {
        case .entity(let name): "`\(attribute)` on entity type `\(name)`"
        default: "`\(attribute)` on a record"
        }
    }

    /// Whether an entity of type `left` can be `in` an entity of type `right`, in the entity or action hierarchy.
    private func canBeIn(_ left: EntityType, _ right: EntityType) -> Bool {
        if schema.canBeMemberOf(left, right) { return true }
        if left == right { return true }
        for (uid, _) in schema.actions where uid.type == right {
            if schema.actionDescendants(uid).contains(where: { $0.type == left }) { return true }
        }
        return false
    }

    /// Expects a Boolean; reports an error otherwise.
    private mutating func expectBool(_ expr: Expr, _ capabilities: Capabilities) -> Answer {
        let answer = typeOf(expr, capabilities)
        guard let type = answer.type else { return .failed }
        guard type.isBool else {
            error("unexpected type: expected Bool but saw \(type)")
            return .failed
        }
        return answer
    }

    private mutating func expect(
        _ expr: Expr, _ capabilities: Capabilities, _ expected: String, _ accepts: (ValidatorType) -> Bool
    ) -> ValidatorType? {
        guard let type = typeOf(expr, capabilities).type else { return nil }
        guard accepts(type) else {
            error("unexpected type: expected \(expected) but saw \(type)")
            return nil
        }
        return type
    }

    // MARK: - Expressions

    mutating func typeOf(_ expr: Expr, _ capabilities: Capabilities) -> Answer {
        switch expr {
        case .bool(let value): return Answer(type: .bool(value ? .tt : .ff))
        case .long: return Answer(type: .long)
        case .string: return Answer(type: .string)
        case .entity(let uid):
            if uid.type.isActionType {
                return schema.isDeclaredAction(uid) ? Answer(type: .entity(uid.type)) : .failed
            }
            return schema.entityTypes[uid.type] != nil ? Answer(type: .entity(uid.type)) : .failed
        case .variable(let variable):
            switch variable {
            case .principal: return Answer(type: .entity(environment.principal))
            case .action: return Answer(type: .entity(environment.action.type))
            case .resource: return Answer(type: .entity(environment.resource))
            case .context: return Answer(type: environment.context)
            }
        case .slot(let slot):
            let linked = slot == .principal ? environment.principalSlot : environment.resourceSlot
            return linked.map { Answer(type: .entity($0)) } ?? .failed
        case .ifThenElse(let test, let then, let otherwise):
            return typeOfIf(test, then, otherwise, capabilities)
        case .and(let left, let right):
            return typeOfAnd(left, right, capabilities)
        case .or(let left, let right):
            return typeOfOr(left, right, capabilities)
        case .unary(let op, let operand):
            return typeOfUnary(op, operand, capabilities)
        case .binary(let op, let left, let right):
            return typeOfBinary(op, left, right, capabilities)
        case .getAttr(let target, let attribute):
            return typeOfGetAttr(target, attribute, capabilities)
        case .hasAttr(let target, let attribute):
            return typeOfHasAttr(target, attribute, capabilities)
        case .like(let operand, _):
            guard expect(operand, capabilities, "String", { $0 == .string }) != nil else { return .failed }
            return Answer(type: .anyBool)
        case .isType(let operand, let type, let other):
            if let other {
                return typeOfAnd(.isType(operand, type, in: nil), .binary(.in, operand, other), capabilities)
            }
            guard let actual = expect(operand, capabilities, "__cedar::internal::AnyEntity", { $0.entityType != nil })
            else { return .failed }
            return Answer(type: .bool(actual.entityType == type ? .tt : .ff))
        case .set(let elements):
            var types: [ValidatorType] = []
            var failed = false
            for element in elements {
                if let type = typeOf(element, capabilities).type { types.append(type) } else { failed = true }
            }
            if failed { return .failed }
            guard let first = types.first else {
                error("empty set literals are forbidden in policies")
                return .failed
            }
            var joined = first
            for type in types.dropFirst() {
                guard let next = ValidatorType.leastUpperBound(joined, type) else {
                    error("the types \(joined) and \(type) are not compatible")
                    return .failed
                }
                joined = next
            }
            return Answer(type: .set(joined))
        case .record(let entries):
            var attributes: [CedarString: ValidatorAttribute] = [:]
            var failed = false
            for entry in entries {
                if let type = typeOf(entry.value, capabilities).type {
                    attributes[entry.key] = ValidatorAttribute(type: type, isRequired: true)
                } else {
                    failed = true
                }
            }
            return failed ? .failed : Answer(type: .record(attributes))
        case .call(let function, let arguments):
            return typeOfCall(function.rawValue, arguments, capabilities)
        }
    }

    private mutating func typeOfIf(_ test: Expr, _ then: Expr, _ otherwise: Expr, _ prior: Capabilities) -> Answer {
        let testAnswer = expectBool(test, prior)
        guard let kind = testAnswer.type?.boolKind else { return .failed }
        switch kind {
        case .tt:
            let thenAnswer = typeOf(then, prior.union(testAnswer.capabilities))
            guard let type = thenAnswer.type else { return .failed }
            return Answer(type: type, capabilities: thenAnswer.capabilities.union(testAnswer.capabilities))
        case .ff:
            return typeOf(otherwise, prior)
        case .any:
            let thenAnswer = typeOf(then, prior.union(testAnswer.capabilities))
            let elseAnswer = typeOf(otherwise, prior)
            guard let thenType = thenAnswer.type, let elseType = elseAnswer.type else { return .failed }
            guard let joined = ValidatorType.leastUpperBound(thenType, elseType) else {
                error("the types \(thenType) and \(elseType) are not compatible")
                return .failed
            }
            let capabilities = thenAnswer.capabilities.union(testAnswer.capabilities)
                .intersection(elseAnswer.capabilities)
            return Answer(type: joined, capabilities: capabilities)
        }
    }

    private mutating func typeOfAnd(_ left: Expr, _ right: Expr, _ prior: Capabilities) -> Answer {
        let leftAnswer = expectBool(left, prior)
        guard let leftKind = leftAnswer.type?.boolKind else { return .failed }
        if leftKind == .ff { return Answer(type: .bool(.ff)) }
        let rightAnswer = expectBool(right, prior.union(leftAnswer.capabilities))
        guard let rightKind = rightAnswer.type?.boolKind else { return .failed }
        switch (leftKind, rightKind) {
        case (_, .ff): return Answer(type: .bool(.ff))
        case (_, .tt):
            return Answer(type: .bool(leftKind), capabilities: leftAnswer.capabilities.union(rightAnswer.capabilities))
        case (.tt, _):
            // Cedar 4.12 keeps only the right operand's capabilities here.
            return Answer(type: .bool(rightKind), capabilities: rightAnswer.capabilities)
        default:
            return Answer(type: .anyBool, capabilities: leftAnswer.capabilities.union(rightAnswer.capabilities))
        }
    }

    private mutating func typeOfOr(_ left: Expr, _ right: Expr, _ prior: Capabilities) -> Answer {
        let leftAnswer = expectBool(left, prior)
        guard let leftKind = leftAnswer.type?.boolKind else { return .failed }
        if leftKind == .tt { return Answer(type: .bool(.tt), capabilities: leftAnswer.capabilities) }
        let rightAnswer = expectBool(right, prior)
        guard let rightKind = rightAnswer.type?.boolKind else { return .failed }
        switch (leftKind, rightKind) {
        case (_, .tt): return Answer(type: .bool(.tt), capabilities: rightAnswer.capabilities)
        case (_, .ff): return Answer(type: .bool(leftKind), capabilities: leftAnswer.capabilities)
        case (.ff, _): return Answer(type: .bool(rightKind), capabilities: rightAnswer.capabilities)
        default:
            return Answer(type: .anyBool, capabilities: leftAnswer.capabilities.intersection(rightAnswer.capabilities))
        }
    }

    private mutating func typeOfUnary(_ op: UnaryOp, _ operand: Expr, _ prior: Capabilities) -> Answer {
        switch op {
        case .not:
            guard let kind = expectBool(operand, prior).type?.boolKind else { return .failed }
            return Answer(type: .bool(kind.negated))
        case .neg:
            guard expect(operand, prior, "Long", { $0 == .long }) != nil else { return .failed }
            return Answer(type: .long)
        case .isEmpty:
            guard expect(operand, prior, "Set<__cedar::internal::Any>", { $0.isSet }) != nil else { return .failed }
            return Answer(type: .anyBool)
        }
    }

    private mutating func typeOfGetAttr(_ target: Expr, _ attribute: CedarString, _ prior: Capabilities) -> Answer {
        guard
            let type = expect(
                target, prior, "__cedar::internal::AnyEntity, or {}", Self.hasAttributes)
        else { return .failed }
        let known = attributes(of: type) ?? [:]
        guard let found = known[attribute] else {
            error("attribute \(describeAccess(type, attribute)) not found")
            return .failed
        }
        if found.isRequired || prior.contains(Capability(expr: target, key: .attribute(attribute))) {
            return Answer(type: found.type)
        }
        error("unable to guarantee safety of access to optional attribute \(describeAccess(type, attribute))")
        return .failed
    }

    private mutating func typeOfHasAttr(_ target: Expr, _ attribute: CedarString, _ prior: Capabilities) -> Answer {
        guard
            let type = expect(
                target, prior, "__cedar::internal::AnyEntity, or {}", Self.hasAttributes)
        else { return .failed }
        let known = attributes(of: type) ?? [:]
        guard let found = known[attribute] else { return Answer(type: .bool(.ff)) }
        let capability = Capability(expr: target, key: .attribute(attribute))
        let isRecord: Bool
        if case .record = type { isRecord = true } else { isRecord = false }
        let proven = prior.contains(capability) || (found.isRequired && isRecord)
        return Answer(type: .bool(proven ? .tt : .any), capabilities: [capability])
    }

    private mutating func typeOfBinary(_ op: BinaryOp, _ left: Expr, _ right: Expr, _ prior: Capabilities) -> Answer {
        switch op {
        case .equal:
            return typeOfEquality(left, right, prior)
        case .notEqual:
            guard let kind = typeOfEquality(left, right, prior).type?.boolKind else { return .failed }
            return Answer(type: .bool(kind.negated))
        case .less, .lessEqual, .greater, .greaterEqual:
            let leftType = typeOf(left, prior).type
            let rightType = typeOf(right, prior).type
            guard let leftType, let rightType else { return .failed }
            let comparable: (ValidatorType) -> Bool = {
                $0 == .long || $0 == .extension(.datetime) || $0 == .extension(.duration)
            }
            guard leftType == rightType, comparable(leftType) else {
                let bad = comparable(leftType) ? rightType : leftType
                error("unexpected type: expected datetime, or duration, or Long but saw \(bad)")
                return .failed
            }
            return Answer(type: .anyBool)
        case .add, .subtract, .multiply:
            let leftType = expect(left, prior, "Long", { $0 == .long })
            let rightType = expect(right, prior, "Long", { $0 == .long })
            guard leftType != nil, rightType != nil else { return .failed }
            return Answer(type: .long)
        case .in:
            return typeOfIn(left, right, prior)
        case .contains:
            let setType = expect(left, prior, "Set<__cedar::internal::Any>", { $0.isSet })
            let elementType = typeOf(right, prior).type
            guard case .set(let element)? = setType, let elementType else { return .failed }
            guard ValidatorType.leastUpperBound(element, elementType) != nil else {
                error("the types \(element) and \(elementType) are not compatible")
                return .failed
            }
            return Answer(type: .anyBool)
        case .containsAll, .containsAny:
            let leftType = expect(left, prior, "Set<__cedar::internal::Any>", { $0.isSet })
            let rightType = expect(right, prior, "Set<__cedar::internal::Any>", { $0.isSet })
            guard let leftType, let rightType else { return .failed }
            guard ValidatorType.leastUpperBound(leftType, rightType) != nil else {
                error("the types \(leftType) and \(rightType) are not compatible")
                return .failed
            }
            return Answer(type: .anyBool)
        case .hasTag, .getTag:
            let entity = expect(left, prior, "__cedar::internal::AnyEntity", { $0.entityType != nil })
            let key = expect(right, prior, "String", { $0 == .string })
            guard let name = entity?.entityType, key != nil else { return .failed }
            let tagType = schema.entityTypes[name]?.tags
            let capability = Capability(expr: left, key: .tag(right))
            if op == .hasTag {
                guard tagType != nil else { return Answer(type: .bool(.ff), capabilities: [capability]) }
                return Answer(type: .bool(prior.contains(capability) ? .tt : .any), capabilities: [capability])
            }
            guard prior.contains(capability) else {
                error("unable to guarantee safety of access to tag `\(right)` on entity type `\(name)`")
                return .failed
            }
            guard let tagType else {
                error("no tags are allowed on entity type `\(name)`")
                return .failed
            }
            return Answer(type: ValidatorType(tagType))
        }
    }

    private mutating func typeOfEquality(_ left: Expr, _ right: Expr, _ prior: Capabilities) -> Answer {
        let leftType = typeOf(left, prior).type
        let rightType = typeOf(right, prior).type
        guard let leftType, let rightType else { return .failed }
        if let a = leftType.entityType, let b = rightType.entityType, a != b { return Answer(type: .bool(.ff)) }
        // Operands known to be different Booleans (true-only vs false-only) are never equal: the comparison is false,
        // so what follows it in an `&&` is not typechecked (cedarpy: `(false || true) == false` guards an ill-typed rest).
        if case .bool(let a) = leftType, case .bool(let b) = rightType, (a == .tt && b == .ff) || (a == .ff && b == .tt) {
            return Answer(type: .bool(.ff))
        }
        if isLiteral(left), isLiteral(right) {
            return Answer(type: .bool(literalValue(left) == literalValue(right) ? .tt : .ff))
        }
        guard ValidatorType.leastUpperBound(leftType, rightType) != nil else {
            error("the types \(leftType) and \(rightType) are not compatible")
            return .failed
        }
        return Answer(type: .anyBool)
    }

    private mutating func typeOfIn(_ left: Expr, _ right: Expr, _ prior: Capabilities) -> Answer {
        let leftType = expect(left, prior, "__cedar::internal::AnyEntity", { $0.entityType != nil })
        let rightType = expect(
            right, prior, "Set<__cedar::internal::AnyEntity>, or __cedar::internal::AnyEntity",
            { type in
                if type.entityType != nil { return true }
                if case .set(let element) = type, element.entityType != nil { return true }
                return false
            })
        guard let leftName = leftType?.entityType, let rightType else { return .failed }
        // An action literal (or `action`) in action literals: decided from the action hierarchy.
        if let leftUID = literalUID(left), leftUID.type.isActionType {
            var rightUIDs: [EntityUID]? = nil
            if let uid = literalUID(right) {
                rightUIDs = [uid]
            } else if case .set(let elements) = right {
                let uids = elements.compactMap(literalUID)
                if uids.count == elements.count { rightUIDs = uids }
            }
            if let rightUIDs {
                let actions = rightUIDs.filter { $0.type.isActionType }
                if actions.isEmpty { return Answer(type: .bool(.ff)) }
                guard actions.allSatisfy(schema.isDeclaredAction) else { return .failed }
                let inside = actions.contains { $0 == leftUID || schema.actionDescendants($0).contains(leftUID) }
                return Answer(type: .bool(inside ? .tt : .ff))
            }
        }
        let rightName: EntityType
        switch rightType {
        case .entity(let name): rightName = name
        case .set(.entity(let name)): rightName = name
        default: return Answer(type: .anyBool)
        }
        return Answer(type: .bool(canBeIn(leftName, rightName) ? .any : .ff))
    }

    // MARK: - Extension functions

    private static let signatures: [String: (arguments: [ValidatorType], result: ValidatorType)] = [
        "decimal": ([.string], .extension(.decimal)),
        "ip": ([.string], .extension(.ipaddr)),
        "datetime": ([.string], .extension(.datetime)),
        "duration": ([.string], .extension(.duration)),
        "lessThan": ([.extension(.decimal), .extension(.decimal)], .anyBool),
        "lessThanOrEqual": ([.extension(.decimal), .extension(.decimal)], .anyBool),
        "greaterThan": ([.extension(.decimal), .extension(.decimal)], .anyBool),
        "greaterThanOrEqual": ([.extension(.decimal), .extension(.decimal)], .anyBool),
        "isIpv4": ([.extension(.ipaddr)], .anyBool),
        "isIpv6": ([.extension(.ipaddr)], .anyBool),
        "isLoopback": ([.extension(.ipaddr)], .anyBool),
        "isMulticast": ([.extension(.ipaddr)], .anyBool),
        "isInRange": ([.extension(.ipaddr), .extension(.ipaddr)], .anyBool),
        "offset": ([.extension(.datetime), .extension(.duration)], .extension(.datetime)),
        "durationSince": ([.extension(.datetime), .extension(.datetime)], .extension(.duration)),
        "toDate": ([.extension(.datetime)], .extension(.datetime)),
        "toTime": ([.extension(.datetime)], .extension(.duration)),
        "toDays": ([.extension(.duration)], .long),
        "toHours": ([.extension(.duration)], .long),
        "toMinutes": ([.extension(.duration)], .long),
        "toSeconds": ([.extension(.duration)], .long),
        "toMilliseconds": ([.extension(.duration)], .long),
    ]

    private static func parses(_ constructor: String, _ text: CedarString) -> Bool {
        do {
            switch constructor {
            case "decimal": _ = try CedarDecimal(parsing: text)
            case "ip": _ = try CedarIPAddr(parsing: text)
            case "datetime": _ = try CedarDatetime(parsing: text)
            case "duration": _ = try CedarDuration(parsing: text)
            default: return true
            }
            return true
        } catch {
            return false
        }
    }

    private mutating func typeOfCall(_ name: String, _ arguments: [Expr], _ prior: Capabilities) -> Answer {
        guard let signature = Self.signatures[name] else {
            error("undefined extension function: \(name)")
            for argument in arguments { _ = typeOf(argument, prior) }
            return .failed
        }
        var failed = false
        if arguments.count != signature.arguments.count {
            error("wrong number of arguments in extension function application. Expected \(signature.arguments.count), got \(arguments.count)")
            failed = true
        }
        let isConstructor = ["decimal", "ip", "datetime", "duration"].contains(name)
        if isConstructor {
            for argument in arguments {
                if case .string(let text) = argument, !Self.parses(name, text) {
                    error("error during extension function argument validation: failed to parse `\(text)` with `\(name)`")
                    failed = true
                }
            }
            if !arguments.allSatisfy({ if case .variable = $0 { false } else { isLiteral($0) } }) {
                error("extension constructors may not be called with non-literal expressions")
                failed = true
            }
        }
        if failed {
            for argument in arguments { _ = typeOf(argument, prior) }
            return .failed
        }
        for (argument, expected) in zip(arguments, signature.arguments) {
            if expect(argument, prior, expected.description, { $0 == expected }) == nil { failed = true }
        }
        return failed ? .failed : Answer(type: signature.result)
    }
}
