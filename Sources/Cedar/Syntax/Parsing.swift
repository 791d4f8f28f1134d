extension PolicySet {
    /// Parses Cedar policy text: any number of policies and templates. Ids are positional in text order — `policy0`,
    /// `policy1`, … — counting templates too, as Cedar (and cedarpy) do; `@id` annotations do not change them.
    public static func parse(_ text: String) throws(CedarParseError) -> PolicySet {
        var parser = Parser(text)
        let policies = parser.parsePolicies()
        if !parser.diagnostics.isEmpty { throw CedarParseError(diagnostics: parser.diagnostics) }
        var set = PolicySet()
        for policy in policies {
            do { try set.add(policy) } catch {
                // Positional ids cannot collide; kept for safety.
                let range = policy.range ?? SourceRange(start: .start, end: .start)
                throw CedarParseError(diagnostics: [.init(message: error.description, range: range)])
            }
        }
        return set
    }
}

extension Policy {
    /// Parses exactly one policy or template.
    public static func parse(_ text: String, id: String = "policy0") throws(CedarParseError) -> Policy {
        var parser = Parser(text)
        let policies = parser.parsePolicies()
        if !parser.diagnostics.isEmpty { throw CedarParseError(diagnostics: parser.diagnostics) }
        guard policies.count == 1 else {
            let end = parser.position(parser.source.count)
            let message = policies.isEmpty ? "expected a policy, found none" : "expected one policy, found \(policies.count)"
            throw CedarParseError(diagnostics: [.init(message: message, range: SourceRange(start: .start, end: end))])
        }
        var policy = policies[0]
        policy.id = id
        return policy
    }

    /// Parses a list of policies and templates, with positional ids.
    public static func parseAll(_ text: String) throws(CedarParseError) -> [Policy] {
        var parser = Parser(text)
        let policies = parser.parsePolicies()
        if !parser.diagnostics.isEmpty { throw CedarParseError(diagnostics: parser.diagnostics) }
        return policies
    }
}

extension Expr {
    /// Parses a single Cedar expression (as found in a `when` clause). Slots are allowed here.
    public static func parse(_ text: String) throws(CedarParseError) -> Expr {
        var parser = Parser(text)
        let expr = parser.parseExpressionOnly()
        if let expr, parser.diagnostics.isEmpty { return expr }
        throw CedarParseError(diagnostics: parser.diagnostics)
    }
}

extension EntityUID {
    /// Parses an entity UID written in Cedar syntax: `User::"alice"`, `PhotoApp::Album::"a\"b"`.
    public static func parse(_ text: String) throws(CedarParseError) -> EntityUID {
        var parser = Parser(text)
        let uid = parser.parseEntityUIDOnly()
        if let uid, parser.diagnostics.isEmpty { return uid }
        if parser.diagnostics.isEmpty {
            let end = parser.position(parser.source.count)
            parser.diagnostics.append(.init(message: "expected an entity uid", range: SourceRange(start: .start, end: end)))
        }
        throw CedarParseError(diagnostics: parser.diagnostics)
    }
}
