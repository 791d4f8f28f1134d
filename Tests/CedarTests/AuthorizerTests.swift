import Testing

@testable import Cedar

/// Combining policy results into a decision, request validation against a schema, and the JSON entry point. The
/// expectations were checked with cedarpy 4.12.2 (`is_authorized`).
@Suite("Cedar authorizer: combining, errors, schema")
struct AuthorizerTests {
    static func uid(_ type: String, _ id: String) -> EntityUID {
        EntityUID(type: Name(qualified: type)!, id: CedarString(id))
    }

    static let entities = try! Entities([
        Entity(uid: uid("User", "alice"), attributes: CedarRecord([("level", .long(3))]), parents: [uid("Team", "t")]),
        Entity(uid: uid("Team", "t")),
    ])

    static let request = Request(principal: uid("User", "alice"), action: uid("Action", "read"), resource: uid("Doc", "d"))

    private func authorize(_ policies: String, request: Request = request) throws -> Response {
        Authorizer.isAuthorized(request: request, policies: try PolicySet.parse(policies), entities: Self.entities)
    }

    @Test func defaultDeny() throws {
        let response = try authorize("")
        #expect(response.decision == .deny)
        #expect(response.reasons.isEmpty && response.errors.isEmpty && response.requestError == nil)
        let unmatched = try authorize(#"permit(principal == User::"bob", action, resource);"#)
        #expect(unmatched.decision == .deny && unmatched.reasons.isEmpty)
    }

    @Test func permitsAreTheReasonsForAllow() throws {
        let response = try authorize(
            """
            permit(principal, action, resource);
            permit(principal in Team::"t", action, resource) when { principal.level > 2 };
            permit(principal, action, resource) when { false };
            """)
        #expect(response.decision == .allow)
        #expect(response.isAllowed)
        #expect(response.reasons == ["policy0", "policy1"])
    }

    @Test func forbidOverridesPermit() throws {
        let response = try authorize(
            """
            permit(principal, action, resource);
            forbid(principal, action, resource) when { principal.level == 3 };
            permit(principal, action, resource);
            """)
        #expect(response.decision == .deny)
        #expect(response.reasons == ["policy1"])
        #expect(response.errors.isEmpty)
    }

    @Test func erroringForbidIsSkippedAndReported() throws {
        let response = try authorize(
            """
            permit(principal, action, resource);
            forbid(principal, action, resource) when { principal.missing };
            forbid(principal, action, resource) when { 1 + true };
            """)
        #expect(response.decision == .allow)
        #expect(response.reasons == ["policy0"])
        #expect(response.erroringPolicyIDs == ["policy1", "policy2"])
        #expect(
            response.errors[0].description
                == #"error while evaluating policy `policy1`: `User::"alice"` does not have the attribute `missing`"#)
        #expect(response.errors[1].message == "type error: expected long, got bool")
    }

    @Test func errorsAreReportedEvenWhenTheDecisionIsDeny() throws {
        let response = try authorize(
            """
            forbid(principal, action, resource);
            permit(principal, action, resource) when { principal.nope };
            """)
        #expect(response.decision == .deny)
        #expect(response.reasons == ["policy0"])
        #expect(response.erroringPolicyIDs == ["policy1"])
    }

    @Test func linkedTemplatesReportTheLinkID() throws {
        var set = try PolicySet.parse("permit(principal == ?principal, action, resource);")
        try set.link(templateID: "policy0", newID: "link1", values: [.principal: Self.uid("User", "alice")])
        try set.link(templateID: "policy0", newID: "link2", values: [.principal: Self.uid("User", "bob")])
        let response = Authorizer.isAuthorized(request: Self.request, policies: set, entities: Self.entities)
        #expect(response.decision == .allow)
        #expect(response.reasons == ["link1"])
    }

    // MARK: - Schema

    static let schema = try! Schema(
        cedarSchema: """
            entity Team;
            entity User in [Team] { level: Long };
            entity Doc;
            entity Color enum ["red", "green"];
            action readers;
            action read in [readers] appliesTo {
                principal: [User], resource: [Doc, Color],
                context: { ip?: ipaddr, n: Long }
            };
            """)

    @Test func schemaSuppliesActionGroups() throws {
        let policies = try PolicySet.parse(#"permit(principal, action in Action::"readers", resource);"#)
        let request = Request(
            principal: Self.uid("User", "alice"), action: Self.uid("Action", "read"), resource: Self.uid("Doc", "d"),
            context: CedarRecord([("n", .long(1))]))
        let without = Authorizer.isAuthorized(request: request, policies: policies, entities: Self.entities)
        #expect(without.decision == .deny)
        let with = Authorizer.isAuthorized(
            request: request, policies: policies, entities: Self.entities, schema: Self.schema)
        #expect(with.decision == .allow)
        #expect(with.reasons == ["policy0"])
    }

    @Test func requestValidation() throws {
        let policies = try PolicySet.parse("permit(principal, action, resource);")
        func check(_ principal: EntityUID, _ action: EntityUID, _ resource: EntityUID, _ context: CedarRecord)
            -> Response
        {
            Authorizer.isAuthorized(
                request: Request(principal: principal, action: action, resource: resource, context: context),
                policies: policies, entities: Self.entities, schema: Self.schema)
        }
        let alice = Self.uid("User", "alice"), read = Self.uid("Action", "read"), doc = Self.uid("Doc", "d")
        let good = CedarRecord([("n", .long(1))])
        #expect(check(alice, read, doc, good).decision == .allow)
        #expect(check(alice, read, Self.uid("Color", "red"), good).decision == .allow)
        let rejected = [
            check(alice, Self.uid("Action", "write"), doc, good),  // undeclared action
            check(Self.uid("Doc", "x"), read, doc, good),  // principal type not in appliesTo
            check(alice, read, Self.uid("User", "bob"), good),  // resource type not in appliesTo
            check(Self.uid("Nope", "x"), read, doc, good),  // undeclared type
            check(alice, read, Self.uid("Color", "blue"), good),  // not an enum choice
            check(alice, read, doc, CedarRecord()),  // missing required context attribute
            check(alice, read, doc, CedarRecord([("n", .string("1"))])),  // wrong type
            check(alice, read, doc, CedarRecord([("n", .long(1)), ("extra", .bool(true))])),  // undeclared attribute
            check(alice, read, doc, CedarRecord([("n", .long(1)), ("ip", .string("1.2.3.4"))])),  // not an ipaddr
            check(alice, Self.uid("Action", "readers"), doc, good),  // applies to nothing
        ]
        for response in rejected {
            #expect(response.decision == .deny)
            #expect(response.requestError != nil)
            #expect(response.reasons.isEmpty && response.errors.isEmpty)
        }
        let withIP = CedarRecord([("n", .long(1)), ("ip", .ipaddr(try CedarIPAddr(parsing: "1.2.3.4")))])
        #expect(check(alice, read, doc, withIP).requestError == nil)
    }

    @Test func jsonEntryPointUsesSchemaHints() throws {
        let entities = """
            [{"uid": {"type": "User", "id": "alice"}, "attrs": {"level": 3}, "parents": [{"type": "Team", "id": "t"}]}]
            """
        let policies = """
            permit(principal in Team::"t", action in Action::"readers", resource)
            when { context.ip.isInRange(ip("10.0.0.0/8")) && context.n == 2 };
            """
        let response = Authorizer.isAuthorized(
            principal: Self.uid("User", "alice"), action: Self.uid("Action", "read"), resource: Self.uid("Doc", "d"),
            contextJSON: #"{"ip": "10.1.2.3", "n": 2}"#, policies: policies, entitiesJSON: entities,
            schema: Self.schema)
        #expect(response.requestError == nil)
        #expect(response.decision == .allow)

        let badPolicy = Authorizer.isAuthorized(
            principal: Self.uid("User", "alice"), action: Self.uid("Action", "read"), resource: Self.uid("Doc", "d"),
            contextJSON: #"{"n": 2}"#, policies: "permit(", entitiesJSON: entities, schema: Self.schema)
        #expect(badPolicy.decision == .deny && badPolicy.requestError != nil)

        let nonConforming = Authorizer.isAuthorized(
            principal: Self.uid("User", "alice"), action: Self.uid("Action", "read"), resource: Self.uid("Doc", "d"),
            contextJSON: #"{"n": 2}"#, policies: "permit(principal, action, resource);",
            entitiesJSON: #"[{"uid": {"type": "User", "id": "alice"}, "attrs": {"level": "x"}, "parents": []}]"#,
            schema: Self.schema)
        #expect(nonConforming.decision == .deny && nonConforming.requestError != nil)

        let noSchema = Authorizer.isAuthorized(
            principal: Self.uid("User", "alice"), action: Self.uid("Action", "read"), resource: Self.uid("Doc", "d"),
            policies: #"permit(principal in Team::"t", action, resource);"#, entitiesJSON: entities)
        #expect(noSchema.decision == .allow)
    }
}
