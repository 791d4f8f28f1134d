import ArgumentParser
import CoordinatorCore
import Foundation

/// `coordinator bench`: lock-cycle and claim throughput of the configured backend, through the services.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure lock acquire+release cycles/s and claims/s on the configured backend.",
        discussion: """
            Runs through the same services the MCP, HTTP and CLI transports use. Lock keys are bench/<run>/<n> and are \
            released; claims take tasks of --task-type (default: a fresh per-run type seeded with --seed tasks, deleted \
            afterwards). With DB_BACKEND unset the embedded backend benchmarks a temporary file, not your database. \
            scripts/bench runs this beside pgbench on the same PostgreSQL and prints the ratios.
            """)

    enum Phase: String, ExpressibleByArgument, CaseIterable {
        case locks, claims, all, mcp, audit, safety
    }

    @Argument(help: """
        What to measure: locks, claims, all (both), mcp (stdio tool-call latency against in-process calls), audit \
        (lock cycles through the dispatcher without and with the audit trail, and its write latency), or safety \
        (check_guardrails latency on a 2,000-character command against a plain regex scan, and the profile check's \
        share of a lock cycle).
        """)
    var phase: Phase = .all
    @Option(help: "Sequential check_locks calls for the mcp phase.") var calls: Int = 1000
    @Option(name: .customLong("connections"), help: "Concurrent callers (repeatable; default 1 and 16).") var connections: [Int] = []
    @Option(help: "Seconds per phase.") var seconds: Double = 5
    @Option(help: "Tasks to submit before the claim phase (0: claim what is already queued).") var seed: Int = 20_000
    @Option(name: .customLong("task-type"), help: "Claim only this task type (default: the run's own seeded type; '*' = any).")
    var taskType: String?
    @Option(name: .customLong("pool-max"), help: "Connection pool size for the postgres backend (default: the largest --connections).")
    var poolMax: Int?
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard connections.allSatisfy({ (1...256).contains($0) }) else { throw ValidationError("--connections must be 1–256") }
        guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600]") }
        guard seed >= 0, seed <= 5_000_000 else { throw ValidationError("--seed must be 0–5000000") }
        guard (1...1_000_000).contains(calls) else { throw ValidationError("--calls must be 1–1000000") }
    }

    func run() async throws {
        let counts = connections.isEmpty ? [1, 16] : connections
        var environment = ProcessInfo.processInfo.environment
        let scratch: URL?
        if (environment["DB_BACKEND"] ?? "sqlite").lowercased() == "sqlite", environment["COORDINATOR_DB_PATH"] == nil {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("coordinator-bench-\(UUID().uuidString)")
            environment["COORDINATOR_DB_PATH"] = folder.appendingPathComponent("bench.sqlite").path
            scratch = folder
        } else {
            scratch = nil
        }
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
        environment["POSTGRES_POOL_MAX"] = String(poolMax ?? max(counts.max() ?? 1, 2))
        environment["POSTGRES_POOL_MIN"] = "1"
        try await CommandEnvironment.run(identity: identity, output: output, environment: environment) { env in
            if phase == .mcp {
                let outcome = try await MCPBench(coordinator: env.coordinator, environment: environment, calls: calls, locks: 20).run()
                print(output.json ? JSONValue.object(["backend": .string(env.coordinator.database.backendName), "mcp": outcome.json]).jsonText
                                  : outcome.lines.joined(separator: "\n"))
                return
            }
            let runner = BenchRunner(coordinator: env.coordinator)
            if phase == .safety {
                var rows: [JSONValue] = []
                for count in counts {
                    let result = try await runner.safety(connections: count, seconds: seconds, iterations: calls * 10)
                    rows.append(result.json)
                    if !output.json { print(result.lines.joined(separator: "\n")) }
                }
                if output.json {
                    print(JSONValue.object(["backend": .string(env.coordinator.database.backendName), "results": .array(rows)]).jsonText)
                }
                return
            }
            if phase == .audit {
                var rows: [JSONValue] = []
                for count in counts {
                    let result = try await runner.auditOverhead(connections: count, seconds: seconds)
                    rows.append(result.json)
                    if !output.json { print(result.line) }
                }
                if output.json {
                    print(JSONValue.object(["backend": .string(env.coordinator.database.backendName), "results": .array(rows)]).jsonText)
                }
                return
            }
            var results: [BenchSummary] = []
            let ownType = "bench-\(runner.runId)"
            let claimTypes: [String]? = taskType == "*" ? nil : [taskType ?? ownType]
            for count in counts {
                if phase != .claims {
                    let summary = try await runner.lockCycles(connections: count, seconds: seconds)
                    results.append(summary)
                    if !output.json { print(summary.line) }
                }
                if phase != .locks {
                    if seed > 0 { try await runner.seed(count: seed, taskType: taskType ?? ownType, connections: max(count, 4)) }
                    let summary = try await runner.claims(connections: count, seconds: seconds, taskTypes: claimTypes)
                    results.append(summary)
                    if !output.json { print(summary.line) }
                }
            }
            if taskType == nil, phase != .locks {
                _ = try await env.coordinator.database.delete("work_queue", filter: RowFilter().equal("task_type", .string(ownType)))
            }
            if output.json {
                print(JSONValue.object([
                    "backend": .string(env.coordinator.database.backendName), "results": .array(results.map(\.json)),
                ]).jsonText)
            }
        }
    }
}
