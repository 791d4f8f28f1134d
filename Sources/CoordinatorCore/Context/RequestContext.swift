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

    public init(identity: AgentIdentity, clock: any CoordinatorClock = SystemClock(), requestId: String = UUID().uuidString.lowercased()) {
        self.identity = identity
        self.clock = clock
        self.requestId = requestId
    }

    public var agentId: String { identity.agentId }
    public var agentType: String { identity.agentType }
    public var sessionId: String? { identity.sessionId }

    /// The current time as the storage functions' `p_now`.
    public var now: JSONValue { .string(Timestamp.format(clock.now())) }
}
