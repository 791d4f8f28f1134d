extension Schema {
    /// Parses and resolves a schema in Cedar's JSON schema format:
    /// `{"NS": {"entityTypes": {...}, "actions": {...}, "commonTypes": {...}, "annotations": {...}}}`.
    public init(jsonText: String) throws(SchemaError) {
        let root: JSONValue
        do {
            root = try JSONValue.parse(jsonText)
        } catch {
            throw SchemaError("JSON: \(error.message)", at: SchemaJSONConverter.sourcePosition(error.position))
        }
        let namespaces = try SchemaJSONConverter.namespaces(root)
        self = try SchemaResolver.resolve(namespaces)
    }
}

/// Converts the JSON document into raw namespaces, checking the shape of every object.
enum SchemaJSONConverter {
    private enum TypePosition {
        case plain
        case attribute
        case commonDeclaration
    }

    static func namespaces(_ root: JSONValue) throws(SchemaError) -> [SchemaRawNamespace] {
        let members = try object(root, "the schema")
        var result: [SchemaRawNamespace] = []
        for member in members {
            let path: [String]
            if member.key.isEmpty {
                path = []
            } else {
                guard let components = nameComponents(member.key), !components.contains("__cedar") else {
                    throw SchemaError("invalid namespace `\(member.key)`", at: sourcePosition(member.keyPosition))
                }
                path = components
            }
            var namespace = SchemaRawNamespace(path: path, position: sourcePosition(member.keyPosition))
            let fields = try fieldMap(
                member.value, allowed: ["entityTypes", "actions", "commonTypes", "annotations"],
                required: ["entityTypes", "actions"], what: "a namespace")
            for entry in try object(fields["entityTypes"]!, "`entityTypes`") {
                namespace.entityTypes.append(try entityType(entry))
            }
            for entry in try object(fields["actions"]!, "`actions`") {
                namespace.actions.append(try action(entry))
            }
            if let common = fields["commonTypes"] {
                for entry in try object(common, "`commonTypes`") {
                    let name = entry.key.string
                    guard SchemaNames.isIdentifier(name) else {
                        throw SchemaError("invalid common type name `\(entry.key)`", at: sourcePosition(entry.keyPosition))
                    }
                    let fields = try typeFields(entry.value, position: .commonDeclaration)
                    namespace.commonTypes.append(
                        SchemaRawCommonType(
                            name: name, position: sourcePosition(entry.keyPosition),
                            type: try type(entry.value, position: .commonDeclaration),
                            annotations: try annotations(fields["annotations"])))
                }
            }
            namespace.annotations = try annotations(fields["annotations"])
            result.append(namespace)
        }
        return result
    }

    // MARK: - Pieces

    private static func entityType(_ entry: JSONMember) throws(SchemaError) -> SchemaRawEntityType {
        let name = entry.key.string
        guard SchemaNames.isIdentifier(name) else {
            throw SchemaError("invalid entity type name `\(entry.key)`", at: sourcePosition(entry.keyPosition))
        }
        let isEnum = try object(entry.value, "an entity type").contains { $0.key == "enum" }
        let fields = try fieldMap(
            entry.value,
            allowed: isEnum ? ["enum", "annotations"] : ["memberOfTypes", "shape", "tags", "annotations"],
            required: [], what: "an entity type")
        var result = SchemaRawEntityType(
            name: name, position: sourcePosition(entry.keyPosition), memberOfTypes: [], shape: nil, tags: nil, enumChoices: nil,
            annotations: try annotations(fields["annotations"]))
        if isEnum {
            let choices = try array(fields["enum"]!, "`enum`")
            guard !choices.isEmpty else {
                throw SchemaError("`enum` must list at least one value", at: sourcePosition(fields["enum"]!))
            }
            var values: [CedarString] = []
            for choice in choices { values.append(try string(choice, "an enum choice")) }
            result.enumChoices = values
            return result
        }
        if let parents = fields["memberOfTypes"] {
            for parent in try array(parents, "`memberOfTypes`") {
                result.memberOfTypes.append(try rawName(parent))
            }
        }
        if let shape = fields["shape"] {
            _ = try typeFields(shape, position: .plain)
            result.shape = try type(shape, position: .plain)
        }
        if let tags = fields["tags"] {
            _ = try typeFields(tags, position: .plain)
            result.tags = try type(tags, position: .plain)
        }
        return result
    }

    private static func action(_ entry: JSONMember) throws(SchemaError) -> SchemaRawAction {
        let fields = try fieldMap(
            entry.value, allowed: ["memberOf", "appliesTo", "attributes", "annotations"], required: [],
            what: "an action")
        var result = SchemaRawAction(
            name: entry.key, position: sourcePosition(entry.keyPosition), memberOf: [], principalTypes: nil, resourceTypes: nil,
            context: nil, annotations: try annotations(fields["annotations"]))
        if let attributes = fields["attributes"], !isNull(attributes) {
            throw SchemaError("unsupported feature used in schema: action attributes", at: sourcePosition(attributes))
        }
        if let parents = fields["memberOf"], !isNull(parents) {
            for parent in try array(parents, "`memberOf`") {
                let parentFields = try fieldMap(parent, allowed: ["id", "type"], required: ["id"], what: "an action reference")
                let id = try string(parentFields["id"]!, "`id`")
                var type: SchemaRawName?
                if let typeNode = parentFields["type"], !isNull(typeNode) { type = try rawName(typeNode) }
                result.memberOf.append(SchemaRawActionRef(type: type, id: id, position: sourcePosition(parent)))
            }
        }
        if let appliesTo = fields["appliesTo"], !isNull(appliesTo) {
            let applyFields = try fieldMap(
                appliesTo, allowed: ["principalTypes", "resourceTypes", "context"],
                required: ["principalTypes", "resourceTypes"], what: "`appliesTo`")
            var principals: [SchemaRawName] = []
            for node in try array(applyFields["principalTypes"]!, "`principalTypes`") { principals.append(try rawName(node)) }
            var resources: [SchemaRawName] = []
            for node in try array(applyFields["resourceTypes"]!, "`resourceTypes`") { resources.append(try rawName(node)) }
            result.principalTypes = principals
            result.resourceTypes = resources
            if let context = applyFields["context"] {
                _ = try typeFields(context, position: .plain)
                result.context = try type(context, position: .plain)
            }
        }
        return result
    }

    private static let typeKeywords: Set<String> = [
        "Long", "String", "Boolean", "Set", "Record", "Entity", "Extension", "EntityOrCommon",
    ]

    /// Checks a type object's keys for its kind and position, and returns them.
    private static func typeFields(
        _ node: JSONValue, position: TypePosition
    ) throws(SchemaError) -> [String: JSONValue] {
        let members = try object(node, "a type")
        guard let typeMember = members.first(where: { $0.key == "type" }) else {
            throw SchemaError("missing field `type`", at: sourcePosition(node))
        }
        let kind = try string(typeMember.value, "`type`").string
        var allowed: Set<String> = ["type"]
        var required: Set<String> = []
        switch kind {
        case "Set": allowed.insert("element"); required.insert("element")
        case "Record": allowed.formUnion(["attributes", "additionalAttributes"]); required.insert("attributes")
        case "Entity", "Extension", "EntityOrCommon": allowed.insert("name"); required.insert("name")
        default: break
        }
        switch position {
        case .plain: break
        case .attribute: allowed.formUnion(["required", "annotations"])
        case .commonDeclaration: allowed.insert("annotations")
        }
        return try fieldMap(node, allowed: allowed, required: required, what: "a `\(kind)` type")
    }

    private static func type(_ node: JSONValue, position: TypePosition) throws(SchemaError) -> SchemaRawType {
        let fields = try typeFields(node, position: position)
        let kind = try string(fields["type"]!, "`type`")
        switch kind.string {
        case "Long": return .long
        case "String": return .string
        case "Boolean": return .bool
        case "Set":
            let element = fields["element"]!
            _ = try typeFields(element, position: .plain)
            return .set(try type(element, position: .plain))
        case "Record":
            if let additional = fields["additionalAttributes"] {
                guard case .bool(let flag) = additional.kind else {
                    throw SchemaError("`additionalAttributes` must be a boolean", at: sourcePosition(additional))
                }
                if flag {
                    throw SchemaError(
                        "unsupported feature used in schema: `additionalAttributes: true`", at: sourcePosition(additional))
                }
            }
            var attributes: [SchemaRawAttribute] = []
            for entry in try object(fields["attributes"]!, "`attributes`") {
                let attributeFields = try typeFields(entry.value, position: .attribute)
                var required = true
                if let flag = attributeFields["required"] {
                    guard case .bool(let value) = flag.kind else {
                        throw SchemaError("`required` must be a boolean", at: sourcePosition(flag))
                    }
                    required = value
                }
                attributes.append(
                    SchemaRawAttribute(
                        name: entry.key, type: try type(entry.value, position: .attribute), isRequired: required,
                        annotations: try annotations(attributeFields["annotations"])))
            }
            return .record(attributes, position: sourcePosition(node))
        case "Entity":
            return .reference(try rawName(fields["name"]!), .entity)
        case "EntityOrCommon":
            return .reference(try rawName(fields["name"]!), .commonOrEntity)
        case "Extension":
            let name = try string(fields["name"]!, "`name`")
            guard let ext = SchemaExtensionType(rawValue: name.string) else {
                throw SchemaError("unknown extension type `\(name)`", at: sourcePosition(fields["name"]!))
            }
            return .extension(ext)
        default:
            return .reference(try rawName(fields["type"]!), .common)
        }
    }

    // MARK: - Helpers

    static func sourcePosition(_ position: JSONPosition?) -> SchemaSourcePosition? {
        position.map { SchemaSourcePosition(line: $0.line, column: $0.column, offset: $0.offset) }
    }

    private static func sourcePosition(_ node: JSONValue) -> SchemaSourcePosition? { sourcePosition(node.position) }

    private static func isNull(_ node: JSONValue) -> Bool {
        if case .null = node.kind { return true }
        return false
    }

    private static func object(_ node: JSONValue, _ what: String) throws(SchemaError) -> [JSONMember] {
        guard case .object(let members) = node.kind else {
            throw SchemaError("expected \(what) to be an object, found \(node.kindDescription)", at: sourcePosition(node))
        }
        return members
    }

    private static func array(_ node: JSONValue, _ what: String) throws(SchemaError) -> [JSONValue] {
        guard case .array(let items) = node.kind else {
            throw SchemaError("expected \(what) to be an array, found \(node.kindDescription)", at: sourcePosition(node))
        }
        return items
    }

    private static func string(_ node: JSONValue, _ what: String) throws(SchemaError) -> CedarString {
        guard case .string(let text) = node.kind else {
            throw SchemaError("expected \(what) to be a string, found \(node.kindDescription)", at: sourcePosition(node))
        }
        return text
    }

    private static func fieldMap(
        _ node: JSONValue, allowed: Set<String>, required: Set<String>, what: String
    ) throws(SchemaError) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for member in try object(node, what) {
            let key = member.key.string
            guard allowed.contains(key), CedarString(key) == member.key else {
                throw SchemaError(
                    "unknown field `\(member.key)` in \(what), expected one of \(allowed.sorted().map { "`\($0)`" }.joined(separator: ", "))",
                    at: sourcePosition(member.keyPosition))
            }
            result[key] = member.value
        }
        for key in required.sorted() where result[key] == nil {
            throw SchemaError("missing field `\(key)` in \(what)", at: sourcePosition(node))
        }
        return result
    }

    /// `A::B::C` with each component an identifier (no whitespace); `nil` otherwise.
    private static func nameComponents(_ text: CedarString) -> [String]? {
        let parts = text.string.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        for (index, part) in parts.enumerated() {
            if part == "__cedar" && index == 0 && parts.count > 1 { continue }
            guard SchemaNames.isIdentifier(part) else { return nil }
        }
        return parts
    }

    private static func rawName(_ node: JSONValue) throws(SchemaError) -> SchemaRawName {
        let text = try string(node, "a type name")
        guard let components = nameComponents(text) else {
            throw SchemaError("invalid type name `\(text)`", at: sourcePosition(node))
        }
        return SchemaRawName(components: components, position: sourcePosition(node))
    }

    private static func annotations(_ node: JSONValue?) throws(SchemaError) -> [String: CedarString] {
        guard let node else { return [:] }
        var result: [String: CedarString] = [:]
        for member in try object(node, "`annotations`") {
            let key = member.key.string
            guard SchemaNames.isIdentifierShaped(key) else {
                throw SchemaError("invalid annotation name `\(member.key)`", at: sourcePosition(member.keyPosition))
            }
            if isNull(member.value) {
                result[key] = ""
            } else {
                result[key] = try string(member.value, "an annotation value")
            }
        }
        return result
    }
}
