import Foundation
import Testing
@testable import Cedar

@Suite("Cedar syntax against cedarpy 4.12.2: accept/reject and JSON policy format")
struct SyntaxESTTests {
    @Test func acceptRejectAndESTMatchCedarpy() throws {
        let cases = try SyntaxFixtures.estCases()
        #expect(cases.count > 250)
        let mismatches = Self.compare(cases)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.joined(separator: "\n"))")
    }

    /// Random mutations labelled by tools/cedar/mutate_syntax.py (run only when CEDAR_SYNTAX_MUTATIONS names its output).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CEDAR_SYNTAX_MUTATIONS"] != nil))
    func mutationsMatchCedarpy() throws {
        let path = try #require(ProcessInfo.processInfo.environment["CEDAR_SYNTAX_MUTATIONS"])
        let cases = try SyntaxFixtures.estCases(at: URL(fileURLWithPath: path))
        let mismatches = Self.compare(cases)
        print("mutations: \(cases.count) compared, \(mismatches.count) mismatches")
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.prefix(30).joined(separator: "\n"))")
    }

    static func compare(_ cases: [SyntaxFixtures.Case]) -> [String] {
        var mismatches: [String] = []
        for c in cases {
            do {
                let set = try PolicySet.parse(c.text)
                guard let expected = c.est else {
                    mismatches.append("accepted but cedarpy rejected (\(c.error ?? "")): \(c.text)")
                    continue
                }
                if set.estJSON != expected {
                    mismatches.append("EST differs for: \(c.text)\n  ours: \(set.estJSON)\n  cedarpy: \(expected)")
                }
            } catch {
                if c.est != nil { mismatches.append("rejected (\(error)) but cedarpy accepted: \(c.text)") }
            }
        }
        return mismatches
    }

    @Test func templateLinksInJSON() throws {
        var set = try PolicySet.parse("permit(principal == ?principal, action, resource);")
        try set.link(templateID: "policy0", newID: "l1", values: [.principal: EntityUID(type: Name("User"), id: "a")])
        let expected = try JSONValue.parse(
            #"[{"templateId":"policy0","newId":"l1","values":{"?principal":{"type":"User","id":"a"}}}]"#)
        #expect(set.estJSON["templateLinks"] == expected)
    }

    @Test func jsonValueRoundTrip() throws {
        let text = #"{"a":[1,-9223372036854775808,true,null,"x\u00e9\ud83d\ude00\n"],"b":{"c":1.5}}"#
        let value = try JSONValue.parse(text)
        #expect(try JSONValue.parse(value.description) == value)
        #expect(value["a"] == .array([.number(1), .number(Int64.min), .bool(true), .null, .string(CedarString("x\u{e9}\u{1F600}\n"))]))
    }
}
