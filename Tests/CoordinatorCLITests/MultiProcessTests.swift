import CoordinatorCore
import CoordinatorSQLite
import Foundation
import Testing

@Suite("Many coordinator processes share one SQLite file safely")
struct MultiProcessTests {
    @Test func eightProcessesClaimFiveHundredTasksExactlyOnce() async throws {
        let cli = try CoordinatorProcess()
        defer { cli.remove() }
        let client = try SQLiteDatabaseClient(config: SQLiteConfig(path: cli.databasePath))
        _ = try await client.migrate()
        let queue = WorkQueueService(database: client)
        let context = RequestContext(identity: AgentIdentity(agentId: "seeder", agentType: "test"))
        for index in 0..<500 {
            _ = try await queue.submit(.init(taskType: "t", description: "task \(index)", priority: index % 10 + 1), context: context)
        }
        try await client.close()

        // Eight workers, each a loop of real `coordinator work claim` processes, until the queue is empty.
        let perWorker = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<8 {
                group.addTask {
                    try await onOwnThread {
                        var mine: [String] = []
                        for _ in 0..<600 {
                            let outcome = try cli.run(["work", "claim", "--json"], agent: "worker-\(worker)")
                            if outcome.status == 3 { break }
                            #expect(outcome.status == 0, "\(outcome.stderr)")
                            mine.append(try #require(try outcome.json["task_id"]?.stringValue))
                        }
                        return mine
                    }
                }
            }
            return try await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        let claimed = perWorker.flatMap { $0 }
        #expect(claimed.count == 500)
        #expect(Set(claimed).count == 500, "no task is claimed twice")
        #expect(perWorker.filter { !$0.isEmpty }.count > 1, "the work was shared between processes")

        let check = try SQLiteDatabaseClient(config: SQLiteConfig(path: cli.databasePath))
        let rows = try await check.query("work_queue", filter: RowFilter(), select: ["status", "claimed_by", "attempt_count"])
        #expect(rows.count == 500)
        #expect(rows.allSatisfy { $0["status"] == "claimed" && $0["attempt_count"] == 1 })
        try await check.close()
    }

    @Test func sixteenProcessesContendForOneLock() async throws {
        let cli = try CoordinatorProcess()
        defer { cli.remove() }
        _ = try cli.run(["migrate"])
        let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
            for contender in 0..<16 {
                group.addTask {
                    try await onOwnThread { try cli.run(["lock", "acquire", "shared/config.yaml"], agent: "agent-\(contender)").status }
                }
            }
            return try await group.reduce(into: [Int32]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 0 }.count == 1, "exactly one process holds the lock: \(statuses)")
        #expect(statuses.filter { $0 == 3 }.count == 15)
        let holders = try cli.run(["lock", "list", "--json"]).json["locks"]?.arrayValue ?? []
        #expect(holders.count == 1)
    }
}
