import CoordinatorCore
import Foundation
import Hummingbird

/// Serves one catalog operation over HTTP: authenticate, read the arguments, resolve the caller, dispatch.
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
        var check = resolver.check(apiKey: request.header(HTTPAPI.apiKeyHeader))
        if check == .invalid && !requiresKey { check = .open }
        if check == .invalid { throw APIError.unauthorized }

        // 2. Arguments: path parameters, then the body (POST) or the query (GET).
        var arguments: JSONObject
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

        // 3. Who is calling: the key's binding, else the body, else the headers, else the defaults.
        let (fromBody, operationArguments) = try IdentityResolver.split(body: arguments, operationParameters: operation.input.propertyNames)
        let fromHeaders = IdentityResolver.fromHeaders(
            agentId: request.header("X-Agent-Id"), agentType: request.header("X-Agent-Type"), sessionId: request.header("X-Session-Id"))
        let identity = try resolver.resolve(check, requested: fromBody.filling(from: fromHeaders))

        // 4. Run it: validation, policy and audit happen once, in the dispatcher.
        let requestContext = CoordinatorCore.RequestContext(identity: identity, clock: clock)
        let result = try await dispatcher.call(operation.name, arguments: operationArguments, context: requestContext)
        return .json(result)
    }
}
