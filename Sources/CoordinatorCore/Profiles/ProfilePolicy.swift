/// The coordinator's policy for every dispatched call (MCP, HTTP and CLI alike): the profile check of the caller's
/// identity, once per request. The trust level it resolves travels with the request, so the guardrail hooks in
/// the handlers use the same one without a second lookup.
public struct ProfilePolicy: OperationPolicy {
    public let profiles: ProfilesService

    public init(_ profiles: ProfilesService) { self.profiles = profiles }

    public func decide(_ operation: CoordinatorOperation, input: OperationInput, context: RequestContext) async throws -> PolicyDecision {
        let (decision, lookup) = await profiles.check(operation, input: input, context: context)
        return PolicyDecision(allowed: decision.allowed, reason: decision.allowed ? decision.code : decision.reason,
                              trustLevel: profiles.trustLevel(of: lookup))
    }
}
