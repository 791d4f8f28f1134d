import CoordinatorCore
import Foundation
import Testing

@Suite("The coordinator CLI, run as a real process on the embedded database")
struct CLIBehaviourTests {
    @Test func lockLifecycleWithExitStatuses() throws {
        let cli = try CoordinatorProcess()
        defer { cli.remove() }
        let acquired = try cli.run(["lock", "acquire", "src/a.swift", "--reason", "editing", "--ttl", "15", "--json"], agent: "alice")
        #expect(acquired.status == 0, "\(acquired.stderr)")
        #expect(try acquired.json["action"] == "acquired")

        let blocked = try cli.run(["lock", "acquire", "./src/a.swift", "--agent-id", "bob"])
        #expect(blocked.status == 3)
        #expect(blocked.stdout.contains("locked by alice"))

        let listed = try cli.run(["lock", "list", "--json"], agent: "bob")
        #expect(listed.status == 0)
        #expect(try listed.json["locks"]?.arrayValue?.first?["reason"] == "editing")

        #expect(try cli.run(["lock", "release", "src/a.swift"], agent: "bob").status == 3)
        let released = try cli.run(["lock", "release", "src/a.swift"], agent: "alice")
        #expect(released.status == 0)
        #expect(released.stdout.contains("released src/a.swift"))
        #expect(try cli.run(["lock", "list"], agent: "alice").stdout.contains("no active locks"))
    }

    @Test func workLifecycle() throws {
        let cli = try CoordinatorProcess()
        defer { cli.remove() }
        let first = try cli.run(["work", "submit", "--type", "test", "--description", "run tests", "--priority", "2",
                                 "--input", #"{"suite":"all"}"#, "--json"], agent: "lead")
        #expect(first.status == 0, "\(first.stderr)")
        let firstId = try #require(try first.json["task_id"]?.stringValue)
        let second = try cli.run(["work", "submit", "--type", "docs", "--description", "write docs", "--depends-on", firstId, "--json"], agent: "lead")
        let secondId = try #require(try second.json["task_id"]?.stringValue)

        let claim = try cli.run(["work", "claim", "--json"], agent: "worker")
        #expect(try claim.json["task_id"] == .string(firstId))
        #expect(try claim.json["input_data"] == ["suite": "all"])
        #expect(try cli.run(["work", "claim"], agent: "worker").status == 3, "the docs task waits for the tests")
        #expect(try cli.run(["work", "complete", firstId, "--success"], agent: "intruder").status == 3)
        let done = try cli.run(["work", "complete", firstId, "--success", "--result", #"{"passed":12}"#], agent: "worker")
        #expect(done.status == 0, "\(done.stderr)")
        #expect(done.stdout.contains("completed"))
        let got = try cli.run(["work", "get", firstId, "--json"], agent: "anyone")
        #expect(try got.json["task"]?["result"] == ["passed": 12])
        #expect(try cli.run(["work", "claim", "--type", "docs", "--json"], agent: "writer").json["task_id"] == .string(secondId))
        let failed = try cli.run(["work", "complete", secondId, "--failure", "--error", "no time"], agent: "writer")
        #expect(failed.status == 0)
        let list = try cli.run(["work", "list", "--status", "failed", "--json"], agent: "x")
        #expect(try list.json["tasks"]?.arrayValue?.first?["error_message"] == "no time")
    }

    @Test func handoffsAndAgents() throws {
        let cli = try CoordinatorProcess()
        defer { cli.remove() }
        let wrote = try cli.run(["handoff", "write", "--summary", "parser done", "--completed", "lexer", "--completed", "parser",
                                 "--next-step", "codegen", "--file", "Sources/Parser.swift"], agent: "alice",
                                extraEnvironment: ["SESSION_ID": "unregistered-session"])
        #expect(wrote.status == 0, "\(wrote.stderr)")
        let read = try cli.run(["handoff", "read", "--json"], agent: "alice")
        #expect(try read.json["handoffs"]?.arrayValue?.first?["completed_work"] == ["lexer", "parser"])
        #expect(try cli.run(["handoff", "read", "--agent", "alice"], agent: "bob").stdout.contains("parser done"))

        let registered = try cli.run(["agent", "register", "--capability", "swift", "--task", "codegen", "--json"], agent: "alice")
        let session = try #require(try registered.json["session_id"]?.stringValue)
        #expect(try cli.run(["agent", "heartbeat", "--json"], agent: "alice").json["session_id"] == .string(session))
        #expect(try cli.run(["agent", "heartbeat", "--session-id", session], agent: "alice").status == 0)
        #expect(try cli.run(["agent", "heartbeat", "--session-id", "nope"], agent: "alice").status == 3)
        #expect(try cli.run(["agent", "list", "--capability", "swift"], agent: "bob").stdout.contains("alice"))
        // Dead-agent cleanup is an admin operation: the default claude_code profile does not list it, an orchestrator's does.
        let refused = try cli.run(["agent", "cleanup", "--stale-minutes", "15", "--json"], agent: "janitor")
        #expect(refused.status == 3)
        #expect(try refused.json["detail"]?.stringValue?.hasPrefix("operation_not_permitted") == true)
        let cleanup = try cli.run(["agent", "cleanup", "--stale-minutes", "15", "--json"], agent: "janitor",
                                  extraEnvironment: ["AGENT_TYPE": "strands"])
        #expect(try cleanup.json["agents_cleaned"] == 0)
    }

    @Test(arguments: [
        ["lock", "acquire", ""],
        ["lock", "acquire", "src/a.swift", "--ttl", "0"],
        ["lock", "acquire", "src/a.swift", "--ttl", "481"],
        ["lock", "acquire", "/abs/path"],
        ["work", "submit", "--type", "t", "--description", "d", "--priority", "11"],
        ["work", "submit", "--type", "t", "--description", "d", "--depends-on", "3f1c1d0e-0000-4000-8000-000000000000"],
        ["work", "submit", "--type", "t", "--description", "d", "--depends-on", "not-a-uuid"],
        ["work", "submit", "--type", "t", "--description", "d", "--input", "{not json"],
        ["work", "submit", "--type", "t", "--description", "d", "--input", "[1,2]"],
        ["work", "complete", "1234", "--success"],
        ["work", "complete", "3f1c1d0e-0000-4000-8000-000000000000"],
        ["work", "get", "zzz"],
        ["work", "list", "--status", "done"],
        ["agent", "list", "--status", "sleeping"],
        ["lock", "acquire"],
        ["no-such-command"],
        ["memory", "remember", " "],
        ["memory", "remember", "x", "--type", "rumour"],
        ["memory", "remember", "x", "--outcome", "great"],
        ["memory", "remember", "x", "--details", "{not json"],
        ["memory", "remember", "x", "--details", "[1]"],
        ["memory", "remember"],
        ["memory", "recall", "--limit", "0"],
        ["memory", "recall", "--min-relevance", "-1"],
        ["memory", "recall", "--type", "rumour"],
    ])
    func badInputExitsTwoAndWritesNothing(_ arguments: [String]) throws {
        let cli = try CoordinatorProcess()
        defer { cli.remove() }
        let outcome = try cli.run(arguments, agent: "alice")
        #expect(outcome.status == 2, "\(arguments): \(outcome.stdout) \(outcome.stderr)")
        #expect(!outcome.stderr.isEmpty)
        let asJSON = try cli.run(arguments + ["--json"], agent: "alice")
        if asJSON.status == 2, let error = try? asJSON.json {
            #expect(error["success"] == false)
            #expect(error["detail"]?.stringValue?.isEmpty == false)
        }
        #expect(try cli.run(["lock", "list", "--json"], agent: "alice").json == ["locks": []])
        #expect(try cli.run(["work", "list", "--json"], agent: "alice").json == ["tasks": []])
        #expect(try cli.run(["memory", "recall", "--json"], agent: "alice").json == ["memories": []])
    }

    @Test func configurationErrorsNameTheVariable() throws {
        let cli = try CoordinatorProcess()
        defer { cli.remove() }
        let unknown = try cli.run(["lock", "list"], extraEnvironment: ["DB_BACKEND": "oracle"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("DB_BACKEND"))
        let missing = try cli.run(["lock", "list"], extraEnvironment: ["DB_BACKEND": "postgres", "POSTGRES_DSN": ""])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("POSTGRES_DSN"))
        let unreachable = try cli.run(["lock", "list"], extraEnvironment: ["DB_BACKEND": "postgres", "POSTGRES_DSN": "postgres://u@127.0.0.1:1/x"])
        #expect(unreachable.status == 1)
    }

    @Test func helpAndMigrate() throws {
        let cli = try CoordinatorProcess()
        defer { cli.remove() }
        let help = try cli.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("lock"))
        #expect(help.stdout.contains("work"))
        let migrate = try cli.run(["migrate", "--json"])
        #expect(migrate.status == 0)
        #expect(try migrate.json["success"] == true)
        #expect(try cli.run(["migrate"]).stdout.contains("up to date"))
    }
}
