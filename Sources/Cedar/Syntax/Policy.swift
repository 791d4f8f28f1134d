/// `permit` or `forbid`.
public enum Effect: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case permit, forbid

    public var description: String { rawValue }
}

/// An annotation `@key` or `@key("value")`.
public struct Annotation: Sendable, Hashable {
    public var key: String
    public var value: CedarString?

    public init(key: String, value: CedarString?) {
        self.key = key
        self.value = value
    }
}

/// A `when { … }` or `unless { … }` clause.
public struct Condition: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case when, unless
    }

    public var kind: Kind
    public var body: Expr
    /// Where the clause was in the source (not part of equality).
    public var range: SourceRange?

    public init(_ kind: Kind, _ body: Expr, range: SourceRange? = nil) {
        self.kind = kind
        self.body = body
        self.range = range
    }

    public static func == (left: Condition, right: Condition) -> Bool {
        left.kind == right.kind && left.body == right.body
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(body)
    }
}

/// A Cedar policy, or a template when its scope uses slots (`?principal`, `?resource`).
///
/// Equality and hashing ignore source ranges, so `Policy.parse(PolicyFormatter.format(p)) == p`.
public struct Policy: Sendable, Hashable {
    /// The policy id: positional (`policy0`, `policy1`, …) when parsed as part of a policy set, the link id for a
    /// linked template.
    public var id: String
    public var effect: Effect
    /// In source order; keys are unique.
    public var annotations: [Annotation]
    public var principal: ScopeConstraint
    public var action: ActionConstraint
    public var resource: ScopeConstraint
    public var conditions: [Condition]
    /// Where the policy was in the source (not part of equality).
    public var range: SourceRange?
    /// For a policy produced by linking a template: the template's id (part of equality).
    public var templateID: String?

    public init(
        id: String = "policy0", effect: Effect, annotations: [Annotation] = [], principal: ScopeConstraint = .any,
        action: ActionConstraint = .any, resource: ScopeConstraint = .any, conditions: [Condition] = [],
        range: SourceRange? = nil, templateID: String? = nil
    ) {
        self.id = id
        self.effect = effect
        self.annotations = annotations
        self.principal = principal
        self.action = action
        self.resource = resource
        self.conditions = conditions
        self.range = range
        self.templateID = templateID
    }

    /// The value of annotation `key`: `nil` if absent, `.some(nil)` for a bare `@key`.
    public func annotation(_ key: String) -> CedarString?? {
        guard let found = annotations.first(where: { $0.key == key }) else { return nil }
        return .some(found.value)
    }

    /// The slots of the scope, principal first.
    public var slots: [SlotID] { [principal.slot, resource.slot].compactMap { $0 } }

    /// True when the policy has slots, i.e. it is a template.
    public var isTemplate: Bool { !slots.isEmpty }

    public static func == (left: Policy, right: Policy) -> Bool {
        left.id == right.id && left.effect == right.effect && left.annotations == right.annotations
            && left.principal == right.principal && left.action == right.action && left.resource == right.resource
            && left.conditions == right.conditions && left.templateID == right.templateID
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(effect)
        hasher.combine(annotations)
        hasher.combine(principal)
        hasher.combine(action)
        hasher.combine(resource)
        hasher.combine(conditions)
        hasher.combine(templateID)
    }

    /// Whether two policies say the same thing, ignoring their ids and template origin.
    public func hasSameContent(as other: Policy) -> Bool {
        var a = self, b = other
        a.id = ""; b.id = ""; a.templateID = nil; b.templateID = nil
        return a == b
    }
}

/// A template is a policy whose scope has slots.
public typealias Template = Policy
