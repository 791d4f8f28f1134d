import CoordinatorCore
import Foundation
import Synchronization
import Testing

/// Collects what the dispatcher and the services record (the audit trail's place), for assertions.
final class CollectingRecorder: OperationRecorder {
    private let records = Mutex<[OperationRecord]>([])
    func record(_ record: OperationRecord) async { records.withLock { $0.append(record) } }
    var all: [OperationRecord] { records.withLock { $0 } }
}

@Suite("Safety layer: guardrail hooks, profiles and network checks through the dispatcher, on every backend")
struct SafetyConformanceTests {
    struct Fixture {
        let db: TestDatabase
        let dispatcher: OperationDispatcher
        let recorder: CollectingRecorder

        init(_ db: TestDatabase, config: CoordinatorConfig? = nil) {
            self.db = db
            recorder = CollectingRecorder()
            let coordinator = config.map { Coordinator(config: $0, database: db.client) } ?? db.coordinator()
            dispatcher = OperationDispatcher(coordinator: coordinator, recorder: recorder)
        }

        /// `codex` agents get codex-cloud-worker (trust 2), `claude_code` ones claude-code-cli (trust 3, elevated `*`).
        func call(_ operation: String, _ arguments: JSONObject, as agent: String, type: String = "codex") async throws -> JSONValue {
            try await dispatcher.call(operation, arguments: arguments, context: db.context(agent, type: type))
        }
    }

    @Test(arguments: TestBackend.available)
    func checkGuardrailsUsesTheCallersTrustAndRecordsEveryMatch(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let fixture = Fixture(db)
            let standard = try await fixture.call("check_guardrails", ["operation_text": "sudo git push -f origin main"], as: "worker")
            #expect(standard["safe"] == false)
            #expect(standard["trust_level"] == 2)
            #expect(standard["error"] == "destructive_operation_blocked")
            #expect(standard["patterns"] == ["git_force_push"])
            #expect(standard["violations"]?.arrayValue?.first?["matched_text"] == "git push --force", "the canonical line's match")

            let trusted = try await fixture.call("check_guardrails", ["operation_text": "sudo git push -f origin main"], as: "cli",
                                                 type: "claude_code")
            #expect(trusted["safe"] == true, "trust 3 with '*' elevated")
            #expect(trusted["violations"]?.arrayValue?.first?["elevated"] == true)

            let benign = try await fixture.call("check_guardrails", ["operation_text": #"grep -rn "rm -rf" scripts/"#], as: "worker")
            #expect(benign == ["safe": true, "violations": [], "trust_level": 2])

            let rows = try await db.client.query("guardrail_violations", filter: RowFilter().ordered(by: "agent_id"), select: nil)
            #expect(rows.map { $0["agent_id"] } == ["cli", "worker"])
            #expect(rows.map { $0["elevated"] } == [true, false])
            #expect(rows.map { $0["blocked"] } == [false, true])
            #expect(rows[1]["operation_text"] == "sudo git push -f origin main")
            #expect(rows[1]["context"]?["origin"] == "check_guardrails")
            let audited = fixture.recorder.all.filter { $0.operation == "guardrail_violation" }
            #expect(audited.map(\.identity.agentId).sorted() == ["cli", "worker"], "blocked and elevated matches are both audited")
            #expect(audited.first { $0.identity.agentId == "worker" }?.success == false)
        }
    }

    @Test(arguments: TestBackend.available)
    func credentialFilesBlockEveryoneAndFileAnApproval(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let fixture = Fixture(db)
            for (agent, type) in [("worker", "codex"), ("cli", "claude_code")] {
                let result = try await fixture.call("check_guardrails", ["operation_text": "echo KEY=1 >> config/.env"], as: agent, type: type)
                #expect(result["safe"] == false, "\(type)")
                #expect(result["error"] == "credential_file_protected")
                #expect(result["requires"] == "manual_review")
                #expect(result["approval_id"]?.stringValue != nil)
            }
            let again = try await fixture.call("check_guardrails", ["operation_text": "echo KEY=1 >> config/.env"], as: "worker")
            let pending = try #require(try await db.client.rpc("get_pending_approvals", [:])["approvals"]?.arrayValue)
            #expect(pending.count == 2, "one pending request per agent and text")
            #expect(pending.contains { $0["id"] == again["approval_id"] })

            // Locking a credential file needs elevated trust.
            let refused = try await fixture.call("acquire_lock", ["file_path": "deploy/.env.production"], as: "worker")
            #expect(refused["success"] == false)
            #expect(refused["reason"] == "credential_file_protected")
            #expect(refused["requires"] == "elevated_trust")
            #expect(try await db.client.query("file_locks").isEmpty)
            let lockRows = try await db.client.query("guardrail_violations").filter { $0["context"]?["origin"] == "acquire_lock" }
            #expect(lockRows.map { $0["blocked"] } == [true], "the refused lock is recorded")
            let locked = try await fixture.call("acquire_lock", ["file_path": "deploy/.env.production"], as: "cli", type: "claude_code")
            #expect(locked["success"] == true)
            let elevatedRows = try await db.client.query("guardrail_violations").filter { $0["context"]?["origin"] == "acquire_lock" }
            #expect(elevatedRows.map { $0["elevated"] }.contains(true), "the elevated lock is recorded too")
        }
    }

    @Test(arguments: TestBackend.available)
    func workQueueHooks(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let fixture = Fixture(db)
            // submit_work: a standard agent cannot queue a destructive task; nothing is inserted.
            let refused = try await fixture.call("submit_work", ["task_type": "ops", "description": "clean up: rm -fr /var/lib/app"],
                                                 as: "worker")
            #expect(refused["success"] == false)
            #expect(refused["reason"] == "destructive_operation_blocked")
            #expect(refused["approval_required"] == true)
            #expect(try await db.client.query("work_queue").isEmpty)

            // An elevated agent may queue it; a standard agent that claims it gets it failed at once.
            let queued = try await fixture.call("submit_work", [
                "task_type": "deploy", "description": "ship it", "input_data": ["steps": ["kubectl --context prod apply -f k8s/"]],
            ], as: "lead", type: "claude_code")
            let taskId = try #require(queued["task_id"]?.stringValue)
            let claimed = try await fixture.call("get_work", [:], as: "worker")
            #expect(claimed["success"] == false)
            #expect(claimed["reason"] == "destructive_operation_blocked")
            #expect(claimed["patterns"] == ["deploy_command"])
            let task = try #require(try await db.client.query("work_queue", filter: RowFilter().equal("id", .string(taskId)), select: nil).first)
            #expect(task["status"] == "failed")
            #expect(task["error_message"] == "Blocked by guardrails: deploy_command")

            // complete_work: a result carrying a blocked operation is refused and the task stays claimed.
            _ = try await fixture.call("submit_work", ["task_type": "docs", "description": "update the README"], as: "lead", type: "claude_code")
            let docs = try await fixture.call("get_work", [:], as: "worker")
            let docsId = try #require(docs["task_id"]?.stringValue)
            let completed = try await fixture.call("complete_work", [
                "task_id": .string(docsId), "success": true, "result": ["ran": ["git add -A", "git push origin +main"]],
            ], as: "worker")
            #expect(completed == [
                "success": false, "reason": "destructive_operation_blocked", "task_id": .string(docsId), "status": "claimed",
                "error": "destructive_operation_blocked", "patterns": ["git_force_push"], "approval_required": true,
            ])
            let row = try #require(try await db.client.query("work_queue", filter: RowFilter().equal("id", .string(docsId)), select: nil).first)
            #expect(row["status"] == "claimed")
            // A failure report is not screened, and a clean result completes.
            let done = try await fixture.call("complete_work", ["task_id": .string(docsId), "success": true, "result": ["ran": ["git push"]]],
                                              as: "worker")
            #expect(done["success"] == true)
        }
    }

    @Test(arguments: TestBackend.available)
    func profilesAreEnforcedInTheDispatcher(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let fixture = Fixture(db)
            // The reviewer profile: trust 1, read operations only.
            let reviewer = try #require(try await db.client.query("agent_profiles", filter: RowFilter().equal("name", "claude-code-web-reviewer"),
                                                                  select: ["id"]).first?["id"])
            try await db.client.insert("agent_profile_assignments", row: ["agent_id": "rev", "profile_id": reviewer])
            await #expect {
                try await fixture.call("acquire_lock", ["file_path": "a.swift"], as: "rev", type: "claude_code")
            } throws: { error in
                guard case DispatchError.denied(_, let reason) = error else { return false }
                return reason.hasPrefix("insufficient_trust_level")
            }
            #expect(try await fixture.call("check_locks", [:], as: "rev", type: "claude_code")["locks"] == [])
            let profile = try await fixture.call("get_my_profile", [:], as: "rev", type: "claude_code")
            #expect(profile["profile"]?["name"] == "claude-code-web-reviewer")
            #expect(profile["source"] == "assignment")
            #expect(profile["cached"] == true, "the dispatcher's profile check looked it up first")
            #expect(profile["trust_level"] == 1)
            // codex-cloud-worker does not list write_handoff.
            await #expect {
                try await fixture.call("write_handoff", ["summary": "x"], as: "worker")
            } throws: { error in
                guard case DispatchError.denied(_, let reason) = error else { return false }
                return reason.hasPrefix("operation_not_permitted")
            }
            let denials = fixture.recorder.all.filter { $0.success == false && $0.errorMessage?.contains("denied") == true }
            #expect(denials.count == 2, "a refused call is recorded once")
        }
    }

    @Test(arguments: TestBackend.available)
    func resourceLimitsWithAnInjectedClock(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let fixture = Fixture(db)
            let row = try #require(try await db.client.insert("agent_profiles", row: [
                "name": "tight", "agent_type": "codex", "trust_level": 2, "max_file_modifications": 2,
                "max_execution_time_seconds": 600, "max_api_calls_per_hour": 6,
            ]))
            try await db.client.insert("agent_profile_assignments", row: ["agent_id": "tight-1", "profile_id": row["id"]!])
            func denial(_ operation: String, _ arguments: JSONObject) async -> String? {
                do {
                    _ = try await fixture.call(operation, arguments, as: "tight-1")
                    return nil
                } catch DispatchError.denied(_, let reason) {
                    return reason
                } catch {
                    return "error: \(error)"
                }
            }
            #expect(await denial("register_session", [:]) == nil)                        // call 1: the session starts now
            #expect(await denial("acquire_lock", ["file_path": "a.swift"]) == nil)       // 2
            #expect(await denial("acquire_lock", ["file_path": "b.swift"]) == nil)       // 3
            #expect(await denial("acquire_lock", ["file_path": "c.swift"])?.hasPrefix("resource_limit_exceeded") == true)
            #expect(await denial("acquire_lock", ["file_path": "a.swift"]) == nil, "re-locking a counted file")  // 4
            db.clock.advance(by: 601)
            #expect(await denial("get_work", [:])?.contains("past the limit of 600 s") == true)
            #expect(await denial("release_lock", ["file_path": "a.swift"]) == nil, "wrap-up stays possible")  // 5
            #expect(await denial("check_locks", [:]) == nil)                               // 6
            #expect(await denial("check_locks", [:])?.contains("calls in the last hour") == true)
            db.clock.advance(by: 3600)
            #expect(await denial("check_locks", [:]) == nil, "the hourly window slid")
            #expect(await denial("register_session", [:]) == nil, "a new session")
            #expect(await denial("acquire_lock", ["file_path": "c.swift"]) == nil, "files and time count per session")
        }
    }

    @Test(arguments: TestBackend.available)
    func checkNetworkNormalisesAndDefaultsByAgentType(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let fixture = Fixture(db)
            let github = try await fixture.call("check_network", ["domain": "API.GitHub.com."], as: "worker")
            #expect(github["allowed"] == true)
            #expect(github["domain"] == "api.github.com")
            #expect(github["reason"] == "allowlist_match")
            let cloud = try await fixture.call("check_network", ["domain": "example.org"], as: "worker")
            #expect(cloud["allowed"] == false)
            #expect(cloud["reason"] == "default_deny")
            let local = try await fixture.call("check_network", ["domain": "example.org"], as: "laptop", type: "claude_code")
            #expect(local["reason"] == "default_allow")
            let idn = try await fixture.call("check_network", ["domain": "Bücher.example"], as: "laptop", type: "claude_code")
            #expect(idn["domain"] == "xn--bcher-kva.example")
            await #expect(throws: DispatchError.self) { try await fixture.call("check_network", ["domain": "https://x.org/"], as: "worker") }
            let logged = try await db.client.query("network_access_log")
            #expect(logged.count == 4, "every decision is logged; bad input is not")
        }
    }

    @Test(arguments: TestBackend.available)
    func fallbackPatternsKeepBlockingWhenTheDatabaseIsDown(_ backend: TestBackend) async throws {
        // A real database that goes away: every blocking category still blocks with the built-in registry, and without
        // the fallback the check fails instead of passing.
        let samples = ["git push --force origin main", "rm -rf /srv/app", "DROP TABLE users;", "cat .env", "terraform apply"]
        for fallback in [true, false] {
            let db = try await TestDatabase.make(backend, poolMax: 2)
            let config = CoordinatorConfig(agent: AgentConfig(agentId: "test"), guardrails: GuardrailsConfig(codeFallback: fallback))
            let coordinator = Coordinator(config: config, database: db.client)
            await db.stop()
            let context = db.context("worker", type: "codex")
            for text in samples {
                if fallback {
                    let result = try await coordinator.guardrails.check(GuardrailSubject(text: text), context: context, origin: "test")
                    #expect(result.safe == false, "\(text)")
                    #expect(try await coordinator.guardrails.patterns(now: context.clock.now()).source == "fallback")
                } else {
                    await #expect(throws: (any Error).self, "\(text): fails closed") {
                        try await coordinator.guardrails.check(GuardrailSubject(text: text), context: context, origin: "test")
                    }
                }
            }
            let categories = Set(GuardrailRegistry.builtIn.filter { $0.severity == .block }.map(\.category))
            #expect(categories == Set(GuardrailPattern.Category.allCases), "every category has a blocking pattern")
        }
    }
}
