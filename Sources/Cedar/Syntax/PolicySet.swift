/// A link of a template to concrete entities.
public struct TemplateLink: Sendable, Hashable {
    public var templateID: String
    public var newID: String
    public var values: [SlotID: EntityUID]

    public init(templateID: String, newID: String, values: [SlotID: EntityUID]) {
        self.templateID = templateID
        self.newID = newID
        self.values = values
    }
}

/// Why a policy could not be added to or linked in a policy set.
public enum PolicySetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The id is already used by a static policy, a template or a link.
    case duplicateID(String)
    /// No template has this id (static policies cannot be linked).
    case unknownTemplate(String)
    /// The template has this slot and no value was given for it.
    case missingSlotValue(templateID: String, slot: SlotID)
    /// A value was given for a slot the template does not have.
    case unexpectedSlotValue(templateID: String, slot: SlotID)

    public var description: String {
        switch self {
        case .duplicateID(let id): "duplicate policy id `\(id)`"
        case .unknownTemplate(let id): "no template with id `\(id)`"
        case .missingSlotValue(let t, let slot): "template `\(t)` needs a value for \(slot)"
        case .unexpectedSlotValue(let t, let slot): "template `\(t)` has no slot \(slot)"
        }
    }
}

/// Static policies, templates and template links.
public struct PolicySet: Sendable, Hashable {
    /// Policies without slots, in the order they were added.
    public private(set) var staticPolicies: [Policy] = []
    /// Policies with slots, in the order they were added.
    public private(set) var templates: [Template] = []
    /// Links, in the order they were made.
    public private(set) var links: [TemplateLink] = []
    /// One policy per link (the template with its slots filled), in link order.
    public private(set) var linkedPolicies: [Policy] = []
    /// Ids of static policies and templates in the order they were added (text order for a parsed set).
    public private(set) var order: [String] = []

    public init() {}

    /// Builds a set from policies (templates are told apart by their slots).
    public init(_ policies: some Sequence<Policy>) throws(PolicySetError) {
        for policy in policies { try add(policy) }
    }

    /// Every policy that takes part in authorization: static policies, then linked ones.
    public var policies: [Policy] { staticPolicies + linkedPolicies }

    public var isEmpty: Bool { staticPolicies.isEmpty && templates.isEmpty }

    /// The static or linked policy with this id.
    public func policy(id: String) -> Policy? {
        staticPolicies.first { $0.id == id } ?? linkedPolicies.first { $0.id == id }
    }

    public func template(id: String) -> Template? { templates.first { $0.id == id } }

    /// Static policies and templates interleaved in the order they were added.
    public var policiesAndTemplates: [Policy] {
        order.compactMap { id in staticPolicies.first { $0.id == id } ?? templates.first { $0.id == id } }
    }

    private func isUsed(_ id: String) -> Bool {
        staticPolicies.contains { $0.id == id } || templates.contains { $0.id == id } || links.contains { $0.newID == id }
    }

    /// Adds a static policy or a template (a policy with slots).
    public mutating func add(_ policy: Policy) throws(PolicySetError) {
        guard !isUsed(policy.id) else { throw .duplicateID(policy.id) }
        if policy.isTemplate { templates.append(policy) } else { staticPolicies.append(policy) }
        order.append(policy.id)
    }

    /// Links template `templateID` under `newID`, filling each of its slots from `values` (which must name exactly
    /// the template's slots). Returns the linked policy.
    @discardableResult
    public mutating func link(templateID: String, newID: String, values: [SlotID: EntityUID]) throws(PolicySetError)
        -> Policy
    {
        guard let template = template(id: templateID) else { throw .unknownTemplate(templateID) }
        let slots = template.slots
        for slot in SlotID.allCases {
            if slots.contains(slot), values[slot] == nil { throw .missingSlotValue(templateID: templateID, slot: slot) }
            if !slots.contains(slot), values[slot] != nil {
                throw .unexpectedSlotValue(templateID: templateID, slot: slot)
            }
        }
        guard !isUsed(newID) else { throw .duplicateID(newID) }
        var linked = template
        linked.id = newID
        linked.templateID = templateID
        for (slot, uid) in values {
            linked.principal = linked.principal.filling(slot, with: uid)
            linked.resource = linked.resource.filling(slot, with: uid)
        }
        links.append(TemplateLink(templateID: templateID, newID: newID, values: values))
        linkedPolicies.append(linked)
        return linked
    }

    /// Removes a link (the template stays). Returns false if there was no such link.
    @discardableResult
    public mutating func unlink(_ id: String) -> Bool {
        guard let index = links.firstIndex(where: { $0.newID == id }) else { return false }
        links.remove(at: index)
        linkedPolicies.remove(at: index)
        return true
    }
}
