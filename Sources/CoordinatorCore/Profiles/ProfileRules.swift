import Foundation

/// The profile check as a pure function: trust gate first, then the profile's blocklist and allowlist, then its
/// resource limits.
///
/// Trust needed per operation category: read 1, write 2, admin 3; trust 0 (suspended) permits nothing. Resource
/// limits: `max_api_calls_per_hour` applies to every call; `max_file_modifications` to locking a file the agent has
/// not locked before in this session; `max_execution_time_seconds` to starting new work (`get_work`,
/// `submit_work`, locking a new file) once the session is older than the limit — finishing work (complete,
/// release, handoff) stays possible, so an agent over its time can still wrap up cleanly.
public enum ProfileRules {
    /// Trust level each operation category needs.
    public static func requiredTrust(_ category: OperationCategory) -> Int {
        switch category {
        case .read: return 1
        case .write: return 2
        case .admin: return 3
        }
    }

    /// Operations that start new work (and so are refused once a session is over its execution time).
    public static let startsWork: Set<String> = ["get_work", "submit_work", "acquire_lock"]

    /// The one call's decision.
    /// - Parameters:
    ///   - lockPath: for `acquire_lock`, the file (or key) being locked.
    public static func check(operation: String, category: OperationCategory, profile: AgentProfile?, trustLevel: Int,
                             enforceLimits: Bool, usage: ResourceUsage, lockPath: String? = nil, now: Date) -> ProfileDecision {
        if trustLevel <= 0 {
            return .deny("insufficient_trust_level", "trust level 0 (suspended) permits no operation")
        }
        let needed = requiredTrust(category)
        if trustLevel < needed {
            return .deny("insufficient_trust_level",
                         "\(operation) is a \(category.rawValue) operation and needs trust level \(needed); the agent has \(trustLevel)")
        }
        guard enforceLimits else { return .allow("enforcement_disabled", "profile enforcement is disabled (PROFILES_ENFORCE_LIMITS=false)") }
        guard let profile else { return .allow("no_profile_default_allow", "no profile; the trust level permits the operation") }
        if profile.blockedOperations.contains(operation) {
            return .deny("operation_blocked", "\(operation) is blocked for profile \(profile.name)")
        }
        if !profile.allowedOperations.isEmpty, !profile.allowedOperations.contains(operation) {
            return .deny("operation_not_permitted", "\(operation) is not among the allowed operations of profile \(profile.name)")
        }
        if let limit = profile.maxAPICallsPerHour, usage.callsInLastHour >= limit {
            return .deny("resource_limit_exceeded", "\(usage.callsInLastHour) calls in the last hour reach the limit of \(limit) for profile \(profile.name)",
                         limit: "max_api_calls_per_hour")
        }
        let newFile = operation == "acquire_lock" && !(lockPath.map(usage.lockedFiles.contains) ?? false)
        if newFile, let limit = profile.maxFileModifications, usage.lockedFiles.count >= limit {
            return .deny("resource_limit_exceeded", "\(usage.lockedFiles.count) files locked this session reach the limit of \(limit) for profile \(profile.name)",
                         limit: "max_file_modifications")
        }
        if startsWork.contains(operation), operation != "acquire_lock" || newFile,
           let limit = profile.maxExecutionTimeSeconds, let started = usage.sessionStartedAt,
           now.timeIntervalSince(started) > Double(limit) {
            return .deny("resource_limit_exceeded",
                         "the session began \(Int(now.timeIntervalSince(started))) s ago, past the limit of \(limit) s for profile \(profile.name); finish and hand off",
                         limit: "max_execution_time_seconds")
        }
        return .allow()
    }
}
