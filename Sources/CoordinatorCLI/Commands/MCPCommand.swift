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
            Speaks newline-delimited JSON-RPC on stdin/stdout until stdin closes, then exits 0. Logs go to stderr \
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
            try await CoordinatorMCPServer.serveStdio(
                dispatcher: OperationDispatcher(coordinator: env.coordinator), identity: env.context.identity,
                clock: env.context.clock, logger: logger)
        }
    }
}
