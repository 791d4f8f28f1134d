/// What a schema says a JSON value should be, used to read values whose escapes are implicit: with a hint of
/// `.ext(.ipaddr)` the JSON string `"1.2.3.4"` becomes `ip("1.2.3.4")`, with `.entity` the object `{"type", "id"}`
/// becomes an entity reference. Without a hint the plain Cedar JSON rules apply (escapes required).
///
/// Hints only steer conversion; they do not check conformance (a value of the wrong shape is converted as if
/// unhinted). Checking entities against a schema is the schema layer's job.
public indirect enum ValueTypeHint: Sendable, Hashable {
    case bool
    case long
    case string
    /// An entity reference (of any type).
    case entity
    /// A set whose elements follow the hint (nil: no hint).
    case set(ValueTypeHint?)
    /// A record; listed attributes follow their hints, others are unhinted.
    case record([CedarString: ValueTypeHint])
    /// An extension type: `.decimal`, `.ipaddr`, `.datetime` or `.duration`.
    case ext(CedarType)
}

/// The hook through which a schema drives entity parsing. The Schema module implements it; `nil` everywhere means
/// "no schema".
public protocol EntitySchemaHints: Sendable {
    /// The declared type of `attribute` on entities of `entityType`, if known.
    func attributeHint(entityType: EntityType, attribute: CedarString) -> ValueTypeHint?
    /// The declared type of the tags of `entityType`, if any.
    func tagHint(entityType: EntityType) -> ValueTypeHint?
}

extension Entities {
    /// Reads Cedar's entity JSON: a list of `{"uid": {"type", "id"}, "attrs": {...}, "parents": [uids], "tags"?: {...}}`
    /// (a uid may also be written `{"__entity": {"type", "id"}}`). Errors carry a line and column.
    public static func fromJSON(_ text: String, schema: (any EntitySchemaHints)? = nil) throws(EntitiesError) -> Entities {
        try fromJSON(try EntityJSON.read { () throws(JSONError) in try JSONValue.parse(text) }, schema: schema)
    }

    /// The same from UTF-8 bytes (e.g. a file's contents).
    public static func fromJSON(bytes: [UInt8], schema: (any EntitySchemaHints)? = nil) throws(EntitiesError)
        -> Entities
    {
        try fromJSON(try EntityJSON.read { () throws(JSONError) in try JSONValue.parse(bytes: bytes) }, schema: schema)
    }

    /// The same from an already-parsed JSON document.
    public static func fromJSON(_ document: JSONValue, schema: (any EntitySchemaHints)? = nil) throws(EntitiesError)
        -> Entities
    {
        guard case .array(let items) = document.kind else {
            throw EntityJSON.formatError("expected a JSON array of entities", at: document)
        }
        var entities: [Entity] = []
        entities.reserveCapacity(items.count)
        for item in items { entities.append(try EntityJSON.entity(from: item, schema: schema)) }
        return try Entities(entities)
    }
}

extension Value {
    /// Reads one value in Cedar's JSON value format (as in entity attributes), optionally steered by a hint.
    public static func fromJSON(_ text: String, hint: ValueTypeHint? = nil) throws(EntitiesError) -> Value {
        let node = try EntityJSON.read { () throws(JSONError) in try JSONValue.parse(text) }
        return try EntityJSON.value(from: node, hint: hint, context: "in value")
    }
}

extension CedarRecord {
    /// Reads a request context: a JSON object in Cedar's value format. `attributeHints` (from the action's declared
    /// context type) make implicit escapes work, e.g. `"source_ip": "1.2.3.4"` declared `ipaddr`.
    public static func contextFromJSON(_ text: String, attributeHints: [CedarString: ValueTypeHint]? = nil)
        throws(EntitiesError) -> CedarRecord
    {
        let node = try EntityJSON.read { () throws(JSONError) in try JSONValue.parse(text) }
        guard case .object = node.kind else { throw EntityJSON.formatError("context must be a JSON object", at: node) }
        let value = try EntityJSON.value(
            from: node, hint: .record(attributeHints ?? [:]), context: "in context", objectIsRecord: true)
        guard case .record(let record) = value else {
            throw EntityJSON.formatError("context must be a record", at: node)
        }
        return record
    }
}

/// Conversion from `JSONValue` to entities and values (Cedar 4.12's rules, checked against cedarpy 4.12.2).
enum EntityJSON {
    /// Runs the JSON parser (duplicate keys rejected, as in the reference engine); syntax errors become `.json`
    /// errors positioned in bytes.
    static func read(_ parse: () throws(JSONError) -> JSONValue) throws(EntitiesError) -> JSONValue {
        do {
            return try parse()
        } catch {
            throw EntitiesError(.json, error.message, line: error.position.line, column: error.position.utf8Column)
        }
    }

    static func formatError(_ message: String, at node: JSONValue) -> EntitiesError {
        EntitiesError(.format, message, line: node.position?.line, column: node.position?.utf8Column)
    }

    static func entity(from node: JSONValue, schema: (any EntitySchemaHints)?) throws(EntitiesError) -> Entity {
        guard case .object = node.kind else { throw formatError("expected an entity object", at: node) }
        guard let uidNode = node["uid"] else { throw formatError("missing field `uid`", at: node) }
        guard let uid = try entityReference(uidNode) else {
            throw formatError(
                "in uid field of <unknown entity>, expected a literal entity reference, but got `\(uidNode.description)`",
                at: uidNode)
        }
        guard let attrsNode = node["attrs"] else { throw formatError("missing field `attrs` on `\(uid)`", at: node) }
        guard case .object(let attrMembers) = attrsNode.kind else {
            throw formatError("`attrs` of `\(uid)` must be a JSON object", at: attrsNode)
        }
        guard let parentsNode = node["parents"] else {
            throw formatError("missing field `parents` on `\(uid)`", at: node)
        }
        guard case .array(let parentNodes) = parentsNode.kind else {
            throw formatError("`parents` of `\(uid)` must be a JSON array", at: parentsNode)
        }
        var attributes = CedarRecord()
        for member in attrMembers {
            let hint = schema?.attributeHint(entityType: uid.type, attribute: member.key)
            attributes[member.key] = try value(
                from: member.value, hint: hint, context: "in attribute `\(member.key)` on `\(uid)`")
        }
        var parents = Set<EntityUID>()
        for parentNode in parentNodes {
            guard let parent = try entityReference(parentNode) else {
                throw formatError(
                    "in parents field of `\(uid)`, expected a literal entity reference, but got `\(parentNode.description)`",
                    at: parentNode)
            }
            parents.insert(parent)
        }
        var tags = CedarRecord()
        if let tagsNode = node["tags"] {
            guard case .object(let tagMembers) = tagsNode.kind else {
                throw formatError("`tags` of `\(uid)` must be a JSON object", at: tagsNode)
            }
            let hint = schema?.tagHint(entityType: uid.type)
            for member in tagMembers {
                tags[member.key] = try value(from: member.value, hint: hint, context: "in tag `\(member.key)` on `\(uid)`")
            }
        }
        return Entity(uid: uid, attributes: attributes, parents: parents, tags: tags)
    }

    /// `{"type": T, "id": I}` or `{"__entity": {"type": T, "id": I}}`; nil if the node has neither shape. Other keys
    /// inside the reference are ignored; an invalid type name is an error.
    static func entityReference(_ node: JSONValue) throws(EntitiesError) -> EntityUID? {
        guard case .object(let members) = node.kind else { return nil }
        if members.count == 1, members[0].key == "__entity" {
            return try typeAndID(members[0].value)
        }
        return try typeAndID(node)
    }

    private static func typeAndID(_ node: JSONValue) throws(EntitiesError) -> EntityUID? {
        guard let typeText = node["type"]?.stringValue, let id = node["id"]?.stringValue else { return nil }
        guard let type = parseTypeName(typeText) else {
            throw formatError(
                "failed to parse escape `__entity`: \(node.description): invalid entity type name `\(typeText)`", at: node)
        }
        return EntityUID(type: type, id: id)
    }

    /// A Cedar name `A::B::C`: identifiers (`[A-Za-z_][A-Za-z0-9_]*`, not reserved words), no whitespace, no
    /// `__cedar` component.
    static func parseTypeName(_ text: CedarString) -> Name? {
        let reserved: Set<String> = ["true", "false", "if", "then", "else", "in", "is", "like", "has", "__cedar"]
        let string = text.string
        guard string.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
        let parts = string.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        for part in parts {
            guard let first = part.unicodeScalars.first, first == "_" || first.properties.isAlphabetic,
                part.unicodeScalars.allSatisfy({ $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }),
                !reserved.contains(part)
            else { return nil }
        }
        return Name(parts[parts.count - 1], namespace: Array(parts.dropLast()))
    }

    /// One value. `context` prefixes error messages (`in attribute `x` on `U::"a"``).
    static func value(
        from node: JSONValue, hint: ValueTypeHint?, context: String, objectIsRecord: Bool = false
    ) throws(EntitiesError) -> Value {
        switch node.kind {
        case .null:
            throw formatError("\(context), found a `null`; JSON `null`s are not allowed in Cedar", at: node)
        case .bool(let value):
            return .bool(value)
        case .number(let number):
            // Fractions, exponents and `-0` have no `int64`, and are rejected as in the reference engine.
            guard let long = number.int64 else {
                throw formatError(
                    "\(context), the number `\(number)` is not a Cedar long (an integer from -2^63 to 2^63-1)", at: node)
            }
            return .long(long)
        case .string(let text):
            if case .ext(let type)? = hint, let constructor = ExtensionFunctions.constructor(for: type) {
                do {
                    return try ExtensionFunctions.call(constructor, [.string(text)])
                } catch {
                    throw formatError("\(context): \(error)", at: node)
                }
            }
            return .string(text)
        case .array(let items):
            var elementHint: ValueTypeHint?
            if case .set(let inner)? = hint { elementHint = inner }
            var set = CedarSet()
            for item in items { set.insert(try value(from: item, hint: elementHint, context: context)) }
            return .set(set)
        case .object(let members):
            if !objectIsRecord, let escaped = try escape(node, members: members, hint: hint, context: context) {
                return escaped
            }
            var fieldHints: [CedarString: ValueTypeHint] = [:]
            if case .record(let hints)? = hint { fieldHints = hints }
            var record = CedarRecord()
            for member in members {
                record[member.key] = try value(from: member.value, hint: fieldHints[member.key], context: context)
            }
            return .record(record)
        }
    }

    /// The `__entity`, `__extn` and (rejected) `__expr` escapes, plus the implicit forms a hint allows. Nil when the
    /// object is a plain record: an escape key next to other keys, or an escape whose contents have the wrong shape,
    /// makes it a record (as in the reference engine).
    private static func escape(
        _ node: JSONValue, members: [JSONMember], hint: ValueTypeHint?, context: String
    ) throws(EntitiesError) -> Value? {
        if members.count == 1 {
            let inner = members[0].value
            switch members[0].key {
            case "__entity":
                if let uid = try typeAndID(inner) { return .entity(uid) }
                return nil
            case "__extn":
                return try extensionCall(inner, context: context)
            case "__expr":
                throw formatError("\(context), the `__expr` escape is no longer supported", at: node)
            default:
                break
            }
        }
        if case .entity? = hint, let uid = try typeAndID(node) { return .entity(uid) }
        if case .ext? = hint, let call = try extensionCall(node, context: context) { return call }
        return nil
    }

    /// `{"fn": name, "arg": value}` or `{"fn": name, "args": [values]}`, evaluated through `ExtensionFunctions`;
    /// nil when the object is not of that shape.
    private static func extensionCall(_ node: JSONValue, context: String) throws(EntitiesError) -> Value? {
        guard let name = node["fn"]?.stringValue else { return nil }
        let argumentNodes: [JSONValue]
        switch (node["arg"], node["args"]) {
        case (let arg?, nil): argumentNodes = [arg]
        case (nil, let args?):
            guard case .array(let items) = args.kind else { return nil }
            argumentNodes = items
        default: return nil
        }
        var arguments: [Value] = []
        for argument in argumentNodes { arguments.append(try value(from: argument, hint: nil, context: context)) }
        do {
            return try ExtensionFunctions.call(name.string, arguments)
        } catch {
            throw formatError("\(context): failed to evaluate the `__extn` escape: \(error)", at: node)
        }
    }
}
