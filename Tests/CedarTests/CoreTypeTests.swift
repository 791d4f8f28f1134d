import Cedar
import Testing

@Suite("Cedar strings, names and entity UIDs compare as Cedar does")
struct CoreTypeTests {
    @Test func stringsCompareByScalarNotByCanonicalEquivalence() {
        let composed = CedarString("\u{e9}")
        let decomposed = CedarString("e\u{301}")
        #expect("\u{e9}" == "e\u{301}")   // Swift's String: canonically equivalent
        #expect(composed != decomposed)   // Cedar: different code points
        #expect(Set([composed, decomposed]).count == 2)
        #expect(decomposed.scalars.count == 2)
    }

    @Test func namesParseQualifiedText() throws {
        let name = try #require(Name(qualified: "PhotoApp::Media::Album"))
        #expect(name.namespace == ["PhotoApp", "Media"] && name.basename == "Album")
        #expect(name.description == "PhotoApp::Media::Album")
        #expect(Name(qualified: "A::::B") == nil && Name(qualified: "") == nil)
        #expect(Name("Action", namespace: ["NS"]).isActionType)
    }

    @Test func entityUIDsPrintWithEscapedIds() {
        let uid = EntityUID(type: Name("User"), id: CedarString("a\"b\\c\nd"))
        #expect(uid.description == #"User::"a\"b\\c\nd""#)
    }
}
