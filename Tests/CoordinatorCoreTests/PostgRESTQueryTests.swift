import CoordinatorCore
import Testing

@Suite("PostgREST query strings parse into RowFilter and print back")
struct PostgRESTQueryTests {
    @Test func parsesEveryOperator() throws {
        let query = try PostgRESTQuery(parsing:
            "a=eq.1&b=neq.x&c=gt.2&d=gte.3&e=lt.4&f=lte.5&g=in.(x,%22y,z%22,w)&h=is.null&i=is.TRUE&order=a.asc,b.desc,c&limit=7&select=a,b")
        #expect(query.select == ["a", "b"])
        #expect(query.filter.limit == 7)
        #expect(query.filter.order == [.init("a"), .init("b", ascending: false), .init("c")])
        #expect(query.filter.conditions == [
            .init("a", .compare(.eq, "1")), .init("b", .compare(.neq, "x")), .init("c", .compare(.gt, "2")),
            .init("d", .compare(.gte, "3")), .init("e", .compare(.lt, "4")), .init("f", .compare(.lte, "5")),
            .init("g", .isIn(["x", "y,z", "w"])), .init("h", .is(.null)), .init("i", .is(.true)),
        ])
    }

    @Test func valuesKeepDotsAfterTheOperator() throws {
        let query = try PostgRESTQuery(parsing: "file_path=eq.src/a.b.swift&expires_at=gt.now()")
        #expect(query.filter.conditions == [.init("file_path", .compare(.eq, "src/a.b.swift")), .init("expires_at", .compare(.gt, "now()"))])
    }

    @Test(arguments: [
        RowFilter().equal("file_path", "src/a b&c=d.swift").ordered(by: "locked_at", ascending: false).ordered(by: "file_path").limited(to: 3),
        RowFilter().among("id", ["a,b", "c\"d", "e\\f", "", "plain"]).isNull("claimed_by"),
        RowFilter().filtered("expires_at", .gt, "2026-11-25T13:00:00.000000+00:00").filtered("priority", .lte, 3),
    ])
    func printsWhatItParses(_ filter: RowFilter) throws {
        let printed = PostgRESTQuery(filter: filter, select: ["a", "b"]).queryString
        #expect(try PostgRESTQuery(parsing: printed) == PostgRESTQuery(filter: filter, select: ["a", "b"]))
    }

    @Test func printsExactWireFormat() {
        let filter = RowFilter().equal("status", "pending").among("task_type", ["a", "b c"])
            .ordered(by: "priority").ordered(by: "created_at", ascending: false).limited(to: 20)
        #expect(PostgRESTQuery(filter: filter).queryString
            == "status=eq.pending&task_type=in.(a,%22b%20c%22)&order=priority.asc,created_at.desc&limit=20")
        #expect(PostgRESTQuery(filter: RowFilter().filtered("t", .gt, "2026-01-01T00:00:00+00:00")).queryString
            == "t=gt.2026-01-01T00:00:00%2B00:00")
    }

    @Test(arguments: ["a", "a=foo.1", "a=eq", "bad col=eq.1", "limit=-1", "limit=x", "order=a.sideways",
                      "a=in.(x", "a=in.x", "a=is.maybe", "a=in.(\"x\"y)"])
    func rejectsMalformedInput(_ text: String) {
        #expect(throws: PostgRESTSyntaxError.self) { try PostgRESTQuery(parsing: text) }
    }
}
