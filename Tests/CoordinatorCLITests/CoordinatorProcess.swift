import CoordinatorCore
import Foundation
import Testing

/// Runs the built `coordinator` executable as a real OS process, the way agents and scripts do.
struct CoordinatorProcess {
    /// The executable: `$COORDINATOR_BIN`, else `coordinator` beside the test bundle, else `.build/debug/coordinator`.
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

    struct Outcome: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String

        /// stdout parsed as JSON (for `--json` runs).
        var json: JSONValue {
            get throws { try JSONValue(jsonText: stdout) }
        }
    }

    /// A private working folder with its own database file.
    let folder: URL
    var environment: [String: String]

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("coordinator-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment.filter { !["AGENT_ID", "AGENT_TYPE", "SESSION_ID", "DB_BACKEND"].contains($0.key) }
        environment["COORDINATOR_DB_PATH"] = folder.appendingPathComponent("coordinator.sqlite").path
        self.environment = environment
    }

    var databasePath: String { environment["COORDINATOR_DB_PATH"]! }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// Runs `coordinator <arguments>` to completion (bounded by `timeout` seconds).
    func run(_ arguments: [String], agent: String? = nil, extraEnvironment: [String: String] = [:], stdin: String? = nil,
             timeout: TimeInterval = 60) throws -> Outcome {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        var environment = self.environment
        if let agent { environment["AGENT_ID"] = agent }
        environment.merge(extraEnvironment) { _, new in new }
        process.environment = environment
        process.currentDirectoryURL = folder
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let input = stdin.map { _ in Pipe() }
        process.standardInput = input ?? FileHandle.nullDevice
        try process.run()
        if let input, let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        // A watchdog ends a process that outlives its time, so a hung child cannot hang the suite.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        // Drain stderr on another thread while this one drains stdout, so neither pipe can fill up and block the child.
        let errorBox = DataBox()
        let errorReader = Thread { errorBox.data = stderr.fileHandleForReading.readDataToEndOfFile(); errorBox.done.signal() }
        errorReader.start()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        errorBox.done.wait()
        let err = errorBox.data
        process.waitUntilExit()
        watchdog.cancel()
        if process.terminationReason == .uncaughtSignal {
            Issue.record("coordinator \(arguments.joined(separator: " ")) was killed (timeout \(timeout) s?)")
        }
        return Outcome(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                       stderr: String(decoding: err, as: UTF8.self))
    }
}

/// Collects one pipe's bytes on a helper thread.
private final class DataBox: @unchecked Sendable {
    var data = Data()
    let done = DispatchSemaphore(value: 0)
}

/// Runs blocking work (here: waiting for child processes) on its own thread, so many can wait at once without
/// starving Swift's cooperative thread pool, which has only as many threads as cores.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.start()
    }
}
