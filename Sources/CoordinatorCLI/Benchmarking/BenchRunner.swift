import CoordinatorCore
import Foundation

/// Runs benchmark phases through the same services the transports use: lock cycles (acquire + release of a
/// per-connection key) and claims, each from `connections` concurrent callers for a fixed time.
struct BenchRunner: Sendable {
    let coordinator: Coordinator
    let runId: String

    init(coordinator: Coordinator) {
        self.coordinator = coordinator
        runId = String(UUID().uuidString.lowercased().prefix(8))
    }

    func context(_ worker: Int) -> RequestContext {
        RequestContext(identity: AgentIdentity(agentId: "bench-\(runId)-\(worker)", agentType: "bench"))
    }

    /// Acquire + release cycles on one key per connection.
    func lockCycles(connections: Int, seconds: Double) async throws -> BenchSummary {
        let locks = coordinator.locks
        return try await measure("lock_cycles", connections: connections, seconds: seconds) { worker in
            let context = context(worker)
            let key = "bench/\(runId)/\(worker)"
            let acquired = try await locks.acquire(path: key, reason: "benchmark", ttlMinutes: 5, context: context)
            let released = try await locks.release(path: key, context: context)
            guard acquired["success"] == true, released["success"] == true else {
                throw BenchFailure(message: "lock cycle failed: \(acquired.jsonText) \(released.jsonText)")
            }
            return true
        }
    }

    /// Submits `count` tasks of `taskType` from `connections` callers.
    func seed(count: Int, taskType: String, connections: Int) async throws {
        let queue = coordinator.workQueue
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<connections {
                let share = count / connections + (worker < count % connections ? 1 : 0)
                group.addTask {
                    for index in 0..<share {
                        let result = try await queue.submit(
                            .init(taskType: taskType, description: "benchmark task \(worker)-\(index)", inputData: ["n": .int(index)]),
                            context: context(worker))
                        guard result["success"] == true else { throw BenchFailure(message: "seed failed: \(result.jsonText)") }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Claims until the time is up or the queue is empty.
    func claims(connections: Int, seconds: Double, taskTypes: [String]?) async throws -> BenchSummary {
        let queue = coordinator.workQueue
        return try await measure("claims", connections: connections, seconds: seconds) { worker in
            let result = try await queue.claim(taskTypes: taskTypes, context: context(worker))
            if result["success"] == true { return true }
            guard result["reason"] == "no_tasks_available" else { throw BenchFailure(message: "claim failed: \(result.jsonText)") }
            return false
        }
    }

    /// Lock cycles (acquire_lock + release_lock, one key per connection) through `dispatcher` for `seconds`, measured
    /// as `name` — the dispatcher-level benchmarks (audit trail, profile check) compare two dispatchers this way.
    func dispatcherLockCycles(_ dispatcher: OperationDispatcher, name: String, connections: Int, seconds: Double) async throws -> BenchSummary {
        try await measure(name, connections: connections, seconds: seconds) { worker in
            let context = context(worker)
            let key: JSONObject = ["file_path": .string("bench/\(runId)/\(name)/\(worker)"), "ttl_minutes": 5]
            let acquired = try await dispatcher.call("acquire_lock", arguments: key, context: context)
            let released = try await dispatcher.call("release_lock", arguments: ["file_path": key["file_path"]!], context: context)
            guard acquired["success"] == true, released["success"] == true else {
                throw BenchFailure(message: "lock cycle failed: \(acquired.jsonText) \(released.jsonText)")
            }
            return true
        }
    }

    /// Runs `operation` in a loop on each connection until `seconds` pass or it returns false.
    func measure(_ name: String, connections: Int, seconds: Double,
                         _ operation: @escaping @Sendable (Int) async throws -> Bool) async throws -> BenchSummary {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start.advanced(by: .milliseconds(Int(seconds * 1000)))
        let perWorker = try await withThrowingTaskGroup(of: ([Double], [Double]).self) { group in
            for worker in 0..<connections {
                group.addTask {
                    var latencies: [Double] = []
                    var completions: [Double] = []
                    while clock.now < deadline {
                        let began = clock.now
                        guard try await operation(worker) else { break }
                        let ended = clock.now
                        latencies.append(Self.seconds(began.duration(to: ended)))
                        completions.append(Self.seconds(start.duration(to: ended)))
                    }
                    return (latencies, completions)
                }
            }
            return try await group.reduce(into: [([Double], [Double])]()) { $0.append($1) }
        }
        let elapsed = Self.seconds(start.duration(to: clock.now))
        let latencies = perWorker.flatMap(\.0)
        return BenchSummary(name: name, connections: connections, operations: latencies.count, seconds: elapsed,
                            latencies: latencies, completions: perWorker.flatMap(\.1))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
