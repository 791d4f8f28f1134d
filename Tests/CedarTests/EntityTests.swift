import Cedar
import Foundation
import Testing

/// Entity JSON loading and the ancestor closure. Accept/reject expectations were checked with cedarpy 4.12.2
/// (`Entities.from_json_str` and `is_authorized` with the same entity lists).
@Suite("Entities load from Cedar's JSON format and answer `in` transitively")
struct EntityTests {
    private func uid(_ type: String, _ id: String) -> EntityUID { EntityUID(type: Name(type), id: CedarString(id)) }

    private func one(_ attrs: String) -> String { #"[{"uid":{"type":"U","id":"a"},"attrs":"# + attrs + #","parents":[]}]"# }

    private func attribute(_ attrs: String) throws -> Value? {
        try Entities.fromJSON(one(attrs))[uid("U", "a")]?.attributes["x"]
    }

    private func loadError(_ json: String) -> EntitiesError? {
        do {
            _ = try Entities.fromJSON(json)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: ["sandbox_a", "sandbox_b"])
    func sampleDataLoads(sandbox: String) throws {
        let path = CedarTestData.sampleData.appendingPathComponent("\(sandbox)/entities.json").path
        guard FileManager.default.fileExists(atPath: path) else { return }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let entities = try Entities.fromJSON(bytes: bytes)
        #expect(entities.count > 5)
        if sandbox == "sandbox_a" {
            #expect(entities.isDescendant(uid("User", "alice"), of: uid("UserGroup", "jane_friends")))
            #expect(!entities.isDescendant(uid("User", "bob"), of: uid("UserGroup", "jane_friends")))
        }
    }

    @Test func closureIsTransitiveAndReflexive() throws {
        let json = """
            [{"uid":{"type":"U","id":"a"},"attrs":{},"parents":[{"type":"G","id":"g1"}]},
             {"uid":{"__entity":{"type":"G","id":"g1"}},"attrs":{},"parents":[{"__entity":{"type":"G","id":"g2"}}]},
             {"uid":{"type":"G","id":"g2"},"attrs":{},"parents":[{"type":"G","id":"absent"}]}]
            """
        let entities = try Entities.fromJSON(json)
        #expect(entities.isDescendant(uid("U", "a"), of: uid("G", "g2")))
        #expect(entities.isDescendant(uid("U", "a"), of: uid("G", "absent")))  // parents may be absent
        #expect(entities.isDescendant(uid("U", "a"), of: uid("U", "a")))
        #expect(!entities.isDescendant(uid("G", "g2"), of: uid("U", "a")))
        // An entity not in the store is `in` only itself (cedarpy: `U::"zzz" in G::"top"` is false, no error).
        #expect(!entities.isDescendant(uid("U", "zzz"), of: uid("G", "g1")))
        #expect(entities.isDescendant(uid("U", "zzz"), of: uid("U", "zzz")))
        #expect(entities.isDescendant(uid("U", "a"), ofAny: [uid("X", "y"), uid("G", "g1")]))
        #expect(entities.ancestors(of: uid("U", "a")) == [uid("G", "g1"), uid("G", "g2"), uid("G", "absent")])
    }

    @Test func longChainsDoNotOverflowTheStack() throws {
        // The closure itself is quadratic in a chain's length, so keep the chain modest; the walk is iterative.
        var list: [Entity] = []
        for index in 0..<1_000 {
            let parents: Set<EntityUID> = index + 1 < 1_000 ? [uid("N", String(index + 1))] : []
            list.append(Entity(uid: uid("N", String(index)), parents: parents))
        }
        let entities = try Entities(list.reversed())
        #expect(entities.isDescendant(uid("N", "0"), of: uid("N", "999")))
        #expect(!entities.isDescendant(uid("N", "999"), of: uid("N", "0")))
    }

    @Test func duplicatesAndCycles() {
        // Identical duplicates are accepted, even with sets written in another order (cedarpy).
        let same = #"[{"uid":{"type":"U","id":"a"},"attrs":{"x":[1,2]},"parents":[]},{"uid":{"type":"U","id":"a"},"attrs":{"x":[2,1]},"parents":[]}]"#
        #expect(loadError(same) == nil)
        let different = #"[{"uid":{"type":"U","id":"a"},"attrs":{"x":1},"parents":[]},{"uid":{"type":"U","id":"a"},"attrs":{"x":2},"parents":[]}]"#
        #expect(loadError(different)?.description == #"duplicate entity entry `U::"a"`"#)
        // Cycles, including an entity that is its own parent, are rejected (cedarpy: "input graph has a cycle").
        let cycle = #"[{"uid":{"type":"U","id":"a"},"attrs":{},"parents":[{"type":"U","id":"b"}]},{"uid":{"type":"U","id":"b"},"attrs":{},"parents":[{"type":"U","id":"a"}]}]"#
        #expect(loadError(cycle)?.kind == .cycle)
        let selfParent = #"[{"uid":{"type":"U","id":"a"},"attrs":{},"parents":[{"type":"U","id":"a"}]}]"#
        #expect(loadError(selfParent)?.description
            == #"transitive closure computation/enforcement error: input graph has a cycle containing vertex `U::"a"`"#)
    }

    @Test func valuesAndEscapes() throws {
        #expect(try attribute(#"{"x":[2,1,1]}"#) == .set([1, 2]))
        #expect(try attribute(#"{"x":-9223372036854775808}"#) == .long(.min))
        #expect(try attribute(#"{"x":{"a":true,"b":"s"}}"#) == .record([("a", true), ("b", "s")]))
        #expect(try attribute(#"{"x":{"__entity":{"type":"A::U","id":"b"}}}"#) == .entity(uid("U", "b").with(ns: "A")))
        // Extra keys inside the reference are ignored; next to `__entity` they make a plain record (cedarpy).
        #expect(try attribute(#"{"x":{"__entity":{"type":"U","id":"b","z":1}}}"#) == .entity(uid("U", "b")))
        #expect(try attribute(#"{"x":{"__entity":{"type":"U","id":"b"},"y":1}}"#)?.asRecord?.count == 2)
        #expect(try attribute(#"{"x":{"__entity":{"type":"U"}}}"#)?.asRecord != nil)
        // Without a schema `{"type","id"}` is a record (cedarpy: `principal.x.type == "U"` is true).
        #expect(try attribute(#"{"x":{"type":"U","id":"b"}}"#)?.asRecord?["type"] == "U")
        #expect(try attribute(#"{"x":{"__extn":{"fn":"ip","arg":"1.2.3.4"}}}"#) == .ipaddr(CedarIPAddr(parsing: "1.2.3.4")))
        #expect(try attribute(#"{"x":{"__extn":{"fn":"ip","args":["1.2.3.4"]}}}"#) == .ipaddr(CedarIPAddr(parsing: "1.2.3.4")))
        #expect(try attribute(#"{"x":{"__extn":{"fn":"decimal","arg":"1.5"}}}"#) == .decimal(CedarDecimal(parsing: "1.5")))
        #expect(try attribute(#"{"x":{"__extn":{"fn":"ip","arg":"1.2.3.4","z":1}}}"#) == .ipaddr(CedarIPAddr(parsing: "1.2.3.4")))
        #expect(try attribute(#"{"x":{"__extn":{"fn":"ip"}}}"#)?.asRecord != nil)
        #expect(try attribute(#"{"x":{"__extn":{"fn":"ip","arg":"1.2.3.4"},"y":1}}"#)?.asRecord != nil)
        // Any extension function may appear, as in Cedar's own canonical output for datetimes (`offset`).
        let offset = #"{"x":{"__extn":{"fn":"offset","args":[{"__extn":{"fn":"datetime","arg":"1970-01-01"}},{"__extn":{"fn":"duration","arg":"5ms"}}]}}}"#
        #expect(try attribute(offset) == .datetime(CedarDatetime(millisecondsSinceEpoch: 5)))
        let lessThan = #"{"x":{"__extn":{"fn":"lessThan","args":[{"__extn":{"fn":"decimal","arg":"1.0"}},{"__extn":{"fn":"decimal","arg":"2.0"}}]}}}"#
        #expect(try attribute(lessThan) == true)
        // NFC and NFD keys and strings stay distinct.
        let accents = try #require(try Entities.fromJSON(one(#"{"\u00e9":1,"e\u0301":2}"#))[uid("U", "a")])
        #expect(accents.attributes.count == 2)
        #expect(try attribute(#"{"x":"\ud83d\ude00"}"#) == .string(CedarString("\u{1F600}")))
        let tagged = try Entities.fromJSON(#"[{"uid":{"type":"U","id":"a"},"attrs":{},"parents":[],"tags":{"t":1}}]"#)
        #expect(try tagged[uid("U", "a")]?.tag("t") == 1)
        let ignored = try Entities.fromJSON(#"[{"uid":{"type":"U","id":"a","x":1},"attrs":{},"parents":[],"foo":1}]"#)
        #expect(ignored.count == 1)
    }

    @Test func entityIdsAreScalarExact() throws {
        let json = #"[{"uid":{"type":"U","id":"\u00e9"},"attrs":{},"parents":[]},{"uid":{"type":"U","id":"e\u0301"},"attrs":{},"parents":[]}]"#
        let entities = try Entities.fromJSON(json)
        #expect(entities.count == 2)
        #expect(entities[uid("U", "\u{e9}")] != nil && entities[uid("U", "e\u{301}")] != nil)
    }

    /// Inputs cedarpy rejects, with the kind of error and (for syntax errors) the position.
    static let rejected: [(String, String)] = [
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{"x":1.5},"parents":[]}]"#, "the number `1.5` is not a Cedar long"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{"x":1.0},"parents":[]}]"#, "the number `1.0`"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{"x":1e3},"parents":[]}]"#, "the number `1e3`"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{"x":-0},"parents":[]}]"#, "the number `-0`"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{"x":9223372036854775808},"parents":[]}]"#, "is not a Cedar long"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{"x":-9223372036854775809},"parents":[]}]"#, "is not a Cedar long"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{"x":null},"parents":[]}]"#, #"in attribute `x` on `U::"a"`, found a `null`"#),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{},"parents":[],"tags":{"t":null}}]"#, #"in tag `t` on `U::"a"`, found a `null`"#),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{"x":1,"x":2},"parents":[]}]"#, "duplicate key `x` in the same JSON object at line 1 column 46"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{"x":{"__expr":"1"}},"parents":[]}]"#, "the `__expr` escape is no longer supported"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{"x":{"__extn":{"fn":"foo","arg":"1"}}},"parents":[]}]"#, "extension function `foo` does not exist"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{"x":{"__extn":{"fn":"ip","arg":"1.2.3"}}},"parents":[]}]"#, "invalid IP address: 1.2.3"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{"x":{"__extn":{"fn":"ip","arg":1}}},"parents":[]}]"#, "type error: expected string, got long"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{"x":{"__extn":{"fn":"ip","args":[]}}},"parents":[]}]"#, "expected 1, got 0"),
        (#"[{"uid":{"type":"U","id":"a"},"parents":[]}]"#, "missing field `attrs`"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{}}]"#, "missing field `parents`"),
        (#"[{"attrs":{},"parents":[]}]"#, "missing field `uid`"),
        (#"[{"uid":{"type":"U"},"attrs":{},"parents":[]}]"#, #"in uid field of <unknown entity>, expected a literal entity reference, but got `{"type":"U"}`"#),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{},"parents":[{"type":"U"}]}]"#, #"in parents field of `U::"a"`, expected a literal entity reference"#),
        (#"[{"uid":"U::\"a\"","attrs":{},"parents":[]}]"#, "expected a literal entity reference"),
        (#"[{"uid":{"type":"U","id":1},"attrs":{},"parents":[]}]"#, "expected a literal entity reference"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{},"parents":{}}]"#, "`parents` of `U::\"a\"` must be a JSON array"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":[],"parents":[]}]"#, "must be a JSON object"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{},"parents":[],"tags":null}]"#, "must be a JSON object"),
        (#"[{"uid":{"type":"U x","id":"a"},"attrs":{},"parents":[]}]"#, "invalid entity type name `U x`"),
        (#"[{"uid":{"type":" U","id":"a"},"attrs":{},"parents":[]}]"#, "invalid entity type name"),
        (#"[{"uid":{"type":"U::","id":"a"},"attrs":{},"parents":[]}]"#, "invalid entity type name"),
        (#"[{"uid":{"type":"true","id":"a"},"attrs":{},"parents":[]}]"#, "invalid entity type name"),
        (#"[{"uid":{"type":"A::if::B","id":"a"},"attrs":{},"parents":[]}]"#, "invalid entity type name"),
        (#"[{"uid":{"type":"A::__cedar","id":"a"},"attrs":{},"parents":[]}]"#, "invalid entity type name"),
        (#"[{"uid":{"type":"\u00e9","id":"a"},"attrs":{},"parents":[]}]"#, "invalid entity type name"),
        (#"{"uid":{"type":"U","id":"a"}}"#, "expected a JSON array of entities"),
        (#"[1]"#, "expected an entity object"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{},"parents":[],}]"#, "trailing comma at line 1 column 55"),
        (#"[{"uid": }]"#, "expected a value at line 1 column 10"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{},"parents":[]}] x"#, "trailing characters at line 1 column 57"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{"x":"\ud83d"},"parents":[]}]"#, "surrogate"),
        ("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"x\":\"a\tb\"},\"parents\":[]}]", "control character"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{"x":"\x41"},"parents":[]}]"#, "invalid escape"),
        (#"[{"uid":{"type":"U","id":"a"},"attrs":{"x":01},"parents":[]}]"#, "leading zero"),
        ("\u{FEFF}[]", "expected a value at line 1 column 1"),
        ("[\n  {\"uid\": {\"type\": \"U\", \"id\": \"a\"},\n   \"attrs\": {\"x\": nul}, \"parents\": []}]", "expected a value at line 3 column 19"),
    ]

    @Test(arguments: rejected)
    func rejectedInputs(json: String, expected: String) {
        let error = loadError(json)
        #expect(error != nil, "accepted: \(json)")
        #expect(error?.description.contains(expected) == true, "\(error?.description ?? "nil") lacks \(expected)")
    }

    @Test func acceptedOddities() {
        // cedarpy accepts these: duplicate parents, action parents, heterogeneous and empty sets, namespaced types,
        // `principal` as a type name, whitespace around the document.
        for json in [
            #"[{"uid":{"type":"U","id":"a"},"attrs":{},"parents":[{"type":"G","id":"g"},{"type":"G","id":"g"}]}]"#,
            #"[{"uid":{"type":"Action","id":"a"},"attrs":{},"parents":[{"type":"Action","id":"g"}]}]"#,
            #"[{"uid":{"type":"U","id":"a"},"attrs":{"x":[1,"a"],"y":[]},"parents":[]}]"#,
            #"[{"uid":{"type":"principal","id":"a"},"attrs":{},"parents":[]}]"#,
            #"[{"uid":{"type":"_9","id":"a"},"attrs":{},"parents":[]}]"#,
            " \n\t[ ] \n", "[]",
        ] {
            #expect(loadError(json) == nil, "\(json)")
        }
    }

    @Test func schemaHintsMakeEscapesImplicit() throws {
        struct Hints: EntitySchemaHints {
            func attributeHint(entityType: EntityType, attribute: CedarString) -> ValueTypeHint? {
                switch attribute {
                case "home": .ext(.ipaddr)
                case "score": .ext(.decimal)
                case "boss": .entity
                case "history": .set(.ext(.datetime))
                case "nested": .record(["when": .ext(.duration)])
                default: nil
                }
            }
            func tagHint(entityType: EntityType) -> ValueTypeHint? { .ext(.duration) }
        }
        let json = """
            [{"uid":{"type":"U","id":"a"},"parents":[],"tags":{"t":"1h"},
              "attrs":{"home":"1.2.3.4","score":"0.6","boss":{"type":"U","id":"b"},"history":["2024-01-01"],
                       "nested":{"when":"2m"},"plain":"1.2.3.4"}}]
            """
        let entity = try #require(try Entities.fromJSON(json, schema: Hints())[uid("U", "a")])
        #expect(try entity.attribute("home") == .ipaddr(CedarIPAddr(parsing: "1.2.3.4")))
        #expect(try entity.attribute("score") == .decimal(CedarDecimal(parsing: "0.6")))
        #expect(try entity.attribute("boss") == .entity(uid("U", "b")))
        #expect(try entity.attribute("history") == .set([.datetime(CedarDatetime(parsing: "2024-01-01"))]))
        #expect(try entity.attribute("nested") == .record([("when", .duration(CedarDuration(parsing: "2m")))]))
        #expect(try entity.attribute("plain") == "1.2.3.4")
        #expect(try entity.tag("t") == .duration(CedarDuration(parsing: "1h")))
        #expect(throws: EntitiesError.self) {
            try Entities.fromJSON(#"[{"uid":{"type":"U","id":"a"},"attrs":{"home":"1.2.3"},"parents":[]}]"#, schema: Hints())
        }
    }

    @Test func contextsAndSingleValues() throws {
        let context = try CedarRecord.contextFromJSON(
            #"{"source_ip":"123.123.123.123","confidence_score":"0.6","n":3,"who":{"__entity":{"type":"U","id":"a"}}}"#,
            attributeHints: ["source_ip": .ext(.ipaddr), "confidence_score": .ext(.decimal)])
        #expect(context["source_ip"] == .ipaddr(try CedarIPAddr(parsing: "123.123.123.123")))
        #expect(context["confidence_score"] == .decimal(try CedarDecimal(parsing: "0.6")))
        #expect(context["n"] == 3 && context["who"] == .entity(uid("U", "a")))
        #expect(throws: EntitiesError.self) { try CedarRecord.contextFromJSON("[1]") }
        #expect(try Value.fromJSON(#"{"__extn":{"fn":"duration","arg":"1h"}}"#) == .duration(CedarDuration(parsing: "60m")))
    }

    @Test func entityAccessors() throws {
        let entity = Entity(uid: uid("U", "a"), attributes: CedarRecord([("x", 1)]), tags: CedarRecord([("t", "v")]))
        #expect(try entity.attribute("x") == 1 && entity.tag("t") == "v")
        #expect(throws: EvaluationError.attributeNotFound(in: uid("U", "a"), attribute: "y")) { try entity.attribute("y") }
        #expect(throws: EvaluationError.tagNotFound(uid("U", "a"), tag: "u")) { try entity.tag("u") }
    }
}

private extension EntityUID {
    func with(ns: String) -> EntityUID { EntityUID(type: Name(type.basename, namespace: [ns]), id: id) }
}
