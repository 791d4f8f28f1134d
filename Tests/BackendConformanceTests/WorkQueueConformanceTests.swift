import CoordinatorCore
import Foundation
import Testing

@Suite("The work queue behaves the same on every backend")
struct WorkQueueConformanceTests {
    func submit(_ queue: WorkQueueService, _ db: TestDatabase, _ description: String, type: String = "test",
                priority: Int = 5, dependsOn: [String] = [], maxAttempts: Int? = nil) async throws -> String {
        let result = try await queue.submit(
            .init(taskType: type, description: description, inputData: ["n": .string(description)], priority: priority,
                  dependsOn: dependsOn, maxAttempts: maxAttempts),
            context: db.context("orchestrator"))
        #expect(result["success"] == true, "\(result)")
        return try #require(result["task_id"]?.stringValue)
    }

    @Test(arguments: TestBackend.available)
    func claimsByPriorityThenFIFO(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let queue = db.coordinator().workQueue
            let low = try await submit(queue, db, "low", priority: 9)
            let firstUrgent = try await submit(queue, db, "urgent-1", priority: 1)
            let secondUrgent = try await submit(queue, db, "urgent-2", priority: 1)
            let normal = try await submit(queue, db, "normal", type: "review")
            var order: [String] = []
            for _ in 0..<4 {
                let claim = try await queue.claim(context: db.context("worker"))
                #expect(claim["success"] == true)
                order.append(try #require(claim["task_id"]?.stringValue))
            }
            #expect(order == [firstUrgent, secondUrgent, normal, low])
            let empty = try await queue.claim(context: db.context("worker"))
            #expect(empty["success"] == false)
            #expect(empty["reason"] == "no_tasks_available")
        }
    }

    @Test(arguments: TestBackend.available)
    func claimFiltersByTypeAndReturnsTheTask(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let queue = db.coordinator().workQueue
            _ = try await submit(queue, db, "a test", type: "test", priority: 1)
            let review = try await submit(queue, db, "a review", type: "review", priority: 5)
            let claim = try await queue.claim(taskTypes: ["review", "docs"], context: db.context("reviewer"))
            #expect(claim["task_id"] == .string(review))
            #expect(claim["task_type"] == "review")
            #expect(claim["description"] == "a review")
            #expect(claim["input_data"] == ["n": "a review"])
            #expect(claim["priority"] == 5)
            #expect(claim["attempt_count"] == 1)
            #expect(claim["max_attempts"] == 3)
            let lease = try #require(claim["lease_expires_at"]?.stringValue.flatMap(Timestamp.parse))
            #expect(abs(lease.timeIntervalSince(db.clock.now()) - 30 * 60) < 0.01)
            #expect(try await queue.claim(taskTypes: ["docs"], context: db.context("reviewer"))["reason"] == "no_tasks_available")
        }
    }

    @Test(arguments: TestBackend.available)
    func dependenciesGateClaims(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let queue = db.coordinator().workQueue
            let build = try await submit(queue, db, "build", priority: 5)
            let test = try await submit(queue, db, "test", priority: 1, dependsOn: [build, build])
            let claim = try await queue.claim(context: db.context("w1"))
            #expect(claim["task_id"] == .string(build), "the urgent task waits for its dependency")
            #expect(try await queue.claim(context: db.context("w2"))["reason"] == "no_tasks_available")
            let done = try await queue.complete(taskId: build, success: true, result: ["ok": true], context: db.context("w1"))
            #expect(done["status"] == "completed")
            #expect(try await queue.claim(context: db.context("w2"))["task_id"] == .string(test))
            let stored = try await queue.task(id: test)
            #expect(stored["task"]?["depends_on"] == JSONValue([build]), "duplicate dependency ids are collapsed")
        }
    }

    @Test(arguments: TestBackend.available)
    func failureAndCancellationCascadeToDependents(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let queue = db.coordinator().workQueue
            let root = try await submit(queue, db, "root")
            let child = try await submit(queue, db, "child", dependsOn: [root])
            let grandchild = try await submit(queue, db, "grandchild", dependsOn: [child])
            let other = try await submit(queue, db, "independent", priority: 9)
            _ = try await queue.claim(context: db.context("w"))
            let failed = try await queue.complete(taskId: root, success: false, errorMessage: "boom", context: db.context("w"))
            #expect(failed["status"] == "failed")
            #expect(failed["dependents_failed"] == 2)
            let childRow = try #require(try await queue.task(id: child)["task"])
            #expect(childRow["status"] == "failed")
            #expect(childRow["error_message"] == .string("dependency_failed: \(root)"))
            let grandchildRow = try #require(try await queue.task(id: grandchild)["task"])
            #expect(grandchildRow["status"] == "failed")
            #expect(grandchildRow["error_message"] == .string("dependency_failed: \(root)"), "the cause named is the task that ended")
            #expect(try await queue.task(id: other)["task"]?["status"] == "pending")

            let refused = try await queue.submit(.init(taskType: "t", description: "late", dependsOn: [root]), context: db.context("o"))
            #expect(refused["success"] == false)
            #expect(refused["reason"] == "dependency_failed")
            #expect(refused["dependency_id"] == .string(root))

            let parent = try await submit(queue, db, "to cancel")
            let waiting = try await submit(queue, db, "waits", dependsOn: [parent])
            let cancelled = try await queue.cancel(taskId: parent, reason: "not needed", context: db.context("lead"))
            #expect(cancelled["status"] == "cancelled")
            #expect(cancelled["dependents_failed"] == 1)
            #expect(try await queue.task(id: parent)["task"]?["status"] == "cancelled")
            #expect(try await queue.task(id: waiting)["task"]?["error_message"] == .string("dependency_failed: \(parent)"))
            let again = try await queue.cancel(taskId: parent, context: db.context("lead"))
            #expect(again["reason"] == "task_not_cancellable")
            #expect(again["status"] == "cancelled")
            let unknown = try await queue.cancel(taskId: UUID().uuidString, context: db.context("lead"))
            #expect(unknown["reason"] == "task_not_found")
        }
    }

    @Test(arguments: TestBackend.available)
    func onlyTheClaimerCompletesAndOnlyOnce(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let queue = db.coordinator().workQueue
            let id = try await submit(queue, db, "job")
            let early = try await queue.complete(taskId: id, success: true, context: db.context("w1"))
            #expect(early["reason"] == "task_not_found_or_not_claimed_by_agent", "a pending task has no claimer")
            _ = try await queue.claim(context: db.context("w1"))
            let stranger = try await queue.complete(taskId: id, success: true, context: db.context("w2"))
            #expect(stranger["success"] == false)
            #expect(stranger["reason"] == "task_not_found_or_not_claimed_by_agent")
            #expect(try await queue.complete(taskId: id, success: true, result: ["n": 1], context: db.context("w1"))["success"] == true)
            let twice = try await queue.complete(taskId: id, success: false, result: ["n": 2], context: db.context("w1"))
            #expect(twice["reason"] == "task_not_active")
            #expect(twice["status"] == "completed")
            let row = try #require(try await queue.task(id: id)["task"])
            #expect(row["result"] == ["n": 1], "a second completion does not overwrite the result")
            #expect(row["completed_at"]?.stringValue != nil)
            let missing = try await queue.complete(taskId: UUID().uuidString, success: true, context: db.context("w1"))
            #expect(missing["reason"] == "task_not_found_or_not_claimed_by_agent")
        }
    }

    @Test(arguments: TestBackend.available)
    func expiredLeasesReturnTasksUntilMaxAttempts(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let queue = db.coordinator(work: WorkQueueConfig(leaseMinutes: 10)).workQueue
            let id = try await submit(queue, db, "flaky", maxAttempts: 2)
            let dependent = try await submit(queue, db, "after flaky", dependsOn: [id])
            #expect(try await queue.claim(context: db.context("dead-1"))["task_id"] == .string(id))
            db.clock.advance(minutes: 9)
            #expect(try await queue.claim(context: db.context("w"))["reason"] == "no_tasks_available", "lease still running")
            db.clock.advance(minutes: 2)
            let second = try await queue.claim(context: db.context("dead-2"))
            #expect(second["task_id"] == .string(id), "an expired lease returns the task to the queue")
            #expect(second["attempt_count"] == 2)
            let late = try await queue.complete(taskId: id, success: true, context: db.context("dead-1"))
            #expect(late["reason"] == "task_not_found_or_not_claimed_by_agent", "the first claimer lost the task")
            db.clock.advance(minutes: 11)
            #expect(try await queue.claim(context: db.context("w"))["reason"] == "no_tasks_available")
            let row = try #require(try await queue.task(id: id)["task"])
            #expect(row["status"] == "failed")
            #expect(row["error_message"] == "claim_lease_expired: max_attempts reached")
            #expect(try await queue.task(id: dependent)["task"]?["status"] == "failed")
        }
    }

    @Test(arguments: TestBackend.available)
    func renewingALeaseKeepsTheTask(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let queue = db.coordinator(work: WorkQueueConfig(leaseMinutes: 10)).workQueue
            let id = try await submit(queue, db, "long job")
            _ = try await queue.claim(context: db.context("w1"))
            for _ in 0..<3 {
                db.clock.advance(minutes: 8)
                let renewed = try await queue.renewLease(taskId: id, context: db.context("w1"))
                #expect(renewed["status"] == "running")
            }
            #expect(try await queue.renewLease(taskId: id, context: db.context("w2"))["reason"] == "task_not_found_or_not_claimed_by_agent")
            #expect(try await queue.claim(context: db.context("w2"))["reason"] == "no_tasks_available")
            let row = try #require(try await queue.task(id: id)["task"])
            #expect(row["status"] == "running")
            #expect(row["started_at"]?.stringValue != nil)
            #expect(try await queue.complete(taskId: id, success: true, context: db.context("w1"))["status"] == "completed")
            #expect(try await queue.renewLease(taskId: id, context: db.context("w1"))["reason"] == "task_not_active")
        }
    }

    @Test(arguments: TestBackend.available)
    func badSubmissionsAreRefusedAndWriteNothing(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let queue = db.coordinator().workQueue
            let context = db.context("o")
            let bad: [WorkQueueService.Submission] = [
                .init(taskType: "", description: "d"),
                .init(taskType: "t", description: "  "),
                .init(taskType: "t", description: "d", priority: 0),
                .init(taskType: "t", description: "d", priority: 11),
                .init(taskType: "t", description: "d", dependsOn: ["not-a-uuid"]),
                .init(taskType: "t", description: "d", dependsOn: [UUID().uuidString]),
                .init(taskType: "t", description: "d", inputData: .array([1])),
                .init(taskType: "t", description: "d", deadline: "tomorrow"),
                .init(taskType: "t", description: "d", maxAttempts: 0),
            ]
            for submission in bad {
                await #expect(throws: InputError.self) { try await queue.submit(submission, context: context) }
            }
            await #expect(throws: InputError.self) { try await queue.complete(taskId: "123", success: true, context: context) }
            await #expect(throws: InputError.self) { try await queue.list(status: "done") }
            #expect(try await db.client.query("work_queue").isEmpty)

            let direct: [(JSONObject, String)] = [
                (["p_task_type": "t", "p_description": "d", "p_priority": 11], "priority_out_of_range"),
                (["p_task_type": "", "p_description": "d"], "invalid_task_type"),
                (["p_task_type": "t", "p_description": ""], "invalid_description"),
                (["p_task_type": "t", "p_description": "d", "p_depends_on": JSONValue([UUID().uuidString.lowercased()])], "unknown_dependency"),
            ]
            for (parameters, reason) in direct {
                let result = try await db.client.rpc("submit_task", parameters)
                #expect(result["reason"] == .string(reason), "\(parameters)")
            }
            #expect(try await db.client.query("work_queue").isEmpty)
        }
    }

    @Test(arguments: TestBackend.available)
    func listsInQueueOrder(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let queue = db.coordinator().workQueue
            let b = try await submit(queue, db, "b", priority: 3)
            let a = try await submit(queue, db, "a", priority: 2)
            let c = try await submit(queue, db, "c", priority: 3)
            #expect(try await queue.list().map { $0["id"] } == [.string(a), .string(b), .string(c)])
            _ = try await queue.claim(context: db.context("w"))
            #expect(try await queue.list(status: "pending").map { $0["id"] } == [.string(b), .string(c)])
            #expect(try await queue.list(status: "claimed").map { $0["claimed_by"] } == ["w"])
            #expect(try await queue.list(limit: 1).count == 1)
            #expect(try await queue.task(id: UUID().uuidString)["reason"] == "task_not_found")
        }
    }

    @Test(arguments: TestBackend.available)
    func concurrentClaimersGetDistinctTasks(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend, poolMax: 16) { db in
            let queue = db.coordinator().workQueue
            for index in 0..<200 {
                _ = try await queue.submit(.init(taskType: "t", description: "task \(index)", priority: index % 10 + 1),
                                           context: db.context("o"))
            }
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for worker in 0..<16 {
                    let context = db.context("worker-\(worker)")
                    group.addTask {
                        var mine: [String] = []
                        while true {
                            let result = try await queue.claim(context: context)
                            guard let id = result["task_id"]?.stringValue else { break }
                            mine.append(id)
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(claimed.count == 200)
            #expect(Set(claimed).count == 200, "no task is claimed twice")
            let rows = try await db.client.query("work_queue", filter: RowFilter().equal("status", "claimed"), select: ["id"])
            #expect(rows.count == 200)
        }
    }
}
