/// Which profile governs an agent and where it came from: its `assignment`, its type's `default`, or `none`
/// (then `PROFILES_DEFAULT_TRUST` applies); `cached` says the answer was reused within `PROFILES_CACHE_TTL`.
public struct ProfileLookup: Sendable, Equatable {
    public var profile: AgentProfile?
    public var source: String
    public var cached: Bool
    /// Why there is no profile (`no_profile_found`, or the lookup error).
    public var reason: String?

    public init(profile: AgentProfile?, source: String, cached: Bool = false, reason: String? = nil) {
        self.profile = profile
        self.source = source
        self.cached = cached
        self.reason = reason
    }
}
