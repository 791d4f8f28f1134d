@testable import GuardrailMatching
import Testing

@Suite("LinearRegexSet over lines")
struct RegexLineSetTests {
    static let patterns = [#"git\s+push\s+.*--force"#, #"^rm\s"#, #"drop\s+table$"#, #"\.env([\s;]|$)"#, "x{3}"]

    @Test func eachLineIsSearchedOnItsOwn() throws {
        let set = LinearRegexSet(try Self.patterns.map { try LinearRegex($0) })
        // A match may not span lines, and ^/$ are each line's bounds.
        #expect(set.matchingIndexes(inLines: ["git push origin ;", "echo --force ;"]) == [])
        #expect(set.matchingIndexes(inLines: ["echo hi ;", "rm x ;"]) == [1])
        #expect(set.matchingIndexes(inLines: ["drop table", "cat .env"]) == [2, 3])
        #expect(set.matchingIndexes(inLines: []) == [])
        #expect(set.matchingIndexes(inLines: ["xx", "x"]) == [])
    }

    @Test func equalsTheUnionOfPerLineResults() throws {
        let set = LinearRegexSet(try Self.patterns.map { try LinearRegex($0) })
        let alphabet = Array("gitpush rm-forcedroptable.env;x\t")
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17
            return Int(seed % UInt64(Int32.max))
        }
        for _ in 0..<500 {
            let lines = (0..<(next() % 6)).map { _ in String((0..<(next() % 24)).map { _ in alphabet[next() % alphabet.count] }) }
            let union = Set(lines.flatMap { set.matchingIndexes(in: $0) }).sorted()
            #expect(set.matchingIndexes(inLines: lines) == union, "\(lines)")
        }
    }

    @Test func splitSetsAgree() throws {
        // A state limit of 1 forces one automaton per regex (and the NFA simulation where even one does not fit).
        let regexes = try Self.patterns.map { try LinearRegex($0) }
        let split = LinearRegexSet(regexes, dfaStateLimit: 1)
        let whole = LinearRegexSet(regexes)
        for lines in [["git push -u origin main --force ;", "rm a"], ["a drop table", "xxx"], ["nothing here"]] {
            #expect(split.matchingIndexes(inLines: lines) == whole.matchingIndexes(inLines: lines), "\(lines)")
        }
    }
}
