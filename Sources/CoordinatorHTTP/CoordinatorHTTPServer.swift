import CoordinatorCore
import CoordinatorMCP
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// The coordinator's HTTP API: one route per catalog operation, health probes, the OpenAPI document and the MCP
/// Streamable HTTP endpoint, served by Hummingbird under a ServiceLifecycle group.
///
/// Routes and status codes:
/// * every catalog operation with an ``HTTPRoute`` at its method and path; POST takes the arguments as a JSON
///   object body, GET from the path (a trailing parameter may contain slashes) and the query;
/// * `GET /health` (`{status, db, backend, version}`, 503 when the database does not answer within
///   ``HTTPServerConfig/healthTimeout``), `GET /live`, `GET /ready`, `GET /openapi.json`;
/// * `POST/GET/DELETE /mcp` (MCP Streamable HTTP).
///
/// `/health`, `/live`, `/ready`, `/openapi.json` and ``HTTPAPI/publicOperations`` need no key; everything else
/// needs a valid `X-API-Key` when keys are configured (401 otherwise). Errors use ``APIError``'s envelope.
public struct CoordinatorHTTPServer: Sendable {
    public let config: HTTPServerConfig
    public let dispatcher: OperationDispatcher
    public let clock: any CoordinatorClock
    public let logger: Logger
    /// The MCP Streamable HTTP sessions served at `/mcp`.
    public let mcpSessions: MCPHTTPSessions

    public init(config: HTTPServerConfig, dispatcher: OperationDispatcher, clock: any CoordinatorClock = SystemClock(),
                logger: Logger = Logger(label: "coordinator.http")) {
        self.config = config
        self.dispatcher = dispatcher
        self.clock = clock
        self.logger = logger
        mcpSessions = MCPHTTPSessions(dispatcher: dispatcher, clock: clock)
    }

    /// The OpenAPI document this server serves.
    public var openAPIDocument: JSONValue {
        OpenAPIDocument.make(catalog: dispatcher.catalog, requiresAPIKey: config.requiresAPIKey)
    }

    /// Serves until one of `gracefulShutdownSignals` arrives, then stops accepting connections and lets in-flight
    /// requests finish (for at most ``HTTPServerConfig/shutdownGracePeriod``). `onListening` runs once the socket is
    /// bound, with the bound host and port (useful with port 0).
    public func run(gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
                    onListening: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }) async throws {
        try await makeServiceGroup(gracefulShutdownSignals: gracefulShutdownSignals, onListening: onListening).run()
    }

    /// The service group ``run(gracefulShutdownSignals:onListening:)`` runs; tests trigger its graceful shutdown.
    public func makeServiceGroup(gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
                                 onListening: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }) -> ServiceGroup {
        let host = config.host
        let application = Application(
            router: makeRouter(),
            server: NoDelayHTTP1Channel.builder(idleTimeout: config.keepAliveTimeout),
            configuration: ApplicationConfiguration(address: .hostname(host, port: config.port)),
            onServerRunning: { channel in await onListening(host, channel.localAddress?.port ?? 0) },
            logger: logger)
        var configuration = ServiceGroupConfiguration(
            services: [application, MCPShutdownService(bridge: MCPBridge(sessions: mcpSessions))],
            gracefulShutdownSignals: gracefulShutdownSignals, logger: logger)
        configuration.maximumGracefulShutdownDuration = config.shutdownGracePeriod
        return ServiceGroup(configuration: configuration)
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
        var allowed: [(template: RouteTemplate, methods: [String])] = []
        func allow(_ path: String, _ methods: [String]) {
            let template = RouteTemplate(path)
            if let index = allowed.firstIndex(where: { $0.template == template }) {
                allowed[index].methods += methods
            } else {
                allowed.append((template, methods))
            }
        }
        for operation in dispatcher.catalog.operations {
            guard let route = operation.route else { continue }
            allow(route.path, route.method == .get ? ["GET", "HEAD"] : [route.method.rawValue])
        }
        for path in ["/health", "/live", "/ready", "/openapi.json"] { allow(path, ["GET", "HEAD"]) }
        allow("/mcp", ["GET", "POST", "DELETE"])
        router.add(middleware: ErrorEnvelopeMiddleware(allowedMethods: allowed, logger: logger))

        let resolver = IdentityResolver(config: config)
        for operation in dispatcher.catalog.operations {
            guard let route = operation.route else { continue }
            let template = RouteTemplate(route.path)
            let endpoint = OperationEndpoint(
                operation: operation, route: route, template: template,
                requiresKey: config.requiresAPIKey && !HTTPAPI.publicOperations.contains(operation.name),
                resolver: resolver, dispatcher: dispatcher, clock: clock, maxBodyBytes: config.maxBodyBytes)
            router.on(RouterPath(template.routerPath), method: route.method == .get ? .get : .post) { request, context in
                try await endpoint.respond(to: request, context: context)
            }
        }

        let probe = DatabaseProbe(database: dispatcher.coordinator.database, timeout: config.healthTimeout)
        let backend = dispatcher.coordinator.database.backendName
        router.get("/health") { _, _ -> Response in
            let reachable = await probe.isReachable()
            let body: JSONValue = [
                "status": reachable ? "ok" : "degraded", "db": reachable ? "connected" : "unreachable",
                "backend": .string(backend), "version": .string(HTTPAPI.version),
            ]
            return .json(body, status: reachable ? 200 : 503)
        }
        router.get("/live") { _, _ -> Response in .json(["status": "ok"]) }
        router.get("/ready") { _, _ -> Response in
            await probe.isReachable() ? .json(["status": "ready"]) : .json(["status": "not_ready"], status: 503)
        }
        let mcp = MCPEndpoint(bridge: MCPBridge(sessions: mcpSessions), resolver: resolver, maxBodyBytes: config.maxBodyBytes,
                              dispatcher: dispatcher, clock: clock)
        for method in [HTTPRequest.Method.post, .get, .delete] {
            router.on("/mcp", method: method) { request, context in try await mcp.respond(to: request, context: context) }
        }
        let document = openAPIDocument
        router.get("/openapi.json") { _, _ -> Response in .json(document) }
        return router
    }
}
