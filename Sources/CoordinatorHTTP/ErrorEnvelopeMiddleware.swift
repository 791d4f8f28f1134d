import CoordinatorCore
import Hummingbird
import Logging

/// Outermost middleware: every error becomes the JSON error envelope with its status, a request to a known path
/// with another method becomes 405 with `Allow` (OPTIONS: 204 with `Allow`), and unexpected errors become a
/// logged 500 that reveals nothing.
struct ErrorEnvelopeMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    /// Every routed path and the methods it answers.
    let allowedMethods: [(template: RouteTemplate, methods: [String])]
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            if let methods = methods(for: request.uri.path) {
                let allow = methods.joined(separator: ", ")
                if request.method == .options {
                    var headers = HTTPFields()
                    headers[.allow] = allow
                    return Response(status: .noContent, headers: headers)
                }
                return APIError(status: 405, reason: "method_not_allowed",
                                detail: "\(request.method.rawValue) is not allowed here; use \(allow)", headers: ["Allow": allow]).response
            }
            return APIError(status: 404, reason: "not_found", detail: "No endpoint at \(request.uri.path)").response
        } catch let error as any HTTPResponseError {
            // Hummingbird's own refusals (a body over the size limit, a malformed request).
            let code = error.status.code
            let reason = code == 413 ? "payload_too_large" : error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            let detail = code == 413 ? "The request body is larger than the server accepts." : error.status.reasonPhrase
            return APIError(status: code, reason: reason, detail: (error as? HTTPError)?.body ?? detail).response
        } catch {
            if let mapped = APIError.mapping(error) {
                if mapped.status >= 500 { context.logger.warning("\(request.method) \(request.uri.path): \(error)") }
                return mapped.response
            }
            context.logger.error("\(request.method) \(request.uri.path) failed: \(String(reflecting: error))")
            return APIError.internalError.response
        }
    }

    private func methods(for path: String) -> [String]? {
        var methods: [String] = []
        for entry in allowedMethods where entry.template.match(path) != nil {
            for method in entry.methods where !methods.contains(method) { methods.append(method) }
        }
        return methods.isEmpty ? nil : methods
    }
}
