import CoordinatorCore
import Foundation
import Testing

@Suite("Discovery behaves the same on every backend")
struct DiscoveryConformanceTests {
    @Test(arguments: TestBackend.available)
    func registerThenHeartbeatWithTheReturnedSession(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let discovery = db.coordinator().discovery
            let registered = try await discovery.register(capabilities: ["swift", "review"], currentTask: "parser", context: db.context("alice"))
            let session = try #require(registered["session_id"]?.stringValue)
            #expect(session.hasPrefix("alice-"))

            db.clock.advance(minutes: 10)
            let beat = try await discovery.heartbeat(sessionId: session, context: db.context("alice"))
            #expect(beat["success"] == true)
            #expect(beat["session_id"] == .string(session))
            let implicit = try await discovery.heartbeat(context: db.context("alice"))
            #expect(implicit["session_id"] == .string(session), "without a session id the agent's newest session is used")
            let agents = try #require(try await discovery.discover()["agents"]?.arrayValue)
            #expect(agents.count == 1)
            let seen = try #require(agents[0]["last_heartbeat"]?.stringValue.flatMap(Timestamp.parse))
            #expect(abs(seen.timeIntervalSince(db.clock.now())) < 0.01)
            #expect(agents[0]["capabilities"] == ["swift", "review"])
            #expect(agents[0]["current_task"] == "parser")
            #expect(agents[0]["status"] == "active")

            let unknown = try await discovery.heartbeat(sessionId: "nope", context: db.context("alice"))
            #expect(unknown["success"] == false)
            #expect(unknown["error"] == "session_not_found")
            #expect(try await discovery.heartbeat(context: db.context("stranger"))["error"] == "session_not_found")
            let stolen = try await discovery.register(context: db.context("mallory", session: session))
            #expect(stolen["reason"] == "session_owned_by_other_agent")
            #expect(try await discovery.heartbeat(sessionId: session, context: db.context("mallory"))["error"] == "session_not_found")
        }
    }

    @Test(arguments: TestBackend.available)
    func discoverFiltersByCapabilityAndStatus(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let discovery = db.coordinator().discovery
            _ = try await discovery.register(capabilities: ["swift"], context: db.context("a", session: "s-a"))
            db.clock.advance(by: 1)
            _ = try await discovery.register(capabilities: ["python", "swift"], context: db.context("b", session: "s-b"))
            db.clock.advance(by: 1)
            _ = try await discovery.register(capabilities: ["python"], context: db.context("c", session: "s-c"))
            let swift = try #require(try await discovery.discover(capability: "swift")["agents"]?.arrayValue)
            #expect(swift.map { $0["agent_id"] } == ["b", "a"], "latest heartbeat first")
            #expect(try await discovery.discover(capability: "swif")["agents"] == [], "capabilities match exactly")
            db.clock.advance(minutes: 20)
            _ = try await discovery.heartbeat(context: db.context("c"))
            _ = try await discovery.cleanup(context: db.context("janitor"))
            #expect(try await discovery.discover()["agents"]?.arrayValue?.map { $0["agent_id"] } == ["c"])
            let gone = try #require(try await discovery.discover(status: "disconnected")["agents"]?.arrayValue)
            #expect(Set(gone.compactMap { $0["agent_id"]?.stringValue }) == ["a", "b"])
            await #expect(throws: InputError.self) { try await discovery.discover(status: "asleep") }
        }
    }

    @Test(arguments: TestBackend.available)
    func cleanupFreesOnlyWhatDeadAgentsHeld(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let coordinator = db.coordinator()
            let discovery = coordinator.discovery
            // dead: one stale session; twin: one stale and one live session; fresh: live.
            _ = try await discovery.register(context: db.context("dead", session: "dead-1"))
            _ = try await discovery.register(context: db.context("twin", session: "twin-old"))
            _ = try await coordinator.locks.acquire(path: "dead.txt", ttlMinutes: 480, context: db.context("dead"))
            _ = try await coordinator.locks.acquire(path: "twin.txt", ttlMinutes: 480, context: db.context("twin"))
            _ = try await coordinator.locks.acquire(path: "short.txt", ttlMinutes: 1, context: db.context("nobody"))
            let deadTask = try #require(try await coordinator.workQueue.submit(.init(taskType: "t", description: "d1"), context: db.context("o"))["task_id"]?.stringValue)
            let twinTask = try #require(try await coordinator.workQueue.submit(.init(taskType: "t", description: "d2"), context: db.context("o"))["task_id"]?.stringValue)
            #expect(try await coordinator.workQueue.claim(context: db.context("dead"))["task_id"] == .string(deadTask))
            #expect(try await coordinator.workQueue.claim(context: db.context("twin"))["task_id"] == .string(twinTask))

            db.clock.advance(minutes: 16)
            _ = try await discovery.register(context: db.context("twin", session: "twin-new"))
            _ = try await discovery.register(context: db.context("fresh", session: "fresh-1"))
            _ = try await coordinator.locks.acquire(path: "fresh.txt", context: db.context("fresh"))

            let result = try await discovery.cleanup(staleMinutes: 15, context: db.context("janitor"))
            #expect(result["success"] == true)
            #expect(result["agents_cleaned"] == 2, "dead-1 and twin-old")
            #expect(result["locks_released"] == 1, "only dead's lock: twin still has a live session")
            #expect(result["tasks_released"] == 1)
            #expect(result["expired_locks_swept"] == 1)

            let held = try await coordinator.locks.check(context: db.context("x")).compactMap { $0["file_path"]?.stringValue }
            #expect(Set(held) == ["twin.txt", "fresh.txt"])
            let deadRow = try #require(try await coordinator.workQueue.task(id: deadTask)["task"])
            #expect(deadRow["status"] == "pending")
            #expect(deadRow["claimed_by"] == .null)
            #expect(try await coordinator.workQueue.task(id: twinTask)["task"]?["status"] == "claimed")
            let statuses = try await db.client.query("agent_sessions", filter: RowFilter().ordered(by: "id"), select: ["id", "status"])
            #expect(statuses.map { $0["status"] } == ["disconnected", "active", "active", "disconnected"], "dead-1, fresh-1, twin-new, twin-old")

            let again = try await discovery.cleanup(staleMinutes: 15, context: db.context("janitor"))
            #expect(again["agents_cleaned"] == 0)
            #expect(again["locks_released"] == 0)
        }
    }
}
