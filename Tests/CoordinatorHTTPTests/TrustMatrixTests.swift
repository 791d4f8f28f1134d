import AsyncHTTPClient
import CoordinatorCore
import CoordinatorSQLite
import Foundation
import NIOHTTP1
import Synchronization
import Testing

/// Every catalog operation × trust level 0–4 × agent type, through the HTTP API, MCP (Streamable HTTP at `/mcp`) and
/// the CLI (`coordinator call`), against one real `coordinator serve` and one SQLite file: the profile check must give
/// the same decision on every transport, and the decision the pure rules (``ProfileRules``) predict from the
/// profile in the database. Agents of the seeded types without an assignment (their type's default profile, with
/// its allowlist) are included.
@Suite("Profile decisions are identical on MCP, HTTP and CLI", .serialized)
struct TrustMatrixTests {
    static let types = ["claude_code", "codex", "cloud_agent"]

    /// A decision as a transport reported it: allowed, or refused with the policy's code.
    enum Decision: Equatable, Sendable, CustomStringConvertible {
        case allowed
        case denied(String)
        var description: String { if case .denied(let code) = self { return "denied(\(code))" } else { return "allowed" } }

        /// From a refusal detail `code: sentence`.
        static func denied(detail: String) -> Decision { .denied(String(detail.prefix { $0 != ":" })) }
    }

    struct Agent: Sendable {
        let id: String
        let type: String
        var key: String { "k-\(id)" }
    }

    static let uuid = "00000000-0000-4000-8000-000000000001"

    /// Valid input for every operation (the answer may be a domain `success:false`; only the policy decision counts).
    static let inputs: [String: JSONObject] = [
        "acquire_lock": ["file_path": "src/matrix.swift"], "release_lock": ["file_path": "src/matrix.swift"],
        "check_locks": [:], "lock_status": ["file_path": "src/matrix.swift"],
        "get_work": ["task_types": ["matrix-none"]], "complete_work": ["task_id": .string(uuid), "success": false],
        "submit_work": ["task_type": "matrix", "description": "document the matrix"], "get_task": ["task_id": .string(uuid)],
        "renew_task_lease": ["task_id": .string(uuid)], "cancel_task": ["task_id": .string(uuid)], "list_tasks": [:],
        "write_handoff": ["summary": "matrix"], "read_handoff": [:], "register_session": [:], "discover_agents": [:],
        "heartbeat": [:], "cleanup_dead_agents": [:], "remember": ["summary": "matrix"], "recall": [:], "query_audit": ["limit": 1],
        "get_my_profile": [:], "check_network": ["domain": "github.com"], "check_guardrails": ["operation_text": "ls -la"],
        "list_guardrails": [:],
    ]

    @Test func sameDecisionOnEveryTransport() async throws {
        let operations = OperationCatalog.standard.operations
        #expect(Set(operations.map(\.name)) == Set(Self.inputs.keys), "every catalog operation has a sample input")

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("coordinator-matrix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let databasePath = folder.appendingPathComponent("coordinator.sqlite").path
        var environment = ProcessInfo.processInfo.environment.filter {
            !["AGENT_ID", "AGENT_TYPE", "SESSION_ID", "DB_BACKEND", "API_HOST", "API_PORT"].contains($0.key)
                && !$0.key.hasPrefix("COORDINATION_") && !$0.key.hasPrefix("PROFILES_")
        }
        environment["DB_BACKEND"] = "sqlite"
        environment["COORDINATOR_DB_PATH"] = databasePath
        let binary = Binary(environment: environment, folder: folder)
        #expect(try binary.run(["migrate"]).status == 0)

        // One profile per (type, trust) with no lists or limits, assigned to one agent each; plus one unassigned agent
        // per type, governed by its type's seeded default (or none).
        var agents: [Agent] = []
        var profiles: [String: AgentProfile] = [:]
        let database = try SQLiteDatabaseClient(config: SQLiteConfig(path: databasePath))
        for type in Self.types {
            for trust in 0...4 {
                let agent = Agent(id: "m-\(type)-\(trust)", type: type)
                let row = try #require(try await database.insert("agent_profiles", row: [
                    // Its own agent type, so it never becomes a seeded type's default; the assignment decides.
                    "name": .string("matrix-\(type)-\(trust)"), "agent_type": "matrix", "trust_level": .int(trust),
                    "max_file_modifications": nil, "max_execution_time_seconds": nil, "max_api_calls_per_hour": nil,
                ]))
                try await database.insert("agent_profile_assignments", row: ["agent_id": .string(agent.id), "profile_id": row["id"]!])
                agents.append(agent)
            }
            agents.append(Agent(id: "seed-\(type)", type: type))
        }
        for agent in agents {
            let answer = try await database.rpc("get_agent_profile", ["p_agent_id": .string(agent.id), "p_agent_type": .string(agent.type)])
            profiles[agent.id] = answer["profile"]?.objectValue.flatMap(AgentProfile.init(row:))
        }
        try await database.close()
        #expect(profiles["seed-claude_code"]?.name == "claude-code-cli")
        #expect(profiles["seed-codex"]?.name == "codex-cloud-worker")
        #expect(profiles["seed-cloud_agent"] == nil, "no profile: default trust")

        let identities = JSONValue.object(Dictionary(uniqueKeysWithValues: agents.map {
            ($0.key, ["agent_id": .string($0.id), "agent_type": .string($0.type)] as JSONValue)
        }))
        let server = try ServeProcess.start(binary, extra: [
            "AGENT_ID": "matrix-serve", "COORDINATION_API_KEYS": agents.map(\.key).joined(separator: ","),
            "COORDINATION_API_KEY_IDENTITIES": identities.jsonText,
        ])
        let http = HTTPDriver(baseURL: server.baseURL, tally: AuditCompletenessTests.Tally())

        var mismatches: [String] = []
        var checked = 0
        for agent in agents {
            let expected = operations.map { operation in
                Self.expected(operation, profile: profiles[agent.id])
            }
            let overHTTP = try await operations.asyncMap { try await Self.viaHTTP($0, agent: agent, http: http) }
            let overMCP = try await Self.viaMCP(operations, agent: agent, http: http)
            let overCLI = try await Self.viaCLI(operations, agent: agent, binary: binary)
            for (index, operation) in operations.enumerated() {
                checked += 1
                let row = [expected[index], overHTTP[index], overMCP[index], overCLI[index]]
                if Set(row.map(\.description)).count != 1 {
                    mismatches.append("\(agent.id) \(operation.name): expected \(row[0]), HTTP \(row[1]), MCP \(row[2]), CLI \(row[3])")
                }
            }
        }
        #expect(server.stop() == 0, "coordinator serve exits cleanly:\n\(server.log)")
        #expect(checked == agents.count * operations.count)
        let report = mismatches.joined(separator: "\n")
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(checked) decisions differ:\n\(report)")
    }

    static func expected(_ operation: CoordinatorOperation, profile: AgentProfile?) -> Decision {
        let decision = ProfileRules.check(operation: operation.name, category: operation.category, profile: profile,
                                          trustLevel: profile?.trustLevel ?? ProfilesConfig().defaultTrustLevel, enforceLimits: true,
                                          usage: ResourceUsage(), lockPath: "src/matrix.swift", now: Date())
        return decision.allowed ? .allowed : .denied(decision.code)
    }

    static func viaHTTP(_ operation: CoordinatorOperation, agent: Agent, http: HTTPDriver) async throws -> Decision {
        let route = try #require(operation.route)
        let input = inputs[operation.name] ?? [:]
        var path = route.path
        for (name, value) in input where path.contains("{\(name)}") {
            path = path.replacingOccurrences(of: "{\(name)}", with: value.stringValue ?? "")
        }
        let answer: (status: Int, json: JSONValue?, headers: HTTPHeaders)
        if route.method == .get {
            let query = input.filter { !route.path.contains("{\($0.key)}") }.map { "\($0.key)=\($0.value.jsonText)" }
            answer = try await http.send(.GET, path + (query.isEmpty ? "" : "?" + query.joined(separator: "&")), key: agent.key)
        } else {
            answer = try await http.send(.POST, path, body: .object(input), key: agent.key)
        }
        if answer.status == 403, answer.json?["reason"] == "policy_denied" {
            return .denied(detail: answer.json?["detail"]?.stringValue ?? "")
        }
        #expect([200].contains(answer.status), "HTTP \(operation.name) as \(agent.id): \(answer.status) \(answer.json?.jsonText ?? "")")
        return .allowed
    }

    static func viaMCP(_ operations: [CoordinatorOperation], agent: Agent, http: HTTPDriver) async throws -> [Decision] {
        let headers = try await http.openMCPSession(key: agent.key, client: "matrix")
        var decisions: [Decision] = []
        for (index, operation) in operations.enumerated() {
            let call: JSONValue = ["jsonrpc": "2.0", "id": .int(index + 2), "method": "tools/call",
                                   "params": ["name": .string(operation.name), "arguments": .object(inputs[operation.name] ?? [:])]]
            let answer = try await http.send(.POST, "/mcp", body: call, key: agent.key, headers: headers)
            let result = answer.json?["result"]
            let structured = result?["structuredContent"]
            if result?["isError"] == .bool(true), structured?["reason"] == "denied" {
                decisions.append(.denied(detail: structured?["detail"]?.stringValue ?? ""))
            } else {
                #expect(answer.status == 200 && result?["isError"] != .bool(true),
                        "MCP \(operation.name) as \(agent.id): \(answer.json?.jsonText ?? "")")
                decisions.append(.allowed)
            }
        }
        return decisions
    }

    /// `coordinator call` per operation, four processes at a time (each on its own thread: blocking waits stay off
    /// the cooperative pool).
    static func viaCLI(_ operations: [CoordinatorOperation], agent: Agent, binary: Binary) async throws -> [Decision] {
        final class Collected: Sendable {
            let decisions = Mutex<[Int: Decision]>([:])
            let failures = Mutex<[String]>([])
        }
        let collected = Collected()
        let lanes = 4
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    try await onOwnThread {
                        for index in stride(from: lane, to: operations.count, by: lanes) {
                            let operation = operations[index]
                            let input = JSONValue.object(inputs[operation.name] ?? [:]).jsonText
                            let outcome = try binary.run(["call", operation.name, "--input", input, "--json"],
                                                         extra: ["AGENT_ID": agent.id, "AGENT_TYPE": agent.type])
                            let json = try? JSONValue(jsonText: outcome.stdout)
                            let decision: Decision
                            if outcome.status == 3, json?["reason"] == "denied" {
                                decision = .denied(detail: json?["detail"]?.stringValue ?? "")
                            } else {
                                if ![0, 3].contains(outcome.status) {
                                    collected.failures.withLock { $0.append("CLI \(operation.name) as \(agent.id): exit \(outcome.status) \(outcome.stdout) \(outcome.stderr)") }
                                }
                                decision = .allowed
                            }
                            collected.decisions.withLock { $0[index] = decision }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        for failure in collected.failures.withLock({ $0 }) { Issue.record("\(failure)") }
        let decisions = collected.decisions.withLock { $0 }
        return operations.indices.map { decisions[$0] ?? .denied("missing") }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var values: [T] = []
        values.reserveCapacity(count)
        for element in self { values.append(try await transform(element)) }
        return values
    }
}
