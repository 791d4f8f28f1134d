import CoordinatorCore
import Foundation
import Hummingbird
import Logging

/// Serves one catalog operation over HTTP: authenticate, read the arguments, resolve the caller, dispatch.
///
/// Audit: the dispatcher records every dispatched call. A request refused after authentication but before dispatch
/// (a bound key acting as another agent: 403; a body that is not a JSON object, a malformed identity field, a body
/// over the size limit) is recorded here as one failed entry of the operation, as the key's agent (else the
/// requested or default identity). A missing or unknown key (401) is not recorded: it names nobody, and letting
/// unauthenticated traffic write rows into a table nobody may delete from would let anyone who can reach the port
/// fill it. It is logged at `info` level instead.
struct OperationEndpoint: Sendable {
    let operation: CoordinatorOperation
    let route: HTTPRoute
    let template: RouteTemplate
    let requiresKey: Bool
    let resolver: IdentityResolver
    let dispatcher: OperationDispatcher
    let clock: any CoordinatorClock
    let maxBodyBytes: Int

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        // 1. Authenticate (before reading anything else, so an unknown key learns nothing about the input rules).
        let started = ContinuousClock.now
        var check = resolver.check(apiKey: request.header(HTTPAPI.apiKeyHeader))
        if check == .invalid && !requiresKey { check = .open }
        if check == .invalid {
            context.logger.info("\(request.method) \(request.uri.path): missing or unknown API key (401, not audited)")
            throw APIError.unauthorized
        }
        let fromHeaders = IdentityResolver.fromHeaders(
            agentId: request.header("X-Agent-Id"), agentType: request.header("X-Agent-Type"), sessionId: request.header("X-Session-Id"))

        var arguments: JSONObject = [:]
        var requested = fromHeaders
        let identity: AgentIdentity
        let operationArguments: JSONObject
        do {
            (identity, operationArguments) = try await resolve(request, check: check, headers: fromHeaders,
                                                               arguments: &arguments, requested: &requested)
        } catch {
            await recordRefusal(error, check: check, requested: requested, arguments: arguments, started: started)
            throw error
        }

        // 4. Run it: validation, policy and audit happen once, in the dispatcher.
        let requestContext = CoordinatorCore.RequestContext(identity: identity, clock: clock)
        let result = try await dispatcher.call(operation.name, arguments: operationArguments, context: requestContext)
        return .json(result)
    }

    /// Steps 2 and 3: the arguments and the caller. `arguments` and `requested` are filled in as far as they get, for
    /// the audit entry of a refusal.
    private func resolve(_ request: Request, check: KeyCheck, headers fromHeaders: RequestedIdentity, arguments: inout JSONObject,
                         requested: inout RequestedIdentity) async throws -> (AgentIdentity, JSONObject) {
        // 2. Arguments: path parameters, then the body (POST) or the query (GET).
        switch route.method {
        case .post:
            let buffer = try await request.body.collect(upTo: maxBodyBytes)
            arguments = try RequestArguments.body(Array(buffer.readableBytesView))
        case .get:
            let pairs = request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }
            arguments = RequestArguments.query(pairs, schema: operation.input)
        }
        guard let captured = template.match(request.uri.path) else {
            throw APIError(status: 404, reason: "not_found", detail: "No endpoint at \(request.uri.path)")
        }
        for (name, value) in captured {
            guard let value else { throw APIError.invalidInput(field: name, "is not valid percent-encoded text") }
            arguments[name] = .string(value)
        }

        // 3. Who is calling: the key's binding, else the body, else the headers, else the defaults. A GET's query
        //    parameters are the operation's input only (GET /audit?agent_id=… filters, it does not act as anyone).
        let (fromBody, operationArguments) = try IdentityResolver.split(
            body: arguments, operationParameters: operation.input.propertyNames, declaredNameCaller: route.method == .post)
        requested = fromBody.filling(from: fromHeaders)
        arguments = operationArguments
        return (try resolver.resolve(check, requested: requested), operationArguments)
    }

    /// One failed audit entry for a request refused before dispatch.
    private func recordRefusal(_ error: any Error, check: KeyCheck, requested: RequestedIdentity, arguments: JSONObject,
                               started: ContinuousClock.Instant) async {
        var bound: KeyIdentity?
        if case .valid(let identity) = check { bound = identity }
        let identity = AgentIdentity(
            agentId: bound?.agentId ?? requested.agentId ?? IdentityResolver.defaultAgentId,
            agentType: bound?.agentType ?? requested.agentType ?? IdentityResolver.defaultAgentType,
            sessionId: requested.sessionId)
        var parameters = arguments
        for field in IdentityResolver.identityFields where parameters[field] == nil {
            let asked: String? = switch field {
            case "agent_id": requested.agentId
            case "agent_type": requested.agentType
            default: requested.sessionId
            }
            if let asked { parameters["requested_" + field] = .string(asked) }
        }
        let message = APIError.mapping(error).map { "\($0.status) \($0.reason): \($0.detail)" } ?? String(describing: error)
        await dispatcher.recordRefusal(operation.name, arguments: parameters,
                                       context: CoordinatorCore.RequestContext(identity: identity, clock: clock),
                                       error: RefusalMessage(text: message), started: started)
    }
}

/// The text of a refusal, as the audit entry's error message.
private struct RefusalMessage: Error, CustomStringConvertible {
    let text: String
    var description: String { text }
}
