/// The target of a principal or resource scope constraint: an entity, or a template slot.
public enum EntityReference: Sendable, Hashable, CustomStringConvertible {
    case entity(EntityUID)
    case slot(SlotID)

    public var description: String {
        switch self {
        case .entity(let uid): uid.description
        case .slot(let slot): slot.rawValue
        }
    }
}

/// A principal or resource scope constraint.
public enum ScopeConstraint: Sendable, Hashable {
    /// `principal` (no constraint).
    case any
    /// `principal == E`
    case equal(EntityReference)
    /// `principal in E`
    case `in`(EntityReference)
    /// `principal is T`
    case isType(EntityType)
    /// `principal is T in E`
    case isTypeIn(EntityType, EntityReference)

    /// The slot this constraint uses, if any.
    public var slot: SlotID? {
        switch self {
        case .equal(.slot(let s)), .in(.slot(let s)), .isTypeIn(_, .slot(let s)): s
        default: nil
        }
    }

    /// The constraint with its slot (if any) replaced by `uid`.
    public func filling(_ slot: SlotID, with uid: EntityUID) -> ScopeConstraint {
        switch self {
        case .equal(.slot(slot)): .equal(.entity(uid))
        case .in(.slot(slot)): .in(.entity(uid))
        case .isTypeIn(let type, .slot(slot)): .isTypeIn(type, .entity(uid))
        default: self
        }
    }
}

/// The action scope constraint. `action in [A]` and `action in A` both become `.in([A])`, as in Cedar's AST.
public enum ActionConstraint: Sendable, Hashable {
    case any
    case equal(EntityUID)
    case `in`([EntityUID])
}
