import CoordinatorCore
import Foundation

/// A minimal JSON-RPC client for a `coordinator mcp` child process, used to time tool calls without any client
/// SDK in the way: one request line out, read lines until the response with that id comes back.
final class MCPStdioProbe {
    private let process = Process()
    private let toChild = Pipe()
    private let fromChild = Pipe()
    private var pending: [UInt8] = []
    private var nextId = 1

    /// Starts `executable mcp` with `environment`.
    init(executable: URL, environment: [String: String]) throws {
        process.executableURL = executable
        process.arguments = ["mcp"]
        process.environment = environment
        process.standardInput = toChild
        process.standardOutput = fromChild
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    var processIdentifier: Int32 { process.processIdentifier }

    /// Sends a request and blocks until its response arrives; returns the `result` (or throws on `error`).
    func call(_ method: String, _ params: JSONValue) throws -> JSONValue {
        let id = nextId
        nextId += 1
        try send(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params])
        while true {
            let message = try readMessage()
            guard message["id"] == .int(id) else { continue }
            if let error = message["error"] { throw BenchFailure(message: "MCP \(method) failed: \(error.jsonText)") }
            return message["result"] ?? .null
        }
    }

    func notify(_ method: String) throws {
        try send(["jsonrpc": "2.0", "method": .string(method)])
    }

    /// Closes the child's stdin (it exits at end of input) and waits for it.
    func close() {
        try? toChild.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    private func send(_ message: JSONValue) throws {
        try toChild.fileHandleForWriting.write(contentsOf: message.jsonBytes() + [0x0A])
    }

    private func readMessage() throws -> JSONValue {
        let descriptor = fromChild.fileHandleForReading.fileDescriptor
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                if line.isEmpty { continue }
                return try JSONValue(jsonBytes: line)
            }
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw BenchFailure(message: "coordinator mcp closed its output") }
            pending.append(contentsOf: chunk[..<count])
        }
    }
}

/// Runs blocking work (a child process conversation) on its own thread, off the event loops.
func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }.start()
    }
}

/// Resident memory of a process in MiB (Linux `/proc`), or nil where unavailable.
func residentMebibytes(of pid: Int32) -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kilobytes = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    else { return nil }
    return kilobytes / 1024
}
