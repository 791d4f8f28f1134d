/// One network rule (a row of `network_policies`) as the decision sees it.
///
/// Rules are enabled by construction: the caller leaves disabled rows out before deciding.
public struct NetworkRule: Sendable, Hashable {
    /// What a matching rule does.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        case allow
        case deny
    }

    /// The rule's id (reported as `policy_id`); nil for a rule not stored anywhere.
    public var id: String?
    /// The profile the rule belongs to; nil for a global rule, which applies to every agent.
    public var profileId: String?
    /// The domains the rule names.
    public var pattern: DomainPattern
    public var action: Action
    /// Lower numbers are stronger (the table's default is 5).
    public var priority: Int
    /// Free text for people reading the rule.
    public var description: String?

    public init(id: String? = nil, profileId: String? = nil, pattern: DomainPattern, action: Action,
                priority: Int = 5, description: String? = nil) {
        self.id = id
        self.profileId = profileId
        self.pattern = pattern
        self.action = action
        self.priority = priority
        self.description = description
    }

    /// A rule from the stored pattern text, normalised by ``DomainPattern/init(_:)`` (whose ``InputError`` on field
    /// `domain_pattern` it throws).
    public init(id: String? = nil, profileId: String? = nil, domainPattern: String, action: Action,
                priority: Int = 5, description: String? = nil) throws(InputError) {
        self.init(id: id, profileId: profileId, pattern: try DomainPattern(domainPattern), action: action,
                  priority: priority, description: description)
    }
}
