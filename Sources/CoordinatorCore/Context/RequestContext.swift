import Foundation

/// Who is calling: resolved once per request by the transport and passed to every service call.
public struct AgentIdentity: Sendable, Hashable {
    public var agentId: String
    public var agentType: String
    public var sessionId: String?

    public init(agentId: String, agentType: String, sessionId: String? = nil) {
        self.agentId = agentId
        self.agentType = agentType
        self.sessionId = sessionId
    }
}

/// Everything a service needs to know about one request: the caller, the time source and a request id.
/// Services never read identity from process globals.
public struct RequestContext: Sendable {
    public var identity: AgentIdentity
    public var clock: any CoordinatorClock
    public var requestId: String
    /// The caller's trust level once the dispatcher's policy resolved it (nil before, or outside the dispatcher).
    public var trustLevel: Int?
    /// Where extra audit entries of this request go (guardrail violations): the dispatcher's recorder.
    public var recorder: (any OperationRecorder)?

    public init(identity: AgentIdentity, clock: any CoordinatorClock = SystemClock(), requestId: String = UUID().uuidString.lowercased()) {
        self.identity = identity
        self.clock = clock
        self.requestId = requestId
    }

    public var agentId: String { identity.agentId }
    public var agentType: String { identity.agentType }
    public var sessionId: String? { identity.sessionId }

    /// Records an extra audit entry of this request (no-op without a recorder).
    public func record(_ operation: String, parameters: JSONObject, result: JSONValue?, success: Bool, errorMessage: String? = nil) async {
        guard let recorder else { return }
        await recorder.record(OperationRecord(operation: operation, identity: identity, requestId: requestId, parameters: parameters,
                                              result: result, success: success, errorMessage: errorMessage, time: clock.now()))
    }

    /// The current time as the storage functions' `p_now`.
    public var now: JSONValue { .string(Timestamp.format(clock.now())) }
}
