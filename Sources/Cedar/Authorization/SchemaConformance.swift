/// Checks of requests, values and entities against a `Schema`, as Cedar performs them when a schema is passed to
/// authorization (request validation and schema-based entity parsing).
public enum SchemaConformance {
    /// Why `request` is not valid for `schema`, or nil when it is: the action must be declared, the principal and
    /// resource types must be among the action's `appliesTo` types (and, for enumerated types, the ids among the
    /// choices), and the context must conform to the action's context type.
    public static func requestError(_ request: Request, schema: Schema) -> String? {
        guard let action = schema.action(request.action) else {
            return "request's action `\(request.action)` is not declared in the schema"
        }
        let roles: [(String, EntityUID, [EntityType])] = [
            ("principal", request.principal, action.principalTypes),
            ("resource", request.resource, action.resourceTypes),
        ]
        for (role, uid, allowed) in roles {
            guard schema.isDeclaredEntityType(uid.type) else {
                return "\(role) type `\(uid.type)` is not declared in the schema"
            }
            guard allowed.contains(uid.type) else {
                return "\(role) type `\(uid.type)` is not valid for `\(request.action)`"
            }
            if let problem = enumError(uid, schema: schema) { return problem }
        }
        if let problem = valueError(.record(request.context), .record(action.context), schema: schema) {
            return "context `\(Value.record(request.context))` is not valid for `\(request.action)`: \(problem)"
        }
        return nil
    }

    /// Why `value` does not have `type`, or nil when it does. Records are closed: every required attribute must be
    /// present and no undeclared attribute may be.
    public static func valueError(_ value: Value, _ type: SchemaType, schema: Schema) -> String? {
        switch (type, value) {
        case (.bool, .bool), (.long, .long), (.string, .string):
            return nil
        case (.entity(let expected), .entity(let uid)):
            guard uid.type == expected else {
                return "expected an entity of type `\(expected)`, got `\(uid)`"
            }
            return enumError(uid, schema: schema)
        case (.set(let element), .set(let set)):
            for item in set {
                if let problem = valueError(item, element, schema: schema) { return problem }
            }
            return nil
        case (.record(let recordType), .record(let record)):
            for (key, attribute) in recordType.attributes {
                if let item = record[key] {
                    if let problem = valueError(item, attribute.type, schema: schema) {
                        return "in attribute `\(key)`: \(problem)"
                    }
                } else if attribute.isRequired {
                    return "required attribute `\(key)` is missing"
                }
            }
            for key in record.keys where recordType[key] == nil {
                return "attribute `\(key)` is not declared"
            }
            return nil
        case (.extension(let ext), .ext(let extValue)):
            let matches =
                switch (ext, extValue) {
                case (.decimal, .decimal), (.ipaddr, .ipaddr), (.datetime, .datetime), (.duration, .duration): true
                default: false
                }
            return matches ? nil : "expected \(ext), got \(extValue.type)"
        default:
            return "expected \(type), got \(value.type)"
        }
    }

    /// Why an entity of an enumerated type has an id outside its choices, or nil.
    public static func enumError(_ uid: EntityUID, schema: Schema) -> String? {
        guard let choices = schema.entityTypes[uid.type]?.enumChoices, !choices.contains(uid.id) else { return nil }
        return "entity `\(uid)` is of an enumerated entity type, but `\"\(CedarEscaping.escape(uid.id))\"` is not one "
            + "of its declared choices"
    }

    /// Why `entity` does not conform to `schema`, or nil when it does. Action entities must be declared actions;
    /// other entities must have a declared type, attributes and tags of the declared types, parents of the declared
    /// `memberOfTypes`, and (for enumerated types) a declared id.
    public static func entityError(_ entity: Entity, schema: Schema) -> String? {
        let uid = entity.uid
        if uid.type.isActionType, schema.entityTypes[uid.type] == nil {
            guard schema.isDeclaredAction(uid) else {
                return "found action entity `\(uid)`, but it was not declared as an action in the schema"
            }
            return nil
        }
        guard let definition = schema.entityTypes[uid.type] else {
            return "entity `\(uid)` has type `\(uid.type)` which is not declared in the schema"
        }
        if let problem = enumError(uid, schema: schema) { return problem }
        if let problem = valueError(.record(entity.attributes), .record(definition.shape), schema: schema) {
            return "attributes of `\(uid)` do not conform to the schema: \(problem)"
        }
        // A parent may be of any type reachable through memberOfTypes (Cedar checks the transitive closure), and a
        // parent of an enumerated type must use one of its ids even when that entity is not in the store.
        let allowedAncestors = schema.ancestorTypes(of: uid.type)
        for parent in entity.parents {
            guard allowedAncestors.contains(parent.type) else {
                return "`\(uid)` is not allowed to have an ancestor of type `\(parent.type)` according to the schema"
            }
            if let problem = enumError(parent, schema: schema) { return problem }
        }
        if !entity.tags.isEmpty {
            guard let tagType = definition.tags else {
                return "found a tag on `\(uid)`, but no tags are declared for `\(uid.type)` in the schema"
            }
            for (key, value) in entity.tags.attributes {
                if let problem = valueError(value, tagType, schema: schema) {
                    return "tag `\(key)` of `\(uid)` does not conform to the schema: \(problem)"
                }
            }
        }
        return nil
    }
}

extension Schema {
    /// The hints that let entity and context JSON use implicit escapes.
    public var entityHints: SchemaEntityHints { SchemaEntityHints(self) }

    /// The attribute hints for the context of `action`, or nil when the action is not declared.
    public func contextHints(for action: EntityUID) -> [CedarString: ValueTypeHint]? {
        self.action(action).map { SchemaEntityHints.hints(for: $0.context) }
    }

    /// The schema's actions as entities, with their declared groups as parents.
    public var actionEntityValues: [Entity] {
        actionEntities.map { Entity(uid: $0.uid, parents: Set($0.parents)) }
    }

    /// Reads entity JSON as Cedar does when given a schema: values are read with the schema's hints, every entity
    /// must conform (`checkConformance`), and action entities (with their groups) come from the schema — an action
    /// entity in the JSON is replaced by the schema's.
    public func entities(fromJSON text: String, checkConformance: Bool = true) throws(EntitiesError) -> Entities {
        let parsed = try Entities.fromJSON(text, schema: entityHints)
        return try withActionEntities(parsed, checkConformance: checkConformance)
    }

    /// `entities` with the schema's action entities in place of any listed there. With `checkConformance`, every
    /// other entity must conform and every listed action must match its declaration (as the reference engine
    /// requires when reading entities with a schema).
    public func withActionEntities(_ entities: Entities, checkConformance: Bool = false) throws(EntitiesError)
        -> Entities
    {
        var kept: [Entity] = []
        kept.reserveCapacity(entities.count + actions.count)
        for entity in entities.all {
            if checkConformance, let problem = SchemaConformance.entityError(entity, schema: self) {
                throw EntitiesError(.format, "entity does not conform to the schema: \(problem)")
            }
            if actions[entity.uid] == nil {
                kept.append(entity)
            } else if checkConformance,
                !entity.attributes.isEmpty || !entity.tags.isEmpty
                    || entities.ancestors(of: entity.uid) != actionAncestors(entity.uid)
            {
                // Listed actions must match the schema: no attributes or tags, and (after the closure) the same
                // ancestors as declared.
                throw EntitiesError(
                    .format,
                    "entity does not conform to the schema: definition of action `\(entity.uid)` does not match its "
                        + "schema declaration")
            }
        }
        kept.append(contentsOf: actionEntityValues)
        return try Entities(kept)
    }

    /// True when `entities` already holds every schema action with exactly its declared groups.
    public func hasActionEntities(in entities: Entities) -> Bool {
        actions.values.allSatisfy { entities[$0.uid]?.parents == Set($0.memberOf) }
    }
}
