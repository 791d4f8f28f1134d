import Foundation
import Testing
@testable import Cedar

@Suite("Cedar policy parser")
struct ParserTests {
    func parseError(_ text: String) -> CedarParseError? {
        do {
            _ = try PolicySet.parse(text)
            return nil
        } catch {
            return error
        }
    }

    func when(_ body: String) -> String { "permit(principal, action, resource) when { \(body) };" }

    func body(_ text: String) throws -> Expr {
        let policy = try Policy.parse(when(text))
        return policy.conditions[0].body
    }

    @Test(.enabled(if: CedarTestData.available, "needs shared/cedar")) func handWrittenPoliciesAllParse() throws {
        let files = SyntaxFixtures.handWrittenPolicyFiles()
        #expect(files.count == 22)
        var policies = 0
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let set = try PolicySet.parse(text)
            #expect(!set.staticPolicies.isEmpty, "\(file.lastPathComponent)")
            policies += set.staticPolicies.count + set.templates.count
        }
        #expect(policies > 22)
    }

    @Test func scopeForms() throws {
        let set = try PolicySet.parse(
            """
            @id("first") @note
            permit(principal == User::"alice", action in [Action::"view", Action::"edit"], resource in Folder::"f");
            forbid(principal is User in Group::"g", action == PhotoApp::Action::"delete", resource is Photo)
              when { context.risk > 3 } unless { principal.admin };
            permit(principal in ?principal, action, resource == ?resource);
            """)
        #expect(set.staticPolicies.map(\.id) == ["policy0", "policy1"])
        #expect(set.templates.map(\.id) == ["policy2"])
        let first = set.staticPolicies[0]
        #expect(first.principal == .equal(.entity(EntityUID(type: Name("User"), id: "alice"))))
        #expect(first.action == .in([EntityUID(type: Name("Action"), id: "view"), EntityUID(type: Name("Action"), id: "edit")]))
        #expect(first.annotations == [Annotation(key: "id", value: "first"), Annotation(key: "note", value: nil)])
        #expect(first.annotation("note") == .some(nil))
        #expect(first.annotation("absent") == nil)
        let second = set.staticPolicies[1]
        #expect(second.effect == .forbid)
        #expect(second.principal == .isTypeIn(Name("User"), .entity(EntityUID(type: Name("Group"), id: "g"))))
        #expect(second.action == .equal(EntityUID(type: Name("Action", namespace: ["PhotoApp"]), id: "delete")))
        #expect(second.resource == .isType(Name("Photo")))
        #expect(second.conditions.map(\.kind) == [.when, .unless])
        #expect(second.range?.start.line == 3)
        let template = set.templates[0]
        #expect(template.slots == [.principal, .resource])
        #expect(template.principal == .in(.slot(.principal)))
    }

    @Test func idsArePositionalCountingTemplates() throws {
        let set = try PolicySet.parse(
            """
            permit(principal == ?principal, action, resource);
            @id("named") permit(principal, action, resource);
            """)
        #expect(set.templates.map(\.id) == ["policy0"])
        #expect(set.staticPolicies.map(\.id) == ["policy1"])
        #expect(set.order == ["policy0", "policy1"])
    }

    @Test func linking() throws {
        var set = try PolicySet.parse(
            "permit(principal == ?principal, action, resource in ?resource); permit(principal, action, resource);")
        let alice = EntityUID(type: Name("User"), id: "alice")
        let folder = EntityUID(type: Name("Folder"), id: "f")
        let linked = try set.link(templateID: "policy0", newID: "link1", values: [.principal: alice, .resource: folder])
        #expect(linked.principal == .equal(.entity(alice)))
        #expect(linked.resource == .in(.entity(folder)))
        #expect(linked.templateID == "policy0" && !linked.isTemplate)
        #expect(set.policies.map(\.id) == ["policy1", "link1"])
        #expect(throws: PolicySetError.duplicateID("link1")) {
            try set.link(templateID: "policy0", newID: "link1", values: [.principal: alice, .resource: folder])
        }
        #expect(throws: PolicySetError.duplicateID("policy1")) {
            try set.link(templateID: "policy0", newID: "policy1", values: [.principal: alice, .resource: folder])
        }
        #expect(throws: PolicySetError.unknownTemplate("policy1")) {
            try set.link(templateID: "policy1", newID: "x", values: [:])
        }
        #expect(throws: PolicySetError.missingSlotValue(templateID: "policy0", slot: .resource)) {
            try set.link(templateID: "policy0", newID: "x", values: [.principal: alice])
        }
        var single = try PolicySet.parse("permit(principal == ?principal, action, resource);")
        #expect(throws: PolicySetError.unexpectedSlotValue(templateID: "policy0", slot: .resource)) {
            try single.link(templateID: "policy0", newID: "x", values: [.principal: alice, .resource: folder])
        }
        #expect(set.unlink("link1") && set.linkedPolicies.isEmpty)
    }

    @Test func errorsCarryPositionsAndTokens() throws {
        let error = try #require(parseError("permit(principal, action, resource)\nwhen { principal.a $ 1 };"))
        #expect(error.first.range.start.line == 2)
        #expect(error.first.range.start.column == 20)
        #expect(error.first.message == "invalid token")
        #expect(error.first.token == "$")

        let unexpected = try #require(parseError("permit(principal, action, resource) when { 1 + };"))
        #expect(unexpected.first.message == "unexpected token `}`")
        #expect(unexpected.first.range.start.column == 48)
        #expect(unexpected.description.hasPrefix("1:48: "))

        let end = try #require(parseError("permit(principal, action, resource)"))
        #expect(end.first.message == "unexpected end of input")

        // Columns count Unicode scalars, not bytes.
        let unicode = try #require(parseError("permit(principal, action, resource) when { \"é\" == 1 / 2 };"))
        #expect(unicode.first.message == "division is not supported")
        #expect(unicode.first.range.start.column == 53)
    }

    @Test func severalErrorsAreReported() throws {
        let error = try #require(
            parseError(
                """
                permit(principal, action, resource) when { principal.if };
                permit(principal, action, resource) when { 1 +  };
                permit(principal, action, resource) when { {a: 1, a: 2} };
                """))
        #expect(error.diagnostics.count == 3)
        #expect(error.diagnostics.map(\.range.start.line) == [1, 2, 3])
        #expect(error.diagnostics[0].message == "this identifier is reserved and cannot be used: if")
        #expect(error.diagnostics[2].message == "duplicate key `a` in record literal")
    }

    @Test(arguments: [
        ("principal has if", "this identifier is reserved and cannot be used: if"),
        ("1 / 2", "division is not supported"),
        ("1 % 2", "remainder/modulo is not supported"),
        ("!!!!!true", "too many occurrences of `!`"),
        ("-----1", "too many occurrences of `-`"),
        ("1 < 2 < 3", "multiple relational operators (>, ==, in, etc.) must be used with parentheses to make ordering explicit"),
        ("principal.foo()", "`foo` is not a valid method"),
        ("foo(1)", "`foo` is not a valid function"),
        ("principal.ip(\"x\")", "`ip` is a function, not a method"),
        ("[1].contains()", "call to `contains` requires exactly 1 argument, but got 0 arguments"),
        ("[1].isEmpty(1)", "call to `isEmpty` requires exactly 0 arguments, but got 1 argument"),
        ("9223372036854775808", "integer literal `9223372036854775808` is too large"),
        ("foo", "invalid variable: foo"),
        ("principal like principal", "right hand side of a `like` expression must be a pattern literal, but got `principal`"),
        ("principal has a::b", "`a::b` cannot be used as an attribute as it contains a namespace"),
        ("principal has a.b()", "invalid RHS of a `has` operation: a.b()"),
        ("__cedar::ip(\"1\")", "The name `__cedar::ip` contains `__cedar`, which is reserved"),
        ("\"\\q\"", "the input `\\q` is not a valid escape"),
        ("\"\\x80\"", "the input `\\x80` is not a valid escape"),
        ("?principal == 1", "found template slot ?principal in a `when` clause"),
        ("1 = 2", "'=' is not a valid operator in Cedar"),
        ("{1: 2}", "invalid attribute name: 1"),
    ])
    func conversionErrors(body: String, message: String) throws {
        let error = try #require(parseError(when(body)))
        #expect(error.first.message == message)
    }

    @Test(arguments: [
        ("permit(principal,action,resource in [User::\"a\"]);", "expected single entity uid or template slot, found set of entity uids"),
        ("permit(principal,action == User::\"a\",resource);", "expected an entity uid with type `Action` but got `User::\"a\"`"),
        ("permit(principal == ?resource,action,resource);", "expected an entity uid or matching template slot, found ?resource instead of ?principal"),
        ("permit(principal,action);", "this policy is missing the `resource` variable in the scope"),
        ("permit(principal,action,resource,context);", "this policy has an extra element in the scope: context"),
        ("permit(resource,action,principal);", "found the variable `resource` where the variable `principal` must be used"),
        ("permit(principal is User,action is Action,resource);", "`is` cannot appear in the action scope"),
        ("permit(principal is User == User::\"a\",action,resource);", "`is` cannot be used together with `==`"),
        ("allow(principal,action,resource);", "invalid policy effect: allow"),
        ("permit(principal,action,resource) when {};", "`when` condition clause cannot be empty"),
        ("permit(principal,action,resource) foo { true };", "invalid policy condition: foo"),
        ("@id(\"a\") @id(\"b\") permit(principal,action,resource);", "duplicate annotation: @id"),
        ("permit(principal: User, action, resource);", "type constraints using `:` are not supported"),
    ])
    func policyErrors(text: String, message: String) throws {
        let error = try #require(parseError(text))
        #expect(error.first.message == message)
    }

    @Test func integerLiteralsAndUnaryFolding() throws {
        #expect(try body("-9223372036854775808") == .long(Int64.min))
        #expect(try body("9223372036854775807") == .long(Int64.max))
        #expect(try body("--9223372036854775808") == .unary(.neg, .long(Int64.min)))
        #expect(try body("-(5)") == .unary(.neg, .long(5)))
        #expect(try body("----1") == .unary(.neg, .unary(.neg, .unary(.neg, .long(-1)))))
        #expect(try body("-5.foo") == .unary(.neg, .getAttr(.long(5), "foo")))
        #expect(try body("!!!!true") == .unary(.not, .unary(.not, .unary(.not, .unary(.not, .bool(true))))))
        #expect(try body("2 * -3") == .binary(.multiply, .long(2), .long(-3)))
        #expect(parseError(when("-(9223372036854775808)")) != nil)
        #expect(parseError(when("-9223372036854775809")) != nil)
        #expect(parseError(when("18446744073709551616"))?.first.message == "integer parse error: number too large to fit in target type")
        #expect(parseError(when("-!1")) != nil && parseError(when("!-1")) != nil)
    }

    @Test func stringEscapes() throws {
        #expect(try body(#""\" \\ \n \r \t \0 \' \x41 \x7f \u{1F600} \u{0}""#) == .string(CedarString("\" \\ \n \r \t \0 ' A \u{7f} \u{1F600} \0")))
        #expect(try body("\"line\nbreak\"") == .string("line\nbreak"))
        for bad in [#""\*""#, #""\x80""#, #""\u{110000}""#, #""\u{D800}""#, #""\u{}""#, #""\u{1234567}""#, #""\a""#, #""\x4""#] {
            #expect(parseError(when(bad)) != nil, "\(bad)")
        }
        // NFC and NFD forms stay distinct.
        #expect(try body("\"\u{e9}\"") != body("\"e\u{301}\""))
    }

    @Test func likePatterns() throws {
        #expect(try body(#"principal like "a*b\*c\\""#) == .like(.variable(.principal), Pattern([.literal("a"), .wildcard, .literal("b"), .literal("*"), .literal("c"), .literal("\\")])))
        let pattern = Pattern([.literal("a"), .wildcard, .literal("c")])
        #expect(pattern.matches("abc") && pattern.matches("ac") && !pattern.matches("ab"))
        #expect(Pattern([.literal("e"), .wildcard]).matches(CedarString("e\u{301}")))
        #expect(!Pattern([.literal("\u{e9}")]).matches(CedarString("e\u{301}")))
    }

    @Test func hasDesugarsAndIndexing() throws {
        let p = Expr.variable(.principal)
        #expect(try body("principal has a.b.c") == .and(.and(.hasAttr(p, "a"), .hasAttr(.getAttr(p, "a"), "b")), .hasAttr(.getAttr(.getAttr(p, "a"), "b"), "c")))
        #expect(try body(#"principal has "a b""#) == .hasAttr(p, "a b"))
        #expect(try body(#"principal["a"]["b"]"#) == .getAttr(.getAttr(p, "a"), "b"))
        #expect(try body("principal is User in Group::\"g\"") == .isType(p, Name("User"), in: .entity(EntityUID(type: Name("Group"), id: "g"))))
        #expect(try body("ip(\"1.2.3.4\").isInRange(context.net)") == .call(.isInRange, [.call(.ip, [.string("1.2.3.4")]), .getAttr(.variable(.context), "net")]))
    }

    @Test func entityUIDParsing() throws {
        #expect(try EntityUID.parse(#"PhotoApp::User::"a\"b""#) == EntityUID(type: Name("User", namespace: ["PhotoApp"]), id: "a\"b"))
        #expect(try EntityUID.parse(#" User :: "alice" "#) == EntityUID(type: Name("User"), id: "alice"))
        #expect(throws: CedarParseError.self) { try EntityUID.parse("User") }
        #expect(throws: CedarParseError.self) { try EntityUID.parse(#"User::"a" extra"#) }
        #expect(throws: CedarParseError.self) { try EntityUID.parse(#"if::"a""#) }
        let uid = EntityUID(type: Name("User"), id: CedarString("q\"\\\n\u{0}é"))
        #expect(try EntityUID.parse(uid.description) == uid)
    }

    @Test func expressionEntryPoint() throws {
        #expect(try Expr.parse("1 + 2 * 3") == .binary(.add, .long(1), .binary(.multiply, .long(2), .long(3))))
        #expect(try Expr.parse("?principal") == .slot(.principal))
        #expect(throws: CedarParseError.self) { try Expr.parse("1 +") }
        #expect(throws: CedarParseError.self) { try Expr.parse("1 2") }
    }

    @Test func commentsAndWhitespace() throws {
        let set = try PolicySet.parse("// a comment\n permit(principal, action, resource) // trailing\n;\u{00a0}// end")
        #expect(set.staticPolicies.count == 1)
        #expect(try PolicySet.parse("").isEmpty)
    }
}

@Suite("Cedar parser nesting guard")
struct ParserNestingTests {
    @Test func deepNestingIsAnErrorNotACrash() throws {
        func nested(_ n: Int, _ open: String, _ close: String) -> String {
            "permit(principal, action, resource) when { \(String(repeating: open, count: n))1\(String(repeating: close, count: n)) };"
        }
        let ok = try PolicySet.parse(nested(150, "(", ")"))
        #expect(ok.staticPolicies.count == 1)
        #expect(try PolicySet.parse(nested(150, "[", "]")).staticPolicies.count == 1)
        #expect(throws: CedarParseError.self) { try PolicySet.parse(nested(5000, "(", ")")) }
        #expect(throws: CedarParseError.self) { try PolicySet.parse(nested(5000, "[", "]")) }
        #expect(throws: CedarParseError.self) { try PolicySet.parse(nested(5000, "if true then ", " else 0")) }
    }
}
