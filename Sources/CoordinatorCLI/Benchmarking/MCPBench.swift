import CoordinatorCore
import Foundation

/// MCP tool-call latency over stdio: `calls` sequential `check_locks` through a `coordinator mcp` child process,
/// against the same calls made in-process through the dispatcher (the baseline), on the same database with
/// `locks` live locks; plus spawn → first result and the child's resident memory.
struct MCPBench {
    let coordinator: Coordinator
    let environment: [String: String]
    let calls: Int
    let locks: Int

    struct Outcome: Sendable {
        let overStdio: BenchSummary
        let inProcess: BenchSummary
        let spawnToFirstResultMilliseconds: Double
        let residentMebibytes: Double?

        var json: JSONValue {
            let ratio = BenchSummary.quantile(0.5, of: overStdio.latencies) / max(BenchSummary.quantile(0.5, of: inProcess.latencies), 1e-9)
            return [
                "mcp_stdio": overStdio.json, "in_process": inProcess.json,
                "p50_stdio_over_in_process": .double((ratio * 100).rounded() / 100),
                "spawn_to_first_result_ms": .double((spawnToFirstResultMilliseconds * 100).rounded() / 100),
                "mcp_rss_mib": residentMebibytes.map { .double(($0 * 10).rounded() / 10) } ?? .null,
            ]
        }

        var lines: [String] {
            [
                overStdio.line, inProcess.line,
                String(format: "spawn → first check_locks result: %.1f ms; coordinator mcp resident memory: %@", spawnToFirstResultMilliseconds,
                       residentMebibytes.map { String(format: "%.1f MiB", $0) } ?? "unknown"),
            ]
        }
    }

    func run() async throws -> Outcome {
        let context = RequestContext(identity: AgentIdentity(agentId: "bench-mcp-seed", agentType: "bench"))
        for index in 0..<locks {
            _ = try await coordinator.locks.acquire(path: "bench/mcp/\(index)", reason: "benchmark", ttlMinutes: 30, context: context)
        }
        let dispatcher = OperationDispatcher(coordinator: coordinator)
        let clock = ContinuousClock()
        var baseline: [Double] = []
        let baselineStart = clock.now
        for _ in 0..<calls {
            let began = clock.now
            _ = try await dispatcher.call("check_locks", arguments: [:], context: context)
            baseline.append(BenchRunner.seconds(began.duration(to: clock.now)))
        }
        let baselineSeconds = BenchRunner.seconds(baselineStart.duration(to: clock.now))

        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        let childEnvironment = environment.merging(["AGENT_ID": "bench-mcp"]) { _, new in new }
        let calls = self.calls
        let (latencies, total, firstResult, memory) = try await onDedicatedThread { () throws -> ([Double], Double, Double, Double?) in
            let spawned = clock.now
            let probe = try MCPStdioProbe(executable: executable, environment: childEnvironment)
            defer { probe.close() }
            _ = try probe.call("initialize", [
                "protocolVersion": "2025-06-18", "capabilities": [:], "clientInfo": ["name": "coordinator-bench", "version": "1"],
            ])
            try probe.notify("notifications/initialized")
            _ = try probe.call("tools/call", ["name": "check_locks", "arguments": [:]])
            let firstResult = BenchRunner.seconds(spawned.duration(to: clock.now)) * 1000
            let memory = residentMebibytes(of: probe.processIdentifier)
            var latencies: [Double] = []
            let started = clock.now
            for _ in 0..<calls {
                let began = clock.now
                let result = try probe.call("tools/call", ["name": "check_locks", "arguments": [:]])
                guard result["isError"] != .bool(true) else { throw BenchFailure(message: "check_locks failed: \(result.jsonText)") }
                latencies.append(BenchRunner.seconds(began.duration(to: clock.now)))
            }
            return (latencies, BenchRunner.seconds(started.duration(to: clock.now)), firstResult, memory)
        }
        return Outcome(
            overStdio: BenchSummary(name: "mcp_stdio_check_locks", connections: 1, operations: latencies.count, seconds: total,
                                    latencies: latencies, completions: []),
            inProcess: BenchSummary(name: "in_process_check_locks", connections: 1, operations: baseline.count, seconds: baselineSeconds,
                                    latencies: baseline, completions: []),
            spawnToFirstResultMilliseconds: firstResult, residentMebibytes: memory)
    }
}
