import CoordinatorCore
import CoordinatorMCP
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// `/mcp`: authenticates like every other endpoint (the key's bound identity, else `X-Agent-Id`/`X-Agent-Type`,
/// else the defaults) and hands the request to the MCP sessions; SSE answers are streamed as they are produced.
///
/// A key acting as another agent (403) has each `tools/call` of its body recorded as a refused call of that tool
/// (``MCPRefusalAudit``); a missing or unknown key (401) is not recorded, as on the other endpoints.
struct MCPEndpoint: Sendable {
    let bridge: MCPBridge
    let resolver: IdentityResolver
    let maxBodyBytes: Int
    let dispatcher: OperationDispatcher
    let clock: any CoordinatorClock

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let check = resolver.check(apiKey: request.header(HTTPAPI.apiKeyHeader))
        let requested = IdentityResolver.fromHeaders(
            agentId: request.header("X-Agent-Id"), agentType: request.header("X-Agent-Type"), sessionId: request.header("X-Session-Id"))
        let identity: AgentIdentity
        do {
            identity = try resolver.resolve(check, requested: requested)
        } catch let refusal as APIError where refusal.status == 403 {
            if case .valid(let bound?) = check, request.method == .post,
               let buffer = try? await request.body.collect(upTo: maxBodyBytes) {
                let caller = AgentIdentity(agentId: bound.agentId ?? requested.agentId ?? IdentityResolver.defaultAgentId,
                                           agentType: bound.agentType ?? requested.agentType ?? IdentityResolver.defaultAgentType,
                                           sessionId: requested.sessionId)
                await MCPRefusalAudit.record(body: Data(buffer.readableBytesView), identity: caller,
                                             reason: "\(refusal.status) \(refusal.reason): \(refusal.detail)",
                                             dispatcher: dispatcher, clock: clock)
            }
            throw refusal
        }

        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        var body: Data?
        if request.method == .post {
            let buffer = try await request.body.collect(upTo: maxBodyBytes)
            body = Data(buffer.readableBytesView)
        }
        let reply = await bridge.handle(method: request.method.rawValue, headers: headers, body: body,
                                        path: request.uri.path, identity: identity)

        var fields = HTTPFields()
        for (name, value) in reply.headers.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        let status = HTTPResponse.Status(code: reply.status)
        switch reply.body {
        case .empty:
            return Response(status: status, headers: fields)
        case .data(let data):
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        case .stream(let events):
            return Response(status: status, headers: fields, body: ResponseBody { writer in
                for try await chunk in events {
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                try await writer.finish(nil)
            })
        }
    }
}

/// Closes every MCP session when graceful shutdown begins, so open SSE streams end and the HTTP server can drain.
struct MCPShutdownService: Service {
    let bridge: MCPBridge

    func run() async throws {
        try? await gracefulShutdown()
        await bridge.shutdown()
    }
}
