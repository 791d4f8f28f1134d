/// One validation error, for one policy.
public struct ValidationError: Sendable, Hashable, CustomStringConvertible {
    /// The policy (or template, or template link) the error is about.
    public var policyID: String
    /// A human-readable message in the style of Cedar's (`for policy `policy0`, …`).
    public var message: String

    public init(policyID: String, message: String) {
        self.policyID = policyID
        self.message = message
    }

    public var description: String { message }
}

/// The outcome of validating a policy set.
public struct ValidationResult: Sendable, Hashable {
    /// Errors in policy order; within a policy, without duplicates.
    public var errors: [ValidationError]

    public init(errors: [ValidationError]) { self.errors = errors }

    /// True when there are no errors.
    public var passed: Bool { errors.isEmpty }

    /// The ids of the policies that have errors, in order, without duplicates.
    public var failingPolicyIDs: [String] {
        var seen: Set<String> = []
        return errors.map(\.policyID).filter { seen.insert($0).inserted }
    }
}

/// Cedar's strict validator (the mode `cedarpy.validate_policies` uses), following Cedar 4.12:
///
/// 1. Entity types in literals, scope constraints and `is` must be declared; action uids must be declared actions;
///    literals of enumerated entity types must use one of the declared ids.
/// 2. Some action that the action scope allows must apply to a principal type and a resource type that the principal
///    and resource scopes allow ("unable to find an applicable action given the policy scope constraints").
/// 3. The policy condition (scope constraints `&&` the `when`/`unless` clauses) must typecheck as Boolean under every
///    request environment of the schema. A scope that cannot match an environment types as `false` there, and `&&`
///    does not typecheck its right operand after a `false`, so such environments add no errors. A policy that is
///    `false` everywhere (`when { false }`) is only a warning in Cedar, so it passes.
public enum Validator {
    public static func validate(_ policies: PolicySet, schema: Schema) -> ValidationResult {
        let environments = schema.applicableEnvironments
        var errors: [ValidationError] = []
        for policy in policies.policiesAndTemplates {
            errors += validate(policy, schema: schema, environments: environments)
        }
        for link in policies.linkedPolicies {
            var messages: [String] = []
            let template = policies.template(id: link.templateID ?? "")
            for uid in policies.links.first(where: { $0.newID == link.id })?.values.values.sorted() ?? [] {
                if !schema.isDeclared(uid.type) {
                    messages.append("for policy `\(link.id)`, unrecognized entity type `\(uid.type)`")
                }
            }
            if template != nil, !hasApplicableAction(link, schema: schema) {
                messages.append(
                    "for policy `\(link.id)`, unable to find an applicable action given the policy scope constraints")
            }
            errors += unique(messages).map { ValidationError(policyID: link.id, message: $0) }
        }
        return ValidationResult(errors: errors)
    }

    /// Validates one policy or template.
    static func validate(_ policy: Policy, schema: Schema, environments: [SchemaRequestEnvironment])
        -> [ValidationError]
    {
        var messages = declarationErrors(policy, schema: schema)
        if !hasApplicableAction(policy, schema: schema) {
            messages.append(
                "for policy `\(policy.id)`, unable to find an applicable action given the policy scope constraints")
        }
        let condition = conditionExpr(policy)
        var contexts: [EntityUID: ValidatorType] = [:]
        for environment in environments {
            let context =
                contexts[environment.action]
                ?? {
                    let type = ValidatorType.record(ValidatorType.attributes(environment.context))
                    contexts[environment.action] = type
                    return type
                }()
            for principalSlot in slotLinks(policy, .principal, environment.principal, schema: schema) {
                for resourceSlot in slotLinks(policy, .resource, environment.resource, schema: schema) {
                    let typeEnvironment = TypeEnvironment(
                        principal: environment.principal, action: environment.action, resource: environment.resource,
                        context: context, principalSlot: principalSlot, resourceSlot: resourceSlot)
                    var checker = Typechecker(schema: schema, environment: typeEnvironment, policyID: policy.id)
                    _ = checker.typecheckCondition(condition)
                    messages += checker.errors
                }
            }
        }
        return unique(messages).map { ValidationError(policyID: policy.id, message: $0) }
    }

    private static func unique(_ messages: [String]) -> [String] {
        var seen: Set<String> = []
        return messages.filter { seen.insert($0).inserted }
    }

    // MARK: - The policy condition

    /// The policy as one Boolean expression, as Cedar builds it: `principal && action && resource && conditions`,
    /// where an unconstrained scope is `true`, `unless { e }` is `!e`, and no conditions is `true`.
    static func conditionExpr(_ policy: Policy) -> Expr {
        func reference(_ ref: EntityReference) -> Expr {
            switch ref {
            case .entity(let uid): .entity(uid)
            case .slot(let slot): .slot(slot)
            }
        }
        func scope(_ constraint: ScopeConstraint, _ variable: Variable) -> Expr {
            let v = Expr.variable(variable)
            switch constraint {
            case .any: return .bool(true)
            case .equal(let ref): return .binary(.equal, v, reference(ref))
            case .in(let ref): return .binary(.in, v, reference(ref))
            case .isType(let type): return .isType(v, type, in: nil)
            case .isTypeIn(let type, let ref): return .and(.isType(v, type, in: nil), .binary(.in, v, reference(ref)))
            }
        }
        let action: Expr
        switch policy.action {
        case .any: action = .bool(true)
        case .equal(let uid): action = .binary(.equal, .variable(.action), .entity(uid))
        case .in(let uids): action = .binary(.in, .variable(.action), .set(uids.map { .entity($0) }))
        }
        var body: Expr? = nil
        for condition in policy.conditions {
            let clause: Expr = condition.kind == .when ? condition.body : .unary(.not, condition.body)
            body = body.map { .and($0, clause) } ?? clause
        }
        return .and(
            .and(.and(scope(policy.principal, .principal), action), scope(policy.resource, .resource)),
            body ?? .bool(true))
    }

    /// The entity types a template slot can be linked to under an environment (`[nil]` when the policy does not use
    /// the slot): the variable's own type for `==`, and that type or any type it can be `in` for `in`/`is … in`.
    private static func slotLinks(_ policy: Policy, _ slot: SlotID, _ type: EntityType, schema: Schema)
        -> [EntityType?]
    {
        let constraint = slot == .principal ? policy.principal : policy.resource
        guard constraint.slot == slot else { return [nil] }
        switch constraint {
        case .equal: return [type]
        case .in, .isTypeIn:
            let ancestors = schema.ancestorTypes(of: type).subtracting([type]).sorted()
            return ancestors.map { Optional($0) } + [type]
        default: return schema.entityTypes.keys.sorted().map { Optional($0) }
        }
    }

    // MARK: - Declarations

    /// Undeclared entity types and actions, and invalid enumerated entity literals.
    static func declarationErrors(_ policy: Policy, schema: Schema) -> [String] {
        var messages: [String] = []
        let prefix = "for policy `\(policy.id)`, "
        func checkType(_ type: EntityType) {
            if !schema.isDeclared(type) { messages.append(prefix + "unrecognized entity type `\(type)`") }
        }
        func checkUID(_ uid: EntityUID) {
            // An undeclared action is reported as such, not also as an undeclared `Action` type (as Cedar does).
            if !uid.type.isActionType || schema.entityTypes[uid.type] != nil { checkType(uid.type) }
            if uid.type.isActionType {
                if schema.entityTypes[uid.type] == nil, !schema.isDeclaredAction(uid) {
                    messages.append(prefix + "unrecognized action `\(uid)`")
                }
            } else if let choices = schema.entityTypes[uid.type]?.enumChoices, !choices.contains(uid.id) {
                messages.append(
                    "for policy `\(policy.id)`: entity `\(uid)` is of an enumerated entity type, but `\"\(CedarEscaping.escape(uid.id))\"` is not declared as a valid eid"
                )
            }
        }
        func checkScope(_ constraint: ScopeConstraint) {
            switch constraint {
            case .any: break
            case .equal(let ref), .in(let ref):
                if case .entity(let uid) = ref { checkUID(uid) }
            case .isType(let type): checkType(type)
            case .isTypeIn(let type, let ref):
                checkType(type)
                if case .entity(let uid) = ref { checkUID(uid) }
            }
        }
        checkScope(policy.principal)
        switch policy.action {
        case .any: break
        case .equal(let uid): checkUID(uid)
        case .in(let uids): uids.forEach(checkUID)
        }
        checkScope(policy.resource)
        for condition in policy.conditions {
            condition.body.visit { expr in
                switch expr {
                case .entity(let uid): checkUID(uid)
                case .isType(_, let type, _): checkType(type)
                default: break
                }
            }
        }
        return messages
    }

    // MARK: - Applicable actions

    /// Whether some action allowed by the action scope applies to a principal type and a resource type allowed by
    /// the principal and resource scopes.
    static func hasApplicableAction(_ policy: Policy, schema: Schema) -> Bool {
        let actions: [ActionDefinition]
        switch policy.action {
        case .any:
            actions = Array(schema.actions.values)
        case .equal(let uid):
            actions = schema.action(uid).map { [$0] } ?? []
        case .in(let uids):
            if uids.allSatisfy(schema.isDeclaredAction) {
                var all: Set<EntityUID> = []
                for uid in uids {
                    all.insert(uid)
                    all.formUnion(schema.actionDescendants(uid))
                }
                actions = all.compactMap { schema.action($0) }
            } else {
                actions = []
            }
        }
        let principals = typesSatisfying(policy.principal, schema: schema)
        let resources = typesSatisfying(policy.resource, schema: schema)
        return actions.contains { action in
            action.principalTypes.contains(where: principals) && action.resourceTypes.contains(where: resources)
        }
    }

    /// A predicate for the entity types a principal or resource scope constraint allows.
    private static func typesSatisfying(_ constraint: ScopeConstraint, schema: Schema) -> (EntityType) -> Bool {
        switch constraint {
        case .any, .equal(.slot), .in(.slot): return { _ in true }
        case .equal(.entity(let uid)): return { $0 == uid.type }
        case .in(.entity(let uid)): return { schema.canBeMemberOf($0, uid.type) }
        case .isType(let type), .isTypeIn(let type, .slot):
            return { $0 == type && schema.isDeclared(type) }
        case .isTypeIn(let type, .entity(let uid)):
            return { $0 == type && schema.canBeMemberOf(type, uid.type) }
        }
    }
}
