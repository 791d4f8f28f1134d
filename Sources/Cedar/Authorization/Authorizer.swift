/// The outcome of authorization.
public enum Decision: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case allow, deny

    public var description: String { rawValue }
}

/// A policy whose evaluation failed (it was skipped).
public struct PolicyEvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var policyID: String
    public var error: EvaluationError

    public init(policyID: String, error: EvaluationError) {
        self.policyID = policyID
        self.error = error
    }

    /// The error's own message (`type error: expected bool, got long`).
    public var message: String { error.description }

    /// As the reference engine reports it: ``error while evaluating policy `policy3`: …``.
    public var description: String { "error while evaluating policy `\(policyID)`: \(message)" }
}

/// The answer to an authorization request.
public struct Response: Sendable, Hashable {
    public var decision: Decision
    /// The policies that determined the decision: the satisfied forbids for a deny caused by a forbid, the satisfied
    /// permits for an allow, none for a default deny.
    public var reasons: Set<String>
    /// Every policy that failed to evaluate, in policy-set order (each was skipped).
    public var errors: [PolicyEvaluationError]
    /// Set when the request could not be evaluated at all (not valid for the schema, unreadable entities or
    /// context): the reference engine's `NoDecision`. The decision is then `deny`, with no reasons.
    public var requestError: String?

    public init(
        decision: Decision, reasons: Set<String> = [], errors: [PolicyEvaluationError] = [], requestError: String? = nil
    ) {
        self.decision = decision
        self.reasons = reasons
        self.errors = errors
        self.requestError = requestError
    }

    public var isAllowed: Bool { decision == .allow }

    /// The ids of the policies that failed to evaluate.
    public var erroringPolicyIDs: Set<String> { Set(errors.map(\.policyID)) }

    static func noDecision(_ message: String) -> Response { Response(decision: .deny, requestError: message) }
}

/// Cedar's authorizer: every static and linked policy is evaluated (scope, then conditions in order). A policy that
/// errors is skipped and reported. Any satisfied forbid denies (reasons: the satisfied forbids); otherwise any
/// satisfied permit allows (reasons: the satisfied permits); otherwise the default is deny.
public enum Authorizer {
    /// Authorizes `request`. With a `schema`, the request is validated first (a request that is not valid gives a
    /// deny with `requestError` set and evaluates nothing), and the schema's action entities, with their groups,
    /// replace any in `entities`.
    public static func isAuthorized(
        request: Request, policies: PolicySet, entities: Entities, schema: Schema? = nil
    ) -> Response {
        var store = entities
        if let schema {
            if let problem = SchemaConformance.requestError(request, schema: schema) {
                return .noDecision("failed to build request: \(problem)")
            }
            if !schema.hasActionEntities(in: entities) {
                do {
                    store = try schema.withActionEntities(entities)
                } catch {
                    return .noDecision("entities are not valid for the schema: \(error)")
                }
            }
        }
        return evaluate(request: request, policies: policies.policies, entities: store)
    }

    /// Authorizes `request` against a list of policies (ids as given), without a schema.
    public static func isAuthorized(request: Request, policies: [Policy], entities: Entities) -> Response {
        evaluate(request: request, policies: policies, entities: entities)
    }

    /// The JSON form, as the reference engine's `is_authorized` takes it: policy text, entity JSON and context JSON,
    /// optionally a schema (then entities and context are read with the schema's hints and checked against it, and
    /// the request is validated). Any input error gives a deny with `requestError` set.
    public static func isAuthorized(
        principal: EntityUID, action: EntityUID, resource: EntityUID, contextJSON: String = "{}",
        policies policyText: String, entitiesJSON: String, schema: Schema? = nil
    ) -> Response {
        let policies: PolicySet
        do {
            policies = try PolicySet.parse(policyText)
        } catch {
            return .noDecision("policy parse errors:\n\(error)")
        }
        let entities: Entities
        let context: CedarRecord
        do {
            if let schema {
                entities = try schema.entities(fromJSON: entitiesJSON)
            } else {
                entities = try Entities.fromJSON(entitiesJSON)
            }
        } catch {
            return .noDecision("entities are not valid: \(error)")
        }
        do {
            context = try CedarRecord.contextFromJSON(contextJSON, attributeHints: schema?.contextHints(for: action))
        } catch {
            return .noDecision("failed to parse context: \(error)")
        }
        let request = Request(principal: principal, action: action, resource: resource, context: context)
        return isAuthorized(request: request, policies: policies, entities: entities, schema: schema)
    }

    private static func evaluate(request: Request, policies: [Policy], entities: Entities) -> Response {
        let evaluator = Evaluator(request: request, entities: entities)
        var permits: Set<String> = []
        var forbids: Set<String> = []
        var errors: [PolicyEvaluationError] = []
        for policy in policies {
            do {
                guard try evaluator.isSatisfied(policy) else { continue }
                switch policy.effect {
                case .permit: permits.insert(policy.id)
                case .forbid: forbids.insert(policy.id)
                }
            } catch {
                errors.append(PolicyEvaluationError(policyID: policy.id, error: error))
            }
        }
        if !forbids.isEmpty { return Response(decision: .deny, reasons: forbids, errors: errors) }
        if !permits.isEmpty { return Response(decision: .allow, reasons: permits, errors: errors) }
        return Response(decision: .deny, errors: errors)
    }
}
