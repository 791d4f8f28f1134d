import CoordinatorCore
import CoordinatorHTTP
import Foundation
import Testing

@Suite("Authentication, identity and input errors over HTTP")
struct AuthAndValidationTests {
    @Test func missingOrUnknownKeyIs401() async throws {
        try await TestServer.with { server in
            for key in [nil, "nope", ""] as [String?] {
                let reply = try await server.post("/locks/acquire", ["file_path": "a.swift"], key: key)
                #expect(reply.status == 401)
                #expect(try reply.json == ["success": false, "reason": "unauthorized", "detail": "Invalid API key"])
            }
            // Authentication comes before input checks: an unknown key learns nothing about the input rules.
            let garbage = try await server.send(.POST, "/locks/acquire", body: "{", key: "nope")
            #expect(garbage.status == 401)
        }
    }

    @Test func boundKeyActingAsSomeoneElseIs403() async throws {
        try await TestServer.with { server in
            let asBob = try await server.post("/locks/acquire", ["file_path": "a.swift", "agent_id": "bob"], key: TestServer.aliceKey)
            #expect(asBob.status == 403)
            #expect(try asBob.json["detail"] == "API key is not permitted to act as requested agent_id")
            #expect(try asBob.json["success"] == false)
            let asCodex = try await server.post("/locks/acquire", ["file_path": "a.swift", "agent_type": "codex"], key: TestServer.aliceKey)
            #expect(asCodex.status == 403)
            #expect(try asCodex.json["detail"] == "API key is not permitted to act as requested agent_type")
            let viaHeader = try await server.post("/locks/acquire", ["file_path": "a.swift"], key: TestServer.aliceKey,
                                                  headers: [("X-Agent-Id", "bob")])
            #expect(viaHeader.status == 403)
            #expect(try await server.get("/locks/status/a.swift").json["locked"] == false, "nothing was written")
        }
    }

    @Test func boundKeyHappyPath() async throws {
        try await TestServer.with { server in
            let same = try await server.post("/locks/acquire", ["file_path": "a.swift", "agent_id": "alice", "agent_type": "claude_code"],
                                             key: TestServer.aliceKey)
            #expect(try same.status == 200 && (same.json["success"]) == true)
            let implicit = try await server.post("/locks/acquire", ["file_path": "b.swift"], key: TestServer.aliceKey)
            #expect(try implicit.json["success"] == true)
            let status = try await server.get("/locks/status/b.swift").json
            #expect(status["lock"]?["locked_by"] == "alice" && status["lock"]?["agent_type"] == "claude_code")
        }
    }

    @Test func unboundKeyActsAsTheBodyOrTheDefault() async throws {
        try await TestServer.with { server in
            _ = try await server.post("/locks/acquire", ["file_path": "a.swift", "agent_id": "carol", "agent_type": "gemini"],
                                      key: TestServer.unboundKey)
            #expect(try await server.get("/locks/status/a.swift").json["lock"]?["locked_by"] == "carol")
            _ = try await server.post("/locks/acquire", ["file_path": "b.swift"], key: TestServer.unboundKey)
            let lock = try await server.get("/locks/status/b.swift").json["lock"]
            #expect(lock?["locked_by"] == "cloud-agent" && lock?["agent_type"] == "cloud_agent")
        }
    }

    @Test func noKeysOnLoopbackRunsOpen() async throws {
        try await TestServer.with(config: HTTPServerConfig()) { server in
            let taken = try await server.post("/locks/acquire", ["file_path": "a.swift", "agent_id": "dave"])
            #expect(try taken.status == 200 && (taken.json["success"]) == true)
            #expect(try await server.get("/locks/status/a.swift").json["lock"]?["locked_by"] == "dave")
            let document = try await server.get("/openapi.json").json
            #expect(document["components"]?["securitySchemes"] == nil)
        }
    }

    /// (body, field) pairs: each is refused with 422 naming the field, and nothing is written.
    static let invalidBodies: [(String, String, String)] = [
        ("/locks/acquire", #"{"reason": "no path"}"#, "file_path"),
        ("/locks/acquire", #"{"file_path": 42}"#, "file_path"),
        ("/locks/acquire", #"{"file_path": "a.swift", "ttl_minutes": "ten"}"#, "ttl_minutes"),
        ("/locks/acquire", #"{"file_path": "a.swift", "ttl_minutes": 0}"#, "ttl_minutes"),
        ("/locks/acquire", #"{"file_path": "a.swift", "ttl_minutes": 481}"#, "ttl_minutes"),
        ("/locks/acquire", #"{"file_path": "a.swift", "ttl_minutes": 2.5}"#, "ttl_minutes"),
        ("/locks/acquire", #"{"file_path": "a.swift", "colour": "red"}"#, "colour"),
        ("/locks/acquire", #"{"file_path": "   "}"#, "file_path"),
        ("/locks/acquire", #"{"file_path": "a.swift", "agent_id": 7}"#, "agent_id"),
        ("/work/submit", #"{"task_type": "test", "description": "d", "priority": 11}"#, "priority"),
        ("/work/submit", #"{"task_type": "test", "description": "d", "depends_on": ["not-a-uuid"]}"#, "depends_on[0]"),
        ("/work/get", #"{"task_id": "12345"}"#, "task_id"),
        ("/work/complete", #"{"task_id": "123e4567-e89b-12d3-a456-426614174000"}"#, "success"),
        ("/locks/acquire", "{not json", "body"),
        ("/locks/acquire", "[1, 2]", "body"),
        ("/locks/acquire", "\"text\"", "body"),
        ("/locks/acquire", " ", "body"),
        // U+0000 cannot be stored by PostgreSQL: refused up front, wherever it hides.
        ("/locks/acquire", #"{"file_path": "a.swift", "reason": "x\u0000y"}"#, "reason"),
        ("/locks/acquire", #"{"file_path": "a.swift", "agent_id": "\u0000"}"#, "agent_id"),
        ("/work/submit", #"{"task_type": "t", "description": "d", "input_data": {"k": ["ok", "\u0000"]}}"#, "input_data.k[1]"),
        ("/work/submit", #"{"task_type": "t", "description": "d", "input_data": {"\u0000": 1}}"#, "input_data.\u{0}"),
    ]

    @Test(arguments: invalidBodies)
    func invalidInputIs422(path: String, body: String, field: String) async throws {
        try await TestServer.with { server in
            let reply = try await server.send(.POST, path, body: body, key: TestServer.unboundKey)
            #expect(reply.status == 422, "\(reply.text)")
            let json = try reply.json
            #expect(json["success"] == false && json["reason"] == "invalid_input")
            #expect(json["field"] == .string(field), "\(reply.text)")
            #expect(json["detail"]?.stringValue?.isEmpty == false)
            #expect(try await server.get("/locks/status/a.swift").json["locked"] == false)
        }
    }

    @Test func emptyBodyMeansNoArguments() async throws {
        try await TestServer.with { server in
            let claim = try await server.send(.POST, "/work/claim", key: TestServer.unboundKey)
            #expect(claim.status == 200)
            #expect(try claim.json["success"] == false && (claim.json["reason"]) == "no_tasks_available")
            let missing = try await server.send(.POST, "/locks/acquire", key: TestServer.unboundKey)
            #expect(try missing.status == 422 && (missing.json["field"]) == "file_path")
        }
    }

    @Test func oversizedBodyIs413() async throws {
        var config = TestServer.keyedConfig
        config.maxBodyBytes = 1024
        try await TestServer.with(config: config) { server in
            let body = JSONValue.object(["file_path": .string(String(repeating: "a", count: 4096))]).jsonText
            let reply = try await server.send(.POST, "/locks/acquire", body: body, key: TestServer.aliceKey)
            #expect(reply.status == 413)
            #expect(try reply.json["reason"] == "payload_too_large")
        }
    }

    /// Denies writes to agents of type `codex`, the way a trust-level policy would.
    struct NoCodexWrites: OperationPolicy {
        func decide(_ operation: CoordinatorOperation, input: OperationInput, context: CoordinatorCore.RequestContext) async throws -> PolicyDecision {
            operation.category == .write && context.agentType == "codex"
                ? PolicyDecision(allowed: false, reason: "write_denied: trust_level=1 < 2") : .allow
        }
    }

    @Test func policyDenialIs403WithTheReason() async throws {
        try await TestServer.with(policy: NoCodexWrites()) { server in
            let denied = try await server.post("/locks/acquire", ["file_path": "a.swift"], key: TestServer.bobKey)
            #expect(denied.status == 403)
            #expect(try denied.json == ["success": false, "reason": "policy_denied", "detail": "write_denied: trust_level=1 < 2"])
            let read = try await server.post("/locks/check", [:], key: TestServer.bobKey)
            #expect(read.status == 200)
            let allowed = try await server.post("/locks/acquire", ["file_path": "a.swift"], key: TestServer.aliceKey)
            #expect(allowed.status == 200)
        }
    }

    @Test func domainOutcomeStays200() async throws {
        try await TestServer.with { server in
            let first = try await server.post("/locks/acquire", ["file_path": "shared.swift", "reason": "mine"], key: TestServer.aliceKey)
            #expect(try first.json["success"] == true)
            let second = try await server.post("/locks/acquire", ["file_path": "shared.swift"], key: TestServer.bobKey)
            #expect(second.status == 200)
            let json = try second.json
            #expect(json["success"] == false && json["reason"] == "locked_by_other" && json["locked_by"] == "alice")
            #expect(json["detail"]?.stringValue?.isEmpty == false)
            let release = try await server.post("/locks/release", ["file_path": "shared.swift"], key: TestServer.bobKey)
            #expect(try release.status == 200 && (release.json["success"]) == false)
        }
    }
}
