extension Schema {
    /// Parses and resolves a schema written in the Cedar schema syntax (`.cedarschema`).
    public init(cedarSchema text: String) throws(SchemaError) {
        let namespaces = try SchemaParser.parse(text)
        self = try SchemaResolver.resolve(namespaces)
    }

    /// Same as `init(cedarSchema:)`.
    public init(_ text: String) throws(SchemaError) { try self.init(cedarSchema: text) }
}

/// Recursive-descent parser for the Cedar schema syntax, producing raw (unresolved) namespaces.
struct SchemaParser {
    private let tokens: [SchemaToken]
    private var index = 0

    static func parse(_ text: String) throws(SchemaError) -> [SchemaRawNamespace] {
        var parser = SchemaParser(tokens: try SchemaLexer.tokenize(text))
        return try parser.parseSchema()
    }

    private init(tokens: [SchemaToken]) { self.tokens = tokens }

    // MARK: - Token helpers

    private var current: SchemaToken { tokens[index] }
    private func peek(_ ahead: Int) -> SchemaToken { tokens[min(index + ahead, tokens.count - 1)] }

    private mutating func bump() -> SchemaToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func unexpected(_ token: SchemaToken) -> SchemaError {
        if token.isEnd { return SchemaError("unexpected end of input", at: token.position) }
        return SchemaError("unexpected token `\(token.lexeme)`", at: token.position)
    }

    private mutating func expect(_ punct: String) throws(SchemaError) -> SchemaToken {
        guard current.isPunct(punct) else { throw unexpected(current) }
        return bump()
    }

    private mutating func expectWord(_ word: String) throws(SchemaError) {
        guard current.isWord(word) else { throw unexpected(current) }
        _ = bump()
    }

    private mutating func eat(_ punct: String) -> Bool {
        if current.isPunct(punct) {
            _ = bump()
            return true
        }
        return false
    }

    /// IDENT minus reserved words.
    private mutating func parseIdent() throws(SchemaError) -> (String, SchemaSourcePosition) {
        guard let text = current.identifier else { throw unexpected(current) }
        if SchemaNames.reservedIdentifiers.contains(text) {
            throw SchemaError("`\(text)` is a reserved identifier", at: current.position)
        }
        let position = bump().position
        return (text, position)
    }

    /// IDENT or string literal.
    private mutating func parseName() throws(SchemaError) -> (CedarString, SchemaSourcePosition) {
        if case .string(let value) = current.kind {
            let position = bump().position
            return (value, position)
        }
        let (text, position) = try parseIdent()
        return (CedarString(text), position)
    }

    private mutating func parsePath() throws(SchemaError) -> SchemaRawName {
        let (first, position) = try parseIdent()
        var components = [first]
        while current.isPunct("::") {
            _ = bump()
            components.append(try parseIdent().0)
        }
        return SchemaRawName(components: components, position: position)
    }

    // MARK: - Grammar

    private mutating func parseSchema() throws(SchemaError) -> [SchemaRawNamespace] {
        var namespaces: [SchemaRawNamespace] = []
        var empty = SchemaRawNamespace(path: [], position: nil)
        while !current.isEnd {
            let annotations = try parseAnnotations()
            if current.isWord("namespace") {
                let position = bump().position
                let path = try parsePath()
                var namespace = SchemaRawNamespace(path: path.components, position: position, annotations: annotations)
                _ = try expect("{")
                while !current.isPunct("}") {
                    let declAnnotations = try parseAnnotations()
                    try parseDecl(annotations: declAnnotations, into: &namespace)
                }
                _ = bump()
                namespaces.append(namespace)
            } else {
                try parseDecl(annotations: annotations, into: &empty)
            }
        }
        if !empty.entityTypes.isEmpty || !empty.actions.isEmpty || !empty.commonTypes.isEmpty {
            namespaces.append(empty)
        }
        return namespaces
    }

    private mutating func parseAnnotations() throws(SchemaError) -> [String: CedarString] {
        var annotations: [String: CedarString] = [:]
        while current.isPunct("@") {
            _ = bump()
            guard let key = current.identifier else { throw unexpected(current) }
            let keyPosition = bump().position
            var value: CedarString = ""
            if eat("(") {
                guard case .string(let text) = current.kind else { throw unexpected(current) }
                _ = bump()
                value = text
                _ = try expect(")")
            }
            if annotations[key] != nil {
                throw SchemaError("duplicate annotations: `\(key)`", at: keyPosition)
            }
            annotations[key] = value
        }
        return annotations
    }

    private mutating func parseDecl(
        annotations: [String: CedarString], into namespace: inout SchemaRawNamespace
    ) throws(SchemaError) {
        if current.isWord("entity") {
            _ = bump()
            try parseEntity(annotations: annotations, into: &namespace)
        } else if current.isWord("action") {
            _ = bump()
            try parseAction(annotations: annotations, into: &namespace)
        } else if current.isWord("type") {
            _ = bump()
            let (name, position) = try parseIdent()
            _ = try expect("=")
            let type = try parseType()
            _ = try expect(";")
            namespace.commonTypes.append(
                SchemaRawCommonType(name: name, position: position, type: type, annotations: annotations))
        } else {
            throw unexpected(current)
        }
    }

    private mutating func parseEntity(
        annotations: [String: CedarString], into namespace: inout SchemaRawNamespace
    ) throws(SchemaError) {
        var names = [try parseIdent()]
        while eat(",") { names.append(try parseIdent()) }
        var memberOf: [SchemaRawName] = []
        var shape: SchemaRawType?
        var tags: SchemaRawType?
        var choices: [CedarString]?
        if current.isWord("enum") {
            _ = bump()
            _ = try expect("[")
            var values: [CedarString] = []
            repeat {
                guard case .string(let value) = current.kind else { throw unexpected(current) }
                _ = bump()
                values.append(value)
            } while eat(",")
            _ = try expect("]")
            choices = values
        } else {
            if current.isWord("in") {
                _ = bump()
                memberOf = try parseEntityTypes()
            }
            if current.isPunct("=") {
                _ = bump()
                guard current.isPunct("{") else { throw unexpected(current) }
            }
            if current.isPunct("{") { shape = try parseRecord() }
            if current.isWord("tags") {
                _ = bump()
                tags = try parseType()
            }
        }
        _ = try expect(";")
        for (name, position) in names {
            namespace.entityTypes.append(
                SchemaRawEntityType(
                    name: name, position: position, memberOfTypes: memberOf, shape: shape, tags: tags,
                    enumChoices: choices, annotations: annotations))
        }
    }

    /// `Path` or `[Path, ...]` (possibly empty).
    private mutating func parseEntityTypes() throws(SchemaError) -> [SchemaRawName] {
        guard eat("[") else { return [try parsePath()] }
        var result: [SchemaRawName] = []
        if eat("]") { return result }
        repeat { result.append(try parsePath()) } while eat(",")
        _ = try expect("]")
        return result
    }

    /// `Name` or `Path::"id"`.
    private mutating func parseActionRef() throws(SchemaError) -> SchemaRawActionRef {
        let position = current.position
        if case .string(let value) = current.kind {
            _ = bump()
            return SchemaRawActionRef(type: nil, id: value, position: position)
        }
        var components = [try parseIdent().0]
        while current.isPunct("::") {
            _ = bump()
            if case .string(let value) = current.kind {
                _ = bump()
                return SchemaRawActionRef(
                    type: SchemaRawName(components: components, position: position), id: value, position: position)
            }
            components.append(try parseIdent().0)
        }
        guard components.count == 1 else { throw unexpected(current) }
        return SchemaRawActionRef(type: nil, id: CedarString(components[0]), position: position)
    }

    private mutating func parseAction(
        annotations: [String: CedarString], into namespace: inout SchemaRawNamespace
    ) throws(SchemaError) {
        var names = [try parseName()]
        while eat(",") { names.append(try parseName()) }
        var parents: [SchemaRawActionRef] = []
        if current.isWord("in") {
            _ = bump()
            if eat("[") {
                repeat { parents.append(try parseActionRef()) } while eat(",")
                _ = try expect("]")
            } else {
                parents.append(try parseActionRef())
            }
        }
        var principals: [SchemaRawName]?
        var resources: [SchemaRawName]?
        var context: SchemaRawType?
        if current.isWord("appliesTo") {
            let appliesToPosition = bump().position
            _ = try expect("{")
            let actionName = names[0].0
            var sawContext = false
            repeat {
                let keyToken = current
                if keyToken.isWord("principal") || keyToken.isWord("resource") {
                    _ = bump()
                    _ = try expect(":")
                    let types = try parseEntityTypes()
                    let kind = keyToken.identifier!
                    if types.isEmpty {
                        throw SchemaError(
                            "for action `\(actionName)`, `\(kind)` is `[]`, which is invalid", at: keyToken.position)
                    }
                    if kind == "principal" {
                        if principals != nil {
                            throw SchemaError(
                                "duplicate `principal` declaration in action `\(actionName)`", at: keyToken.position)
                        }
                        principals = types
                    } else {
                        if resources != nil {
                            throw SchemaError(
                                "duplicate `resource` declaration in action `\(actionName)`", at: keyToken.position)
                        }
                        resources = types
                    }
                } else if keyToken.isWord("context") {
                    _ = bump()
                    _ = try expect(":")
                    if sawContext {
                        throw SchemaError(
                            "duplicate context declaration in action `\(actionName)`", at: keyToken.position)
                    }
                    sawContext = true
                    if current.isPunct("{") {
                        context = try parseRecord()
                    } else {
                        context = .reference(try parsePath(), .common)
                    }
                } else {
                    throw unexpected(keyToken)
                }
                if !eat(",") { break }
            } while !current.isPunct("}")
            _ = try expect("}")
            if principals == nil {
                throw SchemaError("missing `principal` declaration for `\(actionName)`", at: appliesToPosition)
            }
            if resources == nil {
                throw SchemaError("missing `resource` declaration for `\(actionName)`", at: appliesToPosition)
            }
        }
        if current.isWord("attributes") {
            _ = bump()
            _ = try expect("{")
            _ = try expect("}")
        }
        _ = try expect(";")
        for (name, position) in names {
            namespace.actions.append(
                SchemaRawAction(
                    name: name, position: position, memberOf: parents, principalTypes: principals,
                    resourceTypes: resources, context: context, annotations: annotations))
        }
    }

    private mutating func parseType() throws(SchemaError) -> SchemaRawType {
        if current.isPunct("{") { return try parseRecord() }
        if current.isWord("Set") && peek(1).isPunct("<") {
            _ = bump()
            _ = bump()
            let element = try parseType()
            _ = try expect(">")
            return .set(element)
        }
        return .reference(try parsePath(), .commonOrEntity)
    }

    private mutating func parseRecord() throws(SchemaError) -> SchemaRawType {
        let position = try expect("{").position
        var attributes: [SchemaRawAttribute] = []
        while !current.isPunct("}") {
            let annotations = try parseAnnotations()
            let (name, _) = try parseName()
            let optional = eat("?")
            _ = try expect(":")
            let type = try parseType()
            attributes.append(
                SchemaRawAttribute(name: name, type: type, isRequired: !optional, annotations: annotations))
            if !eat(",") { break }
        }
        _ = try expect("}")
        return .record(attributes, position: position)
    }
}
