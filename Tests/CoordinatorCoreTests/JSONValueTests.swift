import CoordinatorCore
import Foundation
import Testing

@Suite("JSON values round-trip through text, strictly")
struct JSONValueTests {
    @Test func roundTrips() throws {
        let value: JSONValue = ["s": "é\"\\/\n\t\u{1}😀", "i": 42, "neg": -7, "d": 1.5, "b": false, "n": nil,
                                "a": [1, "x", [:], []], "o": ["k": []]]
        #expect(try JSONValue(jsonText: value.jsonText) == value)
        #expect(try JSONValue(jsonText: value.prettyJSONText) == value)
        #expect(try JSONValue(jsonData: value.jsonData()) == value)
    }

    @Test func keepsIntegersAndBooleansApart() throws {
        #expect(try JSONValue(jsonText: "[1, true, 1.0, 0, -0, 1e2]") == [1, true, 1.0, 0, 0, 100.0])
        #expect(try JSONValue(jsonText: "2.5") == 2.5)
        #expect(try JSONValue(jsonText: "123456789012345678901234567890") == .double(1.2345678901234568e29))
        #expect(JSONValue.double(3).intValue == 3)
    }

    @Test func printsSortedCompactKeysAndEscapes() {
        #expect((["b": 1, "a": 2] as JSONValue).jsonText == #"{"a":2,"b":1}"#)
        #expect(JSONValue.string("a/b\"c\\\u{7}").jsonText == #""a/b\"c\\\u0007""#)
        #expect(JSONValue.double(.infinity).jsonText == "null")
        #expect((["k": [1, 2]] as JSONValue).prettyJSONText == "{\n  \"k\": [\n    1,\n    2\n  ]\n}")
    }

    @Test func decodesEscapes() throws {
        #expect(try JSONValue(jsonText: #""\u00e9\ud83d\ude00\/\b\f\n\r\t""#) == .string("é😀/\u{8}\u{c}\n\r\t"))
        #expect(try JSONValue(jsonText: " { \"a\" : [ ] } ") == ["a": []])
    }

    @Test(arguments: ["", "{", "{'a': 1}", "[1,]", "[1 2]", "nul", "01", "1.", ".5", "+1", "\"\\x\"", "\"\\ud800\"",
                      "\"tab\there\"", "{\"a\" 1}", "[1]]", "tru", "\"unterminated", "1e", "--1", "[\"\\u12\"]"])
    func refusesMalformedText(_ text: String) {
        #expect(throws: JSONTextError.self) { try JSONValue(jsonText: text) }
    }

    @Test func refusesExcessiveNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONTextError.self) { try JSONValue(jsonText: deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? JSONValue(jsonText: fine)) != nil)
    }

    @Test func agreesWithFoundationOnRandomDocuments() throws {
        var generator = SystemRandomNumberGenerator()
        func random(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &generator) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &generator))
            case 2: return .int(Int.random(in: -1_000_000...1_000_000, using: &generator))
            case 3: return .double(Double(Int.random(in: -10_000...10_000, using: &generator)) / 64 + 1.0 / 128)
            case 4: return .string(String((0..<Int.random(in: 0...8, using: &generator)).map { _ in
                    Character(Unicode.Scalar(UInt32.random(in: 0x20...0x2FF, using: &generator))!) }))
            case 5: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in random(depth + 1) })
            default:
                var members: JSONObject = [:]
                for index in 0..<Int.random(in: 0...4, using: &generator) { members["k\(index)"] = random(depth + 1) }
                return .object(members)
            }
        }
        for _ in 0..<200 {
            let value = random(0)
            let foundation = try JSONSerialization.jsonObject(with: value.jsonData(), options: [.fragmentsAllowed])
            let again = try JSONSerialization.data(withJSONObject: foundation, options: [.fragmentsAllowed])
            #expect(try JSONValue(jsonData: again) == value)
        }
    }
}
