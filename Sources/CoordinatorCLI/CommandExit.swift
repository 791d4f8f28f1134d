import ArgumentParser
import CoordinatorCore
import Foundation
import Logging

/// The CLI's exit statuses: 0 success, 1 internal or backend error, 2 bad usage or invalid input,
/// 3 the operation answered `success:false` (a lock held by another agent, an empty queue, …).
public enum ExitStatus: Int32, Sendable {
    case success = 0
    case failure = 1
    case usage = 2
    case declined = 3
}

/// Ends a command with a given status after its output was written.
struct CommandExit: Error {
    let status: ExitStatus
}

/// Runs the `coordinator` command line and returns the process exit status.
public enum CoordinatorMain {
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Int32 {
        bootstrapLogging()
        do {
            var command = try CoordinatorCommand.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return ExitStatus.success.rawValue
        } catch let exit as CommandExit {
            return exit.status.rawValue
        } catch {
            let code = CoordinatorCommand.exitCode(for: error)
            let message = CoordinatorCommand.fullMessage(for: error)
            if code == .success {
                print(message)
                return ExitStatus.success.rawValue
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            return ExitStatus.usage.rawValue
        }
    }
}

extension CoordinatorMain {
    /// Logs go to stderr (stdout carries results, e.g. `--json`), at `COORDINATOR_LOG_LEVEL` (default `warning`).
    static func bootstrapLogging() {
        let raw = ProcessInfo.processInfo.environment["COORDINATOR_LOG_LEVEL"]?.lowercased() ?? "warning"
        let level = Logger.Level(rawValue: raw) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
