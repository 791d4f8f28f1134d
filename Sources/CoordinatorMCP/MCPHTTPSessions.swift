import CoordinatorCore
import Foundation
import Logging
import MCP

/// Streamable HTTP MCP sessions, for mounting at `/mcp` behind the HTTP API's authentication.
///
/// Each session is one SDK `StatefulHTTPServerTransport` plus one coordinator ``CoordinatorMCPServer`` bound to
/// the identity that opened it:
///
/// * a `POST` carrying an `initialize` request and no `Mcp-Session-Id` header opens a session (the response
///   carries the new id in `Mcp-Session-Id`);
/// * later requests are routed by that header: an unknown or expired id gets 404, a caller whose identity
///   (agent id and type) differs from the session's gets 403;
/// * `DELETE` ends the session; sessions idle for `idleTimeout` are closed (checked as requests arrive); when
///   `maxSessions` are open, a new session gets 503.
///
/// Request validation inside a session: `Accept` must list `application/json` and `text/event-stream` (406),
/// `Content-Type` must be `application/json` (415), a present `MCP-Protocol-Version` must be supported (400).
/// The `Host` header is not checked: the HTTP layer authenticates every request by API key, and the coordinator
/// runs behind proxies and on non-local addresses. A present `Origin` header (sent only by browsers) must match
/// `allowedOrigins` (default: localhost on any port), else 403: this keeps DNS-rebinding pages out even when
/// the server runs without API keys.
///
/// `tools/call` and `tools/list` requests are answered with a plain JSON body (`HTTPResponse.data`,
/// `Content-Type: application/json`, which Streamable HTTP allows) by the same handlers, without the SDK
/// transport (see ``ToolCallShortcut``); other requests get SSE streams (`HTTPResponse.stream`), whose chunks the
/// adapter must pipe as they come.
public actor MCPHTTPSessions {
    /// `Origin` values allowed by default: pages served from this machine.
    public static let localhostOrigins = [
        "http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*",
        "http://localhost", "http://127.0.0.1", "http://[::1]",
        "https://localhost:*", "https://127.0.0.1:*", "https://[::1]:*",
        "https://localhost", "https://127.0.0.1", "https://[::1]",
    ]

    private struct Session {
        let transport: StatefulHTTPServerTransport
        let server: Server
        let shortcut: ToolCallShortcut
        let identity: AgentIdentity
        var lastUsed: Date
    }

    private let dispatcher: OperationDispatcher
    private let clock: any CoordinatorClock
    private let idleSeconds: TimeInterval
    private let maxSessions: Int
    private let validation: any HTTPRequestValidationPipeline
    private let logger: Logger
    private let toolListResult: Data
    private var sessions: [String: Session] = [:]
    private var lastSweep: Date
    private var closed = false

    /// - Parameters:
    ///   - dispatcher: Runs the tool calls of every session.
    ///   - clock: The time of tool calls and of idle expiry.
    ///   - idleTimeout: A session without requests for this long is closed.
    ///   - maxSessions: Open sessions allowed at once; more get 503.
    ///   - allowedOrigins: `Origin` values accepted when a request carries one (`scheme://host` or
    ///     `scheme://host:port`; `:*` matches any port).
    ///   - logger: Where session events are logged (default label `coordinator.mcp.http`).
    public init(dispatcher: OperationDispatcher, clock: any CoordinatorClock = SystemClock(),
                idleTimeout: Duration = .seconds(1800), maxSessions: Int = 1000,
                allowedOrigins: [String] = MCPHTTPSessions.localhostOrigins, logger: Logger? = nil) {
        self.dispatcher = dispatcher
        self.clock = clock
        let parts = idleTimeout.components
        self.idleSeconds = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
        self.maxSessions = max(1, maxSessions)
        self.validation = StandardValidationPipeline(validators: [
            BrowserOriginValidator(allowedOrigins: allowedOrigins),
            AcceptHeaderValidator(mode: .sseRequired),
            ContentTypeValidator(),
            ProtocolVersionValidator(),
            SessionValidator(),
        ])
        self.logger = logger ?? Logger(label: "coordinator.mcp.http")
        self.toolListResult = ToolCallShortcut.encode(CoordinatorMCPServer.tools(dispatcher.catalog))
        self.lastSweep = clock.now()
    }

    /// The number of open sessions.
    public var sessionCount: Int { sessions.count }

    /// Handles one HTTP request to the MCP endpoint on behalf of an authenticated `identity`.
    public func handle(_ request: HTTPRequest, identity: AgentIdentity) async -> HTTPResponse {
        guard !closed else { return .error(statusCode: 503, .internalError("Service Unavailable: the MCP endpoint is shutting down")) }
        let now = clock.now()
        if now.timeIntervalSince(lastSweep) >= min(idleSeconds / 4, 60) { await sweep(now: now) }
        guard let sessionId = request.header(HTTPHeaderName.sessionID) else {
            return await open(Self.protected(request), identity: identity)
        }
        guard let session = sessions[sessionId] else {
            return .error(statusCode: 404, .invalidRequest("Not Found: unknown or expired MCP session; initialize a new one"))
        }
        guard session.identity.agentId == identity.agentId, session.identity.agentType == identity.agentType else {
            await MCPRefusalAudit.record(body: request.body, identity: identity, reason: "403 forbidden: this MCP session belongs to another agent",
                                         dispatcher: dispatcher, clock: clock)
            return .error(statusCode: 403, .invalidRequest("Forbidden: this MCP session belongs to another agent"))
        }
        sessions[sessionId]?.lastUsed = now
        if request.method.uppercased() == "POST", let body = request.body, let (_, respond) = session.shortcut.answer(body) {
            // tools/call and tools/list: answered here with a JSON body (see ToolCallShortcut).
            let context = HTTPValidationContext(httpMethod: "POST", sessionID: sessionId, isInitializationRequest: false)
            if let refusal = validation.validate(request, context: context) { return refusal }
            let answer = DataURLStrings.restoreOutgoing(await respond())
            return .data(answer, headers: [HTTPHeaderName.contentType: "application/json", HTTPHeaderName.sessionID: sessionId])
        }
        let response = Self.restored(await session.transport.handleRequest(Self.protected(request)))
        if request.method.uppercased() == "DELETE", response.statusCode < 300, sessions.removeValue(forKey: sessionId) != nil {
            logger.debug("MCP session closed by client", metadata: ["session": "\(sessionId)"])
            await session.server.stop()
        }
        return response
    }

    /// Closes every session; later requests get 503.
    public func shutdown() async {
        closed = true
        let open = sessions.values
        sessions.removeAll()
        for session in open { await session.server.stop() }
    }

    // MARK: - Sessions

    private func open(_ request: HTTPRequest, identity: AgentIdentity) async -> HTTPResponse {
        switch request.method.uppercased() {
        case "POST": break
        case "GET", "DELETE":
            return .error(statusCode: 400, .invalidRequest("Bad Request: Missing \(HTTPHeaderName.sessionID) header"))
        default:
            return .error(statusCode: 405, .invalidRequest("Method Not Allowed"), extraHeaders: [HTTPHeaderName.allow: "GET, POST, DELETE"])
        }
        guard let body = request.body, Self.isInitialize(body) else {
            return .error(statusCode: 400, .invalidRequest(
                "Bad Request: Missing \(HTTPHeaderName.sessionID) header; open a session with an initialize request first"))
        }
        if sessions.count >= maxSessions { await sweep(now: clock.now()) }
        guard sessions.count < maxSessions else { return tooManySessions() }

        let sessionId = UUID().uuidString.lowercased()
        let transport = StatefulHTTPServerTransport(
            sessionIDGenerator: FixedSessionID(id: sessionId), validationPipeline: validation, logger: logger)
        let (server, tools) = await CoordinatorMCPServer.makeSession(dispatcher: dispatcher, identity: identity, clock: clock, logger: logger)
        do {
            try await server.start(transport: transport)
        } catch {
            logger.error("cannot start an MCP session: \(String(describing: error))")
            return .error(statusCode: 500, .internalError("Internal error: cannot start an MCP session"))
        }
        // Other requests may have run during the awaits above: check again before taking the slot.
        guard !closed, sessions.count < maxSessions else {
            await server.stop()
            return closed ? .error(statusCode: 503, .internalError("Service Unavailable: the MCP endpoint is shutting down")) : tooManySessions()
        }
        sessions[sessionId] = Session(transport: transport, server: server,
                                      shortcut: ToolCallShortcut(tools: tools, toolListResult: toolListResult),
                                      identity: identity, lastUsed: clock.now())
        let response = Self.restored(await transport.handleRequest(request))
        if response.statusCode >= 300 {
            sessions[sessionId] = nil
            await server.stop()
        } else {
            logger.debug("MCP session opened", metadata: ["session": "\(sessionId)", "agent": "\(identity.agentId)"])
        }
        return response
    }

    /// The request with data-URL strings in tool arguments protected (see ``DataURLStrings``).
    private static func protected(_ request: HTTPRequest) -> HTTPRequest {
        HTTPRequest(method: request.method, headers: request.headers, body: request.body.map(DataURLStrings.protectIncoming),
                    path: request.path)
    }

    /// The transport's response with the data-URL marks of tool results removed (see ``DataURLStrings``).
    private static func restored(_ response: HTTPResponse) -> HTTPResponse {
        switch response {
        case .stream(let events, let headers):
            let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
            let forwarding = Task {
                do {
                    for try await chunk in events { continuation.yield(DataURLStrings.restoreOutgoingEvents(chunk)) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in forwarding.cancel() }
            return .stream(stream, headers: headers)
        case .data(let body, let headers):
            return .data(DataURLStrings.restoreOutgoing(body), headers: headers)
        default:
            return response
        }
    }

    private func tooManySessions() -> HTTPResponse {
        .error(statusCode: 503, .internalError("Service Unavailable: too many open MCP sessions; close one or retry later"),
               extraHeaders: ["Retry-After": "30"])
    }

    /// Closes sessions idle for at least the idle timeout.
    private func sweep(now: Date) async {
        lastSweep = now
        let expired = sessions.filter { now.timeIntervalSince($0.value.lastUsed) >= idleSeconds }
        for (id, session) in expired {
            sessions[id] = nil
            logger.debug("MCP session expired", metadata: ["session": "\(id)"])
            await session.server.stop()
        }
    }

    private static func isInitialize(_ body: Data) -> Bool {
        struct Probe: Decodable { var method: String?; var id: ID? }
        guard let probe = try? JSONDecoder().decode(Probe.self, from: body) else { return false }
        return probe.method == Initialize.name && probe.id != nil
    }
}

/// Hands the transport the session id chosen by ``MCPHTTPSessions`` (so the router knows it before the answer).
private struct FixedSessionID: SessionIDGenerator {
    let id: String
    func generateSessionID() -> String { id }
}

/// Refuses requests whose `Origin` header (sent by browsers) is not allowed; requests without one pass.
struct BrowserOriginValidator: HTTPRequestValidator {
    let allowedOrigins: [String]

    func validate(_ request: HTTPRequest, context: HTTPValidationContext) -> HTTPResponse? {
        guard let origin = request.header(HTTPHeaderName.origin) else { return nil }
        let normalized = origin.lowercased()
        guard !allowedOrigins.contains(where: { Self.matches(normalized, $0.lowercased()) }) else { return nil }
        return .error(statusCode: 403, .invalidRequest("Forbidden: Origin not allowed"), sessionID: context.sessionID)
    }

    static func matches(_ origin: String, _ pattern: String) -> Bool {
        guard pattern.hasSuffix(":*") else { return origin == pattern }
        let prefix = pattern.dropLast(2) + ":"
        guard origin.hasPrefix(prefix) else { return false }
        let port = origin.dropFirst(prefix.count)
        return !port.isEmpty && port.allSatisfy(\.isNumber)
    }
}
