import CoordinatorCore
import Foundation
import Testing

@Suite("coordinator memory, run as a real process on the embedded database")
struct MemoryCLITests {
    @Test func rememberMergesAndRecallRanks() throws {
        let cli = try CoordinatorProcess()
        defer { cli.remove() }
        let stored = try cli.run(["memory", "remember", "Parser crashed on emoji", "--type", "error", "--outcome", "negative",
                                  "--tag", "parser", "--lesson", "test non-ASCII input", "--details", #"{"file":"Parser.swift"}"#,
                                  "--json"], agent: "alice")
        #expect(stored.status == 0, "\(stored.stderr)")
        #expect(try stored.json["action"] == "created")
        let id = try #require(try stored.json["memory_id"]?.stringValue)

        let again = try cli.run(["memory", "remember", "Parser crashed on emoji", "--type", "error", "--tag", "unicode"], agent: "alice")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("merged into memory \(id)"))
        #expect(try cli.run(["memory", "remember", "Docs build in 3 s", "--type", "success", "--tag", "docs"], agent: "bob").status == 0)

        let recalled = try cli.run(["memory", "recall", "why does the parser crash", "--json"], agent: "carol")
        #expect(recalled.status == 0, "\(recalled.stderr)")
        let items = try #require(try recalled.json["memories"]?.arrayValue)
        #expect(items.map { $0["summary"] } == ["Parser crashed on emoji", "Docs build in 3 s"])
        #expect(items.first?["tags"] == ["parser", "unicode"])
        #expect(items.first?["details"] == ["file": "Parser.swift"])

        let filtered = try cli.run(["memory", "recall", "--tag", "docs", "--agent", "bob", "--limit", "5"], agent: "carol")
        #expect(filtered.status == 0)
        #expect(filtered.stdout.contains("[success] Docs build in 3 s"))
        #expect(!filtered.stdout.contains("Parser"))
        #expect(try cli.run(["memory", "recall", "--type", "decision"], agent: "carol").stdout.contains("no memories"))
        #expect(try cli.run(["memory", "recall", "--help"]).stdout.contains("--min-relevance"))
    }
}
