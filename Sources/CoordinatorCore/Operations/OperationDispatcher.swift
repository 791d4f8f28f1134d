import Foundation

/// Decides whether a caller may run an operation. The policy engines of later capabilities implement it; the
/// default allows everything.
public protocol OperationPolicy: Sendable {
    func decide(_ operation: CoordinatorOperation, input: OperationInput, context: RequestContext) async throws -> PolicyDecision
}

public struct PolicyDecision: Sendable, Equatable {
    public var allowed: Bool
    public var reason: String
    /// The caller's trust level as the policy resolved it (handed to the handler with the request).
    public var trustLevel: Int?

    public init(allowed: Bool, reason: String, trustLevel: Int? = nil) {
        self.allowed = allowed
        self.reason = reason
        self.trustLevel = trustLevel
    }

    public static let allow = PolicyDecision(allowed: true, reason: "allowed")
}

/// Allows every operation (tests of transports that are not about policy; the coordinator's own policy is
/// ``ProfilePolicy``).
public struct PermissivePolicy: OperationPolicy {
    public init() {}
    public func decide(_ operation: CoordinatorOperation, input: OperationInput, context: RequestContext) async throws -> PolicyDecision {
        .allow
    }
}

/// Receives one record per dispatched operation (the audit trail implements it).
public protocol OperationRecorder: Sendable {
    func record(_ record: OperationRecord) async
}

/// What happened in one dispatched call.
public struct OperationRecord: Sendable {
    public var operation: String
    public var identity: AgentIdentity
    public var requestId: String
    public var parameters: JSONObject
    public var result: JSONValue?
    public var success: Bool
    public var errorMessage: String?
    public var durationMilliseconds: Double
    /// When the call started, by the request's clock.
    public var time: Date

    public init(operation: String, identity: AgentIdentity, requestId: String, parameters: JSONObject, result: JSONValue? = nil,
                success: Bool, errorMessage: String? = nil, durationMilliseconds: Double = 0, time: Date) {
        self.operation = operation
        self.identity = identity
        self.requestId = requestId
        self.parameters = parameters
        self.result = result
        self.success = success
        self.errorMessage = errorMessage
        self.durationMilliseconds = durationMilliseconds
        self.time = time
    }
}

/// Why a dispatched call did not produce a result.
public enum DispatchError: Error, CustomStringConvertible, Sendable {
    case unknownOperation(String)
    case invalidInput(InputError)
    case denied(operation: String, reason: String)

    public var description: String {
        switch self {
        case .unknownOperation(let name): return "unknown operation \(String(reflecting: name))"
        case .invalidInput(let error): return error.description
        case .denied(let operation, let reason): return "\(operation) denied: \(reason)"
        }
    }
}

/// Runs catalog operations for every transport, doing the cross-cutting work exactly once per call: validate the
/// input (nothing is written for bad input), ask the policy, run the handler, time it and record it.
public struct OperationDispatcher: Sendable {
    public let catalog: OperationCatalog
    public let coordinator: Coordinator
    public let policy: any OperationPolicy
    public let recorder: (any OperationRecorder)?

    /// - Parameter policy: nil = the coordinator's ``ProfilePolicy``.
    public init(catalog: OperationCatalog = .standard, coordinator: Coordinator, policy: (any OperationPolicy)? = nil,
                recorder: (any OperationRecorder)? = nil) {
        self.catalog = catalog
        self.coordinator = coordinator
        self.policy = policy ?? ProfilePolicy(coordinator.profiles)
        self.recorder = recorder
    }

    /// Runs `name` with raw `arguments` as `context`'s caller.
    ///
    /// Domain outcomes (`success:false`, e.g. a lock held by someone else) are results, not errors. Throws
    /// ``DispatchError`` for unknown operations, invalid input and policy denials, and rethrows storage failures.
    public func call(_ name: String, arguments: JSONObject, context: RequestContext) async throws -> JSONValue {
        guard let operation = catalog[name] else { throw DispatchError.unknownOperation(name) }
        let started = ContinuousClock.now
        var record = OperationRecord(operation: name, identity: context.identity, requestId: context.requestId,
                                     parameters: arguments, success: false, time: context.clock.now())
        do {
            let result = try await run(operation, arguments: arguments, context: context)
            record.result = result
            record.success = result["success"] != .bool(false)
            await finish(record, started: started)
            return result
        } catch {
            record.errorMessage = String(describing: error)
            await finish(record, started: started)
            if let inputError = error as? InputError { throw DispatchError.invalidInput(inputError) }
            throw error
        }
    }

    private func run(_ operation: CoordinatorOperation, arguments: JSONObject, context: RequestContext) async throws -> JSONValue {
        try InputText.requireNoNUL(arguments)
        try InputText.requireNoNUL([
            "agent_id": .string(context.agentId), "agent_type": .string(context.agentType),
            "session_id": JSONValue(context.sessionId),
        ])
        guard case .object(let validated) = try operation.input.validate(.object(arguments)) else {
            throw InputError(field: "input", "must be a JSON object")
        }
        let input = OperationInput(validated)
        var context = context
        context.recorder = recorder
        let decision = try await policy.decide(operation, input: input, context: context)
        guard decision.allowed else { throw DispatchError.denied(operation: operation.name, reason: decision.reason) }
        context.trustLevel = decision.trustLevel
        return try await operation.handler(input, context, coordinator)
    }

    private func finish(_ record: OperationRecord, started: ContinuousClock.Instant) async {
        guard let recorder else { return }
        var finished = record
        finished.durationMilliseconds = started.duration(to: .now).milliseconds
        await recorder.record(finished)
    }

    /// Records a call of catalog operation `name` that a transport refused before dispatching it (an HTTP API key
    /// acting as another agent, a body that is not JSON, a CLI argument that does not parse), so the record of calls
    /// stays complete: one failed entry as `context`'s caller, with `error` as its message. Names that are not in
    /// the catalog are not recorded (as ``call(_:arguments:context:)`` does not record them).
    public func recordRefusal(_ name: String, arguments: JSONObject, context: RequestContext, error: any Error,
                              started: ContinuousClock.Instant = .now) async {
        guard catalog[name] != nil else { return }
        let message = String(describing: error)
        let record = OperationRecord(operation: name, identity: context.identity, requestId: context.requestId,
                                     parameters: arguments, success: false, errorMessage: message, time: context.clock.now())
        await finish(record, started: started)
    }
}
