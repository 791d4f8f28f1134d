import CoordinatorCore
import Foundation
import Testing

@Suite("Episodic memory behaves the same on every backend")
struct MemoryConformanceTests {
    private static let day: TimeInterval = 86_400

    private func memories(_ result: JSONValue) throws -> [JSONValue] {
        try #require(result["memories"]?.arrayValue)
    }

    private func rowCount(_ db: TestDatabase) async throws -> Int {
        try await db.client.query("memory_episodic", filter: RowFilter(), select: ["id"]).count
    }

    @Test(arguments: TestBackend.available)
    func rememberCreatesAndRecallReturnsIt(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let memory = db.coordinator().memory
            #expect(try memories(try await memory.recall(.init(), context: db.context("alice"))).isEmpty)

            let stored = try await memory.remember(
                .init(eventType: "error", summary: "Parser crashed on emoji", details: ["file": "Sources/Parser.swift"],
                      outcome: "negative", lessons: ["test non-ASCII input"], tags: ["parser", "unicode"]),
                context: db.context("alice", session: "s-1"))
            #expect(stored["success"] == true)
            #expect(stored["action"] == "created")
            let id = try #require(stored["memory_id"]?.stringValue)
            #expect(UUID(uuidString: id) != nil)

            let recalled = try memories(try await memory.recall(.init(), context: db.context("bob")))
            #expect(recalled.count == 1, "every agent's memories by default")
            let item = try #require(recalled.first)
            #expect(item["id"] == .string(id))
            #expect(item["agent_id"] == "alice")
            #expect(item["session_id"] == "s-1")
            #expect(item["event_type"] == "error")
            #expect(item["summary"] == "Parser crashed on emoji")
            #expect(item["details"] == ["file": "Sources/Parser.swift"])
            #expect(item["outcome"] == "negative")
            #expect(item["lessons"] == ["test non-ASCII input"])
            #expect(item["tags"] == ["parser", "unicode"])
            #expect(item["relevance_score"]?.doubleValue == 1)
            #expect(abs((item["decayed_relevance"]?.doubleValue ?? 0) - 1) < 1e-9)
            #expect(abs((item["score"]?.doubleValue ?? 0) - 1) < 1e-9)
            #expect(item["created_at"]?.stringValue.flatMap(Timestamp.parse) == db.clock.now())

            #expect(try memories(try await memory.recall(.init(agentId: "bob"), context: db.context("bob"))).isEmpty)
            #expect(try memories(try await memory.recall(.init(agentId: "alice"), context: db.context("bob"))).count == 1)
        }
    }

    @Test(arguments: TestBackend.available)
    func repeatWithinTheWindowMergesAfterItCreates(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let memory = db.coordinator().memory
            let alice = db.context("alice")
            let first = try await memory.remember(
                .init(eventType: "decision", summary: "Use WAL mode", details: ["why": "readers", "keep": 1],
                      lessons: ["measure first"], tags: ["sqlite", "perf"]), context: alice)
            let id = try #require(first["memory_id"]?.stringValue)

            db.clock.advance(minutes: 30)
            let again = try await memory.remember(
                .init(eventType: "decision", summary: "Use WAL mode", details: ["why": "concurrent readers", "new": true],
                      outcome: "positive", lessons: ["measure first", "check fsync"], tags: ["perf", "wal", "wal"]),
                context: alice)
            #expect(again["success"] == true)
            #expect(again["action"] == "deduplicated")
            #expect(again["memory_id"] == .string(id))
            #expect(try await rowCount(db) == 1)

            let merged = try #require(try memories(try await memory.recall(.init(), context: alice)).first)
            #expect(merged["tags"] == ["sqlite", "perf", "wal"], "stored tags first, new ones appended once")
            #expect(merged["lessons"] == ["measure first", "check fsync"])
            #expect(merged["details"] == ["why": "concurrent readers", "keep": 1, "new": true], "shallow merge, new values win")
            #expect(merged["outcome"] == "positive")

            // Another agent, another event type or another summary is another memory.
            #expect(try await memory.remember(.init(eventType: "decision", summary: "Use WAL mode"), context: db.context("bob"))["action"] == "created")
            #expect(try await memory.remember(.init(eventType: "discovery", summary: "Use WAL mode"), context: alice)["action"] == "created")
            #expect(try await memory.remember(.init(eventType: "decision", summary: "Use WAL mode."), context: alice)["action"] == "created")

            // The window counts from the first memory: exactly 60 minutes later it is over.
            db.clock.advance(minutes: 30)
            let later = try await memory.remember(.init(eventType: "decision", summary: "Use WAL mode"), context: alice)
            #expect(later["action"] == "created")
            #expect(later["memory_id"] != .string(id))
            #expect(try await rowCount(db) == 5)
        }
    }

    @Test(arguments: TestBackend.available)
    func aZeroWindowNeverMerges(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let config = CoordinatorConfig(agent: AgentConfig(agentId: "test"), memory: MemoryConfig(dedupWindowMinutes: 0))
            let memory = Coordinator(config: config, database: db.client).memory
            for _ in 0..<2 {
                let stored = try await memory.remember(.init(summary: "same"), context: db.context("alice"))
                #expect(stored["action"] == "created")
            }
            #expect(try await rowCount(db) == 2)
        }
    }

    @Test(arguments: TestBackend.available)
    func filtersByTagAndEventType(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let memory = db.coordinator().memory
            let alice = db.context("alice")
            _ = try await memory.remember(.init(eventType: "error", summary: "lexer bug", tags: ["lexer"]), context: alice)
            _ = try await memory.remember(.init(eventType: "success", summary: "parser fast", tags: ["parser", "perf"]), context: alice)
            _ = try await memory.remember(.init(eventType: "error", summary: "no tags at all"), context: alice)

            let parser = try memories(try await memory.recall(.init(tags: ["parser", "docs"]), context: alice))
            #expect(parser.map { $0["summary"] } == ["parser fast"])
            #expect(abs((parser.first?["tag_overlap"]?.doubleValue ?? 0) - 0.5) < 1e-9)
            let errors = try memories(try await memory.recall(.init(eventType: "error"), context: alice))
            #expect(Set(errors.compactMap { $0["summary"]?.stringValue }) == ["lexer bug", "no tags at all"])
            let both = try memories(try await memory.recall(.init(tags: ["lexer", "perf"], eventType: "error"), context: alice))
            #expect(both.map { $0["summary"] } == ["lexer bug"])
            #expect(try memories(try await memory.recall(.init(tags: ["nothing"]), context: alice)).isEmpty)
            #expect(try memories(try await memory.recall(.init(limit: 2), context: alice)).count == 2)
        }
    }

    @Test(arguments: TestBackend.available)
    func sharedTagsAndMatchingTextRankHigher(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let memory = db.coordinator().memory
            let alice = db.context("alice")
            _ = try await memory.remember(.init(summary: "one tag", tags: ["swift"]), context: alice)
            db.clock.advance(by: 1)
            _ = try await memory.remember(.init(summary: "two tags", tags: ["swift", "concurrency"]), context: alice)
            db.clock.advance(by: 1)
            _ = try await memory.remember(.init(summary: "other tag, newest", tags: ["concurrency"]), context: alice)

            let byTags = try memories(try await memory.recall(.init(tags: ["swift", "concurrency"]), context: alice))
            #expect(byTags.map { $0["summary"] } == ["two tags", "other tag, newest", "one tag"])
            let top = try #require(byTags.first)
            #expect(abs((top["score"]?.doubleValue ?? 0) - 2 * (top["decayed_relevance"]?.doubleValue ?? 0)) < 1e-9)

            db.clock.advance(by: 1)
            _ = try await memory.remember(.init(eventType: "error", summary: "Deadlock in the actor scheduler",
                                                lessons: ["never block inside an actor"]), context: alice)
            db.clock.advance(by: 1)
            _ = try await memory.remember(.init(eventType: "success", summary: "Release notes published"), context: alice)
            let byText = try memories(try await memory.recall(
                .init(taskDescription: "why does the scheduler deadlock?"), context: alice))
            #expect(byText.count == 5, "memories without a text match are still recalled")
            #expect(byText.first?["summary"] == "Deadlock in the actor scheduler")
            #expect(byText.first?["text_match"]?.doubleValue == 1)
            #expect(byText.dropFirst().allSatisfy { $0["text_match"]?.doubleValue == 0 })
            #expect(byText[1]["summary"] == "Release notes published", "the rest by recency")

            let byLesson = try memories(try await memory.recall(.init(taskDescription: "blocking"), context: alice))
            #expect(byLesson.first?["summary"] == "Deadlock in the actor scheduler", "lessons are searched too (stemmed)")
            let noWords = try memories(try await memory.recall(.init(taskDescription: "the of and"), context: alice))
            #expect(noWords.allSatisfy { $0["text_match"]?.doubleValue == 0 })
        }
    }

    @Test(arguments: TestBackend.available)
    func relevanceDecaysWithAge(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let memory = db.coordinator().memory
            let start = db.clock.now()
            _ = try await memory.remember(.init(summary: "old"), context: db.context("alice"))
            db.clock.advance(by: 2 * Self.day)
            _ = try await memory.remember(.init(summary: "newer"), context: db.context("alice"))
            db.clock.set(start.addingTimeInterval(5 * Self.day + 6 * 3600))

            let recalled = try memories(try await memory.recall(.init(), context: db.context("alice")))
            #expect(recalled.map { $0["summary"] } == ["newer", "old"])
            let expected = [exp(-0.1 * 3.25), exp(-0.1 * 5.25)]
            for (item, value) in zip(recalled, expected) {
                let decayed = try #require(item["decayed_relevance"]?.doubleValue)
                #expect(abs(decayed - value) < 1e-9, "\(item["summary"] ?? .null): \(decayed) vs \(value)")
                #expect(abs((item["score"]?.doubleValue ?? 0) - value) < 1e-9)
                #expect(item["relevance_score"]?.doubleValue == 1)
            }
        }
    }

    @Test(arguments: TestBackend.available)
    func minRelevanceAppliesToTheFinalScore(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let memory = db.coordinator().memory
            let alice = db.context("alice")
            _ = try await memory.remember(.init(summary: "ten days old"), context: alice)
            db.clock.advance(by: 10 * Self.day)
            _ = try await memory.remember(.init(summary: "fresh compiler crash"), context: alice)
            _ = try await memory.remember(.init(summary: "fresh but unrelated"), context: alice)

            // Raw relevance is 1.0 for all three; the decayed score of the old one is e^-1 ≈ 0.37.
            let half = try memories(try await memory.recall(.init(minRelevance: 0.5), context: alice))
            #expect(Set(half.compactMap { $0["summary"]?.stringValue }) == ["fresh compiler crash", "fresh but unrelated"])
            // A text match doubles the score of the matching memory only.
            let boosted = try memories(try await memory.recall(.init(taskDescription: "compiler crash", minRelevance: 1.5), context: alice))
            #expect(boosted.map { $0["summary"] } == ["fresh compiler crash"])
            #expect(try memories(try await memory.recall(.init(minRelevance: 3.5), context: alice)).isEmpty)
        }
    }

    @Test(arguments: TestBackend.available)
    func concurrentIdenticalRemembersStoreOneMemory(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend, poolMax: 16) { db in
            let memory = db.coordinator().memory
            let alice = db.context("alice")
            let outcomes = try await withThrowingTaskGroup(of: JSONValue.self) { group in
                for caller in 0..<16 {
                    group.addTask {
                        try await memory.remember(.init(eventType: "error", summary: "flaky test", tags: ["t\(caller)"]), context: alice)
                    }
                }
                return try await group.reduce(into: [JSONValue]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0["action"] == "created" }.count == 1)
            #expect(outcomes.filter { $0["action"] == "deduplicated" }.count == 15)
            #expect(Set(outcomes.compactMap { $0["memory_id"]?.stringValue }).count == 1)
            #expect(try await rowCount(db) == 1)
            let stored = try #require(try memories(try await memory.recall(.init(), context: alice)).first)
            #expect(Set(stored["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []) == Set((0..<16).map { "t\($0)" }))
        }
    }

    @Test(arguments: TestBackend.available)
    func badInputIsRefused(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let memory = db.coordinator().memory
            let alice = db.context("alice")
            await #expect(throws: InputError.self) { try await memory.remember(.init(summary: "  "), context: alice) }
            await #expect(throws: InputError.self) { try await memory.remember(.init(eventType: "rumour", summary: "x"), context: alice) }
            await #expect(throws: InputError.self) { try await memory.remember(.init(summary: "x", outcome: "great"), context: alice) }
            await #expect(throws: InputError.self) { try await memory.recall(.init(limit: 0), context: alice) }
            await #expect(throws: InputError.self) { try await memory.recall(.init(limit: 101), context: alice) }
            await #expect(throws: InputError.self) { try await memory.recall(.init(minRelevance: -0.1), context: alice) }
            await #expect(throws: InputError.self) { try await memory.recall(.init(eventType: "rumour"), context: alice) }

            let direct: [(JSONObject, String)] = [
                (["p_agent_id": " ", "p_summary": "x"], "invalid_agent_id"),
                (["p_agent_id": "a"], "invalid_summary"),
                (["p_agent_id": "a", "p_summary": "x", "p_details": [1, 2]], "invalid_details"),
                (["p_agent_id": "a", "p_summary": "x", "p_dedup_window_minutes": -1], "dedup_window_out_of_range"),
            ]
            for (parameters, reason) in direct {
                let result = try await db.client.rpc("store_episodic_memory", parameters)
                #expect(result["success"] == false)
                #expect(result["reason"] == .string(reason))
            }
            #expect(try await rowCount(db) == 0)
        }
    }

    @Test(arguments: TestBackend.available)
    func catalogOperations(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let dispatcher = OperationDispatcher(coordinator: db.coordinator())
            let alice = db.context("alice")
            let stored = try await dispatcher.call(
                "remember", arguments: ["summary": "Cache the catalog", "tags": ["perf"], "details": ["ms": 3]], context: alice)
            #expect(stored["action"] == "created")
            let recalled = try await dispatcher.call("recall", arguments: ["tags": ["perf"], "task_description": "catalog"], context: alice)
            let item = try #require(recalled["memories"]?.arrayValue?.first)
            #expect(item["event_type"] == "discovery", "the default event type")
            #expect(abs((item["score"]?.doubleValue ?? 0) - 3) < 1e-9, "all tags shared and the best text match: 3x")
            let refused: [(String, JSONObject, String)] = [
                ("remember", ["summary": "x", "event_type": "gossip"], "event_type"),
                ("remember", ["summary": "x", "details": [1]], "details"),
                ("remember", [:], "summary"),
                ("recall", ["limit": 0], "limit"),
                ("recall", ["min_relevance": "high"], "min_relevance"),
            ]
            for (name, arguments, field) in refused {
                await #expect {
                    try await dispatcher.call(name, arguments: arguments, context: alice)
                } throws: { error in
                    guard case DispatchError.invalidInput(let inputError) = error else { return false }
                    return inputError.field == field
                }
            }
        }
    }
}
