import Foundation
import Testing
@testable import Cedar

@Suite("Cedar policy formatter round-trips")
struct SyntaxFormatterTests {
    func roundTrips(_ set: PolicySet) throws -> Bool {
        let text = PolicyFormatter.format(set)
        let again = try PolicySet.parse(text)
        return again.staticPolicies == set.staticPolicies && again.templates == set.templates
    }

    @Test func fixtureCasesRoundTrip() throws {
        var failures: [String] = []
        var checked = 0
        for c in try SyntaxFixtures.estCases() where c.est != nil {
            let set = try PolicySet.parse(c.text)
            checked += 1
            do {
                if try !roundTrips(set) { failures.append("changed: \(c.text)\n  -> \(PolicyFormatter.format(set))") }
            } catch {
                failures.append("unparsable: \(PolicyFormatter.format(set))\n  \(error)")
            }
        }
        #expect(checked > 100)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func handWrittenPoliciesRoundTrip() throws {
        for file in SyntaxFixtures.handWrittenPolicyFiles() {
            let set = try PolicySet.parse(String(contentsOf: file, encoding: .utf8))
            #expect(try roundTrips(set), "\(file.lastPathComponent)")
        }
    }

    @Test func constructedExpressionsRoundTrip() throws {
        let p = Expr.variable(.principal)
        let exprs: [Expr] = [
            .unary(.neg, .long(5)),
            .unary(.neg, .long(-5)),
            .unary(.neg, .unary(.neg, .unary(.neg, .unary(.neg, .unary(.neg, .long(1)))))),
            .unary(.not, .unary(.not, .unary(.not, .unary(.not, .unary(.not, .bool(true)))))),
            .unary(.not, .long(-1)),
            .getAttr(.long(-5), "x"),
            .binary(.subtract, .long(1), .binary(.subtract, .long(2), .long(3))),
            .binary(.multiply, .binary(.add, .long(1), .long(2)), .long(3)),
            .binary(.equal, .binary(.less, .long(1), .long(2)), .bool(true)),
            .or(.bool(true), .or(.bool(false), .bool(true))),
            .and(.or(.bool(true), .bool(false)), .bool(true)),
            .getAttr(.ifThenElse(.bool(true), then: p, else: p), "a"),
            .binary(.add, .long(1), .ifThenElse(.bool(true), then: .long(1), else: .long(2))),
            .hasAttr(.hasAttr(p, "a"), "b"),
            .getAttr(p, "not an ident"),
            .getAttr(p, "if"),
            .hasAttr(p, "then"),
            .record([RecordEntry("if", .long(1)), RecordEntry("a b", .string("x")), RecordEntry("ok", .set([]))]),
            .isType(.isType(p, Name("A"), in: nil), Name("B"), in: .binary(.in, p, p)),
            .like(.string("a*"), Pattern([.literal("*"), .wildcard, .literal("\\"), .literal("\"")])),
            .call(.isIpv4, [.unary(.neg, .long(1))]),
            .binary(.contains, .binary(.add, .long(1), .long(2)), .long(3)),
            .unary(.isEmpty, .unary(.not, p)),
        ]
        for expr in exprs {
            let text = PolicyFormatter.format(expr)
            #expect(try Expr.parse(text) == expr, "\(text)")
        }
    }

    @Test func formatsLikeCedar() throws {
        let policy = try Policy.parse(
            #"@id("x") permit(principal == User::"a", action in [Action::"r", Action::"w"], resource) when { principal.level >= 2 };"#)
        #expect(
            PolicyFormatter.format(policy) == """
                @id("x")
                permit (
                  principal == User::"a",
                  action in [Action::"r", Action::"w"],
                  resource
                )
                when { principal.level >= 2 };
                """)
    }
}
