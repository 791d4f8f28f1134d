import CoordinatorCore
import Foundation
import Synchronization
import Testing

/// A storage client that keeps every `record_audit_entries` batch, can hold writes until released, and can fail.
private final class BatchRecorder: DatabaseClient {
    enum Failure: Sendable { case none, unavailable, rejectEntriesNamed(String) }

    let backendName = "recorder"
    private let state = Mutex<(batches: [[JSONValue]], held: Bool, waiting: [CheckedContinuation<Void, Never>], failure: Failure, calls: Int)>(
        ([], false, [], .none, 0))

    var batches: [[JSONValue]] { state.withLock { $0.batches } }
    var entries: [JSONValue] { batches.flatMap { $0 } }
    var calls: Int { state.withLock { $0.calls } }

    func hold() { state.withLock { $0.held = true } }

    func release() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.held = false
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    func fail(_ failure: Failure) { state.withLock { $0.failure = failure } }

    func rpc(_ function: String, _ parameters: JSONObject) async throws -> JSONValue {
        #expect(function == "record_audit_entries")
        await withCheckedContinuation { continuation in
            let wait = state.withLock { state -> Bool in
                state.calls += 1
                if state.held { state.waiting.append(continuation) }
                return state.held
            }
            if !wait { continuation.resume() }
        }
        let batch = parameters["p_entries"]?.arrayValue ?? []
        switch state.withLock({ $0.failure }) {
        case .none: break
        case .unavailable: throw DatabaseError(.unavailable, backend: backendName, "connection refused")
        case .rejectEntriesNamed(let operation):
            if batch.contains(where: { $0["operation"]?.stringValue == operation }) {
                throw DatabaseError(.rejected, backend: backendName, "bad entry")
            }
        }
        state.withLock { $0.batches.append(batch) }
        return ["success": true, "inserted": .int(batch.count)]
    }

    func query(_ table: String, filter: RowFilter, select: [String]?) async throws -> [JSONObject] { [] }
    func insert(_ table: String, row: JSONObject, returning: Bool) async throws -> JSONObject? { nil }
    func update(_ table: String, filter: RowFilter, values: JSONObject, returning: Bool) async throws -> [JSONObject] { [] }
    func delete(_ table: String, filter: RowFilter) async throws -> Int? { nil }
    func ping() async throws {}
    func close() async throws {}
}

private func record(_ operation: String, agent: String = "alice", parameters: JSONObject = [:], success: Bool = true) -> OperationRecord {
    OperationRecord(operation: operation, identity: AgentIdentity(agentId: agent, agentType: "claude_code"), requestId: "r",
                    parameters: parameters, result: ["success": .bool(success)], success: success, durationMilliseconds: 0.25,
                    time: Date(timeIntervalSince1970: 1_800_000_000))
}

@Suite("The audit trail batches, waits when full, and never loses an entry")
struct AuditTrailTests {
    @Test func batchesUpToTheBatchSizeInRecordOrder() async throws {
        let database = BatchRecorder()
        let trail = AuditTrail(database: database, config: AuditConfig(batchSize: 10, queueCapacity: 1_000, flushIntervalMilliseconds: 60_000))
        database.hold()
        for index in 0..<35 { await trail.record(record("op\(index)")) }
        #expect(database.batches.isEmpty, "nothing is written while the first write is held")
        database.release()
        await trail.flush()
        let batches = database.batches
        #expect(batches.allSatisfy { $0.count <= 10 })
        #expect(batches.count >= 4, "35 entries need at least 4 batches of 10")
        #expect(database.entries.map { $0["operation"]?.stringValue } == (0..<35).map { "op\($0)" })
        let statistics = await trail.currentStatistics()
        #expect(statistics.written == 35 && statistics.batches == batches.count && statistics.lost == 0)
        await trail.shutdown()
    }

    @Test func aFullBatchIsWrittenWithoutWaitingForTheInterval() async throws {
        let database = BatchRecorder()
        let trail = AuditTrail(database: database, config: AuditConfig(batchSize: 5, flushIntervalMilliseconds: 3_600_000))
        for index in 0..<5 { await trail.record(record("op\(index)")) }
        let deadline = ContinuousClock.now + .seconds(60)  // generous: CLI tests beside it block pool threads
        while database.entries.count < 5, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(database.batches.map(\.count) == [5])
        await trail.shutdown()
    }

    @Test func aPartialBatchIsWrittenAfterTheInterval() async throws {
        let database = BatchRecorder()
        let trail = AuditTrail(database: database, config: AuditConfig(batchSize: 100, flushIntervalMilliseconds: 300))
        await trail.record(record("one"))
        await trail.record(record("two"))
        let deadline = ContinuousClock.now + .seconds(60)  // generous: CLI tests beside it block pool threads
        while database.entries.count < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(database.batches.map(\.count) == [2], "both entries in one write")
        await trail.shutdown()
    }

    @Test func aCallerWaitsWhileTheQueueIsFullAndNothingIsDropped() async throws {
        let database = BatchRecorder()
        let trail = AuditTrail(database: database, config: AuditConfig(batchSize: 2, queueCapacity: 4, flushIntervalMilliseconds: 0))
        database.hold()
        // The writer takes op0 into a (held) write; 4 more fill the queue.
        await trail.record(record("op0"))
        let deadline = ContinuousClock.now + .seconds(60)  // generous: CLI tests beside it block pool threads
        while database.calls < 1, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(2)) }
        for index in 1..<5 { await trail.record(record("op\(index)")) }
        let returned = Atomic<Int>(0)
        let blocked = Task {
            await trail.record(record("op5"))
            returned.store(1, ordering: .sequentiallyConsistent)
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(returned.load(ordering: .sequentiallyConsistent) == 0, "the caller waits while the queue is full")
        database.release()
        await blocked.value
        #expect(returned.load(ordering: .sequentiallyConsistent) == 1)
        for index in 6..<50 { await trail.record(record("op\(index)")) }
        await trail.shutdown()
        #expect(database.entries.map { $0["operation"]?.stringValue } == (0..<50).map { "op\($0)" })
        let statistics = await trail.currentStatistics()
        #expect(statistics.waits >= 1)
        #expect(statistics.lost == 0 && statistics.written == 50)
    }

    @Test func manyConcurrentCallersThroughABoundedQueueLoseNothing() async throws {
        let database = BatchRecorder()
        let trail = AuditTrail(database: database, config: AuditConfig(batchSize: 7, queueCapacity: 10, flushIntervalMilliseconds: 1))
        await withTaskGroup(of: Void.self) { group in
            for caller in 0..<16 {
                group.addTask {
                    for index in 0..<100 { await trail.record(record("op", agent: "agent-\(caller)-\(index)")) }
                }
            }
        }
        await trail.shutdown()
        let agents = database.entries.compactMap { $0["agent_id"]?.stringValue }
        #expect(agents.count == 1_600)
        #expect(Set(agents).count == 1_600, "every record stored exactly once")
    }

    @Test func shutdownWritesEverythingQueued() async throws {
        let database = BatchRecorder()
        let trail = AuditTrail(database: database, config: AuditConfig(batchSize: 1_000, flushIntervalMilliseconds: 60_000))
        for index in 0..<123 { await trail.record(record("op\(index)")) }
        #expect(database.entries.isEmpty, "still lingering for the interval")
        await trail.shutdown()
        #expect(database.entries.count == 123)
        // After shutdown a record is written before record() returns.
        await trail.record(record("late"))
        #expect(database.entries.last?["operation"] == "late")
        await trail.shutdown()
    }

    @Test func flushWaitsForEarlierRecordsOnly() async throws {
        let database = BatchRecorder()
        let trail = AuditTrail(database: database, config: AuditConfig(batchSize: 50, flushIntervalMilliseconds: 60_000))
        for index in 0..<10 { await trail.record(record("op\(index)")) }
        await trail.flush()
        #expect(database.entries.count == 10)
        await trail.flush()
        await trail.shutdown()
    }

    @Test func synchronousModeWritesBeforeReturning() async throws {
        let database = BatchRecorder()
        let trail = AuditTrail(database: database, config: AuditConfig(async: false))
        await trail.record(record("one"))
        #expect(database.batches.map(\.count) == [1])
        await trail.record(record("two"))
        #expect(database.batches.map(\.count) == [1, 1])
        await trail.shutdown()
    }

    @Test func aRejectedEntryDoesNotSinkItsBatch() async throws {
        let database = BatchRecorder()
        database.fail(.rejectEntriesNamed("poison"))
        let trail = AuditTrail(database: database, config: AuditConfig(batchSize: 8, flushIntervalMilliseconds: 60_000))
        for index in 0..<8 { await trail.record(record(index == 5 ? "poison" : "op\(index)")) }
        await trail.shutdown()
        #expect(database.entries.map { $0["operation"]?.stringValue } == ["op0", "op1", "op2", "op3", "op4", "op6", "op7"])
        let statistics = await trail.currentStatistics()
        #expect(statistics.lost == 1)
    }

    @Test func anUnreachableDatabaseIsRetriedThenTheEntryIsCountedLost() async throws {
        let database = BatchRecorder()
        database.fail(.unavailable)
        let trail = AuditTrail(database: database, config: AuditConfig(async: false))
        await trail.record(record("one"))
        #expect(database.calls == 4, "three retries")
        let statistics = await trail.currentStatistics()
        #expect(statistics.lost == 1 && statistics.failedAttempts == 4)
        database.fail(.none)
        await trail.record(record("two"))
        #expect(database.entries.map { $0["operation"]?.stringValue } == ["two"])
    }

    @Test func entriesAreRedactedAndBounded() async throws {
        let database = BatchRecorder()
        let trail = AuditTrail(database: database, config: AuditConfig(async: false))
        await trail.record(record("submit_work", parameters: [
            "description": .string(String(repeating: "x", count: 5_000)),
            "input_data": ["api_key": "sk-123", "nested": ["Password": "hunter2", "ok": 1]],
            "file_path": "a\u{0}b",
        ], success: false))
        let entry = try #require(database.entries.first)
        #expect(entry["parameters"]?["input_data"]?["api_key"] == "[REDACTED]")
        #expect(entry["parameters"]?["input_data"]?["nested"]?["Password"] == "[REDACTED]")
        #expect(entry["parameters"]?["input_data"]?["nested"]?["ok"] == 1)
        #expect(entry["parameters"]?["file_path"] == "a\u{FFFD}b")
        let description = try #require(entry["parameters"]?["description"]?.stringValue)
        #expect(description.count < 600 && description.hasSuffix("…[+4500 chars]"))
        #expect(entry["success"] == false)
        #expect(entry["agent_id"] == "alice" && entry["agent_type"] == "claude_code")
        #expect(entry["duration_ms"] == 0.25)
        #expect(entry["created_at"] == "2027-01-15T08:00:00.000000Z")
    }
}

@Suite("Audit redaction and summaries are pure and bounded")
struct AuditRedactionTests {
    @Test(arguments: ["password", "PASSWORD", "db_password", "secret", "client_secret", "token", "github_token", "api_key",
                      "X-Api-Key", "apiKey", "Authorization", "credentials", "private_key", "privateKey"])
    func sensitiveNames(_ name: String) {
        #expect(AuditRedaction.isSensitive(name))
        #expect(AuditRedaction.redact([name: ["deep": "value"]]) == [name: .string(AuditRedaction.placeholder)])
    }

    @Test(arguments: ["file_path", "reason", "task_id", "description", "agent_id", "summary", "priority"])
    func ordinaryNames(_ name: String) {
        #expect(!AuditRedaction.isSensitive(name))
    }

    @Test func redactsAtAnyDepthInsideArrays() {
        let value: JSONValue = ["items": [["token": "t1", "name": "a"], ["token": "t2", "name": "b"]], "count": 2]
        #expect(AuditRedaction.redact(value) == [
            "items": [["token": "[REDACTED]", "name": "a"], ["token": "[REDACTED]", "name": "b"]], "count": 2,
        ])
    }

    @Test func summaryCutsArraysObjectsAndDepth() {
        let limits = AuditSummary.Limits(maxStringLength: 5, maxItems: 3, maxKeys: 3, maxDepth: 2, maxBytes: 10_000)
        let value: JSONValue = [
            "a_list": [1, 2, 3, 4, 5],
            "b_text": "abcdefgh",
            "c_deep": ["a": ["b": ["c": 1]]],
            "d_cut": true,
        ]
        let cut = AuditSummary.bounded(value, limits: limits)
        #expect(cut["a_list"] == [1, 2, 3, "…[+2 items]"])
        #expect(cut["b_text"] == "abcde…[+3 chars]")
        #expect(cut["c_deep"]?["a"] == "[object with 1 keys]")
        #expect(cut["d_cut"] == nil)
        #expect(cut[AuditSummary.omittedKey] == "1 more keys", "four keys, three kept (by name)")
    }

    @Test func anOversizedDocumentKeepsItsTopLevelScalars() {
        let limits = AuditSummary.Limits(maxStringLength: 1_000, maxItems: 1_000, maxKeys: 1_000, maxDepth: 5, maxBytes: 200)
        let value: JSONValue = ["success": true, "locks": .array((0..<100).map { .int($0) })]
        let cut = AuditSummary.bounded(value, limits: limits)
        #expect(cut["success"] == true)
        #expect(cut["locks"] == nil)
        #expect(cut[AuditSummary.omittedKey] != nil)
    }

    @Test func configurationIsReadAndChecked() throws {
        let defaults = try AuditConfig.fromEnvironment([:])
        #expect(defaults == AuditConfig(retentionDays: 90, async: true, batchSize: 200, queueCapacity: 10_000, flushIntervalMilliseconds: 50))
        let custom = try CoordinatorConfig.fromEnvironment(["AUDIT_RETENTION_DAYS": "30", "AUDIT_ASYNC": "false", "AUDIT_BATCH_SIZE": "10"])
        #expect(custom.audit.retentionDays == 30 && !custom.audit.async && custom.audit.batchSize == 10)
        for (name, value) in [("AUDIT_RETENTION_DAYS", "0"), ("AUDIT_ASYNC", "maybe"), ("AUDIT_BATCH_SIZE", "0"),
                              ("AUDIT_QUEUE_CAPACITY", "x"), ("AUDIT_FLUSH_INTERVAL_MS", "-1")] {
            #expect { try CoordinatorConfig.fromEnvironment([name: value]) } throws: { error in
                (error as? ConfigurationError)?.variable == name
            }
        }
    }
}

@Suite("Audit entries")
struct AuditEntryTests {
    @Test func blankIdentityIsRecordedAsUnknownAndAFailedResultExplainsItself() {
        let record = OperationRecord(operation: "release_lock", identity: AgentIdentity(agentId: " \t", agentType: ""), requestId: "r",
                                     parameters: ["file_path": "a"],
                                     result: ["success": false, "reason": "lock_not_found_or_not_owner", "detail": "You do not hold it."],
                                     success: false, time: Date(timeIntervalSince1970: 0))
        let entry = AuditEntry.json(for: record)
        #expect(entry["agent_id"] == "unknown" && entry["agent_type"] == "unknown")
        #expect(entry["error_message"] == "lock_not_found_or_not_owner: You do not hold it.")
        #expect(entry["created_at"] == "1970-01-01T00:00:00.000000Z")
        #expect(AuditEntry.json(for: OperationRecord(operation: "check_locks", identity: AgentIdentity(agentId: "a", agentType: "b"),
                                                      requestId: "r", parameters: [:], result: ["locks": []], success: true,
                                                      time: Date()))["error_message"] == .null)
    }
}
