import Testing

@testable import GuardrailMatching

/// One syntax feature: texts the pattern must match and texts it must not.
struct RegexFeatureCase: Sendable, CustomTestStringConvertible {
    let pattern: String
    let matching: [String]
    let notMatching: [String]

    init(_ pattern: String, matches matching: [String], rejects notMatching: [String] = []) {
        self.pattern = pattern
        self.matching = matching
        self.notMatching = notMatching
    }

    var testDescription: String { pattern }
}

/// One refused pattern: where the error points and what it says.
struct RegexRefusalCase: Sendable, CustomTestStringConvertible {
    let pattern: String
    let offset: Int
    let message: String

    init(_ pattern: String, at offset: Int, _ message: String) {
        self.pattern = pattern
        self.offset = offset
        self.message = message
    }

    var testDescription: String { pattern }
}

@Suite struct RegexSyntaxTests {
    static let features: [RegexFeatureCase] = [
        // Literals, case-insensitivity (ASCII only), unanchored search.
        RegexFeatureCase("abc", matches: ["abc", "xxABCxx", "aBc"], rejects: ["ab", "a bc", ""]),
        RegexFeatureCase("café", matches: ["CAFé", "un café"], rejects: ["cafÉ", "cafe"]),
        RegexFeatureCase("日本", matches: ["こんにちは日本"], rejects: ["日", "本日"]),
        RegexFeatureCase("", matches: ["", "anything"]),
        RegexFeatureCase("a]b", matches: ["A]B"], rejects: ["ab"]),
        // Escaped punctuation is itself.
        RegexFeatureCase(#"a\.b"#, matches: ["a.b"], rejects: ["axb"]),
        RegexFeatureCase(#"\\"#, matches: [#"C:\dir"#], rejects: ["/"]),
        RegexFeatureCase(#"\/\-\(\)\[\]\{\}"#, matches: ["/-()[]{}"], rejects: ["/-()[]{"]),
        RegexFeatureCase(#"\*\+\?\|\^\$"#, matches: ["*+?|^$"], rejects: ["*+?|^"]),
        RegexFeatureCase(##"\"\'\ \#\&\~\%"##, matches: [##""' #&~%"##], rejects: [##""'#&~%"##]),
        RegexFeatureCase(#"a\tb\nc\rd"#, matches: ["a\tb\nc\rd"], rejects: ["a b c d"]),
        // Class escapes (ASCII definitions).
        RegexFeatureCase(#"^\s+$"#, matches: [" ", "\t\n\r", "\u{0B}\u{0C}"], rejects: ["\u{A0}", "_", ""]),
        RegexFeatureCase(#"^\S$"#, matches: ["a", "é", "🙂"], rejects: [" ", "\t", "ab"]),
        RegexFeatureCase(#"^\d+$"#, matches: ["0123456789"], rejects: ["١", "1a"]),
        RegexFeatureCase(#"^\D$"#, matches: ["a", "日"], rejects: ["5"]),
        RegexFeatureCase(#"^\w+$"#, matches: ["Az_09"], rejects: ["é", "a-b"]),
        RegexFeatureCase(#"^\W$"#, matches: ["-", "é", " "], rejects: ["_", "Q"]),
        // `.` is one whole scalar, newline included.
        RegexFeatureCase("^.$", matches: ["a", "\n", "é", "日", "🙂"], rejects: ["", "ab", "e\u{301}"]),
        RegexFeatureCase("^..$", matches: ["e\u{301}", "日本"], rejects: ["é"]),
        RegexFeatureCase("a.c", matches: ["a\nc", "aéc"], rejects: ["ac"]),
        // Bracket expressions.
        RegexFeatureCase("^[abc]+$", matches: ["abcCBA"], rejects: ["abd"]),
        RegexFeatureCase("^[a-f0-3]+$", matches: ["Fa03"], rejects: ["g", "4"]),
        RegexFeatureCase("^[^a-c]$", matches: ["d", "é", "\n", "🙂"], rejects: ["a", "B", "", "dd"]),
        RegexFeatureCase(#"^[\s\d]+$"#, matches: [" 1\t2"], rejects: ["a"]),
        RegexFeatureCase(#"^[\w.-]+$"#, matches: ["a.b-c_d"], rejects: ["a/b"]),
        RegexFeatureCase(#"^[\]\\\-\[]+$"#, matches: [#"]\-["#], rejects: ["a"]),
        RegexFeatureCase("^[]a]+$", matches: ["]a]"], rejects: ["b"]),
        RegexFeatureCase("^[^]a]$", matches: ["b"], rejects: ["]", "A"]),
        RegexFeatureCase("^[-a]+$", matches: ["-a-"], rejects: ["b"]),
        RegexFeatureCase("^[a-]+$", matches: ["-a-"], rejects: ["b"]),
        RegexFeatureCase("^[^-]$", matches: ["a"], rejects: ["-"]),
        RegexFeatureCase(#"^[\t]$"#, matches: ["\t"], rejects: ["t", "\\"]),
        RegexFeatureCase("^[é日]$", matches: ["é", "日"], rejects: ["e", "É"]),
        RegexFeatureCase("^[à-ë]$", matches: ["à", "é", "ë"], rejects: ["ì", "a"]),
        RegexFeatureCase("^[^é]$", matches: ["e", "日"], rejects: ["é"]),
        RegexFeatureCase("^[A-Z]$", matches: ["q", "Q"], rejects: ["1"]),
        RegexFeatureCase("^[^a]$", matches: ["b"], rejects: ["a", "A"]),
        RegexFeatureCase("^[^\\w]$", matches: ["-", "é"], rejects: ["a"]),
        RegexFeatureCase("^[a^]+$", matches: ["^a"], rejects: ["b"]),
        // Groups and alternation.
        RegexFeatureCase("^(ab)+$", matches: ["abAB"], rejects: ["aba"]),
        RegexFeatureCase("^(?:ab|cd)+$", matches: ["abcdab"], rejects: ["abc"]),
        RegexFeatureCase("^a(b|)c$", matches: ["abc", "ac"], rejects: ["abbc"]),
        RegexFeatureCase("^a()c$", matches: ["ac"], rejects: ["abc"]),
        RegexFeatureCase("|x", matches: ["", "y"]),
        RegexFeatureCase("^(a|b|c|)$", matches: ["", "a", "c"], rejects: ["d", "ab"]),
        RegexFeatureCase("^(((a)))$", matches: ["a"], rejects: ["aa"]),
        // Quantifiers.
        RegexFeatureCase("^ab*c$", matches: ["ac", "abbbc"], rejects: ["abd"]),
        RegexFeatureCase("^ab+c$", matches: ["abc", "abbc"], rejects: ["ac"]),
        RegexFeatureCase("^ab?c$", matches: ["ac", "abc"], rejects: ["abbc"]),
        RegexFeatureCase("^a{3}$", matches: ["aaa"], rejects: ["aa", "aaaa"]),
        RegexFeatureCase("^a{2,}$", matches: ["aa", "aaaaa"], rejects: ["a"]),
        RegexFeatureCase("^a{2,3}$", matches: ["aa", "aaa"], rejects: ["a", "aaaa"]),
        RegexFeatureCase("^a{0}b$", matches: ["b"], rejects: ["ab"]),
        RegexFeatureCase("^(ab){1,2}$", matches: ["ab", "abab"], rejects: ["ababab"]),
        RegexFeatureCase("^é{2}$", matches: ["éé"], rejects: ["é"]),
        RegexFeatureCase("^a*?b+?c??d{1,2}?$", matches: ["bd", "aabbcdd"], rejects: ["aabbccd"]),
        RegexFeatureCase("^(a*)*$", matches: ["", "aaa"], rejects: ["b"]),
        RegexFeatureCase("^(a?){3}$", matches: ["", "aa", "aaa"], rejects: ["aaaa"]),
        RegexFeatureCase("^(|a)+$", matches: ["", "a", "aa"], rejects: ["b"]),
        RegexFeatureCase("x{255}", matches: [String(repeating: "x", count: 255)], rejects: [String(repeating: "x", count: 254)]),
        // Anchors: start and end of the whole text.
        RegexFeatureCase("^abc", matches: ["abcd"], rejects: ["xabc", "x\nabc"]),
        RegexFeatureCase("abc$", matches: ["xabc"], rejects: ["abcx", "abc\n"]),
        RegexFeatureCase("^$", matches: [""], rejects: ["a", "\n"]),
        RegexFeatureCase("a^b", matches: [], rejects: ["ab", "a^b"]),
        RegexFeatureCase("a$b", matches: [], rejects: ["ab", "a$b"]),
        RegexFeatureCase("(^|-)x", matches: ["x", "a-x"], rejects: ["ax"]),
        RegexFeatureCase("x(-|$)", matches: ["x", "x-a"], rejects: ["xa"]),
        RegexFeatureCase("$^", matches: [""], rejects: ["a"]),
        RegexFeatureCase("(^)*a", matches: ["ba"]),
    ]

    @Test(arguments: features)
    func feature(_ feature: RegexFeatureCase) throws {
        let regex = try LinearRegex(feature.pattern)
        let simulated = try LinearRegex(feature.pattern, dfaStateLimit: 0)
        #expect(regex.dfaStateCount != nil)
        #expect(simulated.dfaStateCount == nil)
        for text in feature.matching {
            #expect(regex.matches(text), "should match \(text.debugDescription)")
            #expect(simulated.matches(text), "NFA simulation should match \(text.debugDescription)")
            #expect(regex.firstMatch(in: text) != nil, "firstMatch on \(text.debugDescription)")
        }
        for text in feature.notMatching {
            #expect(!regex.matches(text), "should not match \(text.debugDescription)")
            #expect(!simulated.matches(text), "NFA simulation should not match \(text.debugDescription)")
            #expect(regex.firstMatch(in: text) == nil, "firstMatch on \(text.debugDescription)")
        }
    }

    static let refusals: [RegexRefusalCase] = [
        RegexRefusalCase(#"ab\1"#, at: 2, "back-references are not supported"),
        RegexRefusalCase(#"(a)\k<x>"#, at: 3, "back-references are not supported"),
        RegexRefusalCase(#"é\1"#, at: 1, "back-references are not supported"),
        RegexRefusalCase("👨‍👩‍👧x\\2", at: 2, "back-references are not supported"),
        RegexRefusalCase(#"\0"#, at: 0, "octal escapes are not supported; write the character itself"),
        RegexRefusalCase("a(?=b)", at: 1, "lookahead assertions are not supported"),
        RegexRefusalCase("a(?!b)", at: 1, "lookahead assertions are not supported"),
        RegexRefusalCase("(?<=a)b", at: 0, "lookbehind assertions are not supported"),
        RegexRefusalCase("(?<!a)b", at: 0, "lookbehind assertions are not supported"),
        RegexRefusalCase("(?<name>a)", at: 0, "named groups are not supported; use ( ) or (?: )"),
        RegexRefusalCase("(?P<name>a)", at: 0, "named groups are not supported; use ( ) or (?: )"),
        RegexRefusalCase("x(?>a)", at: 1, "atomic groups are not supported"),
        RegexRefusalCase("(?#note)", at: 0, "comment groups are not supported"),
        RegexRefusalCase(
            "(?i)abc", at: 0,
            "inline options and other (? forms are not supported; only (?: ) is (matching is always case-insensitive)"),
        RegexRefusalCase(
            "(?s:a)", at: 0,
            "inline options and other (? forms are not supported; only (?: ) is (matching is always case-insensitive)"),
        RegexRefusalCase(
            #"x\b"#, at: 1,
            #"word-boundary escapes (\b \B \y \Y \m \M) are not supported: they differ between PostgreSQL and ICU"#),
        RegexRefusalCase(
            #"\Bx"#, at: 0,
            #"word-boundary escapes (\b \B \y \Y \m \M) are not supported: they differ between PostgreSQL and ICU"#),
        RegexRefusalCase(
            #"\yx"#, at: 0,
            #"word-boundary escapes (\b \B \y \Y \m \M) are not supported: they differ between PostgreSQL and ICU"#),
        RegexRefusalCase(
            #"\mx\M"#, at: 0,
            #"word-boundary escapes (\b \B \y \Y \m \M) are not supported: they differ between PostgreSQL and ICU"#),
        RegexRefusalCase(#"\Aabc"#, at: 0, #"the anchor escape \A is not supported; use ^ and $"#),
        RegexRefusalCase(#"abc\Z"#, at: 3, #"the anchor escape \Z is not supported; use ^ and $"#),
        RegexRefusalCase(#"\x41"#, at: 0, #"code-point escapes (\x) are not supported; write the character itself"#),
        RegexRefusalCase(#"\u0041"#, at: 0, #"code-point escapes (\u) are not supported; write the character itself"#),
        RegexRefusalCase(#"\p{L}"#, at: 0, #"Unicode property escapes (\p) are not supported"#),
        RegexRefusalCase(#"\Qa.b\E"#, at: 0, #"\Q…\E quoting is not supported; escape each character instead"#),
        RegexRefusalCase(#"a\q"#, at: 1, #"unknown escape \q"#),
        RegexRefusalCase(#"\a"#, at: 0, #"unknown escape \a"#),
        RegexRefusalCase(#"\v"#, at: 0, #"unknown escape \v"#),
        RegexRefusalCase(#"\é"#, at: 0, "escaping a non-ASCII character is not supported; write it without the backslash"),
        RegexRefusalCase(#"abc\"#, at: 3, "trailing backslash: there is nothing to escape"),
        RegexRefusalCase("a++", at: 2, "possessive quantifiers are not supported"),
        RegexRefusalCase("a*+", at: 2, "possessive quantifiers are not supported"),
        RegexRefusalCase("a{2}+", at: 4, "possessive quantifiers are not supported"),
        RegexRefusalCase(
            "a**", at: 2, "a quantifier cannot follow another quantifier; wrap the repeated part in (?: ) first"),
        RegexRefusalCase(
            "a*?*", at: 3, "a quantifier cannot follow another quantifier; wrap the repeated part in (?: ) first"),
        RegexRefusalCase(
            "a{2}{3}", at: 4, "a quantifier cannot follow another quantifier; wrap the repeated part in (?: ) first"),
        RegexRefusalCase("*a", at: 0, "the quantifier '*' has nothing to repeat"),
        RegexRefusalCase("a|+b", at: 2, "the quantifier '+' has nothing to repeat"),
        RegexRefusalCase("(?a)", at: 0, "inline options and other (? forms are not supported; only (?: ) is (matching is always case-insensitive)"),
        RegexRefusalCase("x(?:?a)", at: 4, "the quantifier '?' has nothing to repeat"),
        RegexRefusalCase("{2}a", at: 0, #"'{' has nothing to repeat; write \{ for a literal brace"#),
        RegexRefusalCase("^*", at: 1, "a quantifier cannot be applied to the anchor '^'"),
        RegexRefusalCase("a$+", at: 2, "a quantifier cannot be applied to the anchor '$'"),
        RegexRefusalCase("(abc", at: 0, "unbalanced '(': missing ')'"),
        RegexRefusalCase("a(b(c)", at: 1, "unbalanced '(': missing ')'"),
        RegexRefusalCase("abc)", at: 3, "unbalanced ')': there is no open group to close"),
        RegexRefusalCase("(a))b", at: 3, "unbalanced ')': there is no open group to close"),
        RegexRefusalCase("[abc", at: 0, "unbalanced '[': missing ']'"),
        RegexRefusalCase("a(b[c)", at: 3, "unbalanced '[': missing ']'"),
        RegexRefusalCase("[]", at: 0, "unbalanced '[': missing ']'"),
        RegexRefusalCase("a}", at: 1, #"an unmatched '}' must be escaped as \} (ICU refuses it)"#),
        RegexRefusalCase("a{256}", at: 1, "repetition count exceeds the maximum of 255"),
        RegexRefusalCase("a{1,1000}", at: 1, "repetition count exceeds the maximum of 255"),
        RegexRefusalCase("a{99999999999999999999}", at: 1, "repetition count exceeds the maximum of 255"),
        RegexRefusalCase("a{3,2}", at: 1, "invalid bound {3,2}: the minimum exceeds the maximum"),
        RegexRefusalCase("a{,2}", at: 1, #"'{' must start a bound like {3}, {2,} or {2,5}; write \{ for a literal brace"#),
        RegexRefusalCase("a{x}", at: 1, #"'{' must start a bound like {3}, {2,} or {2,5}; write \{ for a literal brace"#),
        RegexRefusalCase("a{2", at: 1, #"'{' must start a bound like {3}, {2,} or {2,5}; write \{ for a literal brace"#),
        RegexRefusalCase(
            "[[:alpha:]]", at: 1, #"POSIX bracket classes such as [:alpha:] are not supported; use \w, \d, \s or ranges"#),
        RegexRefusalCase(
            "[a[b]", at: 2, #"an unescaped '[' inside a bracket expression is ambiguous (ICU reads a nested set); write \["#),
        RegexRefusalCase(
            "[a&&b]", at: 2, #"'&&' inside a bracket expression is ambiguous (ICU reads an intersection); write \&"#),
        RegexRefusalCase("[a-c-e]", at: 4, #"'-' must be first or last in a bracket expression, or escaped as \-"#),
        RegexRefusalCase(#"[\d-z]"#, at: 3, #"'-' must be first or last in a bracket expression, or escaped as \-"#),
        RegexRefusalCase("[--a]", at: 1, #"a range cannot start with an unescaped '-'; write \-"#),
        RegexRefusalCase("[a--]", at: 3, "invalid range end '-'; escape it"),
        RegexRefusalCase("[z-a]", at: 1, "invalid range z-a: the end is before the start"),
        RegexRefusalCase(#"[a-\d]"#, at: 3, "a class escape cannot end a range"),
        RegexRefusalCase(
            #"[\S]"#, at: 1,
            #"\S inside a bracket expression is not supported (PostgreSQL refuses it); use [^...] or an alternation"#),
        RegexRefusalCase(
            #"x[a\W]"#, at: 3,
            #"\W inside a bracket expression is not supported (PostgreSQL refuses it); use [^...] or an alternation"#),
        RegexRefusalCase(#"[\b]"#, at: 1, #"word-boundary escapes (\b \B \y \Y \m \M) are not supported: they differ between PostgreSQL and ICU"#),
    ]

    @Test(arguments: refusals)
    func refusal(_ refusal: RegexRefusalCase) {
        #expect(throws: LinearRegexError(pattern: refusal.pattern, offset: refusal.offset, message: refusal.message)) {
            _ = try LinearRegex(refusal.pattern)
        }
    }

    @Test func errorDescriptionNamesPatternOffsetAndMessage() {
        let error = LinearRegexError(pattern: #"ab\1"#, offset: 2, message: "back-references are not supported")
        #expect(error.description == #"pattern "ab\1": at character 2: back-references are not supported"#)
    }

    @Test func resourceLimitsAreRefusedClearly() throws {
        let long = String(repeating: "a", count: RegexLimits.maxPatternLength + 1)
        #expect(throws: LinearRegexError(pattern: long, offset: 10_000, message: "the pattern is longer than 10000 characters")) {
            _ = try LinearRegex(long)
        }
        _ = try LinearRegex(String(repeating: "a", count: RegexLimits.maxPatternLength))

        let deep = String(repeating: "(", count: 101) + "a" + String(repeating: ")", count: 101)
        #expect(throws: LinearRegexError(pattern: deep, offset: 100, message: "groups are nested more than 100 deep")) {
            _ = try LinearRegex(deep)
        }
        let nested = String(repeating: "(", count: 100) + "a" + String(repeating: ")", count: 100)
        #expect(try LinearRegex(nested).matches("a"))

        let huge = "((a{200}){200})"
        let expected = LinearRegexError(
            pattern: huge, offset: 0,
            message: "the pattern is too large: it needs more than 20000 automaton states once repetitions are expanded")
        #expect(throws: expected) { _ = try LinearRegex(huge) }
    }

    @Test func firstMatchIsLeftmostLongest() throws {
        let cases: [(pattern: String, text: String, expected: String?)] = [
            ("a|ab", "xabx", "ab"),
            ("(a|ab)(c|bcd)", "abcd", "abcd"),
            ("a*", "baa", ""),
            ("a+", "baaab", "aaa"),
            ("b*$", "abb", "bb"),
            ("x*", "", ""),
            ("", "abc", ""),
            ("^", "abc", ""),
            ("$", "abc", ""),
            ("c|abcd|bcde", "abcde", "abcd"),
            ("(a|b)*c", "xxababcab", "ababc"),
            ("[^a]+", "aéb日a", "éb日"),
            (".", "日本", "日"),
            ("🙂+", "a🙂🙂b", "🙂🙂"),
            ("q", "abc", nil),
            (#"\d+(\.\d+)?"#, "v=12.50 ", "12.50"),
        ]
        for (pattern, text, expected) in cases {
            let regex = try LinearRegex(pattern)
            let range = regex.firstMatch(in: text)
            #expect(range.map { String(text[$0]) } == expected, "\(pattern) on \(text)")
        }
        // Ranges are valid String indices at scalar boundaries, with the right offsets.
        let text = "aé日🙂x"
        let range = try #require(try LinearRegex("é.🙂").firstMatch(in: text))
        #expect(text.utf8.distance(from: text.startIndex, to: range.lowerBound) == 1)
        #expect(text.utf8.distance(from: text.startIndex, to: range.upperBound) == 10)
        #expect(text.unicodeScalars[range].count == 3)
    }

    @Test func setReportsEveryMatchingRegexInOrder() throws {
        let set = LinearRegexSet(try ["b", "^a", "c$", "x", "", "A.C"].map { try LinearRegex($0) })
        #expect(set.matchingIndexes(in: "abc") == [0, 1, 2, 4, 5])
        #expect(set.matchingIndexes(in: "") == [4])
        #expect(set.matchingIndexes(in: "zzz") == [4])
        #expect(LinearRegexSet([]).matchingIndexes(in: "abc") == [])
        #expect(set.regexes.map(\.pattern) == ["b", "^a", "c$", "x", "", "A.C"])
    }

    @Test func setsLargerThanOneMaskWord() throws {
        let patterns = (0..<150).map { "k\($0)x" }
        let set = LinearRegexSet(try patterns.map { try LinearRegex($0) })
        #expect(set.matchingIndexes(in: "k7x k64x k149x k3") == [7, 64, 149])
        #expect(set.matchingIndexes(in: "nothing") == [])
    }

    @Test func sharedAcrossConcurrentTasks() async throws {
        let set = LinearRegexSet(try [#"rm\s+-rf"#, "git push", #"\.env$"#].map { try LinearRegex($0) })
        let texts = ["rm -rf x", "git push", "cat .env", "ls"]
        let expected: [[Int]] = [[0], [1], [2], []]
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for task in 0..<32 {
                group.addTask {
                    for round in 0..<50 {
                        let index = (task + round) % texts.count
                        if set.matchingIndexes(in: texts[index]) != expected[index] { return false }
                        if set.regexes[0].matches(texts[index]) != (index == 0) { return false }
                    }
                    return true
                }
            }
            for try await result in group { #expect(result) }
        }
    }
}
