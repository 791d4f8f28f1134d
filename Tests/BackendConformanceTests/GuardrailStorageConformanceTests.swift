import CoordinatorCore
import Foundation
import Testing

@Suite("Guardrail storage behaves the same on every backend")
struct GuardrailStorageConformanceTests {
    /// The 15 default patterns (006, sharpened by 010): name → (category, severity, min_trust_level). The built-in
    /// registry must hold exactly these rows (it stands in when the table cannot be read).
    static let seeds: [String: (category: String, severity: String, minTrust: Int)] = Dictionary(
        uniqueKeysWithValues: GuardrailRegistry.builtIn.map { ($0.name, ($0.category.rawValue, $0.severity.rawValue, $0.minTrustLevel)) })

    /// For every seed, a text only it matches, and the match each backend must report.
    static let samples: [(pattern: String, text: String, match: String)] = [
        ("git_force_push", "git push origin main --force", "git push origin main --force"),
        ("git_reset_hard", "please GIT RESET --HARD HEAD~1", "GIT RESET --HARD"),
        ("git_clean_force", "git clean -fd", "git clean -f"),
        ("git_branch_delete", "git branch -D feature/x", "git branch -D"),
        ("rm_recursive_force", "rm -r /var/lib", "rm -r /"),
        ("rm_rf", "rm -rf build", "rm -rf "),
        ("find_delete", "find . -name '*.tmp' -delete", "find . -name '*.tmp' -delete"),
        ("drop_table", "drop table users", "drop table"),
        ("truncate_table", "TRUNCATE sessions;", "TRUNCATE sessions;"),
        ("delete_no_where", "DELETE FROM users;", "DELETE FROM users;"),
        ("env_file_modify", "cat .env.local", " .env.local"),
        ("credentials_file", "vim config/Secrets.yaml", "/Secrets.yaml"),
        ("ssh_key_modify", "echo key >> ~/.ssh/authorized_keys", ".ssh/authorized_keys"),
        ("deploy_command", "kubectl  apply -f prod.yaml", "kubectl  apply"),
        ("npm_publish", "npm publish --access public", "npm publish"),
    ]

    func check(_ db: TestDatabase, _ text: String, agent: String? = nil, trust: Int = 2) async throws -> JSONValue {
        try await db.client.rpc("check_guardrails", ["p_operation_text": .string(text), "p_agent_id": JSONValue(agent),
                                                     "p_trust_level": .int(trust), "p_now": db.pNow])
    }

    @Test(arguments: TestBackend.available)
    func theFifteenDefaultPatternsAreSeeded(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let rows = try await db.client.query("operation_guardrails")
            #expect(rows.count == 15)
            for row in rows {
                let name = try #require(row["name"]?.stringValue)
                let seed = try #require(Self.seeds[name], "unexpected pattern \(name)")
                #expect(row["category"] == .string(seed.category), "\(name)")
                #expect(row["severity"] == .string(seed.severity), "\(name)")
                #expect(row["min_trust_level"] == .int(seed.minTrust), "\(name)")
                #expect(row["enabled"] == true)
                #expect(row["description"]?.stringValue?.isEmpty == false)
            }
            let patterns = Dictionary(uniqueKeysWithValues: rows.map { ($0["name"]?.stringValue ?? "", $0["pattern"]?.stringValue ?? "") })
            for builtIn in GuardrailRegistry.builtIn {
                #expect(patterns[builtIn.name] == builtIn.pattern, "\(builtIn.name): the built-in registry is the seeded table, literally")
                let row = try #require(rows.first { $0["name"]?.stringValue == builtIn.name })
                #expect(row["description"]?.stringValue == builtIn.description, "\(builtIn.name)")
            }
        }
    }

    @Test(arguments: TestBackend.available)
    func everySeedMatchesItsSampleIdentically(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            for sample in Self.samples {
                let result = try await check(db, sample.text, trust: 0)
                let violations = try #require(result["violations"]?.arrayValue)
                #expect(violations.map { $0["pattern_name"]?.stringValue } == [sample.pattern], "\(sample.text)")
                #expect(violations.first?["matched_text"] == .string(sample.match), "\(sample.pattern)")
                let seed = try #require(Self.seeds[sample.pattern])
                let blocked = seed.category == "credential" || seed.severity == "block"
                #expect(violations.first?["blocked"] == .bool(blocked), "\(sample.pattern)")
                #expect(result["safe"] == .bool(!blocked), "\(sample.pattern)")
            }
            // Case-insensitive search anywhere in the text, across lines (`.` and `\s` match line breaks).
            let multiline = try #require(try await check(db, "step 1\ngit push origin\n--force-with-lease")["violations"]?.arrayValue)
            #expect(multiline.map { $0["pattern_name"] } == ["git_force_push"])
            #expect(multiline.first?["matched_text"] == "git push origin\n--force")
            let harmless = try await check(db, "git push origin main && swift build && rm -i notes.txt")
            #expect(harmless["safe"] == true)
            #expect(harmless["violations"] == [], "no pattern matches")
        }
    }

    @Test(arguments: TestBackend.available)
    func blocksBelowTheThresholdAndReportsElevatedAbove(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let below = try await check(db, "git push origin main --force", agent: "alice", trust: 2)
            #expect(below["success"] == true)
            #expect(below["safe"] == false)
            #expect(below["violations"] == [[
                "pattern_name": "git_force_push", "category": "git", "severity": "block", "blocked": true,
                "elevated": false, "matched_text": "git push origin main --force",
            ]])

            let above = try await check(db, "git push origin main --force", agent: "alice", trust: 3)
            #expect(above["safe"] == true)
            #expect(above["violations"]?.arrayValue?.first?["blocked"] == false)
            #expect(above["violations"]?.arrayValue?.first?["elevated"] == true, "a bypass is reported, not hidden")

            // warn below the threshold: reported, not blocked, not elevated (no seed warns since 010; an operator's row).
            try await db.client.insert("operation_guardrails", row: [
                "name": "operator_warning", "category": "file", "pattern": "scratch-purge", "severity": "warn", "min_trust_level": 3,
            ])
            let warned = try await check(db, "scratch-purge now", agent: "alice", trust: 2)
            #expect(warned["safe"] == true)
            #expect(warned["violations"]?.arrayValue?.first?["blocked"] == false)
            #expect(warned["violations"]?.arrayValue?.first?["elevated"] == false)

            // Root rm needs trust 4: trust 3 still blocks it, while the plain rm -rf pattern is elevated.
            let root = try #require(try await check(db, "rm -rf /", trust: 3)["violations"]?.arrayValue)
            let byName = Dictionary(uniqueKeysWithValues: root.map { ($0["pattern_name"]?.stringValue ?? "", $0) })
            #expect(byName["rm_recursive_force"]?["blocked"] == true)
            #expect(byName["rm_rf"]?["elevated"] == true)
            #expect(root.map { $0["pattern_name"]?.stringValue } == ["rm_recursive_force", "rm_rf"], "reported in name order")
        }
    }

    @Test(arguments: TestBackend.available)
    func credentialPatternsBlockAtEveryTrustLevel(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            for trust in 0...4 {
                for text in ["cp template .env", "edit credentials.json", "cat ~/.ssh/id_ed25519"] {
                    let result = try await check(db, text, agent: "admin", trust: trust)
                    #expect(result["safe"] == false, "\(text) at trust \(trust)")
                    let violation = try #require(result["violations"]?.arrayValue?.first)
                    #expect(violation["category"] == "credential")
                    #expect(violation["blocked"] == true)
                    #expect(violation["elevated"] == false)
                }
            }
        }
    }

    @Test(arguments: TestBackend.available)
    func violationsAreLogged(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            _ = try await check(db, "git reset --hard", trust: 2)
            _ = try await check(db, "swift test", agent: "alice", trust: 2)
            #expect(try await db.client.query("guardrail_violations").isEmpty, "no agent or no match: nothing logged")

            let long = "DROP TABLE users; " + String(repeating: "x", count: 600) + " then git push --force"
            let result = try await check(db, long, agent: "alice", trust: 4)
            #expect(result["violations"]?.arrayValue?.count == 2)
            let rows = try await db.client.query("guardrail_violations", filter: RowFilter().ordered(by: "pattern_name"), select: nil)
            #expect(rows.map { $0["pattern_name"] } == ["drop_table", "git_force_push"])
            let drop = rows[0]
            #expect(drop["agent_id"] == "alice")
            #expect(drop["category"] == "database")
            #expect(drop["operation_text"]?.stringValue?.count == 500, "operation text truncated to 500 characters")
            #expect(drop["operation_text"]?.stringValue == String(long.prefix(500)))
            #expect(drop["matched_text"] == "DROP TABLE")
            #expect(drop["blocked"] == false)
            #expect(drop["elevated"] == true, "trust 4 reaches drop_table's threshold: logged as elevated")
            #expect(drop["trust_level"] == 4)
            #expect(drop["context"]?["severity"] == "block")
            #expect(drop["created_at"]?.stringValue.flatMap(Timestamp.parse) == db.clock.now())

            _ = try await check(db, "cat .env", agent: "bob", trust: 4)
            let credential = try #require(try await db.client.query("guardrail_violations", filter: RowFilter().equal("agent_id", "bob"), select: nil).first)
            #expect(credential["blocked"] == true)
            #expect(credential["elevated"] == false)
        }
    }

    @Test(arguments: TestBackend.available)
    func disabledPatternsAndBadTrustLevels(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            #expect(try await check(db, "npm publish")["safe"] == false)
            _ = try await db.client.update("operation_guardrails", filter: RowFilter().equal("name", "npm_publish"),
                                           values: ["enabled": false], returning: false)
            #expect(try await check(db, "npm publish")["violations"] == [], "a disabled pattern is not evaluated")

            for trust in [-1, 5] {
                let refused = try await check(db, "git reset --hard", agent: "alice", trust: trust)
                #expect(refused == ["success": false, "reason": "trust_level_out_of_range"])
            }
            let nullTrust = try await db.client.rpc("check_guardrails", ["p_operation_text": "x", "p_trust_level": nil])
            #expect(nullTrust["reason"] == "trust_level_out_of_range")
            let defaults = try await db.client.rpc("check_guardrails", ["p_operation_text": "git clean -f"])
            #expect(defaults["safe"] == false, "trust defaults to 2")
            #expect(try await db.client.query("guardrail_violations").isEmpty)
        }
    }

    @Test(arguments: TestBackend.available)
    func credentialApprovalsAreQueuedOnce(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            func queue(_ agent: String, _ text: String) async throws -> JSONValue {
                try await db.client.rpc("queue_guardrail_approval", [
                    "p_agent_id": .string(agent), "p_operation_text": .string(text), "p_reason": "credential_file_protected: env_file_modify",
                    "p_file_paths": [".env"], "p_session_id": "s-1", "p_now": db.pNow,
                ])
            }
            let first = try await queue("alice", "cat .env")
            #expect(first["success"] == true)
            #expect(first["created"] == true)
            let again = try await queue("alice", "cat .env")
            #expect(again["created"] == false, "an identical pending request is not filed twice")
            #expect(again["approval_id"] == first["approval_id"])
            #expect(try await queue("bob", "cat .env")["created"] == true, "another agent's request is its own")

            let pending = try #require(try await db.client.rpc("get_pending_approvals", [:])["approvals"]?.arrayValue)
            #expect(pending.count == 2)
            #expect(pending.first?["agent_id"] == "alice")
            #expect(pending.first?["description"] == "cat .env")
            #expect(pending.first?["changed_files"] == [".env"])
            #expect(pending.first?["reason"] == "credential_file_protected: env_file_modify")

            // Once reviewed, the same request files a new approval.
            let reviewed = try await db.client.rpc("approve_changeset", [
                "p_approval_id": first["approval_id"]!, "p_reviewer": "human", "p_approved": false, "p_now": db.pNow,
            ])
            #expect(reviewed["success"] == true)
            #expect(try await queue("alice", "cat .env")["created"] == true)

            #expect(try await queue(" ", "x") == ["success": false, "reason": "invalid_agent_id"])
            let badFiles = try await db.client.rpc("queue_guardrail_approval", [
                "p_agent_id": "alice", "p_operation_text": "x", "p_reason": "r", "p_file_paths": ["a": 1],
            ])
            #expect(badFiles == ["success": false, "reason": "invalid_file_paths"])
        }
    }
}
