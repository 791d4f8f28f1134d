import CoordinatorCore
import CoordinatorMCP
import Foundation
import MCP
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("Blocking stdio transport")
struct StdioTransportTests {
    /// Reads newline-delimited messages from a descriptor, blocking on a thread of its own.
    final class LineReader: @unchecked Sendable {
        private let handle: FileHandle
        private var buffer = Data()

        init(_ handle: FileHandle) { self.handle = handle }

        /// The next message as JSON, or nil at end of output.
        func next() async throws -> JSONValue? {
            try await withTimeout {
                try await withCheckedThrowingContinuation { continuation in
                    Thread { continuation.resume(with: Result { try self.blockingNext() }) }.start()
                }
            }
        }

        private func blockingNext() throws -> JSONValue? {
            while true {
                if let newline = buffer.firstIndex(of: 0x0A) {
                    let line = buffer[buffer.startIndex..<newline]
                    buffer = Data(buffer[(newline + 1)...])
                    return try JSONValue(jsonData: Data(line))
                }
                let chunk = handle.availableData
                if chunk.isEmpty { return nil }
                buffer.append(chunk)
            }
        }
    }

    @Test("JSON-RPC over pipes: split lines, CRLF, data-URL arguments kept exactly, answers drained after end of input")
    func rawJSONRPCOverPipes() async throws {
        try await MCPFixture.with { fixture in
            let input = Pipe()
            let output = Pipe()
            let server = await CoordinatorMCPServer.make(
                dispatcher: fixture.dispatcher, identity: AgentIdentity(agentId: "alice", agentType: "claude_code"), clock: fixture.clock)
            let transport = BlockingStdioTransport(
                input: input.fileHandleForReading.fileDescriptor, output: output.fileHandleForWriting.fileDescriptor)
            try await server.start(transport: transport)
            #expect(fcntl(input.fileHandleForReading.fileDescriptor, F_GETFL) & O_NONBLOCK == 0, "descriptor flags are left alone")
            #expect(fcntl(output.fileHandleForWriting.fileDescriptor, F_GETFL) & O_NONBLOCK == 0)
            let reader = LineReader(output.fileHandleForReading)
            let writer = input.fileHandleForWriting

            // One message split over two writes, then a notification and a call in one write.
            let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#
            writer.write(Data(initialize.prefix(40).utf8))
            try await Task.sleep(for: .milliseconds(20))
            writer.write(Data((initialize.dropFirst(40) + "\n").utf8))
            let initialized = try #require(try await reader.next())
            #expect(initialized["id"] == 1)
            #expect(initialized["result"]?["serverInfo"]?["name"] == "coordination")

            let notification = #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#
            let acquire = #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"acquire_lock","arguments":{"file_path":"a.swift","reason":"data:,hello world"}}}"#
            writer.write(Data([notification, acquire].joined(separator: "\n").utf8) + Data("\r\n".utf8))
            let acquired = try #require(try await reader.next())
            #expect(acquired["id"] == 2)
            #expect(acquired["result"]?["structuredContent"]?["success"] == true)

            // Several requests and blank lines, then end of input at once: every request is still answered.
            let batch: [String] = [
                "",
                "   ",
                #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"check_locks","arguments":{}}}"#,
                #"{"jsonrpc":"2.0","id":"four","method":"tools/call","params":{"name":"get_task","arguments":{"task_id":"nope"}}}"#,
                #"{"jsonrpc":"2.0","id":5,"method":"ping"}"#,
            ]
            writer.write(Data(batch.joined(separator: "\n").utf8))
            try writer.close()
            try await withTimeout { await server.waitUntilCompleted() }
            await server.stop()
            try output.fileHandleForWriting.close()

            var answers: [JSONValue: JSONValue] = [:]
            while let message = try await reader.next() { answers[message["id"] ?? .null] = message }
            #expect(Set(answers.keys) == [3, "four", 5])
            let locks = try #require(answers[3]?["result"]?["structuredContent"]?["locks"]?.arrayValue)
            #expect(locks.first?["reason"] == "data:,hello world", "the data-URL argument is stored exactly as sent")
            #expect(answers["four"]?["result"]?["isError"] == true)
            #expect(answers["four"]?["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue?.hasPrefix("invalid task_id: ") == true)
            #expect(answers[5]?["result"] == [:])
        }
    }

    @Test("end of input with nothing pending ends the server at once")
    func endOfInputEndsServer() async throws {
        try await MCPFixture.with { fixture in
            let input = Pipe()
            let output = Pipe()
            let server = await CoordinatorMCPServer.make(
                dispatcher: fixture.dispatcher, identity: AgentIdentity(agentId: "alice", agentType: "claude_code"))
            // A long drain timeout, so "at once" is told apart from "waited for the drain" even on a loaded machine.
            try await server.start(transport: BlockingStdioTransport(
                input: input.fileHandleForReading.fileDescriptor, output: output.fileHandleForWriting.fileDescriptor,
                drainTimeout: .seconds(60)))
            try input.fileHandleForWriting.close()
            let started = ContinuousClock.now
            try await withTimeout(30) { await server.waitUntilCompleted() }
            #expect(started.duration(to: .now) < .seconds(10))
            await server.stop()
        }
    }

    /// Sends each request and waits for its answer (notifications get none), then ends the input.
    static func exchange(_ fixture: MCPFixture, shortcut: Bool, _ requests: [String]) async throws -> [JSONValue] {
        let input = Pipe()
        let output = Pipe()
        let identity = AgentIdentity(agentId: "alice", agentType: "claude_code")
        let (inputDescriptor, outputDescriptor) = (input.fileHandleForReading.fileDescriptor, output.fileHandleForWriting.fileDescriptor)
        let serving = Task {
            if shortcut {
                try await CoordinatorMCPServer.serveStdio(dispatcher: fixture.dispatcher, identity: identity, clock: fixture.clock,
                                                          input: inputDescriptor, output: outputDescriptor)
            } else {
                let server = await CoordinatorMCPServer.make(dispatcher: fixture.dispatcher, identity: identity, clock: fixture.clock)
                try await server.start(transport: BlockingStdioTransport(input: inputDescriptor, output: outputDescriptor))
                await server.waitUntilCompleted()
                await server.stop()
            }
        }
        let reader = LineReader(output.fileHandleForReading)
        var answers: [JSONValue] = []
        for request in requests {
            input.fileHandleForWriting.write(Data((request + "\n").utf8))
            if request.contains(#""id":"#) { answers.append(try #require(try await reader.next())) }
        }
        try input.fileHandleForWriting.close()
        try await withTimeout { try await serving.value }
        try output.fileHandleForWriting.close()
        #expect(try await reader.next() == nil)
        return answers
    }

    @Test("the stdio shortcut for tools/list and tools/call answers exactly what the SDK server answers")
    func shortcutMatchesServer() async throws {
        let requests = [
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}"#,
            #"{"jsonrpc":"2.0","id":"three","method":"tools/list"}"#,
            #"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"acquire_lock","arguments":{"file_path":"a.swift","reason":"data:,hi é"}}}"#,
            #"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"check_locks","arguments":{}}}"#,
            #"{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"check_locks"}}"#,
            #"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"acquire_lock","arguments":{"file_path":"b.swift","ttl_minutes":0}}}"#,
            #"{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"get_task","arguments":{"task_id":"nope"}}}"#,
            #"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"no_such_tool","arguments":{}}}"#,
            #"{"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"lock_status","arguments":{"file_path":"a.swift"}}}"#,
            #"{"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":"heartbeat","arguments":{}}}"#,
            #"{"jsonrpc":"2.0","id":12,"method":"resources/read","params":{"uri":"locks://current"}}"#,
            #"{"jsonrpc":"2.0","id":13,"method":"ping"}"#,
        ]
        var viaServer: [JSONValue] = []
        var viaShortcut: [JSONValue] = []
        try await MCPFixture.with { fixture in viaServer = try await Self.exchange(fixture, shortcut: false, requests) }
        try await MCPFixture.with { fixture in viaShortcut = try await Self.exchange(fixture, shortcut: true, requests) }
        #expect(viaServer.count == 13)
        #expect(viaShortcut.count == viaServer.count)
        for (server, shortcut) in zip(viaServer, viaShortcut) {
            #expect(server == shortcut, "answer to \(server["id"] ?? .null)")
        }
        let locks = viaShortcut[4]["result"]?["structuredContent"]?["locks"]?.arrayValue
        #expect(locks?.first?["reason"] == "data:,hi \u{e9}")
        #expect(viaShortcut[6]["result"]?["isError"] == true)
        #expect(viaShortcut[2]["result"]?["tools"]?.arrayValue?.count == OperationCatalog.standard.operations.count)
    }
}
