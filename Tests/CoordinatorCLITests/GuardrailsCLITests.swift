import CoordinatorCore
import Foundation
import Testing

/// `coordinator guardrails`, `profile`, `network` and `call`, run as real processes on the embedded database.
@Suite("coordinator guardrails / profile / network, run as a real process")
struct GuardrailsCLITests {
    @Test func checkExitsThreeWhenBlockedAndZeroWhenSafe() async throws {
        try await onOwnThread {
            let cli = try CoordinatorProcess()
            defer { cli.remove() }
            let codex = ["AGENT_TYPE": "codex"]
            let blocked = try cli.run(["guardrails", "check", "bash -c 'rm -fr /srv/app'", "--json"], agent: "w", extraEnvironment: codex)
            #expect(blocked.status == 3)
            #expect(try blocked.json["patterns"] == ["rm_recursive_force", "rm_rf"])
            let safe = try cli.run(["guardrails", "check", #"grep -rn "rm -rf" scripts/"#], agent: "w", extraEnvironment: codex)
            #expect(safe.status == 0)
            #expect(safe.stdout.hasPrefix("safe (trust level 2)"))
            let readable = try cli.run(["guardrails", "check", "git push origin +main"], agent: "w", extraEnvironment: codex)
            #expect(readable.status == 3)
            #expect(readable.stdout.hasPrefix("blocked: destructive_operation_blocked"))
            #expect(readable.stdout.contains("git_force_push (git, blocks)"))
            // Elevated at trust 3 (claude_code's default profile lists '*').
            let elevated = try cli.run(["guardrails", "check", "git push origin +main"], agent: "c")
            #expect(elevated.status == 0)
            #expect(elevated.stdout.contains("git_force_push (git, elevated)"))
            #expect(try cli.run(["guardrails", "check"], agent: "w").status == 2, "nothing to check is a usage error")
            let patterns = try cli.run(["guardrails", "patterns", "--json"], agent: "w")
            #expect(try patterns.json["patterns"]?.arrayValue?.count == 15)
            #expect(try patterns.json["source"] == "database")
        }
    }

    @Test func preToolHookBlocksWithExitTwo() async throws {
        try await onOwnThread {
            let cli = try CoordinatorProcess()
            defer { cli.remove() }
            func hook(_ event: JSONValue, type: String = "codex") throws -> CoordinatorProcess.Outcome {
                try cli.run(["guardrails", "check", "--hook"], agent: "hooked", extraEnvironment: ["AGENT_TYPE": type], stdin: event.jsonText)
            }
            let force: JSONValue = ["hook_event_name": "PreToolUse", "tool_name": "Bash",
                                    "tool_input": ["command": "sudo git push -f origin main", "description": "publish"]]
            let blocked = try hook(force)
            #expect(blocked.status == 2)
            #expect(blocked.stderr.contains("Blocked by the coordinator's guardrails: Bash would run a destructive operation (git_force_push)"))
            #expect(try hook(["tool_name": "Bash", "tool_input": ["command": "swift test"]]).status == 0)
            let env = try hook(["tool_name": "Read", "tool_input": ["file_path": "/repo/config/.env.production"]], type: "claude_code")
            #expect(env.status == 2, "credential files are blocked at every trust level")
            #expect(env.stderr.contains("credential file"))
            #expect(try hook(["tool_name": "Read", "tool_input": ["file_path": "/repo/README.md"]]).status == 0)
            #expect(try hook(["tool_name": "WebSearch", "tool_input": ["query": "rm -rf"]]).status == 0, "other tools pass")
            let garbage = try cli.run(["guardrails", "check", "--hook"], agent: "hooked", stdin: "not json")
            #expect(garbage.status == 2, "an unreadable event blocks (closed, never open)")
        }
    }

    @Test func profileNetworkAndCall() async throws {
        try await onOwnThread {
            let cli = try CoordinatorProcess()
            defer { cli.remove() }
            let profile = try cli.run(["profile"], agent: "c")
            #expect(profile.status == 0)
            #expect(profile.stdout.hasPrefix("claude-code-cli (claude_code, default): trust level 3"))
            let allowed = try cli.run(["network", "check", "API.GitHub.com."], agent: "c", extraEnvironment: ["AGENT_TYPE": "codex"])
            #expect(allowed.status == 0)
            #expect(allowed.stdout == "allowed: api.github.com (allowlist_match)\n")
            let denied = try cli.run(["network", "check", "example.org", "--json"], agent: "c", extraEnvironment: ["AGENT_TYPE": "codex"])
            #expect(denied.status == 3)
            #expect(try denied.json["reason"] == "default_deny")
            #expect(try cli.run(["network", "check", "https://x.org/"], agent: "c").status == 2)

            let called = try cli.run(["call", "lock_status", "--input", #"{"file_path": "src/a.swift"}"#, "--json"], agent: "c")
            #expect(called.status == 0)
            #expect(try called.json["locked"] == false)
            #expect(try cli.run(["call", "no_such_operation"], agent: "c").status == 2)
            #expect(try cli.run(["call", "lock_status", "--input", "[1]"], agent: "c").status == 2)
            let refused = try cli.run(["call", "cleanup_dead_agents", "--json"], agent: "c")
            #expect(refused.status == 3)
            #expect(try refused.json["detail"]?.stringValue?.hasPrefix("operation_not_permitted") == true)
        }
    }
}
