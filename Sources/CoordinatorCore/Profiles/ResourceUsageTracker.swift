import Foundation
import Synchronization

/// Counts what each agent uses of its profile's limits, in this coordinator process: its calls in a sliding hour,
/// the distinct files it locked this session, and when the session began (its `register_session`, else its first
/// call here).
///
/// Kept in memory: a coordinator serving many agents (`coordinator serve`, one `coordinator mcp` per agent) sees
/// all of that agent's calls; separate short-lived CLI processes each start from zero.
public final class ResourceUsageTracker: Sendable {
    private struct AgentUsage {
        /// Times of calls in the last hour, oldest first; `start` skips the expired prefix until it is compacted.
        var calls: [Date] = []
        var start = 0
        var files: Set<String> = []
        var sessionStartedAt: Date?
        var lastSeen: Date

        mutating func record(call time: Date, cap: Int) {
            calls.append(time)
            if calls.count - start > cap { start += 1 }
            lastSeen = time
        }

        mutating func startSession(at time: Date) {
            files = []
            sessionStartedAt = time
            lastSeen = time
        }

        mutating func expire(before cutoff: Date) {
            while start < calls.count, calls[start] <= cutoff { start += 1 }
            if start > 64, start * 2 > calls.count {
                calls.removeFirst(start)
                start = 0
            }
        }
    }

    /// Calls kept per agent at most (beyond any sensible hourly limit; the oldest are dropped first).
    static let callCap = 100_000
    private static let window: TimeInterval = 3600

    private let agents = Mutex<[String: AgentUsage]>([:])

    public init() {}

    /// The agent's usage now (its first call starts its session clock).
    public func usage(of agentId: String, now: Date) -> ResourceUsage {
        agents.withLock { Self.current(&$0, agentId, now: now) }
    }

    /// Decides one call on the agent's usage now and counts it when `decide` allows it — one critical section for
    /// both, so the hot path takes the lock once.
    public func admit(_ agentId: String, now: Date, _ decide: (ResourceUsage) -> ProfileDecision) -> ProfileDecision {
        agents.withLock { agents in
            let decision = decide(Self.current(&agents, agentId, now: now))
            if decision.allowed { agents[agentId]!.record(call: now, cap: Self.callCap) }
            if agents.count > 10_000 { Self.forgetIdle(&agents, now: now) }
            return decision
        }
    }

    /// The agent's entry brought up to `now` (created on first sight, expired calls skipped, seen now) and read as a
    /// `ResourceUsage`. The entry is mutated in place through the subscript: copying it out would copy its call list.
    private static func current(_ agents: inout [String: AgentUsage], _ agentId: String, now: Date) -> ResourceUsage {
        agents[agentId, default: AgentUsage(sessionStartedAt: now, lastSeen: now)].expire(before: now.addingTimeInterval(-window))
        agents[agentId]!.lastSeen = now
        let entry = agents[agentId]!
        return ResourceUsage(callsInLastHour: entry.calls.count - entry.start, lockedFiles: entry.files,
                             sessionStartedAt: entry.sessionStartedAt)
    }

    /// Counts one call.
    public func recordCall(by agentId: String, now: Date) {
        agents.withLock { agents in
            agents[agentId, default: AgentUsage(sessionStartedAt: now, lastSeen: now)].record(call: now, cap: Self.callCap)
            if agents.count > 10_000 { Self.forgetIdle(&agents, now: now) }
        }
    }

    /// Counts a file the agent locked.
    public func recordLockedFile(_ path: String, by agentId: String, now: Date) {
        agents.withLock { agents in
            _ = agents[agentId, default: AgentUsage(sessionStartedAt: now, lastSeen: now)].files.insert(path)
        }
    }

    /// Starts a new session for the agent: its file count restarts and its execution time counts from `now`.
    public func startSession(of agentId: String, now: Date) {
        agents.withLock { agents in
            agents[agentId, default: AgentUsage(lastSeen: now)].startSession(at: now)
        }
    }

    /// Drops agents not seen for two hours (their hourly window is empty; a new session starts on return).
    private static func forgetIdle(_ agents: inout [String: AgentUsage], now: Date) {
        let cutoff = now.addingTimeInterval(-2 * window)
        agents = agents.filter { $0.value.lastSeen > cutoff }
    }
}
