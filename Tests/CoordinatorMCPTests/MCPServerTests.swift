import CoordinatorCore
import CoordinatorMCP
import Foundation
import MCP
import Testing

@Suite("MCP server")
struct MCPServerTests {
    @Test("initialize reports the server's name, version, instructions and capabilities")
    func initializeResult() async throws {
        try await MCPFixture.with { fixture in
            let alice = try await fixture.connect(as: "alice")
            await alice.close()
            let result = alice.initialized
            #expect(result.serverInfo.name == "coordination")
            #expect(result.serverInfo.version == "0.3.0")
            #expect(result.instructions?.hasPrefix("Multi-agent coordination: file locks, work queue, handoffs, and discovery") == true)
            #expect(result.capabilities.tools != nil)
            #expect(result.capabilities.resources != nil)
            #expect(result.capabilities.prompts != nil)
        }
    }

    @Test("tools/list has every catalog operation, in order, with its summary and input schema")
    func toolsMatchCatalog() async throws {
        try await MCPFixture.with { fixture in
            let alice = try await fixture.connect(as: "alice")
            let (tools, cursor) = try await alice.client.listTools()
            await alice.close()
            #expect(cursor == nil)
            let catalog = OperationCatalog.standard.operations
            #expect(tools.map(\.name) == catalog.map(\.name))
            for (tool, operation) in zip(tools, catalog) {
                #expect(tool.description == operation.summary)
                #expect(JSONValue(mcpValue: tool.inputSchema) == operation.input.json, "schema of \(operation.name)")
                #expect(tool.inputSchema.objectValue?["type"] == "object")
                #expect(tool.annotations.readOnlyHint == (operation.category == .read))
            }
            #expect(tools.contains { $0.name == "acquire_lock" })
            let acquire = try #require(tools.first { $0.name == "acquire_lock" })
            #expect(acquire.inputSchema.objectValue?["required"] == ["file_path"])
        }
    }

    @Test("a lock taken in one session is refused to another agent, who can see it")
    func lockRefusedToOtherAgent() async throws {
        try await MCPFixture.with { fixture in
            let alice = try await fixture.connect(as: "alice")
            let bob = try await fixture.connect(as: "bob", type: "codex")

            let taken = try await alice.call("acquire_lock", ["file_path": "src/app.swift", "reason": "refactor"])
            #expect(!taken.isError)
            #expect(taken["success"] == true)
            #expect(taken.json == taken.structured, "text and structured content carry the same object")

            let refused = try await bob.call("acquire_lock", ["file_path": "src/app.swift"])
            #expect(!refused.isError, "a refusal is a result, not a tool error")
            #expect(refused["success"] == false)
            #expect(refused["reason"] == "locked_by_other")
            #expect(refused["locked_by"] == "alice")

            let seen = try await bob.call("check_locks", ["file_paths": ["src/app.swift"]])
            let locks = try #require(seen["locks"]?.arrayValue)
            #expect(locks.count == 1)
            #expect(locks.first?["locked_by"] == "alice")
            #expect(locks.first?["reason"] == "refactor")

            let released = try await alice.call("release_lock", ["file_path": "src/app.swift"])
            #expect(released["success"] == true)
            let retaken = try await bob.call("acquire_lock", ["file_path": "src/app.swift"])
            #expect(retaken["success"] == true)
            await alice.close()
            await bob.close()
        }
    }

    struct BadCall: Sendable, CustomTestStringConvertible {
        let tool: String
        let arguments: [String: Value]
        let field: String
        var testDescription: String { "\(tool) → \(field)" }
    }

    @Test("invalid arguments are tool errors that name the field", arguments: [
        BadCall(tool: "acquire_lock", arguments: ["file_path": "a.swift", "ttl_minutes": 0], field: "ttl_minutes"),
        BadCall(tool: "acquire_lock", arguments: ["file_path": "a.swift", "ttl_minutes": 481], field: "ttl_minutes"),
        BadCall(tool: "acquire_lock", arguments: ["reason": "no path"], field: "file_path"),
        BadCall(tool: "acquire_lock", arguments: ["file_path": 5], field: "file_path"),
        BadCall(tool: "acquire_lock", arguments: ["file_path": "   "], field: "file_path"),
        BadCall(tool: "acquire_lock", arguments: ["file_path": "a.swift", "owner": "me"], field: "owner"),
        BadCall(tool: "get_task", arguments: ["task_id": "nope"], field: "task_id"),
        BadCall(tool: "complete_work", arguments: ["task_id": "123e4567-e89b-12d3-a456-426614174000"], field: "success"),
        BadCall(tool: "submit_work", arguments: ["task_type": "test", "description": "d", "depends_on": ["x"]], field: "depends_on[0]"),
        BadCall(tool: "check_locks", arguments: ["file_paths": "a.swift"], field: "file_paths"),
    ])
    func invalidArguments(_ bad: BadCall) async throws {
        try await MCPFixture.with { fixture in
            let alice = try await fixture.connect(as: "alice")
            let outcome = try await alice.call(bad.tool, bad.arguments)
            let locks = try await alice.call("check_locks")
            await alice.close()
            #expect(outcome.isError)
            #expect(outcome.text.hasPrefix("invalid \(bad.field): "), "\(outcome.text)")
            #expect(outcome["reason"] == "invalid_input")
            #expect(outcome["field"] == .string(bad.field))
            #expect(locks["locks"] == [], "nothing is written for bad input")
        }
    }

    @Test("unknown tools and database failures are tool errors, not protocol errors")
    func failuresAreToolErrors() async throws {
        try await MCPFixture.with { fixture in
            let alice = try await fixture.connect(as: "alice")
            let unknown = try await alice.call("acquire_locks", ["file_path": "a"])
            #expect(unknown.isError)
            #expect(unknown.text.contains("unknown tool \"acquire_locks\""))
            #expect(unknown["reason"] == "unknown_tool")

            try await fixture.database.close()
            let failed = try await alice.call("acquire_lock", ["file_path": "a.swift"])
            #expect(failed.isError)
            #expect(failed.text.hasPrefix("database error"), "\(failed.text)")
            #expect(failed["reason"] == "database_error")

            // The server is still serving.
            let (tools, _) = try await alice.client.listTools()
            #expect(!tools.isEmpty)
            await alice.close()
        }
    }

    @Test("heartbeat without arguments marks the session register_session returned in this MCP session")
    func heartbeatUsesRegisteredSession() async throws {
        try await MCPFixture.with { fixture in
            let first = try await fixture.connect(as: "alice")
            let second = try await fixture.connect(as: "alice")

            let unregistered = try await first.call("heartbeat")
            #expect(unregistered["success"] == false)

            let registered = try await first.call("register_session", ["capabilities": ["swift"], "current_task": "tests"])
            #expect(registered["success"] == true)
            let firstSession = try #require(registered["session_id"]?.stringValue)

            // A newer session of the same agent: "the agent's newest session" would now be this one.
            fixture.clock.advance(minutes: 1)
            let newer = try await second.call("register_session")
            let secondSession = try #require(newer["session_id"]?.stringValue)
            #expect(firstSession != secondSession)

            fixture.clock.advance(minutes: 1)
            let beat = try await first.call("heartbeat")
            #expect(!beat.isError)
            #expect(beat["success"] == true)
            #expect(beat["session_id"] == .string(firstSession))

            let otherBeat = try await second.call("heartbeat")
            #expect(otherBeat["session_id"] == .string(secondSession))

            // Locks taken after registering carry the session.
            _ = try await first.call("acquire_lock", ["file_path": "a.swift"])
            let locks = try await first.call("check_locks")
            #expect(locks["locks"]?.arrayValue?.first?["session_id"] == .string(firstSession))
            await first.close()
            await second.close()
        }
    }

    @Test("resources are listed and render Markdown")
    func resources() async throws {
        try await MCPFixture.with { fixture in
            let alice = try await fixture.connect(as: "alice")
            let (resources, _) = try await alice.client.listResources()
            #expect(resources.map(\.uri) == ["locks://current", "work://pending", "handoffs://recent", "memories://recent",
                                              "audit://recent", "guardrails://patterns", "profiles://current"])
            #expect(resources.allSatisfy { $0.mimeType == "text/markdown" })

            func read(_ uri: String) async throws -> String {
                let contents = try await alice.client.readResource(uri: uri)
                #expect(contents.count == 1)
                #expect(contents.first?.uri == uri)
                return contents.first?.text ?? ""
            }
            #expect(try await read("locks://current") == "No active locks.")
            #expect(try await read("work://pending") == "No pending tasks.")
            #expect(try await read("handoffs://recent") == "No handoff documents found.")
            #expect(try await read("memories://recent") == "No memories stored yet.")
            let patterns = try await read("guardrails://patterns")
            #expect(patterns.hasPrefix("# Guardrail Patterns\n\nSource: database."))
            #expect(patterns.contains("- **git_force_push** (git, block, elevated from trust 3)"))
            let profile = try await read("profiles://current")
            #expect(profile.contains("- Profile: **claude-code-cli** (claude_code, source: default)"))
            #expect(profile.contains("- Trust level: 3"))

            _ = try await alice.call("acquire_lock", ["file_path": "src/a.swift", "reason": "refactor"])
            _ = try await alice.call("acquire_lock", ["file_path": "src/b.swift"])
            let urgent = try await alice.call("submit_work", ["task_type": "review", "description": "Review the patch", "priority": 1,
                                                               "deadline": "2027-01-16T08:00:00Z"])
            _ = try await alice.call("submit_work", ["task_type": "test", "description": "Run the suite"])
            _ = try await alice.call("write_handoff", ["summary": "Refactored the parser", "completed_work": ["parser"],
                                                        "in_progress": ["lexer"], "next_steps": ["docs"]])

            let locks = try await read("locks://current")
            #expect(locks.hasPrefix("# Active File Locks\n"))
            #expect(locks.contains("- **src/a.swift**\n  - Locked by: alice (claude_code)\n  - Reason: refactor\n  - Expires: "))
            #expect(locks.contains("- **src/b.swift**\n  - Locked by: alice (claude_code)\n  - Reason: Not specified\n"))

            let work = try await read("work://pending")
            #expect(work.hasPrefix("# Pending Work Queue\n"))
            let taskId = try #require(urgent["task_id"]?.stringValue)
            #expect(work.contains("## Priority 1\n\n- **review**: Review the patch\n  - ID: `\(taskId)`\n  - Deadline: 2027-01-16T08:00:00"))
            #expect(work.contains("## Priority 5\n\n- **test**: Run the suite\n"))
            #expect(try #require(work.range(of: "## Priority 1")).lowerBound < (try #require(work.range(of: "## Priority 5")).lowerBound))

            let handoffs = try await read("handoffs://recent")
            #expect(handoffs.hasPrefix("## alice\n*"))
            #expect(handoffs.contains("**Summary**: Refactored the parser"))
            #expect(handoffs.contains("**Completed**:\n- parser"))
            #expect(handoffs.contains("**In Progress**:\n- lexer"))
            #expect(handoffs.contains("**Next Steps**:\n- docs"))
            #expect(handoffs.contains("\n---\n"))

            _ = try await alice.call("remember", ["event_type": "error", "summary": "Parser crashed on emoji", "outcome": "negative",
                                                  "tags": ["parser", "unicode"], "lessons": ["test non-ASCII input"]])
            let memories = try await read("memories://recent")
            #expect(memories.hasPrefix("# Recent Memories\n"))
            #expect(memories.contains("**error**: Parser crashed on emoji\n- Tags: parser, unicode\n- Outcome: negative\n- Lessons: test non-ASCII input"))

            await #expect(throws: (any Error).self) { _ = try await alice.client.readResource(uri: "nothing://here") }
            await alice.close()
        }
    }

    @Test("prompts are listed and filled in")
    func prompts() async throws {
        try await MCPFixture.with { fixture in
            let alice = try await fixture.connect(as: "alice")
            let (prompts, _) = try await alice.client.listPrompts()
            #expect(prompts.map(\.name) == ["coordinate_file_edit", "start_work_session"])
            let edit = try #require(prompts.first)
            #expect(edit.arguments?.map(\.name) == ["file_path", "task"])
            #expect(edit.arguments?.allSatisfy { $0.required == true } == true)
            #expect(prompts.last?.arguments?.isEmpty ?? true)

            let filled = try await alice.client.getPrompt(name: "coordinate_file_edit", arguments: ["file_path": "src/a.swift", "task": "fix the bug"])
            let text = filled.messages.compactMap { message -> String? in
                if case .text(let text) = message.content { return text }
                return nil
            }.joined()
            #expect(text.contains("`src/a.swift`"))
            #expect(text.contains("fix the bug"))
            for step in ["check_locks", "acquire_lock", "release_lock", "locked_by_other"] { #expect(text.contains(step)) }

            let session = try await alice.client.getPrompt(name: "start_work_session")
            #expect(session.messages.count == 1)

            await #expect(throws: (any Error).self) {
                _ = try await alice.client.getPrompt(name: "coordinate_file_edit", arguments: ["task": "no path"])
            }
            await alice.close()
        }
    }

    @Test("JSON values convert to MCP values and back; data URLs come back as strings")
    func valueConversion() {
        let json: JSONValue = ["a": [1, 2.5, "x", true, nil], "b": ["c": "d"], "n": .int(-3)]
        #expect(JSONValue(mcpValue: Value(jsonValue: json)) == json)
        #expect(Value(jsonValue: .double(.infinity)) == .null)
        let data = Value.data(mimeType: "text/plain", Data("hello".utf8))
        #expect(JSONValue(mcpValue: data) == "data:text/plain;base64,aGVsbG8=")
    }

    @Test("data-URL strings in tool arguments are protected exactly, and other messages are left alone")
    func dataURLProtection() throws {
        let marker = String(Character(Unicode.Scalar(UInt32(0xFDD0))!))
        let call = #"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"acquire_lock","arguments":{"file_path":"a","reason":"data:,hello world","nested":["\#(marker)x","plain"]}}}"#
        let protected = DataURLStrings.protectIncoming(Data(call.utf8))
        let decoded = try JSONDecoder().decode([String: Value].self, from: protected)
        let arguments = decoded["params"]?.objectValue?["arguments"]?.objectValue ?? [:]
        #expect(arguments["reason"] == .string(marker + "data:,hello world"), "the SDK keeps it a string")
        #expect(JSONValue(mcpValue: arguments["reason"]!) == "data:,hello world")
        #expect(JSONValue(mcpValue: arguments["nested"]!) == [.string(marker + "x"), "plain"])
        #expect(JSONValue(mcpValue: arguments["file_path"]!) == "a")

        let plain = Data(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"check_locks"}}"#.utf8)
        #expect(DataURLStrings.protectIncoming(plain) == plain)
        let resource = Data(#"{"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":"data:,x"}}"#.utf8)
        #expect(DataURLStrings.protectIncoming(resource) == resource, "only tools/call arguments are rewritten")
        let invalid = Data("data: not json".utf8)
        #expect(DataURLStrings.protectIncoming(invalid) == invalid)
    }

    @Test("tool results keep data-URL strings exactly through the SDK's re-decoding")
    func dataURLResults() throws {
        let marker = String(Character(Unicode.Scalar(UInt32(0xFDD0))!))
        let result: JSONValue = ["reason": "data:,hi", "odd": .string(marker + "x"), "plain": "text", "n": 1]
        // What the SDK does to a result: encode it, decode it as a Value, encode it again.
        let sdkResult = try JSONDecoder().decode(Value.self, from: JSONEncoder().encode(Value(jsonValue: DataURLStrings.mark(result))))
        let wire = try JSONEncoder().encode(["jsonrpc": Value.string("2.0"), "id": 1, "result": ["structuredContent": sdkResult]])
        let restored = try JSONValue(jsonData: DataURLStrings.restoreOutgoing(wire))
        #expect(restored["result"]?["structuredContent"] == result)

        let sse = Data("id: s_1\nevent: message\ndata: ".utf8) + wire + Data("\n\n".utf8)
        let restoredSSE = String(decoding: DataURLStrings.restoreOutgoingEvents(sse), as: UTF8.self)
        #expect(restoredSSE.hasPrefix("id: s_1\nevent: message\ndata: {"))
        #expect(restoredSSE.hasSuffix("}\n\n"))
        let dataLine = restoredSSE.split(separator: "\n").first { $0.hasPrefix("data: ") } ?? ""
        #expect(try JSONValue(jsonText: String(dataLine.dropFirst(6)))["result"]?["structuredContent"] == result)

        let untouched = Data(#"{"jsonrpc":"2.0","id":1,"result":{}}"#.utf8)
        #expect(DataURLStrings.restoreOutgoing(untouched) == untouched)
    }
}
