import AsyncHTTPClient
import CoordinatorCore
import Foundation
import NIOCore

/// Turns what went wrong on the wire into a ``DatabaseError`` that says what happened and where.
///
/// * a non-2xx answer → `.rejected` with the status and PostgREST's `code`, `message`, `details` and `hint`,
///   e.g. `PostgREST 404 PGRST202: Could not find the function public.x in the schema cache; hint: … (POST /rest/v1/rpc/x)`;
///   502, 503 and 504 (gateway down, `08*` connection errors, PGRST000–003) → `.unavailable` instead, because
///   the database behind PostgREST cannot be reached;
/// * no connection, a timeout, a dropped connection → `.unavailable` naming `host:port`.
public enum PostgRESTErrorMapping {
    /// The fields of PostgREST's error body (`{"code", "message", "details", "hint"}`), all optional.
    public struct ErrorBody: Sendable, Hashable {
        public var code: String?
        public var message: String?
        public var details: String?
        public var hint: String?

        /// Reads the four fields from a JSON object body; `nil` when the body is not a JSON object.
        /// Non-string values (PostgREST sometimes sends `details` as an object) are kept as JSON text.
        public init?(json body: Data) {
            guard let value = try? JSONValue(jsonData: body), case .object(let members) = value else { return nil }
            func text(_ key: String) -> String? {
                switch members[key] {
                case nil, .null?: return nil
                case .string(let text)?: return text.isEmpty ? nil : text
                case let other?: return other.jsonText
                }
            }
            code = text("code")
            message = text("message") ?? text("msg") ?? text("error_description") ?? text("error")
            details = text("details")
            hint = text("hint")
        }
    }

    /// The error for a response with a non-2xx status.
    public static func rejection(_ response: PostgRESTResponse, to request: PostgRESTRequest) -> DatabaseError {
        var text = "PostgREST \(response.status)"
        if let fields = ErrorBody(json: response.body) {
            if let code = fields.code { text += " " + code }
            text += ": " + (fields.message ?? "no message")
            if let details = fields.details { text += "; details: " + details }
            if let hint = fields.hint { text += "; hint: " + hint }
        } else {
            text += ": " + PostgRESTResponse.excerpt(response.body)
        }
        text += " (\(request.method.rawValue) \(request.path))"
        let kind: DatabaseError.Kind = [502, 503, 504].contains(response.status) ? .unavailable : .rejected
        return DatabaseError(kind, backend: SupabaseClient.name, text)
    }

    /// The error for a request that got no complete answer.
    public static func transportFailure(_ error: any Error, endpoint: PostgRESTEndpoint, timeoutSeconds: Int) -> DatabaseError {
        let reason: String
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                reason = "no answer within \(timeoutSeconds) s"
            case .connectTimeout:
                reason = "connection timed out"
            case .remoteConnectionClosed:
                reason = "the server closed the connection"
            case .alreadyShutdown:
                reason = "the client is closed"
            default:
                reason = String(describing: clientError)
            }
        } else if let ioError = error as? IOError {
            reason = ioError.errnoCode == ECONNREFUSED ? "connection refused" : ioError.description
        } else if error is NIOTooManyBytesError {
            return DatabaseError(.malformedResponse, backend: SupabaseClient.name,
                                 "PostgREST at \(endpoint.hostAndPort) answered with a body larger than the client accepts")
        } else {
            reason = String(describing: error)
        }
        return DatabaseError(.unavailable, backend: SupabaseClient.name, "cannot reach PostgREST at \(endpoint.hostAndPort): \(reason)")
    }
}
