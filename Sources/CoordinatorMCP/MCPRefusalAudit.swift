import CoordinatorCore
import Foundation

/// Audit entries for MCP Streamable HTTP requests refused before any tool ran (a key acting as another agent, a
/// session that belongs to another agent): each `tools/call` in the refused body becomes one failed entry of its
/// tool, as the refused caller, so the audit trail still has one entry per attempted operation. Other requests
/// (initialize, tools/list, …) are not operations and are not recorded.
public enum MCPRefusalAudit {
    /// The `tools/call` requests in a JSON-RPC body (one message or a batch): tool name and arguments.
    public static func toolCalls(in body: Data) -> [(name: String, arguments: JSONObject)] {
        guard let message = try? JSONValue(jsonBytes: Array(body)) else { return [] }
        let messages = message.arrayValue ?? [message]
        return messages.compactMap { message in
            guard message["method"]?.stringValue == "tools/call", let name = message["params"]?["name"]?.stringValue else {
                return nil
            }
            return (name, message["params"]?["arguments"]?.objectValue ?? [:])
        }
    }

    /// Records every `tools/call` in `body` as refused with `reason`.
    public static func record(body: Data?, identity: AgentIdentity, reason: String, dispatcher: OperationDispatcher,
                              clock: any CoordinatorClock) async {
        guard let body, dispatcher.recorder != nil else { return }
        for call in toolCalls(in: body) {
            await dispatcher.recordRefusal(call.name, arguments: call.arguments,
                                           context: RequestContext(identity: identity, clock: clock), error: Refusal(reason: reason))
        }
    }

    private struct Refusal: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }
}
