import CoordinatorCore
import Testing

@Suite("Lock keys have one canonical form")
struct LockKeyTests {
    @Test(arguments: [
        ("src/app.swift", "src/app.swift"),
        ("./src//app.swift", "src/app.swift"),
        ("src/./lib/../app.swift", "src/app.swift"),
        ("  docs/README.md \n", "docs/README.md"),
        ("api:get /v1//users/", "api:GET /v1/users"),
        ("api: post   v1/orders", "api:POST /v1/orders"),
        ("db:Schema:Public", "db:schema:public"),
        ("event:User.Created", "event:user.created"),
        ("event:..a..b.", "event:a.b"),
        ("flag:NewCheckout", "flag:NewCheckout"),
        ("env:DATABASE_URL", "env:DATABASE_URL"),
        ("contract:billing-v2", "contract:billing-v2"),
        ("feature: search ", "feature:search"),
        ("C:/windows-ish", "C:/windows-ish"),
    ])
    func canonicalises(_ raw: String, _ expected: String) throws {
        #expect(try LockKey.canonical(raw) == expected)
    }

    @Test(arguments: ["", "   ", "/etc/passwd", "../x", "a/../../x", ".", "./", "api:", "api:GET", "api:GET /a extra", "db:",
                      "a\u{0}b", "line\nbreak"])
    func refuses(_ raw: String) {
        #expect(throws: InputError.self) { try LockKey.canonical(raw) }
    }

    @Test func refusalNamesTheField() {
        #expect(throws: InputError(field: "file_path", "must not be empty")) { try LockKey.canonical("") }
    }
}
