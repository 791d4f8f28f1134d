/// Profile settings: the trust level of an agent without a profile (`PROFILES_DEFAULT_TRUST`, default 2, 0–4),
/// whether profile allowlists, blocklists and resource limits are enforced (`PROFILES_ENFORCE_LIMITS`, default
/// true; false leaves only the trust gate), and how long a looked-up profile is reused (`PROFILES_CACHE_TTL`,
/// seconds, default 300; 0 looks the profile up on every call).
public struct ProfilesConfig: Sendable, Equatable {
    public static let trustRange = 0...4
    public static let cacheTTLRange = 0...86_400

    public var defaultTrustLevel: Int
    public var enforceLimits: Bool
    public var cacheTTLSeconds: Int

    public init(defaultTrustLevel: Int = 2, enforceLimits: Bool = true, cacheTTLSeconds: Int = 300) {
        self.defaultTrustLevel = defaultTrustLevel
        self.enforceLimits = enforceLimits
        self.cacheTTLSeconds = cacheTTLSeconds
    }

    public static func fromEnvironment(_ environment: [String: String]) throws -> ProfilesConfig {
        let reader = EnvironmentReader(environment)
        return ProfilesConfig(
            defaultTrustLevel: try reader.integer("PROFILES_DEFAULT_TRUST", default: 2, range: trustRange),
            enforceLimits: try reader.flag("PROFILES_ENFORCE_LIMITS", default: true),
            cacheTTLSeconds: try reader.integer("PROFILES_CACHE_TTL", default: 300, range: cacheTTLRange))
    }
}
