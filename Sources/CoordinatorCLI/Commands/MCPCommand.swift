import ArgumentParser
import CoordinatorCore
import CoordinatorMCP
import Foundation
import Logging

/// `coordinator mcp`: the MCP server on standard input and output, for one agent process.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Run the MCP server on stdio (for Claude Code, Codex, …)",
        discussion: """
            Speaks newline-delimited JSON-RPC on stdin/stdout until stdin closes, then writes the audit entries still \
            queued and exits 0 (on SIGTERM/SIGINT it writes them too, then exits). Logs go to stderr \
            (COORDINATOR_LOG_LEVEL, default warning). Every tool acts as one agent: AGENT_ID, AGENT_TYPE and \
            SESSION_ID, or the flags below; without AGENT_ID an id is generated (and logged).
            Example for Claude Code: claude mcp add coordination --env AGENT_ID=alice -- coordinator mcp
            """)

    @OptionGroup var identity: IdentityOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        try await CommandEnvironment.run(identity: identity, output: try OutputOptions.parse([]), environment: environment) { env in
            let logger = Logger(label: "coordinator.mcp")
            if identity.agentId == nil, AgentConfig.fromEnvironment(environment).generatedId {
                logger.warning("AGENT_ID is not set; acting as generated agent id \(env.context.agentId)")
            }
            let signals = AuditOnSignal(audit: env.audit, logger: logger)
            defer { signals.cancel() }
            try await CoordinatorMCPServer.serveStdio(
                dispatcher: env.dispatcher, identity: env.context.identity, clock: env.context.clock, logger: logger)
        }
    }
}

/// Writes the queued audit entries and exits (status 128 + signal) when SIGTERM or SIGINT arrives, so an agent
/// host that stops `coordinator mcp` with a signal instead of closing its input loses no recorded call. (A call
/// still running at that moment may finish unrecorded: the process ends once the queue is written.)
final class AuditOnSignal {
    private let sources: [any DispatchSourceSignal]

    init(audit: AuditTrail, logger: Logger) {
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                Task {
                    logger.info("signal \(number): writing queued audit entries, then exiting")
                    await audit.shutdown()
                    exit(128 + number)
                }
            }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
