import Foundation

/// Network policy settings.
///
/// - `NETWORK_DEFAULT_POLICY`: `deny` (default) or `allow`, case-insensitive. Used only when the rules cannot be
///   read (``NetworkPolicy/fallback(domain:config:)``), never when they were read and none matched.
/// - `NETWORK_LOCAL_AGENT_TYPES`: comma-separated agent types that run on a developer's machine and are allowed by
///   default when no rule names the domain; every other type (cloud agents such as `claude_code_web`, `codex`,
///   `cloud_agent`) is denied by default. Default `claude_code,codex_cli,gemini_cli,aider,cursor`; `none` for no
///   local types at all. Entries are trimmed and lower-cased, and may hold letters, digits, `_`, `-` and `.`.
public struct NetworkPolicyConfig: Sendable, Equatable {
    public static let defaultLocalAgentTypes: Set<String> = ["claude_code", "codex_cli", "gemini_cli", "aider", "cursor"]

    /// What to do when the rules cannot be read.
    public var defaultPolicy: NetworkRule.Action
    /// Agent types (lower case) allowed by default when no rule matches.
    public var localAgentTypes: Set<String>

    public init(defaultPolicy: NetworkRule.Action = .deny, localAgentTypes: Set<String> = NetworkPolicyConfig.defaultLocalAgentTypes) {
        self.defaultPolicy = defaultPolicy
        self.localAgentTypes = localAgentTypes
    }

    public static func fromEnvironment(_ environment: [String: String]) throws -> NetworkPolicyConfig {
        let reader = EnvironmentReader(environment)
        var config = NetworkPolicyConfig()
        if let raw = reader.string("NETWORK_DEFAULT_POLICY") {
            guard let action = NetworkRule.Action(rawValue: raw.lowercased()) else {
                throw ConfigurationError(variable: "NETWORK_DEFAULT_POLICY", "must be deny or allow, got \(String(reflecting: raw))")
            }
            config.defaultPolicy = action
        }
        if let raw = reader.string("NETWORK_LOCAL_AGENT_TYPES") {
            config.localAgentTypes = try agentTypes(raw, variable: "NETWORK_LOCAL_AGENT_TYPES")
        }
        return config
    }

    /// True when an agent of `agentType` (trimmed, compared case-insensitively) is allowed by default: it is one of
    /// ``localAgentTypes``.
    public func defaultAllows(agentType: String) -> Bool {
        localAgentTypes.contains(agentType.trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
    }

    private static func agentTypes(_ raw: String, variable: String) throws -> Set<String> {
        if raw.lowercased() == "none" { return [] }
        var types: Set<String> = []
        for item in raw.split(separator: ",", omittingEmptySubsequences: false) {
            let type = item.trimmingCharacters(in: .whitespaces).lowercased()
            guard !type.isEmpty else {
                throw ConfigurationError(variable: variable, "has an empty entry in \(String(reflecting: raw)); list agent types separated by commas, or none")
            }
            guard type.unicodeScalars.allSatisfy({ isTypeCharacter($0) }) else {
                throw ConfigurationError(variable: variable, "entry \(String(reflecting: type)) is not an agent type (letters, digits, _, - and . only)")
            }
            types.insert(type)
        }
        return types
    }

    private static func isTypeCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "0"..."9", "_", "-", ".": return true
        default: return false
        }
    }
}
