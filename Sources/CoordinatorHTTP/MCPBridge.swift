import CoordinatorCore
import CoordinatorMCP
import Foundation
import MCP

/// An MCP Streamable HTTP answer in framework-neutral form (kept apart from Hummingbird's types, whose names
/// collide with the MCP SDK's).
struct MCPReply: Sendable {
    enum Body: Sendable {
        case empty
        case data(Data)
        /// Server-sent events, to be written chunk by chunk as they come.
        case stream(AsyncThrowingStream<Data, any Error>)
    }

    var status: Int
    var headers: [String: String]
    var body: Body
}

/// Passes requests for `/mcp` to the MCP engineer's ``MCPHTTPSessions``, converting to and from the SDK's types.
struct MCPBridge: Sendable {
    let sessions: MCPHTTPSessions

    func handle(method: String, headers: [String: String], body: Data?, path: String, identity: AgentIdentity) async -> MCPReply {
        let request = MCP.HTTPRequest(method: method, headers: headers, body: body, path: path)
        let response = await sessions.handle(request, identity: identity)
        switch response {
        case .stream(let events, let headers):
            return MCPReply(status: response.statusCode, headers: headers, body: .stream(events))
        default:
            return MCPReply(status: response.statusCode, headers: response.headers, body: response.bodyData.map(MCPReply.Body.data) ?? .empty)
        }
    }

    func shutdown() async {
        await sessions.shutdown()
    }
}
