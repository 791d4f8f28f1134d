import Testing
@testable import Cedar

@Suite("The Cedar module's JSON layer: strict parsing, exact strings and numbers, positions, writing")
struct JSONTests {
    private func parseError(_ text: String, _ options: JSONParseOptions = JSONParseOptions()) -> JSONError? {
        do {
            _ = try JSONValue.parse(text, options: options)
            return nil
        } catch {
            return error
        }
    }

    @Test func keysAreScalarExactAndOrdered() throws {
        let value = try JSONValue.parse(#"{"\u00e9":1,"e\u0301":2,"a":3}"#)
        let members = try #require(value.objectMembers)
        #expect(members.map(\.key) == [CedarString("\u{e9}"), CedarString(scalars: ["e", "\u{301}"]), "a"])
        #expect(value[CedarString("\u{e9}")] == .number(1))
        #expect(value[CedarString(scalars: ["e", "\u{301}"])] == .number(2))
        #expect(value["b"] == nil)
    }

    @Test func duplicateKeysAreReportedOrKept() throws {
        let error = try #require(parseError("{\"a\": 1,\n  \"a\": 2}"))
        #expect(error.kind == .duplicateKey("a"))
        #expect(error.message == "duplicate key `a` in the same JSON object")
        #expect(error.position.line == 2 && error.position.column == 3)
        let kept = try JSONValue.parse(#"{"a":1,"a":2}"#, options: JSONParseOptions(duplicateKeys: .keepAll))
        #expect(kept.objectMembers?.count == 2 && kept["a"] == .number(1))
    }

    @Test func numbersKeepTheirTextAndExactIntegers() throws {
        func number(_ text: String) throws -> JSONNumber? {
            if case .number(let number) = try JSONValue.parse(text).kind { return number }
            return nil
        }
        #expect(try number("-9223372036854775808")?.int64 == .min)
        #expect(try number("9223372036854775807")?.int64 == .max)
        for text in ["9223372036854775808", "1.0", "1e3", "-0", "2E-1"] {
            let parsed = try #require(try number(text))
            #expect(parsed.int64 == nil && parsed.text == text, "\(text)")
        }
        #expect(try JSONValue.parse("[1, 1.50]").description == "[1,1.50]")
    }

    @Test func positionsCountScalarsAndBytes() throws {
        let value = try JSONValue.parse("{\"\u{e9}\": [1,\n  true]}")
        let array = try #require(value[CedarString("\u{e9}")])
        #expect(array.position == JSONPosition(line: 1, column: 7, utf8Column: 8, offset: 6))
        #expect(array.arrayValue?[1].position == JSONPosition(line: 2, column: 3, utf8Column: 3, offset: 12))
        #expect(value.objectMembers?[0].keyPosition?.description == "1:2")
        let error = try #require(parseError("[\"\u{e9}\", nul]"))
        #expect(error.position.column == 7 && error.position.utf8Column == 8)
        #expect(error.description == "expected a value at line 1 column 7")
    }

    @Test func strictSyntax() {
        let bad: [(String, String)] = [
            ("[1,]", "trailing comma"), (#"{"a":1,}"#, "trailing comma"), ("[01]", "leading zero"),
            ("[1.]", "invalid number"), ("[-]", "invalid number"), ("[+1]", "expected a value"),
            ("// c\n[]", "expected a value"), ("\u{FEFF}[]", "expected a value"), ("[] []", "trailing characters"),
            (#"["\ud800"]"#, "lone leading surrogate"), (#"["\udc00"]"#, "lone trailing surrogate"),
            ("[\"a\tb\"]", "control character"), (#"["\x"]"#, "invalid escape"), ("[nul]", "expected a value"),
            ("{'a':1}", "expected a string key"), ("", "unexpected end of input"), ("[1", "unexpected end of input"),
            (String(repeating: "[", count: 129) + String(repeating: "]", count: 129), "recursion limit exceeded"),
        ]
        for (text, expected) in bad {
            let error = parseError(text)
            #expect(error?.message.contains(expected) == true, "\(text): \(error?.description ?? "accepted")")
        }
        #expect(parseError(String(repeating: "[", count: 128) + String(repeating: "]", count: 128)) == nil)
        #expect(throws: JSONError.self) { try JSONValue.parse(bytes: [0x5B, 0x22, 0xFF, 0x22, 0x5D]) }
    }

    @Test func writerEscapesOnlyWhatItMust() throws {
        let text = #"{"k":["a\"b\\c\n\r\t\b\f\u0001\u001F/\u00e9\ud83d\ude00",null,false,-12]}"#
        let value = try JSONValue.parse(text)
        #expect(value.description == "{\"k\":[\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f/\u{e9}\u{1F600}\",null,false,-12]}")
        #expect(try JSONValue.parse(value.description) == value)
        // Objects compare as unordered maps; positions take no part.
        #expect(try JSONValue.parse(#"{"a":1,"b":[2]}"#) == .object([("b", .array([.number(2)])), ("a", .number(1))]))
    }
}
