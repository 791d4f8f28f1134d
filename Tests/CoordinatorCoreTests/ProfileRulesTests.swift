import CoordinatorCore
import Foundation
import Testing

@Suite("Profile check: trust gate, lists, resource limits")
struct ProfileRulesTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let reviewer = AgentProfile(name: "reviewer", agentType: "claude_code", trustLevel: 1,
                                       allowedOperations: ["check_locks", "read_handoff", "recall"], maxFileModifications: 0)
    static let worker = AgentProfile(name: "worker", agentType: "codex", trustLevel: 2, blockedOperations: ["submit_work"],
                                     maxFileModifications: 2, maxExecutionTimeSeconds: 600, maxAPICallsPerHour: 5)

    func check(_ operation: String, _ category: OperationCategory, profile: AgentProfile?, trust: Int? = nil,
               usage: ResourceUsage = ResourceUsage(), path: String? = nil, enforce: Bool = true) -> ProfileDecision {
        ProfileRules.check(operation: operation, category: category, profile: profile, trustLevel: trust ?? profile?.trustLevel ?? 2,
                           enforceLimits: enforce, usage: usage, lockPath: path, now: Self.now)
    }

    @Test(arguments: [OperationCategory.read, .write, .admin])
    func trustZeroDeniesEverything(_ category: OperationCategory) {
        let decision = check("anything", category, profile: nil, trust: 0)
        #expect(!decision.allowed)
        #expect(decision.code == "insufficient_trust_level")
    }

    @Test(arguments: [(OperationCategory.read, 1), (.write, 2), (.admin, 3)])
    func eachCategoryNeedsItsTrust(_ category: OperationCategory, _ needed: Int) {
        for trust in 0...4 {
            let decision = check("op", category, profile: nil, trust: trust)
            #expect(decision.allowed == (trust >= needed), "trust \(trust) for \(category)")
            if trust < needed { #expect(decision.code == "insufficient_trust_level") }
        }
    }

    @Test func allowlistRefusesOtherOperations() {
        #expect(check("check_locks", .read, profile: Self.reviewer).allowed)
        let write = check("acquire_lock", .write, profile: Self.reviewer, trust: 2)
        #expect(write.code == "operation_not_permitted")
        // The trust gate comes first: at the reviewer's own trust a write is a trust refusal.
        #expect(check("acquire_lock", .write, profile: Self.reviewer).code == "insufficient_trust_level")
    }

    @Test func blocklistRefuses() {
        let decision = check("submit_work", .write, profile: Self.worker)
        #expect(decision.code == "operation_blocked")
        #expect(decision.reason.hasPrefix("operation_blocked: submit_work"))
    }

    @Test func noProfileAllowsWhatTrustReaches() {
        #expect(check("acquire_lock", .write, profile: nil).code == "no_profile_default_allow")
        #expect(check("cleanup_dead_agents", .admin, profile: nil).code == "insufficient_trust_level")
    }

    @Test func disabledEnforcementKeepsOnlyTheTrustGate() {
        #expect(check("submit_work", .write, profile: Self.worker, enforce: false).code == "enforcement_disabled")
        #expect(!check("submit_work", .write, profile: Self.worker, trust: 1, enforce: false).allowed)
    }

    @Test func hourlyCallLimit() {
        #expect(check("check_locks", .read, profile: Self.worker, usage: ResourceUsage(callsInLastHour: 4)).allowed)
        let over = check("check_locks", .read, profile: Self.worker, usage: ResourceUsage(callsInLastHour: 5))
        #expect(over.code == "resource_limit_exceeded")
        #expect(over.limit == "max_api_calls_per_hour")
    }

    @Test func fileLimitCountsNewFilesOnly() {
        let usage = ResourceUsage(lockedFiles: ["a.swift", "b.swift"], sessionStartedAt: Self.now)
        let new = check("acquire_lock", .write, profile: Self.worker, usage: usage, path: "c.swift")
        #expect(new.limit == "max_file_modifications")
        #expect(check("acquire_lock", .write, profile: Self.worker, usage: usage, path: "a.swift").allowed)
        #expect(check("release_lock", .write, profile: Self.worker, usage: usage, path: "c.swift").allowed)
    }

    @Test func executionTimeStopsNewWorkButNotWrapUp() {
        let old = ResourceUsage(sessionStartedAt: Self.now.addingTimeInterval(-601))
        #expect(check("get_work", .write, profile: Self.worker, usage: old).limit == "max_execution_time_seconds")
        #expect(check("acquire_lock", .write, profile: Self.worker, usage: old, path: "new.swift").limit == "max_execution_time_seconds")
        for wrapUp in ["complete_work", "release_lock", "write_handoff"] {
            #expect(check(wrapUp, .write, profile: Self.worker, usage: old).allowed, "\(wrapUp)")
        }
        let fresh = ResourceUsage(sessionStartedAt: Self.now.addingTimeInterval(-599))
        #expect(check("get_work", .write, profile: Self.worker, usage: fresh).allowed)
    }
}

@Suite("Resource usage tracker (injected clock)")
struct ResourceUsageTrackerTests {
    @Test func callsExpireAfterAnHour() {
        let tracker = ResourceUsageTracker()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for second in 0..<10 { tracker.recordCall(by: "a", now: start.addingTimeInterval(Double(second))) }
        #expect(tracker.usage(of: "a", now: start.addingTimeInterval(60)).callsInLastHour == 10)
        #expect(tracker.usage(of: "a", now: start.addingTimeInterval(3605)).callsInLastHour == 4)
        #expect(tracker.usage(of: "a", now: start.addingTimeInterval(7200)).callsInLastHour == 0)
        #expect(tracker.usage(of: "b", now: start).callsInLastHour == 0)
    }

    @Test func sessionRestartResetsFilesAndClock() {
        let tracker = ResourceUsageTracker()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(tracker.usage(of: "a", now: start).sessionStartedAt == start)
        tracker.recordLockedFile("x", by: "a", now: start)
        tracker.recordLockedFile("x", by: "a", now: start)
        tracker.recordLockedFile("y", by: "a", now: start)
        #expect(tracker.usage(of: "a", now: start).lockedFiles == ["x", "y"])
        let later = start.addingTimeInterval(900)
        tracker.startSession(of: "a", now: later)
        let usage = tracker.usage(of: "a", now: later)
        #expect(usage.lockedFiles.isEmpty)
        #expect(usage.sessionStartedAt == later)
    }
}
