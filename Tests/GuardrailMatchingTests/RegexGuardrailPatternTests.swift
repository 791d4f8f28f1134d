import Foundation
import Testing

@testable import GuardrailMatching

/// The destructive-command patterns the coordinator ships with, on example command lines.
@Suite struct RegexGuardrailPatternTests {
    static let patterns: [String] = [
        #"git\s+push\s+.*--force"#,
        #"git\s+reset\s+--hard"#,
        #"git\s+clean\s+-[fd]"#,
        #"git\s+(branch\s+-D|push\s+.*--delete)"#,
        #"rm\s+-r[f]?\s+/"#,
        #"rm\s+-rf\s+"#,
        #"find\s+.*-delete"#,
        #"DROP\s+(TABLE|DATABASE|SCHEMA)"#,
        #"TRUNCATE\s+(TABLE\s+|ONLY\s+)?[\w."]+(\s*,\s*[\w."]+)*(\s+(CASCADE|RESTRICT|RESTART\s+IDENTITY|CONTINUE\s+IDENTITY))*\s*;"#,
        #"DELETE\s+FROM\s+(ONLY\s+)?[\w."]+(\s+WHERE\s+(1\s*=\s*1|true))?\s*;"#,
        #"(^|[\s/=<>:"'])[\w.-]*\.env(\.(local|production|prod|development|dev|staging|test))?([\s;"']|$)"#,
        #"(/[\w.-]*(credentials|secrets|passwords)|(credentials|secrets|passwords)[\w-]*\.(json|ya?ml|txt|toml|ini|env|xml|conf|cfg|properties|csv))"#,
        #"\.ssh/(id_[\w-]+|authorized_keys)"#,
        #"(kubectl\s+(apply|delete|replace)|terraform\s+(apply|destroy)|docker\s+push|helm\s+(install|upgrade|uninstall))"#,
        #"((npm|pnpm|yarn)\s+publish|cargo\s+publish|twine\s+upload)"#,
    ]

    /// Example lines and the indexes of the patterns that must match them (every other pattern must not).
    static let examples: [(line: String, expected: [Int])] = [
        ("git push --force origin main ;", [0]),
        ("GIT Push origin main --FORCE-with-lease ;", [0]),
        ("git push origin main ;", []),
        ("git reset --hard HEAD~1 ;", [1]),
        ("git reset --soft HEAD~1 ;", []),
        ("git clean -fdx ;", [2]),
        ("git clean -n ;", []),
        ("git branch -D feature ;", [3]),
        ("git push origin --delete old-branch ;", [3]),
        ("git push --force origin --delete old-branch ;", [0, 3]),
        ("rm -rf / ;", [4, 5]),
        ("rm -r /var/lib ;", [4]),
        ("rm -rf build ;", [5]),
        ("rm -f notes.txt ;", []),
        ("find . -name *.tmp -delete ;", [6]),
        ("find . -name *.tmp ;", []),
        ("psql -c drop table users ;", [7]),
        ("DROP DATABASE prod ;", [7]),
        ("TRUNCATE users ;", [8]),
        ("truncate table public.users, \"orders\" restart identity cascade;", [8]),
        ("TRUNCATE users WHERE x ;", []),
        ("DELETE FROM users ;", [9]),
        ("delete from only \"public\".\"users\" where 1 = 1 ;", [9]),
        ("DELETE FROM users WHERE true;", [9]),
        ("DELETE FROM users WHERE id = 1 ;", []),
        ("cat .env ;", [10]),
        (".env", [10]),
        ("echo >> config/.env.local ;", [10]),
        ("source ./.env.production ;", [10]),
        ("grep KEY=\".env\" ;", [10]),
        ("python -c os.environ[X] ;", []),
        ("cp .env.example .env.sample ;", []),
        ("cat ~/.aws/credentials ;", [11]),
        ("cat secrets-prod.yaml ;", [11]),
        ("cat passwords.txt ;", [11]),
        ("cat credentials ;", []),
        ("cat ~/.ssh/id_ed25519 ;", [12]),
        ("cat >> ~/.ssh/authorized_keys ;", [12]),
        ("ls ~/.ssh/ ;", []),
        ("kubectl apply -f deploy.yaml ;", [13]),
        ("kubectl get pods ;", []),
        ("terraform destroy -auto-approve ;", [13]),
        ("docker push registry/app:1 ;", [13]),
        ("helm upgrade app ./chart ;", [13]),
        ("npm publish ;", [14]),
        ("pnpm   publish --tag next ;", [14]),
        ("cargo publish ;", [14]),
        ("twine upload dist/* ;", [14]),
        ("ls -la ;", []),
        ("echo hello world ;", []),
        ("", []),
    ]

    /// Compiled once for the whole suite (building the combined DFA is the slow part in debug builds).
    static let regexes: [LinearRegex] = patterns.compactMap { try? LinearRegex($0) }
    static let set = LinearRegexSet(regexes)

    static func compiled() throws -> [LinearRegex] {
        try patterns.map { try LinearRegex($0) }
    }

    @Test func allPatternsCompileAndFitTheDFACap() throws {
        let regexes = try Self.compiled()
        #expect(Self.regexes.map(\.pattern) == Self.patterns)
        for regex in regexes {
            #expect(regex.dfaStateCount != nil, "\(regex.pattern) fell back to NFA simulation")
        }
        let set = Self.set
        #expect(set.matcher.groups.count == 1, "the 15 patterns should share one DFA")
        let dfa = try #require(set.matcher.groups.first?.dfa)
        print(
            "combined DFA for \(regexes.count) guardrail patterns: \(dfa.stateCount) states, \(dfa.classCount) byte classes; per-pattern states: \(regexes.map { $0.dfaStateCount ?? -1 })"
        )
        #expect(dfa.stateCount < RegexLimits.dfaStateLimit)
    }

    @Test func splittingIntoSeveralDFAsGivesTheSameAnswers() throws {
        let regexes = Self.regexes
        let split = LinearRegexSet(regexes, dfaStateLimit: 300)
        #expect(split.matcher.groups.count > 1)
        #expect(split.matcher.groups.allSatisfy { $0.dfa != nil })
        #expect(split.matcher.groups.flatMap(\.members).sorted() == Array(regexes.indices))
        let mixed = LinearRegexSet(regexes, dfaStateLimit: 60)
        #expect(mixed.matcher.groups.contains { $0.dfa == nil })
        for (line, expected) in Self.examples {
            #expect(split.matchingIndexes(in: line) == expected, "\(line)")
            #expect(mixed.matchingIndexes(in: line) == expected, "\(line)")
        }
    }

    @Test func exampleLinesMatchTheExpectedPatterns() throws {
        let regexes = Self.regexes
        let set = Self.set
        let nfaSet = LinearRegexSet(regexes, dfaStateLimit: 0)
        for (line, expected) in Self.examples {
            #expect(set.matchingIndexes(in: line) == expected, "\(line)")
            #expect(nfaSet.matchingIndexes(in: line) == expected, "NFA simulation: \(line)")
            for (index, regex) in regexes.enumerated() {
                #expect(regex.matches(line) == expected.contains(index), "\(regex.pattern) on \(line)")
            }
        }
    }

    @Test func examplesAgreeWithICU() throws {
        for pattern in Self.patterns {
            let regex = try LinearRegex(pattern)
            let icu = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive, .dotMatchesLineSeparators])
            for (line, _) in Self.examples {
                let expected = icu.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
                #expect(regex.matches(line) == expected, "\(pattern) on \(line)")
            }
        }
    }

    @Test func longLineWithADangerousCommandAtTheEnd() throws {
        let set = Self.set
        let filler = String(repeating: "echo building module a/b/c.swift && ", count: 55)
        #expect(filler.utf8.count > 1_900)
        #expect(set.matchingIndexes(in: filler + "ls ;").isEmpty)
        #expect(set.matchingIndexes(in: filler + "git push -f origin main --force ;") == [0])
        #expect(set.matchingIndexes(in: "rm -rf / ; " + filler + "cat .env") == [4, 5, 10])
    }

    @Test func firstMatchReportsTheLeftmostLongestRange() throws {
        let regex = try LinearRegex(Self.patterns[5])
        let line = "sudo rm  -rf   /tmp ;"
        let range = try #require(regex.firstMatch(in: line))
        #expect(line[range] == "rm  -rf   ")
        let env = try LinearRegex(Self.patterns[10])
        let envLine = "cp x.txt config/.env.local ;"
        let envRange = try #require(env.firstMatch(in: envLine))
        #expect(envLine[envRange] == "/.env.local ")
    }
}
