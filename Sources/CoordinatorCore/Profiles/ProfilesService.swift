import Foundation
import Logging
import Synchronization

/// Agent profiles: which profile governs an agent (`get_agent_profile`: assignment, else its type's default),
/// cached per agent id and type for `PROFILES_CACHE_TTL`; the trust level that follows; and the per-call profile
/// check (``ProfileRules``) with the agent's resource usage.
public final class ProfilesService: Sendable {
    public let database: any DatabaseClient
    public let config: ProfilesConfig
    public let usage: ResourceUsageTracker
    private let cache = Mutex<[AgentIdentityKey: CachedLookup]>([:])
    private let logger = Logger(label: "coordinator.profiles")

    private struct AgentIdentityKey: Hashable {
        var agentId: String
        var agentType: String
    }

    private struct CachedLookup {
        var lookup: ProfileLookup
        var expires: Date
    }

    public init(database: any DatabaseClient, config: ProfilesConfig = ProfilesConfig(), usage: ResourceUsageTracker = ResourceUsageTracker()) {
        self.database = database
        self.config = config
        self.usage = usage
    }

    /// The profile governing `identity` (from the cache while fresh). A failed lookup is not cached and yields no
    /// profile, so the default trust level applies.
    public func lookup(_ identity: AgentIdentity, now: Date) async -> ProfileLookup {
        let key = AgentIdentityKey(agentId: identity.agentId, agentType: identity.agentType)
        if config.cacheTTLSeconds > 0, let hit = cache.withLock({ $0[key] }), hit.expires > now {
            var lookup = hit.lookup
            lookup.cached = true
            return lookup
        }
        let lookup: ProfileLookup
        do {
            let result = try await database.rpc("get_agent_profile", [
                "p_agent_id": .string(identity.agentId), "p_agent_type": .string(identity.agentType),
            ])
            if result["success"] == .bool(true), let row = result["profile"]?.objectValue, let profile = AgentProfile(row: row) {
                lookup = ProfileLookup(profile: profile, source: result["source"]?.stringValue ?? "default")
            } else {
                lookup = ProfileLookup(profile: nil, source: "none", reason: result["reason"]?.stringValue ?? "no_profile_found")
            }
        } catch {
            logger.warning("profile lookup failed; default trust applies", metadata: ["agent_id": "\(identity.agentId)", "error": "\(error)"])
            return ProfileLookup(profile: nil, source: "none", reason: "lookup_failed: \(error)")
        }
        if config.cacheTTLSeconds > 0 {
            let expires = now.addingTimeInterval(TimeInterval(config.cacheTTLSeconds))
            cache.withLock { $0[key] = CachedLookup(lookup: lookup, expires: expires) }
        }
        return lookup
    }

    /// Forgets every cached lookup (after profiles or assignments change).
    public func invalidateCache() {
        cache.withLock { $0.removeAll() }
    }

    /// The trust level a lookup gives: the profile's, else `PROFILES_DEFAULT_TRUST`.
    public func trustLevel(of lookup: ProfileLookup) -> Int {
        lookup.profile?.trustLevel ?? config.defaultTrustLevel
    }

    /// The caller's trust level: the one the dispatcher resolved for this request, else a lookup.
    public func trustLevel(_ context: RequestContext) async -> Int {
        if let trust = context.trustLevel { return trust }
        return trustLevel(of: await lookup(context.identity, now: context.clock.now()))
    }

    /// The profile check of one call (and, when it is allowed, the call counted against the hourly limit).
    public func check(_ operation: CoordinatorOperation, input: OperationInput, context: RequestContext) async -> (decision: ProfileDecision, lookup: ProfileLookup) {
        let now = context.clock.now()
        let lookup = await lookup(context.identity, now: now)
        let trust = trustLevel(of: lookup)
        let lockPath = operation.name == "acquire_lock" ? input.string("file_path") : nil
        let decision = usage.admit(context.agentId, now: now) { usage in
            ProfileRules.check(operation: operation.name, category: operation.category, profile: lookup.profile, trustLevel: trust,
                               enforceLimits: config.enforceLimits, usage: usage, lockPath: lockPath, now: now)
        }
        return (decision, lookup)
    }

    /// `get_my_profile`: `{success, profile, source, cached, trust_level, reason?}` for the caller (`source`: where the
    /// profile comes from — `assignment`, `default` or `none`; `cached`: whether this answer was reused).
    public func myProfile(context: RequestContext) async -> JSONValue {
        let lookup = await lookup(context.identity, now: context.clock.now())
        var result: JSONObject = [
            "success": .bool(lookup.profile != nil),
            "profile": lookup.profile?.json ?? .null,
            "source": .string(lookup.source), "cached": .bool(lookup.cached),
            "trust_level": .int(trustLevel(of: lookup)),
            "agent_id": .string(context.agentId), "agent_type": .string(context.agentType),
        ]
        if let reason = lookup.reason { result["reason"] = .string(reason) }
        return .object(result)
    }
}
