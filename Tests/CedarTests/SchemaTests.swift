import Cedar
import Foundation
import Testing

/// Accept/reject expectations in this file were settled with cedarpy 4.12.2 (`Schema.from_str` /
/// `Schema.from_json_str`); positions are ours (cedarpy's messages carry none for the Cedar syntax).
@Suite("Cedar schemas: .cedarschema and JSON parsing, name resolution, errors")
struct SchemaTests {
    static let sampleData = CedarTestData.sampleData

    private func parseError(_ text: String) -> SchemaError? {
        do {
            _ = try Schema(cedarSchema: text)
            return nil
        } catch {
            return error
        }
    }

    private func jsonError(_ text: String) -> SchemaError? {
        do {
            _ = try Schema(jsonText: text)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Sample data

    @Test(.enabled(if: CedarTestData.available, "needs shared/cedar")) func allSampleDataSchemasParse() throws {
        let files = try FileManager.default.subpathsOfDirectory(atPath: Self.sampleData.path)
            .filter { $0.hasSuffix(".cedarschema") }
        #expect(files.count >= 3)
        for file in files {
            let text = try String(contentsOf: Self.sampleData.appendingPathComponent(file), encoding: .utf8)
            #expect(throws: Never.self, "\(file)") { try Schema(cedarSchema: text) }
        }
    }

    @Test(.enabled(if: CedarTestData.available, "needs shared/cedar")) func sandboxBModel() throws {
        let text = try String(
            contentsOf: Self.sampleData.appendingPathComponent("sandbox_b/schema.cedarschema"), encoding: .utf8)
        let schema = try Schema(cedarSchema: text)
        #expect(schema.entityTypes.count == 7)
        #expect(schema.actions.count == 7)
        let account = try #require(schema.entityType(named: Name("Account")))
        #expect(account.memberOfTypes == [Name("AccountGroup")])
        #expect(account.shape["admins"]?.type == .set(of: .entity(Name("User"))))
        #expect(account.shape["private"]?.type == .bool)
        let addPhoto = try #require(schema.action(EntityUID(type: Name("Action"), id: "addPhoto")))
        #expect(addPhoto.principalTypes == [Name("User")] && addPhoto.resourceTypes == [Name("Album")])
        let photo = try #require(addPhoto.context["photo"]?.type.recordType)
        #expect(photo["filesize_mb"]?.type == .long && photo["filetype"]?.type == .string)
        #expect(schema.canBeMemberOf(Name("Photo"), Name("AccountGroup")))
        #expect(!schema.canBeMemberOf(Name("AccountGroup"), Name("Photo")))
        #expect(schema.descendantTypes(of: Name("Account")) == [Name("Album"), Name("Photo")])
        #expect(schema.applicableEnvironments.count == 7)
        let exts = try String(
            contentsOf: Self.sampleData.appendingPathComponent("sandbox_b/schema_exts.cedarschema"), encoding: .utf8)
        let view = try #require(try Schema(cedarSchema: exts).action(EntityUID(type: Name("Action"), id: "view")))
        #expect(view.context["source_ip"]?.type == .extension(.ipaddr))
        #expect(view.context["confidence_score"]?.type == .extension(.decimal))
    }

    /// A JSON rendering of sandbox_b/schema.cedarschema, written for this test (sample-data has no `.cedarschema.json`
    /// files), using common types and every reference form; cedarpy 4.12.2 accepts it. It must resolve to the same
    /// model as the Cedar-syntax file.
    @Test(.enabled(if: CedarTestData.available, "needs shared/cedar")) func jsonAndCedarFormsOfSandboxBAgree() throws {
        let cedar = try String(
            contentsOf: Self.sampleData.appendingPathComponent("sandbox_b/schema.cedarschema"), encoding: .utf8)
        let ctx = #"{"type": "Record", "attributes": {"authenticated": {"type": "Boolean"}}}"#
        func act(_ resource: String, _ context: String = ctx) -> String {
            #"{"appliesTo": {"principalTypes": ["User"], "resourceTypes": ["\#(resource)"], "context": \#(context)}}"#
        }
        let json = """
            {"": {
              "entityTypes": {
                "Account": {"memberOfTypes": ["AccountGroup"], "shape": {"type": "Record", "attributes": {
                  "admins": {"type": "Set", "element": {"type": "Entity", "name": "User"}},
                  "owner": {"type": "Entity", "name": "User"},
                  "private": {"type": "Boolean"}}}},
                "AccountGroup": {"shape": {"type": "Record", "attributes": {"owner": {"type": "EntityOrCommon", "name": "User"}}}},
                "Administrator": {}, "UserGroup": {"memberOfTypes": []},
                "Album": {"memberOfTypes": ["Account", "Album"], "shape": {"type": "AlbumShape"}},
                "Photo": {"memberOfTypes": ["Album", "Account"], "shape": {"type": "AlbumShape"}},
                "User": {"memberOfTypes": ["UserGroup"], "shape": {"type": "Record", "attributes": {
                  "department": {"type": "String"}, "jobLevel": {"type": "Long", "required": true}}}}
              },
              "commonTypes": {"AlbumShape": {"type": "Record", "attributes": {
                  "account": {"type": "Entity", "name": "Account"},
                  "admins": {"type": "Set", "element": {"type": "User"}},
                  "private": {"type": "Bool"}}},
                "User": {"type": "Entity", "name": "User"}},
              "actions": {
                "addPhoto": \(act("Album", #"{"type": "Record", "attributes": {"authenticated": {"type": "Boolean"}, "photo": {"type": "Record", "attributes": {"filesize_mb": {"type": "Long"}, "filetype": {"type": "String"}}}}}"#)),
                "comment": \(act("Photo")), "delete": \(act("Photo")), "edit": \(act("Photo")), "view": \(act("Photo")),
                "listAlbums": \(act("Account")), "listPhotos": \(act("Album"))
              }
            }}
            """
        let fromCedar = try Schema(cedarSchema: cedar)
        var fromJSON = try Schema(jsonText: json)
        // The JSON form declares two common types; apart from those the models must be identical.
        #expect(fromJSON.commonTypes.count == 2)
        fromJSON = try Schema(
            entityTypes: Array(fromJSON.entityTypes.values), actions: Array(fromJSON.actions.values))
        #expect(fromJSON == fromCedar)
    }

    // MARK: - Syntax

    @Test func fullSyntax() throws {
        let text = """
            // leading comment
            @doc("the app")
            namespace App::Core {
              @doc("a user") entity User in [Group] = {
                "display name": String,
                @doc("opt") age?: Long,
                tags: Set<String>,
              } tags Set<Long>;
              entity Group, Team in Group;
              entity Color enum ["red", "gr\\u{e9}en"];
              type Address = { street: String, zip?: __cedar::String };
              entity Place { address: Address, ip: ipaddr, at: datetime, d: duration, amount: decimal };
              action read, "write data" in [Action::"all"] appliesTo {
                principal: [User, Group], resource: Place, context: Address,
              };
              action all;
              action admin in all appliesTo { principal: User, resource: [Place] };
            }
            entity Global;
            action "top" in App::Core::Action::"all";
            """
        let schema = try Schema(cedarSchema: text)
        let ns = ["App", "Core"]
        let user = try #require(schema.entityType(named: Name("User", namespace: ns)))
        #expect(user.annotations == ["doc": "a user"])
        #expect(user.shape["display name"]?.type == .string)
        #expect(user.shape["age"]?.isRequired == false && user.shape["age"]?.annotations == ["doc": "opt"])
        #expect(user.tags == .set(of: .long))
        #expect(schema.entityType(named: Name("Team", namespace: ns))?.memberOfTypes == [Name("Group", namespace: ns)])
        #expect(schema.entityType(named: Name("Color", namespace: ns))?.enumChoices == ["red", CedarString("gr\u{e9}en")])
        let place = try #require(schema.entityType(named: Name("Place", namespace: ns)))
        #expect(place.shape["address"]?.type.recordType?["zip"]?.isRequired == false)
        #expect(place.shape["ip"]?.type == .extension(.ipaddr) && place.shape["d"]?.type == .extension(.duration))
        let actionType = Name("Action", namespace: ns)
        let write = try #require(schema.action(EntityUID(type: actionType, id: "write data")))
        #expect(write.memberOf == [EntityUID(type: actionType, id: "all")])
        #expect(write.principalTypes == [Name("Group", namespace: ns), Name("User", namespace: ns)])
        #expect(write.context["street"]?.type == .string)
        let all = try #require(schema.action(EntityUID(type: actionType, id: "all")))
        #expect(!all.appliesToAnything)
        #expect(schema.namespaceAnnotations["App::Core"] == ["doc": "the app"])
        let top = EntityUID(type: Name("Action"), id: "top")
        #expect(schema.action(top)?.memberOf == [EntityUID(type: actionType, id: "all")])
        #expect(schema.actionAncestors(EntityUID(type: actionType, id: "admin")) == [EntityUID(type: actionType, id: "all")])
        #expect(schema.actionDescendants(EntityUID(type: actionType, id: "all")).count == 4)
        #expect(schema.actionEntities.count == 5)
        #expect(schema.isDeclared(Name("Global")) && schema.isDeclared(actionType) && !schema.isDeclared(Name("Nope")))
        // 2 principal types x 1 resource x 2 actions (read, write data) + admin's 1 x 1.
        #expect(schema.applicableEnvironments.count == 5)
        #expect(schema.commonTypes[Name("Address", namespace: ns)] != nil)
    }

    @Test func emptyAndCommentOnlySchemas() throws {
        #expect(try Schema(cedarSchema: "").entityTypes.isEmpty)
        #expect(try Schema(cedarSchema: "// nothing\n").actions.isEmpty)
        #expect(try Schema(cedarSchema: "namespace A {}").entityTypes.isEmpty)
    }

    @Test func scalarExactAttributeNames() throws {
        let schema = try Schema(cedarSchema: #"entity E { "\u{e9}": Long, "e\u{301}": String };"#)
        let shape = try #require(schema.entityType(named: Name("E"))).shape
        #expect(shape.attributes.count == 2)
        #expect(shape[CedarString("\u{e9}")]?.type == .long && shape[CedarString("e\u{301}")]?.type == .string)
        let json = try Schema(
            jsonText: #"{"": {"entityTypes": {"E": {"shape": {"type": "Record", "attributes": {"\u00e9": {"type": "Long"}, "e\u0301": {"type": "String"}}}}}, "actions": {}}}"#)
        #expect(json == schema)
    }

    // MARK: - Name resolution (cedarpy 4.12.2 agrees on every case)

    @Test func nameResolution() throws {
        // A common type beats the extension type of the same name.
        var schema = try Schema(cedarSchema: "type ipaddr = Long; entity U { x: ipaddr };")
        #expect(schema.entityType(named: Name("U"))?.shape["x"]?.type == .long)
        // A user entity named `Long` in the empty namespace shadows the primitive.
        schema = try Schema(cedarSchema: "entity Long; entity U { x: Long, y: __cedar::Long };")
        #expect(schema.entityType(named: Name("U"))?.shape["x"]?.type == .entity(Name("Long")))
        #expect(schema.entityType(named: Name("U"))?.shape["y"]?.type == .long)
        // Inside a namespace, the namespace's own declaration wins.
        schema = try Schema(cedarSchema: "namespace N { entity Long; entity U { x: Long }; }")
        #expect(schema.entityType(named: Name("U", namespace: ["N"]))?.shape["x"]?.type == .entity(Name("Long", namespace: ["N"])))
        // Unqualified names fall back to the empty namespace.
        schema = try Schema(cedarSchema: "entity X; type T = { a: X }; namespace A { entity F in X { t: T }; }")
        let f = try #require(schema.entityType(named: Name("F", namespace: ["A"])))
        #expect(f.memberOfTypes == [Name("X")])
        #expect(f.shape["t"]?.type == .record(SchemaRecordType(attributes: ["a": SchemaAttribute(type: .entity(Name("X")))])))
        // Qualified references are taken literally.
        schema = try Schema(cedarSchema: "namespace A { entity F { x: A::G }; type G = Long; }")
        #expect(schema.entityType(named: Name("F", namespace: ["A"]))?.shape["x"]?.type == .long)
        #expect(parseError("namespace A::B { entity F { x: B::G }; type G = Long; }") != nil)
        // A namespace's actions make `NS::Action` usable as an attribute type, but not as a principal type.
        schema = try Schema(cedarSchema: "namespace N { action a; entity E { x: Action }; }")
        #expect(schema.entityType(named: Name("E", namespace: ["N"]))?.shape["x"]?.type == .entity(Name("Action", namespace: ["N"])))
        #expect(parseError("entity E; action a appliesTo { principal: Action, resource: E };") != nil)
        // Action parents: unqualified names try the namespace, then the empty namespace.
        schema = try Schema(cedarSchema: "namespace N { action d in c; } action c;")
        #expect(schema.action(EntityUID(type: Name("Action", namespace: ["N"]), id: "d"))?.memberOf == [EntityUID(type: Name("Action"), id: "c")])
        // Rejected: shadowing an empty-namespace declaration, unknown names, `Boolean` in the Cedar syntax.
        #expect(parseError("type id = String; namespace Demo { type id = Long; }") != nil)
        #expect(parseError("entity id; namespace Demo { entity id; }") != nil)
        #expect(parseError("namespace N { action d; } action d; namespace M { action x in N::Action::\"d\"; }") != nil)
        #expect(parseError("entity U { x: Boolean };")?.message == "failed to resolve type: Boolean")
        #expect(parseError("namespace N { entity U in [Long]; }") != nil)
        #expect(parseError("namespace A { entity E; } namespace B { entity F in E; }") != nil)
    }

    @Test func commonTypeCyclesAreRejected() {
        #expect(parseError("type A = B; type B = A;")?.message.contains("cycle") == true)
        #expect(parseError("type A = Set<A>;")?.message.contains("cycle") == true)
        #expect(parseError("type A = { a: B }; type B = Set<A>;")?.message.contains("cycle") == true)
        #expect(jsonError(#"{"": {"entityTypes": {}, "actions": {}, "commonTypes": {"A": {"type": "B"}, "B": {"type": "A"}}}}"#)?.message.contains("cycle") == true)
        // Entity types may refer to each other (that is not a common-type cycle).
        #expect(parseError("entity A { b: B }; entity B { a: A };") == nil)
        #expect(parseError("type A = B; type B = Long; entity E { x: A };") == nil)
    }

    @Test func actionHierarchyErrors() {
        #expect(parseError("action a in b;")?.message == #"undeclared action: Action::"b""#)
        #expect(parseError("action a in b; action b in a;")?.message.contains("cycle") == true)
        #expect(parseError("action a in a;")?.message.contains("cycle") == true)
    }

    // MARK: - Errors with positions

    @Test func syntaxErrorsCarryPositions() throws {
        // cedarpy: "unexpected token `context`".
        var error = try #require(parseError("entity A;\naction a appliesTo { principal: A, resource: A context: {} };"))
        #expect(error.message == "unexpected token `context`")
        #expect(error.position?.line == 2 && error.position?.column == 48)
        // cedarpy: "unexpected end of input" (the comment swallows the `;`).
        error = try #require(parseError("entity E {x: Long } // comment;"))
        #expect(error.message == "unexpected end of input")
        #expect(error.position?.line == 1 && error.position?.column == 32)
        // cedarpy: "`in` is a reserved identifier".
        error = try #require(parseError("entity U {\n  in: Long };"))
        #expect(error.message == "`in` is a reserved identifier" && error.description.hasPrefix("2:3:"))
        // cedarpy: "Invalid escape codes".
        error = try #require(parseError(#"entity E { "\q": Long };"#))
        #expect(error.position?.column == 12)
        // cedarpy: "invalid token".
        error = try #require(parseError("entity \u{c9};"))
        #expect(error.position?.column == 8)
        // cedarpy: "duplicate annotations: `doc`".
        error = try #require(parseError("@doc(\"x\")\n@doc(\"y\") entity A;"))
        #expect(error.message == "duplicate annotations: `doc`" && error.position?.line == 2)
        // cedarpy: "`A` is declared twice".
        error = try #require(parseError("entity A, B,\n   A;"))
        #expect(error.message == "`A` is declared twice" && error.position?.line == 2 && error.position?.column == 4)
        // cedarpy: "failed to resolve type: Nope".
        error = try #require(parseError("entity A {\n  x: Set<Nope> };"))
        #expect(error.message == "failed to resolve type: Nope" && error.position?.line == 2 && error.position?.column == 10)
        // cedarpy: "missing `resource` declaration for `a`", "`principal` is `[]`", "duplicate `principal`".
        #expect(parseError("entity A; action a appliesTo { principal: A };")?.message.contains("missing `resource`") == true)
        #expect(parseError("entity A; action a appliesTo { principal: [], resource: A };") != nil)
        #expect(parseError("entity A; action a appliesTo { principal: A, resource: A, principal: A };") != nil)
        #expect(parseError("entity A; action a appliesTo { principal: A, resource: A, context: C }; type C = Long;") != nil)
    }

    @Test func acceptRejectAgreesWithCedarpy() {
        let accepted = [
            "entity A { x: Long, x: String };",  // the last declaration of a repeated attribute wins
            "entity A enum [\"a\", \"a\"];",
            "entity E in [E, E];",
            "entity A = {} tags Long;",
            "@in(\"x\") @if(\"y\") @namespace(\"z\") entity E;",
            "entity namespace, entity, type, Set, appliesTo, principal, action, resource, context, tags, Long, enum;",
            "entity E { namespace: Long, Set: Long, Bool: Long, \"if\": Long, __cedar: Long };",
            "namespace A :: B { entity C; }",
            "entity E { x ?: Set <Set<E >> };",
            "action a attributes {};",
            "entity Entity; entity Record; entity Set; entity ipaddr;",
            "type datetime = Long; entity U { x: datetime };",
            "entity A; action a appliesTo { principal: A, resource: A, context: C }; type C = D; type D = {y: Long};",
        ]
        for text in accepted { #expect(parseError(text) == nil, "\(text)") }
        let rejected = [
            "type Long = String;", "type Boolean = Long;", "type Set = Long;", "entity Action;", "entity __cedar;",
            "namespace __cedar { entity U; }", "namespace A::B { entity U; } namespace A::B { entity V; }",
            "entity A enum [];", "entity A in B enum [\"a\"]; entity B;", "entity A enum [\"a\"] tags String;",
            "entity A {,};", "entity E in [A,]; entity A;", "entity A::B;", "action A::\"b\";", "action if;",
            "namespace A { namespace B {} }", "entity E { x: Long };;", "entity E/* c */;",
            "entity E { \"\\u{D800}\": Long };", "entity E { \"\\x80\": Long };", "type T = { a: Long }; entity E = T;",
            "entity U { x: __cedar::Boolean };", "entity E { x: Set };", "entity E in principal;",
        ]
        for text in rejected { #expect(parseError(text) != nil, "\(text)") }
    }

    // MARK: - JSON

    @Test func jsonSchemaForms() throws {
        let schema = try Schema(
            jsonText: """
                {"N": {
                  "annotations": {"doc": "ns"},
                  "entityTypes": {
                    "E": {"memberOfTypes": ["G"], "shape": {"type": "Record", "attributes": {
                      "a": {"type": "Long", "required": false, "annotations": {"doc": "x"}},
                      "b": {"type": "Extension", "name": "decimal"},
                      "c": {"type": "EntityOrCommon", "name": "T"},
                      "d": {"type": "Set", "element": {"type": "ipaddr"}},
                      "e": {"type": "Record", "attributes": {}, "additionalAttributes": false}}},
                      "tags": {"type": "String"}},
                    "G": {"enum": ["x", "y"]}
                  },
                  "commonTypes": {"T": {"type": "Boolean"}},
                  "actions": {
                    "g": {},
                    "a": {"memberOf": [{"id": "g"}, {"id": "g", "type": "N::Action"}],
                          "appliesTo": {"principalTypes": ["E"], "resourceTypes": ["G"], "context": {"type": "T2"}}}
                  }
                }, "": {"entityTypes": {}, "actions": {}, "commonTypes": {"T2": {"type": "Record", "attributes": {"k": {"type": "Long"}}}}}}
                """)
        let e = try #require(schema.entityType(named: Name("E", namespace: ["N"])))
        #expect(e.shape["a"]?.isRequired == false && e.shape["b"]?.type == .extension(.decimal))
        #expect(e.shape["c"]?.type == .bool && e.shape["d"]?.type == .set(of: .extension(.ipaddr)))
        #expect(e.tags == .string)
        #expect(schema.entityType(named: Name("G", namespace: ["N"]))?.enumChoices == ["x", "y"])
        let a = try #require(schema.action(EntityUID(type: Name("Action", namespace: ["N"]), id: "a")))
        #expect(a.memberOf.count == 1 && a.context["k"]?.type == .long)
        #expect(schema.namespaceAnnotations["N"] == ["doc": "ns"])
    }

    @Test func jsonErrors() throws {
        // Each rejected by cedarpy 4.12.2 as well.
        let bad = [
            #"{"": {"entityTypes": {}}}"#,
            #"{"": {"entityTypes": {}, "actions": {}, "foo": 1}}"#,
            #"{"": {"entityTypes": {"E": {}, "E": {}}, "actions": {}}}"#,
            #"{"": {"entityTypes": {"E": {"shape": {"type": "Long"}}}, "actions": {}}}"#,
            #"{"": {"entityTypes": {"E": {"shape": {"type": "Record", "attributes": {}, "additionalAttributes": true}}}, "actions": {}}}"#,
            #"{"": {"entityTypes": {"E": {"shape": {"type": "Record", "attributes": {"a": {"type": "Entity", "name": "T"}}}}}, "actions": {}, "commonTypes": {"T": {"type": "Long"}}}}"#,
            #"{"": {"entityTypes": {"E": {"enum": []}}, "actions": {}}}"#,
            #"{"": {"entityTypes": {"E": {"enum": ["a"], "memberOfTypes": []}}, "actions": {}}}"#,
            #"{"": {"entityTypes": {"E": {}}, "actions": {"a": {"appliesTo": {"principalTypes": ["E"]}}}}}"#,
            #"{"": {"entityTypes": {"E": {}}, "actions": {"a": {"attributes": {}}}}}"#,
            #"{"N:: M": {"entityTypes": {}, "actions": {}}}"#,
            #"{"": {"entityTypes": {}, "actions": {}, "annotations": {"a": "x"}}}"#,
            #"{"": {"entityTypes": {"E": {"shape": null}}, "actions": {}}}"#,
            #"{"": {"entityTypes": {"E": {"shape": {"type": "Record", "attributes": {"x": {"type": "Long", "element": {"type": "Long"}}}}}}, "actions": {}}}"#,
            "[]",
        ]
        for text in bad { #expect(jsonError(text) != nil, "\(text)") }
        let error = try #require(jsonError("{\"\": {\"entityTypes\": {\"E\": {},\n  \"E\": {}}, \"actions\": {}}}"))
        #expect(error.position?.line == 2 && error.position?.column == 3)
    }
}
