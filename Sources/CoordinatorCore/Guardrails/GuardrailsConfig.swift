/// Guardrail settings: how long patterns read from `operation_guardrails` are reused (`GUARDRAILS_CACHE_TTL`,
/// seconds, default 300) and whether the built-in registry stands in when the table cannot be read
/// (`GUARDRAILS_CODE_FALLBACK`, default true; the fallback is retried against the database after 30 s). Without
/// the fallback, an unreadable table fails every check — closed, never open.
public struct GuardrailsConfig: Sendable, Equatable {
    public static let cacheTTLRange = 0...86_400
    /// How long the built-in registry is used before the database is tried again.
    public static let fallbackTTLSeconds = 30

    public var cacheTTLSeconds: Int
    public var codeFallback: Bool

    public init(cacheTTLSeconds: Int = 300, codeFallback: Bool = true) {
        self.cacheTTLSeconds = cacheTTLSeconds
        self.codeFallback = codeFallback
    }

    public static func fromEnvironment(_ environment: [String: String]) throws -> GuardrailsConfig {
        let reader = EnvironmentReader(environment)
        return GuardrailsConfig(
            cacheTTLSeconds: try reader.integer("GUARDRAILS_CACHE_TTL", default: 300, range: cacheTTLRange),
            codeFallback: try reader.flag("GUARDRAILS_CODE_FALLBACK", default: true))
    }
}
