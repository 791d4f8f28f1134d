/// Turns the raw namespaces of either schema format into a resolved `Schema`.
///
/// Name resolution follows Cedar 4.12 (checked against cedarpy 4.12.2):
/// * A qualified name (`A::B`) means exactly that name. An unqualified name `X` written inside namespace `NS` means
///   `NS::X` when that is declared, otherwise `X` in the empty namespace. For each candidate a common type wins over
///   an entity type.
/// * The primitive and extension names `Bool`, `Long`, `String`, `ipaddr`, `decimal`, `datetime`, `duration` act as
///   common types of the empty namespace, unless the schema itself declares that name (as an entity or common type)
///   in the empty namespace. `__cedar::Long` and friends always mean the built-in type.
/// * `NS::Action` names an entity type (for attribute types) when `NS` declares actions.
/// * Declaring `NS::X` when the empty namespace declares `X` (entity or common type), or `NS::Action::"a"` when it
///   declares `Action::"a"`, is an error ("shadowing").
struct SchemaResolver {
    private var entityDefs: Set<[String]> = []
    private var actionTypeDefs: Set<[String]> = []
    private var commonDefs: [[String]: (type: SchemaRawType, namespace: [String])] = [:]
    private var actionDefs: Set<EntityUID> = []
    private var builtins: [String: SchemaType] = [:]
    private var expandedCommon: [[String]: SchemaType] = [:]
    private var expanding: Set<[String]> = []

    static let builtinTypes: [String: SchemaType] = [
        "Bool": .bool, "Long": .long, "String": .string,
        "ipaddr": .extension(.ipaddr), "decimal": .extension(.decimal),
        "datetime": .extension(.datetime), "duration": .extension(.duration),
    ]

    static func resolve(_ input: [SchemaRawNamespace]) throws(SchemaError) -> Schema {
        var resolver = SchemaResolver()
        return try resolver.run(input)
    }

    private mutating func run(_ input: [SchemaRawNamespace]) throws(SchemaError) -> Schema {
        // Merge the empty namespace's pieces; named namespaces may appear once.
        var namespaces: [SchemaRawNamespace] = []
        var indexByPath: [[String]: Int] = [:]
        for namespace in input {
            if let index = indexByPath[namespace.path] {
                if !namespace.path.isEmpty {
                    throw SchemaError(
                        "duplicate namespace id: `\(namespace.path.joined(separator: "::"))`", at: namespace.position)
                }
                namespaces[index].entityTypes += namespace.entityTypes
                namespaces[index].actions += namespace.actions
                namespaces[index].commonTypes += namespace.commonTypes
            } else {
                indexByPath[namespace.path] = namespaces.count
                namespaces.append(namespace)
            }
        }

        // Collect declarations, checking names and duplicates.
        for namespace in namespaces {
            for component in namespace.path {
                if component == "__cedar" {
                    throw SchemaError("use of the reserved `__cedar` namespace", at: namespace.position)
                }
                if !SchemaNames.isIdentifier(component) {
                    throw SchemaError("invalid namespace name `\(component)`", at: namespace.position)
                }
            }
            if namespace.path.isEmpty && !namespace.annotations.isEmpty {
                throw SchemaError("annotations are not allowed on the empty namespace", at: namespace.position)
            }
            for entity in namespace.entityTypes {
                if entity.name == "__cedar" {
                    throw SchemaError("use of the reserved `__cedar` namespace", at: entity.position)
                }
                if entity.name == "Action" {
                    throw SchemaError("entity type `Action` declared in `entityTypes` list", at: entity.position)
                }
                if !entityDefs.insert(namespace.path + [entity.name]).inserted {
                    throw SchemaError("`\(entity.name)` is declared twice", at: entity.position)
                }
            }
            for common in namespace.commonTypes {
                if common.name == "__cedar" {
                    throw SchemaError("use of the reserved `__cedar` namespace", at: common.position)
                }
                if SchemaNames.reservedTypeNames.contains(common.name) {
                    throw SchemaError("this uses a reserved schema keyword: `\(common.name)`", at: common.position)
                }
                let key = namespace.path + [common.name]
                if commonDefs[key] != nil {
                    throw SchemaError("`\(common.name)` is declared twice", at: common.position)
                }
                commonDefs[key] = (common.type, namespace.path)
            }
            let actionType = EntityType("Action", namespace: namespace.path)
            for action in namespace.actions {
                if !actionDefs.insert(EntityUID(type: actionType, id: action.name)).inserted {
                    throw SchemaError("`\(action.name)` is declared twice", at: action.position)
                }
            }
            if !namespace.actions.isEmpty { actionTypeDefs.insert(namespace.path + ["Action"]) }
        }

        // Shadowing of empty-namespace declarations.
        for namespace in namespaces where !namespace.path.isEmpty {
            let display = namespace.path.joined(separator: "::")
            let names = namespace.entityTypes.map { ($0.name, $0.position) } + namespace.commonTypes.map { ($0.name, $0.position) }
            for (name, position) in names where entityDefs.contains([name]) || commonDefs[[name]] != nil {
                throw SchemaError(
                    "definition of `\(display)::\(name)` illegally shadows the existing definition of `\(name)`",
                    at: position)
            }
            for action in namespace.actions
            where actionDefs.contains(EntityUID(type: EntityType("Action"), id: action.name)) {
                let escaped = CedarEscaping.escape(action.name)
                throw SchemaError(
                    "definition of `\(display)::Action::\"\(escaped)\"` illegally shadows the existing definition of `Action::\"\(escaped)\"`",
                    at: action.position)
            }
        }

        for (name, type) in Self.builtinTypes where !entityDefs.contains([name]) && commonDefs[[name]] == nil {
            builtins[name] = type
        }

        // Common types (all of them, so that errors in unused ones are reported too).
        var commonTypes: [Name: SchemaType] = [:]
        for key in commonDefs.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            commonTypes[Name(key.last!, namespace: Array(key.dropLast()))] = try expandCommon(key, position: nil)
        }

        var entityTypes: [EntityTypeDefinition] = []
        var actions: [ActionDefinition] = []
        var namespaceAnnotations: [String: [String: CedarString]] = [:]
        for namespace in namespaces {
            let path = namespace.path
            if !path.isEmpty && !namespace.annotations.isEmpty {
                namespaceAnnotations[path.joined(separator: "::")] = namespace.annotations
            }
            for entity in namespace.entityTypes {
                let name = EntityType(entity.name, namespace: path)
                var parents: Set<EntityType> = []
                for parent in entity.memberOfTypes {
                    parents.insert(try resolveEntityName(parent, in: path))
                }
                var shape = SchemaRecordType.empty
                if let rawShape = entity.shape {
                    guard case .record(let record) = try expand(rawShape, in: path) else {
                        throw SchemaError(
                            "Shape for entity type \(name) is declared with a type other than `Record`",
                            at: entity.position)
                    }
                    shape = record
                }
                let tags = try entity.tags.map { (tags) throws(SchemaError) in try expand(tags, in: path) }
                entityTypes.append(
                    EntityTypeDefinition(
                        name: name, memberOfTypes: parents.sorted(), shape: shape, tags: tags,
                        enumChoices: entity.enumChoices, annotations: entity.annotations))
            }
            let actionType = EntityType("Action", namespace: path)
            for action in namespace.actions {
                let uid = EntityUID(type: actionType, id: action.name)
                var parents: Set<EntityUID> = []
                for parent in action.memberOf { parents.insert(try resolveAction(parent, in: path)) }
                var principals: Set<EntityType> = []
                var resources: Set<EntityType> = []
                for type in action.principalTypes ?? [] { principals.insert(try resolveEntityName(type, in: path)) }
                for type in action.resourceTypes ?? [] { resources.insert(try resolveEntityName(type, in: path)) }
                var context = SchemaRecordType.empty
                if let rawContext = action.context {
                    guard case .record(let record) = try expand(rawContext, in: path) else {
                        throw SchemaError(
                            "Context for action \(uid) is declared with a type other than `Record`",
                            at: action.position)
                    }
                    context = record
                }
                actions.append(
                    ActionDefinition(
                        uid: uid, memberOf: parents.sorted(), principalTypes: principals.sorted(),
                        resourceTypes: resources.sorted(), context: context, annotations: action.annotations))
            }
        }
        return try Schema(
            entityTypes: entityTypes, actions: actions, commonTypes: commonTypes,
            namespaceAnnotations: namespaceAnnotations)
    }

    private enum Target {
        case common([String])
        case builtin(SchemaType)
        case entity(EntityType)
    }

    private func candidates(_ name: SchemaRawName, in namespace: [String]) -> [[String]] {
        if name.isQualified || namespace.isEmpty { return [name.components] }
        return [namespace + name.components, name.components]
    }

    private func resolve(_ name: SchemaRawName, _ kind: SchemaReferenceKind, in namespace: [String]) throws(SchemaError) -> Target {
        let allowsCommon = kind != .entity
        let allowsEntity = kind != .common
        if name.components.count == 2 && name.components[0] == "__cedar" {
            if allowsCommon, let builtin = Self.builtinTypes[name.components[1]] { return .builtin(builtin) }
            throw SchemaError("failed to resolve type: \(name.text)", at: name.position)
        }
        for candidate in candidates(name, in: namespace) {
            if allowsCommon {
                if commonDefs[candidate] != nil { return .common(candidate) }
                if candidate.count == 1, let builtin = builtins[candidate[0]] { return .builtin(builtin) }
            }
            if allowsEntity && (entityDefs.contains(candidate) || actionTypeDefs.contains(candidate)) {
                return .entity(EntityType(candidate.last!, namespace: Array(candidate.dropLast())))
            }
        }
        throw SchemaError("failed to resolve type: \(name.text)", at: name.position)
    }

    private func resolveEntityName(_ name: SchemaRawName, in namespace: [String]) throws(SchemaError) -> EntityType {
        guard case .entity(let type) = try resolve(name, .entity, in: namespace) else {
            throw SchemaError("failed to resolve type: \(name.text)", at: name.position)
        }
        return type
    }

    private func resolveAction(_ reference: SchemaRawActionRef, in namespace: [String]) throws(SchemaError) -> EntityUID {
        let written = reference.type ?? SchemaRawName(components: ["Action"], position: reference.position)
        let options = candidates(written, in: namespace)
        for candidate in options {
            let uid = EntityUID(type: EntityType(candidate.last!, namespace: Array(candidate.dropLast())), id: reference.id)
            if actionDefs.contains(uid) { return uid }
        }
        let last = options.last!
        let uid = EntityUID(type: EntityType(last.last!, namespace: Array(last.dropLast())), id: reference.id)
        throw SchemaError("undeclared action: \(uid)", at: reference.position)
    }

    private mutating func expandCommon(_ key: [String], position: SchemaSourcePosition?) throws(SchemaError) -> SchemaType {
        if let done = expandedCommon[key] { return done }
        if expanding.contains(key) {
            throw SchemaError(
                "cycle in common type references containing `\(key.joined(separator: "::"))`", at: position)
        }
        guard let definition = commonDefs[key] else {
            throw SchemaError("failed to resolve type: \(key.joined(separator: "::"))", at: position)
        }
        expanding.insert(key)
        let type = try expand(definition.type, in: definition.namespace)
        expanding.remove(key)
        expandedCommon[key] = type
        return type
    }

    private mutating func expand(_ raw: SchemaRawType, in namespace: [String]) throws(SchemaError) -> SchemaType {
        switch raw {
        case .long: return .long
        case .string: return .string
        case .bool: return .bool
        case .extension(let ext): return .extension(ext)
        case .set(let element): return .set(of: try expand(element, in: namespace))
        case .record(let attributes, _):
            var result: [CedarString: SchemaAttribute] = [:]
            for attribute in attributes {
                // A repeated attribute name keeps the last declaration (as Cedar does for `.cedarschema`).
                result[attribute.name] = SchemaAttribute(
                    type: try expand(attribute.type, in: namespace), isRequired: attribute.isRequired,
                    annotations: attribute.annotations)
            }
            return .record(SchemaRecordType(attributes: result))
        case .reference(let name, let kind):
            switch try resolve(name, kind, in: namespace) {
            case .builtin(let type): return type
            case .entity(let type): return .entity(type)
            case .common(let key): return try expandCommon(key, position: name.position)
            }
        }
    }
}
