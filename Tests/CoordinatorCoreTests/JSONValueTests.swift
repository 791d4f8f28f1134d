import CoordinatorCore
import Testing

@Suite("JSON values round-trip through text")
struct JSONValueTests {
    @Test func roundTrips() throws {
        let value: JSONValue = ["s": "é\"\\/", "i": 42, "d": 1.5, "b": false, "n": nil, "a": [1, "x", [:]], "o": ["k": []]]
        #expect(try JSONValue(jsonText: value.jsonText) == value)
        #expect(try JSONValue(jsonText: value.prettyJSONText) == value)
    }

    @Test func keepsIntegersAndBooleansApart() throws {
        #expect(try JSONValue(jsonText: "[1, true, 1.0, 0]") == [1, true, .int(1), 0])
        #expect(try JSONValue(jsonText: "2.5") == 2.5)
        #expect(JSONValue.double(3).intValue == 3)
    }

    @Test func printsSortedKeys() {
        #expect((["b": 1, "a": 2] as JSONValue).jsonText == #"{"a":2,"b":1}"#)
    }

    @Test(arguments: ["", "{", "{'a': 1}", "[1 2]", "nul"])
    func refusesMalformedText(_ text: String) {
        #expect(throws: JSONTextError.self) { try JSONValue(jsonText: text) }
    }
}
