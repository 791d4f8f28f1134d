import CoordinatorCore
import CoordinatorHTTP
import Testing

@Suite("Identity resolver")
struct IdentityResolverTests {
    let resolver = IdentityResolver(
        apiKeys: ["k-alice", "k-free", "k-typed"],
        identities: [
            "k-alice": KeyIdentity(agentId: "alice", agentType: "claude_code"),
            "k-typed": KeyIdentity(agentType: "codex"),
            "k-unlisted": KeyIdentity(agentId: "mallory"),
        ])

    @Test func keyChecks() {
        #expect(resolver.check(apiKey: nil) == .invalid)
        #expect(resolver.check(apiKey: "") == .invalid)
        #expect(resolver.check(apiKey: "k-alic") == .invalid)
        #expect(resolver.check(apiKey: "k-alice ") == .invalid)
        #expect(resolver.check(apiKey: "k-unlisted") == .invalid, "a bound key that is not configured is not accepted")
        #expect(resolver.check(apiKey: "k-free") == .valid(bound: nil))
        #expect(resolver.check(apiKey: "k-alice") == .valid(bound: KeyIdentity(agentId: "alice", agentType: "claude_code")))
        #expect(IdentityResolver(apiKeys: []).check(apiKey: nil) == .open)
        #expect(IdentityResolver(apiKeys: []).check(apiKey: "anything") == .open)
    }

    @Test func invalidKeyIsUnauthorized() {
        #expect(throws: APIError.unauthorized) { try resolver.resolve(.invalid, requested: RequestedIdentity()) }
    }

    @Test func boundKeyActsAsItsAgent() throws {
        let bound = resolver.check(apiKey: "k-alice")
        #expect(try resolver.resolve(bound, requested: RequestedIdentity()) == AgentIdentity(agentId: "alice", agentType: "claude_code"))
        #expect(try resolver.resolve(bound, requested: RequestedIdentity(agentId: "alice", agentType: "claude_code", sessionId: "s1"))
            == AgentIdentity(agentId: "alice", agentType: "claude_code", sessionId: "s1"))
    }

    @Test func boundKeyCannotActAsAnotherAgent() {
        let bound = resolver.check(apiKey: "k-alice")
        #expect(throws: APIError.impersonation("agent_id")) { try resolver.resolve(bound, requested: RequestedIdentity(agentId: "bob")) }
        #expect(throws: APIError.impersonation("agent_type")) {
            try resolver.resolve(bound, requested: RequestedIdentity(agentType: "codex"))
        }
        #expect(APIError.impersonation("agent_id").status == 403)
        #expect(APIError.impersonation("agent_id").detail == "API key is not permitted to act as requested agent_id")
    }

    @Test func partlyBoundKeyTakesTheRestFromTheRequest() throws {
        let typed = resolver.check(apiKey: "k-typed")
        #expect(try resolver.resolve(typed, requested: RequestedIdentity(agentId: "carol")) == AgentIdentity(agentId: "carol", agentType: "codex"))
        #expect(throws: APIError.impersonation("agent_type")) {
            try resolver.resolve(typed, requested: RequestedIdentity(agentId: "carol", agentType: "gemini"))
        }
    }

    @Test func unboundAndOpenUseTheRequestElseDefaults() throws {
        for check in [KeyCheck.open, .valid(bound: nil)] {
            #expect(try resolver.resolve(check, requested: RequestedIdentity())
                == AgentIdentity(agentId: "cloud-agent", agentType: "cloud_agent"))
            #expect(try resolver.resolve(check, requested: RequestedIdentity(agentId: "dave", agentType: "aider", sessionId: "s"))
                == AgentIdentity(agentId: "dave", agentType: "aider", sessionId: "s"))
        }
    }

    @Test func splitStripsIdentityFields() throws {
        let (requested, arguments) = try IdentityResolver.split(
            body: ["file_path": "a.swift", "agent_id": "alice", "agent_type": "claude_code", "session_id": "s1"],
            operationParameters: ["file_path", "reason"])
        #expect(requested == RequestedIdentity(agentId: "alice", agentType: "claude_code", sessionId: "s1"))
        #expect(arguments == ["file_path": "a.swift"])
    }

    @Test func splitKeepsFieldsTheOperationDeclares() throws {
        let (requested, arguments) = try IdentityResolver.split(body: ["session_id": "s9"], operationParameters: ["session_id"])
        #expect(requested.sessionId == "s9")
        #expect(arguments == ["session_id": "s9"])
    }

    @Test func splitTreatsNullAsAbsent() throws {
        let (requested, arguments) = try IdentityResolver.split(body: ["agent_id": nil, "x": 1], operationParameters: ["x"])
        #expect(requested == RequestedIdentity())
        #expect(arguments == ["x": 1])
    }

    @Test(arguments: [("agent_id", JSONValue.int(3)), ("agent_type", JSONValue.string("  ")), ("session_id", JSONValue.array([]))])
    func splitRefusesMalformedIdentity(field: String, value: JSONValue) {
        #expect(throws: APIError.self) { try IdentityResolver.split(body: [field: value], operationParameters: []) }
        do {
            _ = try IdentityResolver.split(body: [field: value], operationParameters: [])
        } catch let error as APIError {
            #expect(error.status == 422 && error.field == field && error.reason == "invalid_input")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func headersAndBodyCombine() {
        let headers = IdentityResolver.fromHeaders(agentId: " h-agent ", agentType: "", sessionId: "h-session")
        #expect(headers == RequestedIdentity(agentId: "h-agent", agentType: nil, sessionId: "h-session"))
        let body = RequestedIdentity(agentId: "b-agent")
        #expect(body.filling(from: headers) == RequestedIdentity(agentId: "b-agent", agentType: nil, sessionId: "h-session"))
    }
}
