import AsyncHTTPClient
import CoordinatorCore
import CoordinatorSQLite
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// Audit completeness across every transport, through the real `coordinator` binary: `coordinator serve` (HTTP API and
/// MCP Streamable HTTP), `coordinator mcp` (stdio) and one-shot CLI commands, all on one database, with successes,
/// domain failures, invalid input and identity refusals. Every attempted operation is counted by (agent, operation,
/// outcome); after the processes end (SIGTERM, end of input, exit) `audit_log` must hold exactly those entries.
@Suite("Every operation on every transport leaves exactly one audit entry", .serialized)
struct AuditCompletenessTests {
    enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case sqlite, postgres
        var testDescription: String { rawValue }

        static var available: [Backend] {
            let dsn = ProcessInfo.processInfo.environment["COORDINATOR_TEST_POSTGRES_DSN"].flatMap { $0.isEmpty ? nil : $0 }
            return dsn != nil || ProcessInfo.processInfo.environment["CI"] != nil ? [.sqlite, .postgres] : [.sqlite]
        }
    }

    struct Key: Hashable, CustomStringConvertible {
        let agent: String
        let operation: String
        let success: Bool
        var description: String { "\(agent) \(operation) \(success ? "ok" : "FAIL")" }
    }

    /// What the test did, counted per (agent, operation, outcome).
    final class Tally: Sendable {
        private let counts = Mutex<[Key: Int]>([:])
        func add(_ agent: String, _ operation: String, _ success: Bool) {
            counts.withLock { $0[Key(agent: agent, operation: operation, success: success), default: 0] += 1 }
        }
        var snapshot: [Key: Int] { counts.withLock { $0 } }
    }

    static let keys = ["k-alice": "alice", "k-bob": "bob"]

    @Test(arguments: Backend.available)
    func everyCallIsRecordedOnce(_ backend: Backend) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("coordinator-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var environment = ProcessInfo.processInfo.environment.filter {
            !["AGENT_ID", "AGENT_TYPE", "SESSION_ID", "DB_BACKEND", "API_HOST", "API_PORT"].contains($0.key) && !$0.key.hasPrefix("COORDINATION_")
                && !$0.key.hasPrefix("AUDIT_")
        }
        let database: ScratchDatabase
        switch backend {
        case .sqlite:
            database = .sqlite(folder.appendingPathComponent("coordinator.sqlite").path)
            environment["DB_BACKEND"] = "sqlite"
            environment["COORDINATOR_DB_PATH"] = database.location
        case .postgres:
            database = try ScratchDatabase.postgres()
            environment["DB_BACKEND"] = "postgres"
            environment["POSTGRES_DSN"] = database.location
        }
        defer { database.drop() }
        let binary = Binary(environment: environment, folder: folder)
        #expect(try binary.run(["migrate"]).status == 0)

        let tally = Tally()
        let server = try ServeProcess.start(binary, extra: [
            "AGENT_ID": "coordinator-serve",
            "COORDINATION_API_KEYS": "k-alice,k-bob,k-free",
            "COORDINATION_API_KEY_IDENTITIES": #"{"k-alice": {"agent_id": "alice", "agent_type": "claude_code"}, "k-bob": {"agent_id": "bob", "agent_type": "codex"}}"#,
        ])
        // The server's scheduled retention prunes once at start (AUDIT_PRUNE_INTERVAL_HOURS) and records that too.
        tally.add("coordinator-serve", "prune_audit", true)
        let http = HTTPDriver(baseURL: server.baseURL, tally: tally)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await http.mixedTraffic(rounds: 15) }
            group.addTask { try await http.mcpOverHTTP(calls: 20) }
            group.addTask { try await onOwnThread { try MCPStdioDriver(binary: binary, tally: tally).mixedTraffic(rounds: 15) } }
            group.addTask { try await onOwnThread { try CLIDriver(binary: binary, tally: tally).mixedTraffic(rounds: 6) } }
            try await group.waitForAll()
        }
        let serveStatus = server.stop()
        #expect(serveStatus == 0, "coordinator serve exits cleanly on SIGTERM:\n\(server.log)")

        let expected = tally.snapshot
        let total = expected.values.reduce(0, +)
        #expect(total >= 300, "a few hundred operations (\(total))")
        let rows = try await database.auditRows()
        var actual: [Key: Int] = [:]
        for row in rows {
            let key = Key(agent: row["agent_id"]?.stringValue ?? "?", operation: row["operation"]?.stringValue ?? "?",
                          success: row["success"]?.boolValue ?? false)
            actual[key, default: 0] += 1
        }
        #expect(rows.count == total, "one entry per operation: \(rows.count) entries for \(total) operations")
        for key in Set(expected.keys).union(actual.keys).sorted(by: { $0.description < $1.description }) {
            #expect(actual[key, default: 0] == expected[key, default: 0], "\(key): \(actual[key, default: 0]) entries, \(expected[key, default: 0]) calls")
        }
        #expect(rows.allSatisfy { ($0["duration_ms"]?.doubleValue ?? -1) >= 0 })
        let operations = Set(expected.keys.map(\.operation))
        #expect(operations.isSuperset(of: ["acquire_lock", "release_lock", "get_task", "submit_work", "query_audit", "check_locks",
                                           "lock_status", "register_session", "heartbeat", "write_handoff"]))
        #expect(expected.keys.contains { !$0.success } && expected.keys.contains { $0.success })
    }
}

// MARK: - Drivers

/// HTTP API traffic through `coordinator serve`, and MCP over its `/mcp` endpoint.
struct HTTPDriver: Sendable {
    let baseURL: String
    let tally: AuditCompletenessTests.Tally

    func send(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil, raw: String? = nil, key: String?,
              headers: [(String, String)] = []) async throws -> (status: Int, json: JSONValue?, headers: HTTPHeaders) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let key { request.headers.add(name: "X-API-Key", value: key) }
        if let text = raw ?? body?.jsonText {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: text))
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 8 << 20)
        return (Int(response.status.code), try? JSONValue(jsonText: String(buffer: bytes)), response.headers)
    }

    /// One call, counted by its answer: 200 with `success` not false is a success; 200 with `success:false`, 403 and
    /// 422 are failures; 401 is not counted (unknown keys are not audited).
    func call(_ operation: String, _ method: HTTPMethod, _ path: String, body: JSONValue? = nil, key: String?, as agent: String,
              headers: [(String, String)] = [], expect status: Int? = nil) async throws {
        let answer = try await send(method, path, body: body, key: key, headers: headers)
        if let status { #expect(answer.status == status, "\(method) \(path): \(answer.status) \(answer.json?.jsonText ?? "")") }
        switch answer.status {
        case 200: tally.add(agent, operation, answer.json?["success"] != .bool(false))
        case 401: break
        default: tally.add(agent, operation, false)
        }
    }

    func mixedTraffic(rounds: Int) async throws {
        for round in 0..<rounds {
            let file = "src/http-\(round % 4).swift"
            try await call("acquire_lock", .POST, "/locks/acquire", body: ["file_path": .string(file)], key: "k-alice", as: "alice")
            try await call("acquire_lock", .POST, "/locks/acquire", body: ["file_path": .string(file)], key: "k-bob", as: "bob")
            try await call("release_lock", .POST, "/locks/release", body: ["file_path": .string(file)], key: "k-bob", as: "bob")
            try await call("release_lock", .POST, "/locks/release", body: ["file_path": .string(file)], key: "k-alice", as: "alice")
            // Invalid input (422 from the dispatcher, and a body that is not JSON).
            try await call("acquire_lock", .POST, "/locks/acquire", body: ["file_path": "x", "ttl_minutes": 0], key: "k-alice",
                           as: "alice", expect: 422)
            let broken = try await send(.POST, "/handoffs/write", raw: "{\"summary\": ", key: "k-bob")
            #expect(broken.status == 422)
            tally.add("bob", "write_handoff", false)   // refused before dispatch, still recorded
            // Identity refusals (403) and unknown keys (401, not audited).
            try await call("acquire_lock", .POST, "/locks/acquire", body: ["file_path": "y", "agent_id": "bob"], key: "k-alice",
                           as: "alice", expect: 403)
            try await call("get_work", .POST, "/work/claim", body: [:], key: "k-bob", as: "bob", headers: [("X-Agent-Id", "mallory")],
                           expect: 403)
            try await call("acquire_lock", .POST, "/locks/acquire", body: ["file_path": "z"], key: "wrong", as: "-", expect: 401)
            // An unbound key acts as the body's agent; task not found; reads.
            try await call("submit_work", .POST, "/work/submit", body: ["task_type": "t", "description": .string("round \(round)"), "agent_id": "carol"],
                           key: "k-free", as: "carol")
            try await call("get_task", .POST, "/work/get", body: ["task_id": .string(UUID().uuidString.lowercased())], key: "k-free",
                           as: "cloud-agent")
            try await call("check_locks", .POST, "/locks/check", body: [:], key: "k-bob", as: "bob")
            try await call("lock_status", .GET, "/locks/status/\(file)", key: nil, as: "dave", headers: [("X-Agent-Id", "dave")])
            try await call("query_audit", .GET, "/audit?agent_id=bob&limit=5", key: "k-alice", as: "alice")
            try await call("write_handoff", .POST, "/handoffs/write", body: ["summary": .string("http round \(round)")], key: "k-alice", as: "alice")
        }
    }

    /// Initialises an MCP session at `/mcp` with `key` → the headers every later request of the session carries.
    func openMCPSession(key: String, client: String) async throws -> [(String, String)] {
        let accept = [("Accept", "application/json, text/event-stream")]
        let initialize: JSONValue = [
            "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": ["protocolVersion": "2025-06-18", "capabilities": [:], "clientInfo": ["name": .string(client), "version": "1"]],
        ]
        let opened = try await send(.POST, "/mcp", body: initialize, key: key, headers: accept)
        #expect(opened.status == 200)
        let session = try #require(opened.headers["Mcp-Session-Id"].first)
        return accept + [("Mcp-Session-Id", session), ("MCP-Protocol-Version", "2025-06-18")]
    }

    func mcpOverHTTP(calls: Int) async throws {
        let headers = try await openMCPSession(key: "k-bob", client: "audit-test")
        for index in 0..<calls {
            let arguments: JSONValue = index % 3 == 2 ? ["file_path": "mcp-http", "ttl_minutes": 999] : ["file_path": "mcp-http"]
            let tool = index % 2 == 0 ? "acquire_lock" : "release_lock"
            let call: JSONValue = ["jsonrpc": "2.0", "id": .int(index + 2), "method": "tools/call", "params": ["name": .string(tool), "arguments": arguments]]
            if index % 5 == 4 {
                // alice's key in bob's session: 403 before the tool runs, recorded as alice's refused call.
                let stolen = try await send(.POST, "/mcp", body: call, key: "k-alice", headers: headers)
                #expect(stolen.status == 403)
                tally.add("alice", tool, false)
                continue
            }
            let answer = try await send(.POST, "/mcp", body: call, key: "k-bob", headers: headers)
            #expect(answer.status == 200)
            let result = answer.json?["result"]
            let failed = result?["isError"] == .bool(true) || result?["structuredContent"]?["success"] == .bool(false)
            tally.add("bob", tool, !failed)
        }
    }
}

/// `coordinator mcp` on stdio: raw newline-delimited JSON-RPC.
struct MCPStdioDriver {
    let binary: Binary
    let tally: AuditCompletenessTests.Tally
    let agent = "mcp-agent"

    func mixedTraffic(rounds: Int) throws {
        let child = try binary.spawn(["mcp"], extra: ["AGENT_ID": agent, "AGENT_TYPE": "strands"])
        var nextId = 0
        func request(_ method: String, _ params: JSONValue) throws -> JSONValue {
            nextId += 1
            try child.send(["jsonrpc": "2.0", "id": .int(nextId), "method": .string(method), "params": params])
            while true {
                let message = try child.readMessage()
                if message["id"] == .int(nextId) { return message }
            }
        }
        func tool(_ name: String, _ arguments: JSONValue = [:], counted: Bool = true) throws -> JSONValue {
            let answer = try request("tools/call", ["name": .string(name), "arguments": arguments])
            let result = answer["result"]
            let failed = result?["isError"] == .bool(true) || result?["structuredContent"]?["success"] == .bool(false)
            if counted { tally.add(agent, name, !failed) }
            return result?["structuredContent"] ?? .null
        }
        _ = try request("initialize", ["protocolVersion": "2025-06-18", "capabilities": [:], "clientInfo": ["name": "audit-test", "version": "1"]])
        try child.send(["jsonrpc": "2.0", "method": "notifications/initialized"])
        let registered = try tool("register_session", ["capabilities": ["swift"]])
        #expect(registered["success"] == true)
        for round in 0..<rounds {
            let file = "src/http-\(round % 4).swift"   // the same files as the HTTP traffic: some are held by alice
            _ = try tool("acquire_lock", ["file_path": .string(file), "reason": "mcp"])
            _ = try tool("release_lock", ["file_path": .string(file)])
            _ = try tool("acquire_lock", ["file_path": .string("mcp/\(round)"), "ttl_minutes": 0])        // invalid input
            _ = try tool("get_task", ["task_id": .string(UUID().uuidString)])                   // task not found
            _ = try tool("complete_work", ["task_id": .string(UUID().uuidString), "success": true])
            _ = try tool("heartbeat")
            _ = try tool("check_locks", ["file_paths": [.string(file)]])
            _ = try tool("no_such_tool", counted: false)                                        // not an operation
            _ = try request("resources/read", ["uri": "audit://recent"])                        // a query_audit
            tally.add(agent, "query_audit", true)
            _ = try tool("write_handoff", ["summary": .string("mcp round \(round)"), "next_steps": ["more"]])
            _ = try tool("write_handoff", ["summary": "   "])                                   // blank: refused
        }
        // End of input: the server answers what it read, writes the queued audit entries and exits 0.
        let status = child.finish()
        #expect(status == 0, "coordinator mcp exit status \(status): \(child.errorText)")
    }
}

/// One-shot CLI commands.
struct CLIDriver {
    let binary: Binary
    let tally: AuditCompletenessTests.Tally

    func run(_ operation: String, _ arguments: [String], as agent: String, expect status: Int32) throws {
        let outcome = try binary.run(arguments + ["--agent-id", agent])
        #expect(outcome.status == status, "coordinator \(arguments.joined(separator: " ")): \(outcome.status) \(outcome.stderr)")
        tally.add(agent, operation, outcome.status == 0)
    }

    func mixedTraffic(rounds: Int) throws {
        for round in 0..<rounds {
            let agent = "cli-\(round % 2)"
            try run("acquire_lock", ["lock", "acquire", "cli/\(round % 2).txt"], as: agent, expect: 0)
            try run("acquire_lock", ["lock", "acquire", "cli/\(round % 2).txt"], as: "cli-other", expect: 3)   // held by another
            try run("release_lock", ["lock", "release", "cli/\(round % 2).txt"], as: agent, expect: 0)
            try run("get_task", ["work", "get", UUID().uuidString.lowercased()], as: agent, expect: 3)      // not found
            try run("acquire_lock", ["lock", "acquire", "cli/x", "--ttl", "0"], as: agent, expect: 2)       // invalid input
            try run("submit_work", ["work", "submit", "--type", "t", "--description", "d", "--input", "{not json"], as: agent, expect: 2)
            try run("lock_status", ["lock", "status", "cli/0.txt"], as: agent, expect: 0)
        }
        // `audit list` acts as $AGENT_ID (its --agent-id is a filter).
        let listed = try binary.run(["audit", "list", "--agent-id", "cli-0", "--json"], extra: ["AGENT_ID": "auditor"])
        #expect(listed.status == 0, "\(listed.stderr)")
        tally.add("auditor", "query_audit", true)
        let entries = try JSONValue(jsonText: listed.stdout)["entries"]?.arrayValue ?? []
        #expect(!entries.isEmpty && entries.allSatisfy { $0["agent_id"] == "cli-0" })
    }
}

// MARK: - Processes and databases

/// The built `coordinator` executable with one environment.
struct Binary: Sendable {
    static let executable: URL = {
        if let explicit = ProcessInfo.processInfo.environment["COORDINATOR_BIN"] { return URL(fileURLWithPath: explicit) }
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("coordinator"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("coordinator"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/debug/coordinator"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[candidates.count - 1]
    }()

    let environment: [String: String]
    let folder: URL

    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs to completion.
    func run(_ arguments: [String], extra: [String: String] = [:]) throws -> Outcome {
        let child = try spawn(arguments, extra: extra, stdin: false)
        let stdout = child.readAll()
        let status = child.finish()
        return Outcome(status: status, stdout: stdout, stderr: child.errorText)
    }

    func spawn(_ arguments: [String], extra: [String: String] = [:], stdin: Bool = true) throws -> Child {
        try Child(arguments: arguments, environment: environment.merging(extra) { _, new in new }, folder: folder, stdin: stdin)
    }
}

/// A running child process: its stdin (optional), stdout read in lines, stderr collected on a helper thread.
final class Child: @unchecked Sendable {
    let process = Process()
    private let input: Pipe?
    private let output = Pipe()
    private let errors = Pipe()
    private var buffer: [UInt8] = []
    private let errorData = ServeProcess.Lines()
    private let errorDone = DispatchSemaphore(value: 0)

    init(arguments: [String], environment: [String: String], folder: URL, stdin: Bool) throws {
        process.executableURL = Binary.executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = folder
        input = stdin ? Pipe() : nil
        process.standardInput = input ?? FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let errors = errors
        Thread { [errorData, errorDone] in
            let data = errors.fileHandleForReading.readDataToEndOfFile()
            errorData.values.withLock { $0 = [String(decoding: data, as: UTF8.self)] }
            errorDone.signal()
        }.start()
        let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 300, execute: watchdog)
    }

    var errorText: String { errorData.values.withLock { $0.joined() } }

    func send(_ message: JSONValue) throws {
        try input?.fileHandleForWriting.write(contentsOf: Data((message.jsonText + "\n").utf8))
    }

    /// The next stdout line as JSON.
    func readMessage() throws -> JSONValue {
        while true {
            if let newline = buffer.firstIndex(of: 10) {
                let line = Array(buffer[..<newline])
                buffer.removeFirst(newline + 1)
                return try JSONValue(jsonBytes: line)
            }
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw ChildFailure(message: "stdout closed; stderr: \(errorText)") }
            buffer += chunk
        }
    }

    func readAll() -> String {
        String(decoding: buffer + output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    /// Closes stdin, waits for the exit, returns the status.
    func finish() -> Int32 {
        try? input?.fileHandleForWriting.close()
        process.waitUntilExit()
        errorDone.wait()
        return process.terminationStatus
    }
}

struct ChildFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// `coordinator serve --port 0` until ``stop()`` sends SIGTERM.
final class ServeProcess: @unchecked Sendable {
    final class Lines: Sendable {
        let values = Mutex<[String]>([])
    }

    let process: Process
    let baseURL: String
    private let lines: Lines

    private init(process: Process, baseURL: String, lines: Lines) {
        self.process = process
        self.baseURL = baseURL
        self.lines = lines
    }

    var log: String { lines.values.withLock { $0.joined(separator: "\n") } }

    static func start(_ binary: Binary, extra: [String: String]) throws -> ServeProcess {
        let process = Process()
        process.executableURL = Binary.executable
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0"]
        process.environment = binary.environment.merging(extra) { _, new in new }
        process.currentDirectoryURL = binary.folder
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let collected = Lines()
        let listening = DispatchSemaphore(value: 0)
        let address = Mutex<String?>(nil)
        Thread {
            var pending = Data()
            while true {
                let chunk = errors.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                pending += chunk
                while let newline = pending.firstIndex(of: 10) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending = Data(pending[(newline + 1)...])
                    collected.values.withLock { $0.append(line) }
                    if let range = line.range(of: "listening on "), address.withLock({ $0 == nil }) {
                        address.withLock { $0 = String(line[range.upperBound...]) }
                        listening.signal()
                    }
                }
            }
            listening.signal()
        }.start()
        _ = listening.wait(timeout: .now() + 60)
        guard let url = address.withLock({ $0 }) else {
            process.terminate()
            throw ChildFailure(message: "coordinator serve did not start: \(collected.values.withLock { $0.joined(separator: "\n") })")
        }
        return ServeProcess(process: process, baseURL: url, lines: collected)
    }

    /// SIGTERM (graceful shutdown: in-flight requests finish, queued audit entries are written), then the exit status.
    func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// The database the processes share: a SQLite file, or a fresh PostgreSQL database created (and dropped) with psql.
struct ScratchDatabase: Sendable {
    enum Kind: Sendable { case sqlite, postgres(admin: String, name: String) }
    let kind: Kind
    let location: String

    static func sqlite(_ path: String) -> ScratchDatabase { ScratchDatabase(kind: .sqlite, location: path) }

    static func postgres() throws -> ScratchDatabase {
        guard let admin = ProcessInfo.processInfo.environment["COORDINATOR_TEST_POSTGRES_DSN"], !admin.isEmpty,
              var components = URLComponents(string: admin) else {
            Issue.record("COORDINATOR_TEST_POSTGRES_DSN is not set; scripts/test starts PostgreSQL and sets it")
            throw ChildFailure(message: "no PostgreSQL")
        }
        let name = "coord_audit_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        _ = try psql(admin, "CREATE DATABASE \(name)")
        components.path = "/" + name
        return ScratchDatabase(kind: .postgres(admin: admin, name: String(name)), location: components.string ?? admin)
    }

    func drop() {
        if case .postgres(let admin, let name) = kind { _ = try? Self.psql(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
    }

    /// Every audit entry, as JSON objects.
    func auditRows() async throws -> [JSONObject] {
        switch kind {
        case .sqlite:
            let client = try SQLiteDatabaseClient(config: SQLiteConfig(path: location))
            let rows = try await client.query("audit_log", filter: RowFilter().ordered(by: "seq"), select: AuditService.columns)
            try await client.close()
            return rows
        case .postgres:
            let text = try Self.psql(location, """
                SELECT coalesce(json_agg(json_build_object('agent_id', agent_id, 'operation', operation, 'success', success,
                                                           'duration_ms', duration_ms) ORDER BY seq), '[]') FROM audit_log
                """)
            return (try JSONValue(jsonText: text).arrayValue ?? []).compactMap(\.objectValue)
        }
    }

    @discardableResult
    static func psql(_ dsn: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", dsn, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0 else { throw ChildFailure(message: "psql: \(text)") }
        return text
    }
}

/// Runs blocking work (child processes, pipes) on its own thread, off Swift's small cooperative pool.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }.start()
    }
}
