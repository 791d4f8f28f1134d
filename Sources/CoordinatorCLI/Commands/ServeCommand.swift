import ArgumentParser
import CoordinatorCore
import CoordinatorHTTP
import Foundation
import Logging

/// `coordinator serve`: the HTTP API (with MCP Streamable HTTP at `/mcp`) until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API and MCP Streamable HTTP (/mcp) until SIGTERM or SIGINT.",
        discussion: """
            Address: API_HOST (default 127.0.0.1) and API_PORT (default 8081), or --host/--port; --port 0 picks a \
            free port. Once bound, prints "listening on http://HOST:PORT" to stderr.
            Authentication: requests carry X-API-Key, one of COORDINATION_API_KEYS (comma-separated). \
            COORDINATION_API_KEY_IDENTITIES ({"<key>": {"agent_id": "…", "agent_type": "…"}}) binds keys to agents; \
            a bound key cannot act as anyone else (403). Without keys the server runs without authentication and \
            only on a loopback address (it refuses to start on any other). /health, /live, /ready, /openapi.json \
            and GET /locks/status/{path} need no key.
            On SIGTERM/SIGINT the server stops accepting connections, lets in-flight requests finish, and writes the \
            audit entries still queued before it exits.
            """)

    @Option(help: "Address to bind (default: $API_HOST, else 127.0.0.1).") var host: String?
    @Option(help: "Port to bind, 0 for a free one (default: $API_PORT, else 8081).") var port: Int?

    func run() async throws {
        let output = try OutputOptions.parse([])
        let httpConfig: HTTPServerConfig
        do {
            httpConfig = try HTTPServerConfig.fromEnvironment(host: host, port: port)
        } catch let error as ConfigurationError {
            throw CommandEnvironment.report(error.detail, field: error.variable, reason: "configuration_error", output: output, status: .usage)
        }
        try await CommandEnvironment.run(identity: try IdentityOptions.parse([]), output: output) { env in
            let logger = Logger(label: "coordinator.serve")
            let server = CoordinatorHTTPServer(
                config: httpConfig, dispatcher: env.dispatcher, logger: logger)
            if !httpConfig.requiresAPIKey {
                logger.warning("COORDINATION_API_KEYS is not set: serving without authentication on \(httpConfig.host)")
            }
            let retention = Self.startAuditRetention(env, logger: logger)
            // Stopped and awaited before the audit trail drains, so a prune in progress still records itself.
            func stopRetention() async {
                retention?.cancel()
                await retention?.value
            }
            do {
                try await server.run { host, port in
                    let authority = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
                    FileHandle.standardError.write(Data("listening on http://\(authority):\(port)\n".utf8))
                }
            } catch {
                await stopRetention()
                throw error
            }
            await stopRetention()
        }
    }

    /// Prunes audit entries past `AUDIT_RETENTION_DAYS` now and every `AUDIT_PRUNE_INTERVAL_HOURS` while serving.
    private static func startAuditRetention(_ env: CommandEnvironment, logger: Logger) -> Task<Void, Never>? {
        let config = env.coordinator.config.audit
        guard config.pruneIntervalHours > 0 else { return nil }
        let retention = AuditRetention(service: env.coordinator.audit, recorder: env.audit)
        let identity = env.context.identity
        return Task {
            await retention.runSchedule(every: .seconds(config.pruneIntervalHours * 3600), olderThanDays: config.retentionDays,
                                        identity: identity, logger: logger)
        }
    }
}
