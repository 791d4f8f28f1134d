import Testing

@testable import Cedar

/// Expression evaluation. The expectations are the behaviours measured against cedarpy 4.12.2 (cedar.md §1.3) and
/// the Lean specification's evaluator.
@Suite("Cedar evaluator: operators and their errors")
struct EvaluatorTests {
    static func uid(_ type: String, _ id: String) -> EntityUID {
        EntityUID(type: Name(qualified: type)!, id: CedarString(id))
    }

    /// alice ∈ admins ∈ staff; alice has attributes and a tag; `Doc::"d"` is the resource.
    static let store: Entities = {
        let entities = [
            Entity(
                uid: uid("User", "alice"),
                attributes: CedarRecord([
                    ("name", .string("Alice")), ("age", .long(30)),
                    ("rec", .record([("x", .long(1))])), ("s", .string("str attr")),
                ]),
                parents: [uid("Group", "admins")],
                tags: CedarRecord([("team", .string("blue"))])),
            Entity(uid: uid("Group", "admins"), parents: [uid("Group", "staff")]),
            Entity(uid: uid("Group", "staff")),
            Entity(uid: uid("Doc", "d"), attributes: CedarRecord([("owner", .entity(uid("User", "alice")))])),
            Entity(uid: uid("Action", "read"), parents: [uid("Action", "readers")]),
        ]
        return try! Entities(entities)
    }()

    static let request = Request(
        principal: uid("User", "alice"), action: uid("Action", "read"), resource: uid("Doc", "d"),
        context: CedarRecord([("ip", .ipaddr(try! CedarIPAddr(parsing: "10.0.0.1"))), ("n", .long(5))]))

    private func evaluate(_ text: String) throws -> Result<Value, EvaluationError> {
        let expr = try Expr.parse(text)
        let evaluator = Evaluator(request: Self.request, entities: Self.store)
        do {
            return .success(try evaluator.evaluate(expr))
        } catch {
            return .failure(error)
        }
    }

    private func value(_ text: String) throws -> Value? {
        try evaluate(text).get()
    }

    private func error(_ text: String) throws -> EvaluationError? {
        if case .failure(let error) = try evaluate(text) { return error }
        return nil
    }

    // MARK: - Arithmetic

    @Test func arithmeticIsOverflowChecked() throws {
        #expect(try value("1 + 2 * 3 - 4") == .long(3))
        #expect(try value("-9223372036854775808") == .long(.min))
        #expect(try value("9223372036854775807 + 0") == .long(.max))
        #expect(try error("9223372036854775807 + 1 == 0") == .integerOverflow(.add, operands: [.max, 1]))
        #expect(try error("-(-9223372036854775808)") == .integerOverflow(.negate, operands: [.min]))
        #expect(try error("4611686018427387904 * 2") == .integerOverflow(.multiply, operands: [4_611_686_018_427_387_904, 2]))
        #expect(try error("-9223372036854775808 - 1") == .integerOverflow(.subtract, operands: [.min, 1]))
        #expect(try error("1 + \"a\"") == .typeError(expected: [.long], got: .string))
        #expect(try error("-true") == .typeError(expected: [.long], got: .bool))
    }

    // MARK: - Equality

    @Test func equalityNeverErrorsAndIsStructural() throws {
        #expect(try value(#"1 == "1""#) == .bool(false))
        #expect(try value(#"1 != "1""#) == .bool(true))
        #expect(try value("[1,2] == [2,1,1]") == .bool(true))
        #expect(try value("{a:1,b:2} == {b:2,a:1}") == .bool(true))
        #expect(try value("{a:1} == {a:1,b:2}") == .bool(false))
        #expect(try value(#"User::"alice" == User::"alice""#) == .bool(true))
        #expect(try value(#"User::"alice" == Group::"alice""#) == .bool(false))
        #expect(try value(#"ip("1.2.3.4") == decimal("1.2")"#) == .bool(false))
        #expect(try value(#"decimal("1.2") == decimal("1.20")"#) == .bool(true))
        #expect(try value(#"ip("10.0.0.1/24") == ip("10.0.0.0/24")"#) == .bool(false))
        #expect(
            try value(#"datetime("2024-01-01T00:00:00+0100") == datetime("2023-12-31T23:00:00Z")"#) == .bool(true))
        #expect(try value(#"duration("1h") == duration("60m")"#) == .bool(true))
    }

    @Test func stringsCompareByCodePoint() throws {
        #expect(try value(#""\u{e9}" == "e\u{301}""#) == .bool(false))
        #expect(try value(#"{"\u{e9}": 1} == {"e\u{301}": 1}"#) == .bool(false))
        #expect(try value(#"User::"\u{e9}" == User::"e\u{301}""#) == .bool(false))
        #expect(try value(#""e\u{301}" like "e*""#) == .bool(true))
        #expect(try value(#""\u{e9}" like "e*""#) == .bool(false))
        #expect(try value(#""a*b" like "a\*b""#) == .bool(true))
        #expect(try value(#""axb" like "a\*b""#) == .bool(false))
        #expect(try value(#""abc" like "*""#) == .bool(true))
        #expect(try error(#"1 like "*""#) == .typeError(expected: [.string], got: .long))
    }

    // MARK: - Ordering

    @Test func orderingTakesLongDatetimeDuration() throws {
        #expect(try value("1 < 2") == .bool(true))
        #expect(try value("2 <= 2") == .bool(true))
        #expect(try value("3 > 4") == .bool(false))
        #expect(try value("3 >= 4") == .bool(false))
        #expect(try value(#"duration("-1d2h") < duration("0s")"#) == .bool(true))
        #expect(try value(#"datetime("2024-01-01") < datetime("2024-01-02")"#) == .bool(true))
        #expect(try error(#"1 < "a""#) != nil)
        #expect(try error(#""a" < "b""#) != nil)
        #expect(try error(#"decimal("1.0") < decimal("2.0")"#) != nil)
        #expect(try value(#"decimal("1.0").lessThan(decimal("2.0"))"#) == .bool(true))
        #expect(try error(#"decimal("1.23456")"#) != nil)
        #expect(try error(#"ip("127.0.0.01")"#) != nil)
    }

    // MARK: - Boolean operators

    @Test func booleanOperatorsShortCircuitWithTypeErrors() throws {
        #expect(try value("true || 1") == .bool(true))
        #expect(try value("false && 1") == .bool(false))
        #expect(try error("false || 1") == .typeError(expected: [.bool], got: .long))
        #expect(try error("true && 1") == .typeError(expected: [.bool], got: .long))
        #expect(try error("1 && true") == .typeError(expected: [.bool], got: .long))
        #expect(try error("if 1 then 2 else 3") == .typeError(expected: [.bool], got: .long))
        #expect(try value("if true then 2 else 1 + \"x\"") == .long(2))
        #expect(try value("if false then 1 + \"x\" else 3") == .long(3))
        #expect(try value("!false") == .bool(true))
        #expect(try error("!1") == .typeError(expected: [.bool], got: .long))
    }

    // MARK: - Entities

    @Test func hierarchyMembership() throws {
        #expect(try value(#"principal in Group::"staff""#) == .bool(true))
        #expect(try value(#"principal in principal"#) == .bool(true))
        #expect(try value(#"principal in [Group::"nope", Group::"admins"]"#) == .bool(true))
        #expect(try value(#"Group::"staff" in principal"#) == .bool(false))
        #expect(try value(#"U::"zzz" in G::"top""#) == .bool(false))
        #expect(try value(#"U::"zzz" in U::"zzz""#) == .bool(true))
        #expect(try value(#"action in Action::"readers""#) == .bool(true))
        #expect(try error(#"U::"a" in [1]"#) != nil)
        #expect(try error(#"U::"a" in [U::"a", 1]"#) != nil)
        #expect(try error(#"1 in U::"a""#) != nil)
        #expect(try error(#"U::"a" in 1"#) != nil)
        #expect(try value(#"principal is User"#) == .bool(true))
        #expect(try value(#"principal is Group"#) == .bool(false))
        #expect(try value(#"principal is User in Group::"staff""#) == .bool(true))
        #expect(try value(#"principal is User in [Group::"x"]"#) == .bool(false))
        // `is T in e` is `is T && in e`: the `in` is not evaluated when the type differs.
        #expect(try value(#"principal is Group in 1"#) == .bool(false))
        #expect(try error(#"1 is User"#) != nil)
    }

    @Test func attributesOfEntitiesAndRecords() throws {
        #expect(try value("principal.name") == .string("Alice"))
        #expect(try value(#"principal["name"]"#) == .string("Alice"))
        #expect(try value("resource.owner.age") == .long(30))
        #expect(try value("principal has name") == .bool(true))
        #expect(try value("principal has missing") == .bool(false))
        #expect(try value("principal has rec.x") == .bool(true))
        #expect(try value("principal has rec.y") == .bool(false))
        #expect(try value(#"U::"zzz" has foo"#) == .bool(false))
        #expect(try error(#"U::"zzz".foo"#) == .entityDoesNotExist(Self.uid("U", "zzz")))
        #expect(try error("principal.missing") == .attributeNotFound(in: Self.uid("User", "alice"), attribute: "missing"))
        #expect(try value(#"{"a b": 1}["a b"]"#) == .long(1))
        #expect(try error("{a: 1}.b") == .attributeNotFound(in: nil, attribute: "b"))
        #expect(try error("1.a") != nil)
        #expect(try error("1 has a") != nil)
        #expect(try value("context.n") == .long(5))
        #expect(try value(#"context.ip.isInRange(ip("10.0.0.0/8"))"#) == .bool(true))
    }

    @Test func tags() throws {
        #expect(try value(#"principal.hasTag("team")"#) == .bool(true))
        #expect(try value(#"principal.getTag("team")"#) == .string("blue"))
        #expect(try value(#"principal.hasTag("t")"#) == .bool(false))
        #expect(try error(#"principal.getTag("t")"#) == .tagNotFound(Self.uid("User", "alice"), tag: "t"))
        #expect(try value(#"U::"zzz".hasTag("t")"#) == .bool(false))
        #expect(try error(#"U::"zzz".getTag("t")"#) == .entityDoesNotExist(Self.uid("U", "zzz")))
        #expect(try error(#"principal.getTag(1)"#) != nil)
        #expect(try error(#"{a: 1}.hasTag("a")"#) != nil)
    }

    // MARK: - Sets, records, extensions

    @Test func setMethods() throws {
        #expect(try value("[1, 2].contains(1)") == .bool(true))
        #expect(try value("[1, [2]].contains([2])") == .bool(true))
        #expect(try value("[1, 2, 3].containsAll([1, 3])") == .bool(true))
        #expect(try value("[1, 2].containsAll([1, 4])") == .bool(false))
        #expect(try value("[1, 2].containsAny([4, 2])") == .bool(true))
        #expect(try value("[1, 2].containsAny([])") == .bool(false))
        #expect(try value("[].isEmpty()") == .bool(true))
        #expect(try value("[1].isEmpty()") == .bool(false))
        #expect(try error("1.contains(1)") != nil)
        #expect(try error("[1].containsAll(1)") != nil)
        #expect(try error("{a: 1}.isEmpty()") != nil)
        #expect(try error("[1, 1 + \"a\"]") != nil)
        #expect(try value("{a: [1, 2], b: {c: true}}") == .record([("a", .set([1, 2])), ("b", .record([("c", true)]))]))
    }

    @Test func extensionCalls() throws {
        #expect(try value(#"ip("127.0.0.1").isLoopback()"#) == .bool(true))
        #expect(try value(#"ip("::1").isIpv6()"#) == .bool(true))
        #expect(try value(#"decimal("1.5").greaterThanOrEqual(decimal("1.5"))"#) == .bool(true))
        #expect(try value(#"duration("1h30m").toMinutes()"#) == .long(90))
        #expect(
            try value(#"datetime("2024-01-01T10:00:00Z").offset(duration("1d")) == datetime("2024-01-02T10:00:00Z")"#)
                == .bool(true))
        #expect(try value(#"datetime("2024-01-01T10:00:00Z").toDate() == datetime("2024-01-01")"#) == .bool(true))
        #expect(try error(#"ip("1.2.3.4").lessThan(decimal("1.0"))"#) != nil)
        #expect(try error(#"decimal(1)"#) != nil)
    }

    /// Messages as cedarpy 4.12.2 words them (after ``error while evaluating policy `policy0`: ``).
    @Test func errorMessagesFollowTheReferenceWording() throws {
        let cases: [(String, String)] = [
            ("1.a", "type error: expected one of [record, (entity of type `any_entity_type`)], got long"),
            ("1 has a", "type error: expected one of [record, (entity of type `any_entity_type`)], got long"),
            ("{a:1}.b", "record does not have the attribute `b`"),
            (#"1 like "a""#, "type error: expected string, got long"),
            ("1 is User", "type error: expected (entity of type `any_entity_type`), got long"),
            ("[1].containsAll(1)", "type error: expected set, got long"),
            (#""a" + 1"#, "type error: expected long, got string"),
            (#"principal.getTag("t")"#, "`User::\"alice\"` does not have the tag `t`"),
            (#""a" < "b""#, "type error: expected one of [long, datetime, duration], got string"),
            ("principal is User in 1", "type error: expected one of [set, (entity of type `any_entity_type`)], got long"),
            (#"User::"a" in [User::"a", 1]"#, "type error: expected (entity of type `any_entity_type`), got long"),
            (#"User::"zzz".getTag("t")"#, "entity `User::\"zzz\"` does not exist"),
        ]
        for (text, message) in cases {
            #expect(try error(text)?.description == message, "\(text)")
        }
    }

    @Test func slotsMustBeLinked() throws {
        let evaluator = Evaluator(request: Self.request, entities: Self.store)
        #expect(throws: EvaluationError.self) { try evaluator.evaluate(.slot(.principal)) }
        let template = try Policy.parse("permit(principal == ?principal, action, resource);")
        #expect(throws: EvaluationError.self) { try evaluator.isSatisfied(template) }
    }

    @Test func policiesCombineScopeAndConditions() throws {
        let evaluator = Evaluator(request: Self.request, entities: Self.store)
        func satisfied(_ text: String) throws -> Bool { try evaluator.isSatisfied(try Policy.parse(text)) }
        #expect(try satisfied(#"permit(principal in Group::"staff", action in [Action::"readers"], resource is Doc);"#))
        #expect(try !satisfied(#"permit(principal == User::"bob", action, resource) when { 1 };"#))
        #expect(try satisfied(#"permit(principal, action == Action::"read", resource) when { true } unless { false };"#))
        #expect(try !satisfied(#"permit(principal, action, resource) when { true } unless { true };"#))
        #expect(try !satisfied(#"permit(principal, action, resource is User in Group::"staff");"#))
        #expect(throws: EvaluationError.self) { try satisfied("permit(principal, action, resource) unless { 1 };") }
        #expect(throws: EvaluationError.self) {
            try satisfied("permit(principal, action, resource) when { false || 1 } when { false };")
        }
        #expect(try !satisfied("permit(principal, action, resource) when { false } when { 1 };"))
    }
}
