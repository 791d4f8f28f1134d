import CoordinatorCore
import Foundation
import Testing

@Suite("Agent profiles behave the same on every backend")
struct ProfileConformanceTests {
    static let standardOperations = [
        "acquire_lock", "release_lock", "check_locks", "get_work", "complete_work", "submit_work", "write_handoff",
        "read_handoff", "register_session", "discover_agents", "heartbeat", "remember", "recall", "check_guardrails",
        "get_my_profile", "query_audit",
    ]
    /// What migration 010 adds to the seeded allowlists: workers get the newer work operations, everyone the reads.
    static let addedForWorkers = ["lock_status", "get_task", "list_tasks", "renew_task_lease", "cancel_task", "check_network", "list_guardrails"]
    static let addedForReaders = ["lock_status", "get_task", "list_tasks", "check_network", "list_guardrails"]

    /// name → (agent_type, trust_level, max_file_modifications, allowed_operations, default for its type, session
    /// seconds (nil = unlimited), elevated guardrail matches).
    static let seeds: [String: (type: String, trust: Int, maxFiles: Int, allowed: [String], isDefault: Bool, seconds: Int?, elevated: [String])] = [
        "claude-code-cli": ("claude_code", 3, 100, standardOperations + addedForWorkers, true, nil, ["*"]),
        "claude-code-web-reviewer": (
            "claude_code", 1, 0,
            ["check_locks", "read_handoff", "discover_agents", "recall", "check_guardrails", "get_my_profile", "query_audit"]
                + addedForReaders,
            false, 1800, []),
        "claude-code-web-implementer": ("claude_code", 2, 50, standardOperations + addedForWorkers, false, 7200, []),
        "codex-cloud-worker": (
            "codex", 2, 50,
            ["acquire_lock", "release_lock", "check_locks", "get_work", "complete_work", "submit_work", "register_session",
             "heartbeat", "remember", "recall", "check_guardrails", "get_my_profile"] + addedForWorkers,
            true, 3600, []),
        "strands-orchestrator": ("strands", 3, 200, standardOperations + ["cleanup_dead_agents"] + addedForWorkers, true, 28800, ["*"]),
    ]

    func profile(_ db: TestDatabase, agent: String?, type: JSONValue? = nil) async throws -> JSONValue {
        var parameters: JSONObject = ["p_agent_id": JSONValue(agent)]
        if let type { parameters["p_agent_type"] = type }
        return try await db.client.rpc("get_agent_profile", parameters)
    }

    func profileId(_ db: TestDatabase, _ name: String) async throws -> String {
        let row = try #require(try await db.client.query("agent_profiles", filter: RowFilter().equal("name", .string(name)), select: ["id"]).first)
        return try #require(row["id"]?.stringValue)
    }

    @Test(arguments: TestBackend.available)
    func theFiveProfilesAreSeeded(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let rows = try await db.client.query("agent_profiles")
            #expect(rows.count == 5)
            for row in rows {
                let name = try #require(row["name"]?.stringValue)
                let seed = try #require(Self.seeds[name], "unexpected profile \(name)")
                #expect(row["agent_type"] == .string(seed.type), "\(name)")
                #expect(row["trust_level"] == .int(seed.trust), "\(name)")
                #expect(row["max_file_modifications"] == .int(seed.maxFiles), "\(name)")
                #expect(row["allowed_operations"] == JSONValue(seed.allowed), "\(name)")
                #expect(row["blocked_operations"] == [], "\(name)")
                #expect(row["max_execution_time_seconds"] == JSONValue(seed.seconds), "\(name)")
                #expect(row["elevated_operations"] == JSONValue(seed.elevated), "\(name)")
                #expect(row["max_api_calls_per_hour"] == 1000)
                #expect(row["network_policy"] == [:])
                #expect(row["enabled"] == true)
                #expect(row["is_default_for_type"] == .bool(seed.isDefault), "\(name)")
            }
            #expect(try await db.client.query("agent_profile_assignments").isEmpty, "no assignments are seeded")
        }
    }

    @Test(arguments: TestBackend.available)
    func typeDefaultsAreDeterministic(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            for (type, expected) in [("claude_code", "claude-code-cli"), ("codex", "codex-cloud-worker"), ("strands", "strands-orchestrator")] {
                for _ in 0..<3 {
                    let found = try await profile(db, agent: "someone", type: .string(type))
                    #expect(found["success"] == true)
                    #expect(found["source"] == "default")
                    #expect(found["profile"]?["name"] == .string(expected), "\(type)")
                }
            }
            let omitted = try await profile(db, agent: "someone")
            #expect(omitted["profile"]?["name"] == "claude-code-cli", "the agent type defaults to claude_code")
            let whole = try #require(omitted["profile"]?.objectValue)
            let columns: Set<String> = [
                "id", "name", "description", "agent_type", "trust_level", "allowed_operations", "blocked_operations",
                "max_file_modifications", "max_execution_time_seconds", "max_api_calls_per_hour", "network_policy", "metadata",
                "enabled", "is_default_for_type", "created_at", "updated_at", "elevated_operations",
            ]
            #expect(Set(whole.keys) == columns, "the whole row, the same columns on every backend")
            #expect(whole["trust_level"] == 3)
            #expect(whole["allowed_operations"] == JSONValue(Self.standardOperations + Self.addedForWorkers))
            #expect(whole["id"]?.stringValue.flatMap(UUID.init(uuidString:)) != nil)
            #expect(whole["created_at"]?.stringValue.flatMap(Timestamp.parse) != nil)

            // Without a flagged default the earliest created profile of the type wins, by name on a tie.
            let created = db.timestamp()
            for name in ["zeta-aider", "alpha-aider"] {
                _ = try await db.client.insert(
                    "agent_profiles", row: ["name": .string(name), "agent_type": "aider", "created_at": created, "updated_at": created],
                    returning: false)
            }
            #expect(try await profile(db, agent: "a", type: "aider")["profile"]?["name"] == "alpha-aider")

            // One default per type.
            await #expect(throws: DatabaseError.self) {
                try await db.client.insert(
                    "agent_profiles", row: ["name": "second-default", "agent_type": "claude_code", "is_default_for_type": true],
                    returning: false)
            }
            // A disabled default gives way to the next enabled profile of the type (the seeds share one created_at,
            // so the name decides), or to none.
            for name in ["claude-code-cli", "codex-cloud-worker"] {
                _ = try await db.client.update("agent_profiles", filter: RowFilter().equal("name", .string(name)),
                                               values: ["enabled": false], returning: false)
            }
            #expect(try await profile(db, agent: "c", type: "claude_code")["profile"]?["name"] == "claude-code-web-implementer")
            #expect(try await profile(db, agent: "c", type: "codex")["reason"] == "no_profile_found")
        }
    }

    @Test(arguments: TestBackend.available)
    func anAssignmentComesFirst(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let reviewer = try await profileId(db, "claude-code-web-reviewer")
            _ = try await db.client.insert(
                "agent_profile_assignments",
                row: ["agent_id": "rev-1", "profile_id": .string(reviewer), "assigned_by": "admin", "assigned_at": db.timestamp()],
                returning: false)
            for type in ["claude_code", "codex"] as [JSONValue] {
                let found = try await profile(db, agent: "rev-1", type: type)
                #expect(found["success"] == true)
                #expect(found["source"] == "assignment", "the assignment wins over any type default")
                #expect(found["profile"]?["id"] == .string(reviewer))
                #expect(found["profile"]?["name"] == "claude-code-web-reviewer")
                #expect(found["profile"]?["trust_level"] == 1)
                #expect(found["profile"]?["max_file_modifications"] == 0)
            }
            #expect(try await profile(db, agent: "rev-2")["source"] == "default", "only the assigned agent")

            // An assignment to a disabled profile is ignored: the type default applies.
            _ = try await db.client.update("agent_profiles", filter: RowFilter().equal("id", .string(reviewer)),
                                           values: ["enabled": false], returning: false)
            let fallback = try await profile(db, agent: "rev-1")
            #expect(fallback["source"] == "default")
            #expect(fallback["profile"]?["name"] == "claude-code-cli")

            // One assignment per agent; a profile that does not exist cannot be assigned.
            await #expect(throws: DatabaseError.self) {
                try await db.client.insert("agent_profile_assignments",
                                           row: ["agent_id": "rev-1", "profile_id": .string(reviewer)], returning: false)
            }
            await #expect(throws: DatabaseError.self) {
                try await db.client.insert("agent_profile_assignments",
                                           row: ["agent_id": "rev-3", "profile_id": .string(UUID().uuidString.lowercased())],
                                           returning: false)
            }
        }
    }

    @Test(arguments: TestBackend.available)
    func noProfileFound(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let missing = try await profile(db, agent: "gem-1", type: "gemini")
            #expect(missing == ["success": false, "reason": "no_profile_found", "agent_id": "gem-1", "agent_type": "gemini"])
            let nullType = try await profile(db, agent: "gem-1", type: .null)
            #expect(nullType == ["success": false, "reason": "no_profile_found", "agent_id": "gem-1", "agent_type": nil],
                    "an explicit null type has no default")
        }
    }
}
