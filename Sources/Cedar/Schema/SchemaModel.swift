/// The extension types a schema can name (`ipaddr`, `decimal`, `datetime`, `duration`).
public enum SchemaExtensionType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case ipaddr
    case decimal
    case datetime
    case duration

    public var description: String { rawValue }
}

/// A fully resolved schema type: common types have been expanded away and every entity name is fully qualified.
public indirect enum SchemaType: Sendable, Hashable, CustomStringConvertible {
    case bool
    case long
    case string
    case set(of: SchemaType)
    case record(SchemaRecordType)
    case entity(EntityType)
    case `extension`(SchemaExtensionType)

    public var description: String {
        switch self {
        case .bool: return "Bool"
        case .long: return "Long"
        case .string: return "String"
        case .set(let element): return "Set<\(element)>"
        case .record(let record): return record.description
        case .entity(let name): return name.description
        case .extension(let ext): return ext.rawValue
        }
    }

    /// The record type, when this is a record.
    public var recordType: SchemaRecordType? {
        if case .record(let record) = self { return record }
        return nil
    }
}

/// One attribute of a record type: its type, whether it must be present, and its annotations.
public struct SchemaAttribute: Sendable, Hashable {
    public var type: SchemaType
    public var isRequired: Bool
    public var annotations: [String: CedarString]

    public init(type: SchemaType, isRequired: Bool = true, annotations: [String: CedarString] = [:]) {
        self.type = type
        self.isRequired = isRequired
        self.annotations = annotations
    }
}

/// A record type. Records in Cedar 4.12 schemas are closed (`additionalAttributes: true` is rejected as unsupported,
/// as cedarpy 4.12.2 does), so there is no open-record flag.
public struct SchemaRecordType: Sendable, Hashable, CustomStringConvertible {
    /// Attribute name (scalar-exact) to attribute.
    public var attributes: [CedarString: SchemaAttribute]

    public init(attributes: [CedarString: SchemaAttribute] = [:]) { self.attributes = attributes }

    public static let empty = SchemaRecordType()

    public subscript(name: CedarString) -> SchemaAttribute? { attributes[name] }

    public var description: String {
        let parts = attributes.keys.sorted().map { key -> String in
            let attribute = attributes[key]!
            return "\"\(CedarEscaping.escape(key))\"\(attribute.isRequired ? "" : "?"): \(attribute.type)"
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }
}

/// A declared entity type.
public struct EntityTypeDefinition: Sendable, Hashable {
    public var name: EntityType
    /// Direct parent types (sorted, without duplicates).
    public var memberOfTypes: [EntityType]
    /// The attributes (an empty record when none are declared; always empty for enumerated types).
    public var shape: SchemaRecordType
    /// The type of tag values, when the type declares `tags`.
    public var tags: SchemaType?
    /// For an enumerated entity type (`entity E enum ["a", "b"]`), the allowed ids in declaration order.
    public var enumChoices: [CedarString]?
    public var annotations: [String: CedarString]

    public init(
        name: EntityType, memberOfTypes: [EntityType] = [], shape: SchemaRecordType = .empty, tags: SchemaType? = nil,
        enumChoices: [CedarString]? = nil, annotations: [String: CedarString] = [:]
    ) {
        self.name = name
        self.memberOfTypes = memberOfTypes
        self.shape = shape
        self.tags = tags
        self.enumChoices = enumChoices
        self.annotations = annotations
    }

    public var isEnum: Bool { enumChoices != nil }
}

/// A declared action.
public struct ActionDefinition: Sendable, Hashable {
    /// `Action::"view"` or `NS::Action::"view"`.
    public var uid: EntityUID
    /// Direct parent action groups (sorted, without duplicates).
    public var memberOf: [EntityUID]
    /// Principal types the action applies to (sorted, without duplicates; empty when it applies to nothing).
    public var principalTypes: [EntityType]
    /// Resource types the action applies to (sorted, without duplicates; empty when it applies to nothing).
    public var resourceTypes: [EntityType]
    /// The context record type (empty when not declared).
    public var context: SchemaRecordType
    public var annotations: [String: CedarString]

    public init(
        uid: EntityUID, memberOf: [EntityUID] = [], principalTypes: [EntityType] = [], resourceTypes: [EntityType] = [],
        context: SchemaRecordType = .empty, annotations: [String: CedarString] = [:]
    ) {
        self.uid = uid
        self.memberOf = memberOf
        self.principalTypes = principalTypes
        self.resourceTypes = resourceTypes
        self.context = context
        self.annotations = annotations
    }

    /// False when the action declares no `appliesTo` (or an empty one): no request can use it.
    public var appliesToAnything: Bool { !principalTypes.isEmpty && !resourceTypes.isEmpty }
}

/// One request environment allowed by the schema: a principal type, an action and a resource type.
public struct SchemaRequestEnvironment: Sendable, Hashable, CustomStringConvertible {
    public var principal: EntityType
    public var action: EntityUID
    public var resource: EntityType
    public var context: SchemaRecordType

    public init(principal: EntityType, action: EntityUID, resource: EntityType, context: SchemaRecordType) {
        self.principal = principal
        self.action = action
        self.resource = resource
        self.context = context
    }

    public var description: String { "(\(principal), \(action), \(resource))" }
}

/// An action as an entity (so authorization can treat schema actions like entities): its uid and parents.
public struct SchemaActionEntity: Sendable, Hashable {
    public var uid: EntityUID
    /// Direct parents, as declared.
    public var parents: [EntityUID]
    /// Transitive ancestors (parents, their parents, ...).
    public var ancestors: Set<EntityUID>
}

/// A Cedar schema with every name resolved: entity types, actions, and the (expanded) common types.
///
/// Build one from Cedar schema text (`Schema(cedarSchema:)` / `Schema(_:)`) or from the JSON schema format
/// (`Schema(jsonText:)`).
public struct Schema: Sendable, Equatable {
    public private(set) var entityTypes: [EntityType: EntityTypeDefinition]
    public private(set) var actions: [EntityUID: ActionDefinition]
    /// The declared common types, fully qualified and expanded (for reference; nothing else refers to them).
    public private(set) var commonTypes: [Name: SchemaType]
    /// Annotations on named namespaces, keyed by the namespace (`"A::B"`).
    public private(set) var namespaceAnnotations: [String: [String: CedarString]]

    // Derived indexes (computed once).
    private var entityAncestors: [EntityType: Set<EntityType>]
    private var entityDescendants: [EntityType: Set<EntityType>]
    private var actionAncestorMap: [EntityUID: Set<EntityUID>]
    private var actionDescendantMap: [EntityUID: Set<EntityUID>]

    /// Builds a schema from already resolved parts. Fails when a name is undeclared or the action hierarchy has a
    /// cycle; the parsers use this too.
    public init(
        entityTypes: [EntityTypeDefinition], actions: [ActionDefinition], commonTypes: [Name: SchemaType] = [:],
        namespaceAnnotations: [String: [String: CedarString]] = [:]
    ) throws(SchemaError) {
        var entityMap: [EntityType: EntityTypeDefinition] = [:]
        for definition in entityTypes {
            if entityMap[definition.name] != nil {
                throw SchemaError("entity type `\(definition.name)` is declared twice")
            }
            entityMap[definition.name] = definition
        }
        var actionMap: [EntityUID: ActionDefinition] = [:]
        for definition in actions {
            if actionMap[definition.uid] != nil {
                throw SchemaError("action `\(definition.uid)` is declared twice")
            }
            actionMap[definition.uid] = definition
        }
        self.entityTypes = entityMap
        self.actions = actionMap
        self.commonTypes = commonTypes
        self.namespaceAnnotations = namespaceAnnotations
        entityAncestors = [:]
        entityDescendants = [:]
        actionAncestorMap = [:]
        actionDescendantMap = [:]
        try buildIndexes()
    }

    private mutating func buildIndexes() throws(SchemaError) {
        for definition in entityTypes.values {
            for parent in definition.memberOfTypes where entityTypes[parent] == nil {
                throw SchemaError("undeclared entity type: \(parent) (parent of `\(definition.name)`)")
            }
        }
        for action in actions.values {
            for type in action.principalTypes + action.resourceTypes where entityTypes[type] == nil {
                throw SchemaError("undeclared entity type: \(type) (in `appliesTo` of \(action.uid))")
            }
            for parent in action.memberOf where actions[parent] == nil {
                throw SchemaError("undeclared action: \(parent) (parent of \(action.uid))")
            }
        }
        // Entity type closure (memberOfTypes may be cyclic: `entity E in E` is allowed).
        for name in entityTypes.keys {
            var seen: Set<EntityType> = []
            var stack = entityTypes[name]!.memberOfTypes
            while let next = stack.popLast() {
                if seen.insert(next).inserted { stack.append(contentsOf: entityTypes[next]?.memberOfTypes ?? []) }
            }
            entityAncestors[name] = seen
            for ancestor in seen { entityDescendants[ancestor, default: []].insert(name) }
        }
        // Action closure; the action hierarchy must be acyclic.
        for uid in actions.keys {
            var seen: Set<EntityUID> = []
            var stack = actions[uid]!.memberOf
            while let next = stack.popLast() {
                if next == uid { throw SchemaError("cycle in action hierarchy containing `\(uid)`") }
                if seen.insert(next).inserted { stack.append(contentsOf: actions[next]?.memberOf ?? []) }
            }
            actionAncestorMap[uid] = seen
            for ancestor in seen { actionDescendantMap[ancestor, default: []].insert(uid) }
        }
    }

    public static func == (left: Schema, right: Schema) -> Bool {
        left.entityTypes == right.entityTypes && left.actions == right.actions && left.commonTypes == right.commonTypes
            && left.namespaceAnnotations == right.namespaceAnnotations
    }

    // MARK: - Queries

    /// The declaration of an entity type (not action types).
    public func entityType(named name: EntityType) -> EntityTypeDefinition? { entityTypes[name] }

    /// The declaration of an action.
    public func action(_ uid: EntityUID) -> ActionDefinition? { actions[uid] }

    /// True for a declared entity type and for an action entity type (`Action`, `NS::Action`) that has actions.
    public func isDeclared(_ type: EntityType) -> Bool { entityTypes[type] != nil || actionTypes.contains(type) }

    /// True for a declared (non-action) entity type.
    public func isDeclaredEntityType(_ type: EntityType) -> Bool { entityTypes[type] != nil }

    /// True for a declared action.
    public func isDeclaredAction(_ uid: EntityUID) -> Bool { actions[uid] != nil }

    /// The action entity types that have at least one declared action.
    public var actionTypes: Set<EntityType> { Set(actions.keys.map(\.type)) }

    /// Entity types an entity of `type` may have as (transitive) ancestors, following `memberOfTypes`.
    public func ancestorTypes(of type: EntityType) -> Set<EntityType> { entityAncestors[type] ?? [] }

    /// Entity types whose entities may have an entity of `type` as a (transitive) ancestor.
    public func descendantTypes(of type: EntityType) -> Set<EntityType> { entityDescendants[type] ?? [] }

    /// For every entity type, the types that can be its descendants (transitively; not including itself unless the
    /// hierarchy is cyclic).
    public var descendantsClosure: [EntityType: Set<EntityType>] {
        var result: [EntityType: Set<EntityType>] = [:]
        for name in entityTypes.keys { result[name] = entityDescendants[name] ?? [] }
        return result
    }

    /// Whether an entity of type `child` can be `in` an entity of type `ancestor`: the same type, or `ancestor`
    /// reachable through `memberOfTypes`.
    public func canBeMemberOf(_ child: EntityType, _ ancestor: EntityType) -> Bool {
        child == ancestor || (entityAncestors[child]?.contains(ancestor) ?? false)
    }

    /// The transitive action groups of an action (not including itself).
    public func actionAncestors(_ uid: EntityUID) -> Set<EntityUID> { actionAncestorMap[uid] ?? [] }

    /// The actions that are (transitively) in the given action group (not including itself).
    public func actionDescendants(_ uid: EntityUID) -> Set<EntityUID> { actionDescendantMap[uid] ?? [] }

    /// Every (principal type, action, resource type) triple the schema allows, in a stable order.
    public var applicableEnvironments: [SchemaRequestEnvironment] {
        var result: [SchemaRequestEnvironment] = []
        for uid in actions.keys.sorted() {
            let action = actions[uid]!
            for principal in action.principalTypes {
                for resource in action.resourceTypes {
                    result.append(
                        SchemaRequestEnvironment(
                            principal: principal, action: uid, resource: resource, context: action.context))
                }
            }
        }
        return result
    }

    /// The schema's actions as entities (uid, direct parents and ancestors), sorted by uid.
    public var actionEntities: [SchemaActionEntity] {
        actions.keys.sorted().map { uid in
            SchemaActionEntity(uid: uid, parents: actions[uid]!.memberOf, ancestors: actionAncestorMap[uid] ?? [])
        }
    }
}
