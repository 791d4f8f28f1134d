import CoordinatorCore

/// A request the API answers with an error status, in the one envelope every transport uses:
/// `{"success": false, "reason": "<machine code>", "detail": "<sentence>"}` (plus `field` for invalid input).
///
/// Status mapping: invalid input 422, missing or unknown API key 401, acting as another agent or denied by policy
/// 403, backend unreachable 503, anything unexpected 500 (with a generic message; the cause is logged).
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var reason: String
    public var detail: String
    public var field: String?
    /// Extra response headers (e.g. `Allow` on 405).
    public var headers: [String: String]

    public init(status: Int, reason: String, detail: String, field: String? = nil, headers: [String: String] = [:]) {
        self.status = status
        self.reason = reason
        self.detail = detail
        self.field = field
        self.headers = headers
    }

    public var description: String { "\(status) \(reason): \(field.map { "\($0): " } ?? "")\(detail)" }

    /// The JSON body.
    public var json: JSONValue {
        var object: JSONObject = ["success": false, "reason": .string(reason), "detail": .string(detail)]
        if let field { object["field"] = .string(field) }
        return .object(object)
    }

    public static let unauthorized = APIError(status: 401, reason: "unauthorized", detail: "Invalid API key")

    public static func invalidInput(_ error: InputError) -> APIError {
        APIError(status: 422, reason: "invalid_input", detail: error.detail, field: error.field)
    }

    public static func invalidInput(field: String, _ detail: String) -> APIError {
        invalidInput(InputError(field: field, detail))
    }

    /// The caller asked to act as an identity its key is not bound to.
    public static func impersonation(_ field: String) -> APIError {
        APIError(status: 403, reason: "forbidden", detail: "API key is not permitted to act as requested \(field)", field: field)
    }

    public static func denied(_ reason: String) -> APIError {
        APIError(status: 403, reason: "policy_denied", detail: reason)
    }

    public static func unavailable(_ detail: String) -> APIError {
        APIError(status: 503, reason: "database_unavailable", detail: detail)
    }

    public static let internalError = APIError(
        status: 500, reason: "internal_error", detail: "The coordinator failed to handle the request; the error was logged.")

    /// The API's answer to an error thrown while running an operation; `nil` for errors that are bugs (500).
    public static func mapping(_ error: any Error) -> APIError? {
        switch error {
        case let error as APIError:
            return error
        case let error as InputError:
            return .invalidInput(error)
        case let error as DispatchError:
            switch error {
            case .invalidInput(let input): return .invalidInput(input)
            case .denied(_, let reason): return .denied(reason)
            case .unknownOperation: return nil
            }
        case let error as DatabaseError where error.kind == .unavailable:
            return .unavailable("The \(error.backend) database is unreachable; try again later.")
        default:
            return nil
        }
    }
}
