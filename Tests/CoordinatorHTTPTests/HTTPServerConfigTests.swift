import CoordinatorCore
import CoordinatorHTTP
import Testing

@Suite("HTTP server configuration")
struct HTTPServerConfigTests {
    @Test func defaults() throws {
        let config = try HTTPServerConfig.fromEnvironment([:])
        #expect(config.host == "127.0.0.1" && config.port == 8081)
        #expect(config.apiKeys.isEmpty && !config.requiresAPIKey && config.keyIdentities.isEmpty)
        #expect(config.healthTimeout == .seconds(2))
        #expect(config.keepAliveTimeout == .seconds(5))
        #expect(try HTTPServerConfig.fromEnvironment(["API_TIMEOUT_KEEP_ALIVE": "30"]).keepAliveTimeout == .seconds(30))
        #expect(throws: ConfigurationError.self) { try HTTPServerConfig.fromEnvironment(["API_TIMEOUT_KEEP_ALIVE": "0"]) }
    }

    @Test func keysAreTrimmedAndEmptiesDropped() throws {
        let config = try HTTPServerConfig.fromEnvironment(["COORDINATION_API_KEYS": " a , ,b,,a, c "])
        #expect(config.apiKeys == ["a", "b", "c"])
        #expect(config.requiresAPIKey)
    }

    @Test func identitiesParse() throws {
        let config = try HTTPServerConfig.fromEnvironment([
            "COORDINATION_API_KEYS": "k1,k2",
            "COORDINATION_API_KEY_IDENTITIES": #"{"k1": {"agent_id": "alice", "agent_type": "claude_code"}, "k2": {"agent_type": "codex"}}"#,
        ])
        #expect(config.keyIdentities == ["k1": KeyIdentity(agentId: "alice", agentType: "claude_code"), "k2": KeyIdentity(agentType: "codex")])
    }

    @Test(arguments: ["{not json", "[1,2]", #"{"k": "alice"}"#, #"{"k": {"agent_id": 5}}"#, #"{"k": {"agent_id": " "}}"#])
    func invalidIdentitiesStopTheServer(raw: String) {
        #expect {
            try HTTPServerConfig.fromEnvironment(["COORDINATION_API_KEYS": "k", "COORDINATION_API_KEY_IDENTITIES": raw])
        } throws: { error in
            (error as? ConfigurationError)?.variable == "COORDINATION_API_KEY_IDENTITIES"
        }
    }

    @Test func noKeysRefusesNonLoopback() throws {
        #expect {
            try HTTPServerConfig.fromEnvironment(["API_HOST": "0.0.0.0"])
        } throws: { error in
            (error as? ConfigurationError)?.variable == "COORDINATION_API_KEYS"
        }
        #expect(throws: ConfigurationError.self) { try HTTPServerConfig.fromEnvironment([:], host: "192.168.1.5") }
        #expect(try HTTPServerConfig.fromEnvironment(["API_HOST": "0.0.0.0", "COORDINATION_API_KEYS": "k"]).host == "0.0.0.0")
        #expect(try HTTPServerConfig.fromEnvironment([:], host: "localhost").host == "localhost")
    }

    @Test func flagsOverrideEnvironment() throws {
        let config = try HTTPServerConfig.fromEnvironment(["API_HOST": "127.0.0.2", "API_PORT": "9000"], host: "::1", port: 0)
        #expect(config.host == "::1" && config.port == 0)
        #expect(try HTTPServerConfig.fromEnvironment(["API_PORT": "9000"]).port == 9000)
    }

    @Test(arguments: ["70000", "-1", "http"])
    func badPortIsRefused(raw: String) {
        #expect {
            try HTTPServerConfig.fromEnvironment(["API_PORT": raw])
        } throws: { error in
            (error as? ConfigurationError)?.variable == "API_PORT"
        }
    }

    @Test(arguments: [("127.0.0.1", true), ("127.1.2.3", true), ("localhost", true), ("::1", true), ("[::1]", true),
                      ("0.0.0.0", false), ("10.0.0.1", false), ("example.com", false), ("::", false), ("127.0.0.256", false)])
    func loopbackDetection(host: String, loopback: Bool) {
        #expect(HTTPServerConfig.isLoopback(host) == loopback)
    }
}
