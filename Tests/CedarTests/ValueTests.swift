import Cedar
import Testing

/// Values, equality, arithmetic and error wording. Expectations marked (cedarpy) were observed with cedarpy 4.12.2
/// (cedar.md §1.3 and probes of the same form).
@Suite("Runtime values follow Cedar's equality, arithmetic and error wording")
struct ValueTests {
    private func message(_ body: () throws(EvaluationError) -> Void) -> String { evaluationOutcome(body) }

    @Test func setsAndRecordsCompareAsCedarDoes() {
        // `[1,2] == [2,1,1]` and `{a:1,b:2} == {b:2,a:1}` are true (cedarpy).
        #expect(Value.set([1, 2]) == Value.set([2, 1, 1]))
        #expect(Value.record([("a", 1), ("b", 2)]) == Value.record([("b", 2), ("a", 1)]))
        #expect(Value.set([1, 2]).hashValue == Value.set([2, 1, 1]).hashValue)
        #expect(Value.set([Value.set([1, 2]), Value.set([2, 1])]).asSet?.count == 1)
        #expect(Value.record([("a", 1)]) != Value.record([("a", 1), ("b", 2)]))
    }

    @Test func equalityAcrossTypesIsFalse() throws {
        // `1 == "1"` false; `ip(..) == decimal(..)` false; `datetime(..) == duration(..)` false (cedarpy).
        #expect(Value.long(1) != Value.string("1"))
        #expect(try Value.ipaddr(CedarIPAddr(parsing: "1.2.3.4")) != .decimal(CedarDecimal(parsing: "1.0")))
        #expect(try Value.datetime(CedarDatetime(parsing: "1970-01-01")) != .duration(CedarDuration(parsing: "0ms")))
        #expect(Value.bool(true) != Value.long(1))
    }

    @Test func stringsAndKeysAreScalarExact() {
        // `"\u{e9}" == "e\u{301}"` is false in Cedar (cedarpy); records keep both keys.
        #expect(Value.string(CedarString("\u{e9}")) != Value.string(CedarString("e\u{301}")))
        let record = CedarRecord([(CedarString("\u{e9}"), 1), (CedarString("e\u{301}"), 2)])
        #expect(record.count == 2)
        #expect(record[CedarString("e\u{301}")] == 2)
        let alice = EntityUID(type: Name("U"), id: CedarString("\u{e9}"))
        let other = EntityUID(type: Name("U"), id: CedarString("e\u{301}"))
        #expect(Value.entity(alice) != Value.entity(other))
    }

    @Test func checkedArithmetic() {
        // Messages as cedarpy prints them.
        let cases: [(() throws(EvaluationError) -> Void, String)] = [
            ({ () throws(EvaluationError) in _ = try CedarArithmetic.add(.max, 1) },
             "integer overflow while attempting to add the values `9223372036854775807` and `1`"),
            ({ () throws(EvaluationError) in _ = try CedarArithmetic.subtract(-9_223_372_036_854_775_807, 2) },
             "integer overflow while attempting to subtract the values `-9223372036854775807` and `2`"),
            ({ () throws(EvaluationError) in _ = try CedarArithmetic.subtract(.max, -1) },
             "integer overflow while attempting to subtract the values `9223372036854775807` and `-1`"),
            ({ () throws(EvaluationError) in _ = try CedarArithmetic.multiply(4_611_686_018_427_387_904, 2) },
             "integer overflow while attempting to multiply the values `4611686018427387904` and `2`"),
            ({ () throws(EvaluationError) in _ = try CedarArithmetic.multiply(.min, -1) },
             "integer overflow while attempting to multiply the values `-9223372036854775808` and `-1`"),
            ({ () throws(EvaluationError) in _ = try CedarArithmetic.negate(.min) },
             "integer overflow while attempting to negate the value `-9223372036854775808`"),
            ({ () throws(EvaluationError) in
                #expect(try CedarArithmetic.multiply(2, -4_611_686_018_427_387_904) == .min)
                #expect(try CedarArithmetic.negate(.max) == -.max)
                #expect(try CedarArithmetic.add(-1, .min + 1) == .min)
            }, "ok"),
        ]
        for (body, expected) in cases { #expect(message(body) == expected) }
    }

    @Test func orderingOperatorsAndTheirTypeErrors() throws {
        let d1 = Value.duration(try CedarDuration(parsing: "1d"))
        let h1 = Value.duration(try CedarDuration(parsing: "1h"))
        let t1 = Value.datetime(try CedarDatetime(parsing: "2024-01-01"))
        let t2 = Value.datetime(try CedarDatetime(parsing: "2024-01-02"))
        let dec = Value.decimal(try CedarDecimal(parsing: "1.0"))
        #expect(try Value.lessThan(1, 2) && !Value.lessThan(2, 2) && Value.lessThanOrEqual(2, 2))
        #expect(try Value.lessThan(t1, t2) && Value.greaterThan(d1, h1) && Value.greaterThanOrEqual(t1, t1))
        #expect(try Value.lessThan(.long(.min), 0))
        // Wording observed with cedarpy for `<`.
        let failures: [(Value, Value, String)] = [
            (1, "a", "type error: expected long, got string"),
            ("a", 1, "type error: expected long, got string"),
            ("a", "b", "type error: expected one of [long, datetime, duration], got string"),
            (true, false, "type error: expected one of [long, datetime, duration], got bool"),
            (dec, dec, "type error: expected one of [long, datetime, duration], got decimal"),
            (h1, 1, "type error: expected long, got duration"),
            (1, h1, "type error: expected long, got duration"),
            (t1, 1, "type error: expected long, got datetime"),
            (t1, d1, "type error: expected datetime, got duration"),
        ]
        for (left, right, expected) in failures {
            #expect(message { () throws(EvaluationError) in _ = try Value.lessThan(left, right) } == expected)
        }
    }

    @Test func errorWording() {
        let uid = EntityUID(type: Name("U"), id: "a")
        let missing = EntityUID(type: Name("U"), id: "zzz")
        #expect(EvaluationError.attributeNotFound(in: uid, attribute: "nope").description
            == #"`U::"a"` does not have the attribute `nope`"#)
        #expect(EvaluationError.attributeNotFound(in: nil, attribute: "b").description
            == "record does not have the attribute `b`")
        #expect(EvaluationError.entityDoesNotExist(missing).description == #"entity `U::"zzz"` does not exist"#)
        #expect(EvaluationError.tagNotFound(uid, tag: "zz").description == #"`U::"a"` does not have the tag `zz`"#)
        #expect(EvaluationError.typeError(expected: [.bool], got: .long).description
            == "type error: expected bool, got long")
        #expect(EvaluationError.typeError(expected: [.anyEntity], got: .long).description
            == "type error: expected (entity of type `any_entity_type`), got long")
        #expect(EvaluationError.typeError(expected: [.record, .anyEntity], got: .long).description
            == "type error: expected one of [record, (entity of type `any_entity_type`)], got long")
        #expect(Value.entity(uid).type.description == "(entity of type `U`)")
        #expect(message { () throws(EvaluationError) in _ = try Value.long(1).expectSet() }
            == "type error: expected set, got long")
        #expect(message { () throws(EvaluationError) in _ = try CedarRecord().get("b") }
            == "record does not have the attribute `b`")
    }

    @Test func printing() throws {
        let value = Value.record([
            ("b", .set([3, 1, 2])), ("a", "x\"y"), ("c", .entity(EntityUID(type: Name("U"), id: "a"))),
            ("d", .ipaddr(try CedarIPAddr(parsing: "10.0.0.0/8"))),
        ])
        #expect(value.description == #"{"a": "x\"y", "b": [1, 2, 3], "c": U::"a", "d": ip("10.0.0.0/8")}"#)
        #expect(Value.bool(false).description == "false" && Value.long(-3).description == "-3")
    }

    @Test func setOperations() {
        let set = CedarSet([1, 2, 3])
        #expect(set.contains(2) && !set.contains("2"))
        #expect(set.containsAll(CedarSet([1, 3])) && !set.containsAll(CedarSet([1, 4])))
        #expect(set.containsAny(CedarSet([4, 3])) && !set.containsAny(CedarSet([4])))
        #expect(set.containsAll(CedarSet()) && !set.containsAny(CedarSet()))
    }
}
