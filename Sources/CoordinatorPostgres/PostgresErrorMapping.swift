import CoordinatorCore
import Foundation
import PostgresNIO

/// Turns PostgresNIO failures into ``DatabaseError``s with readable messages.
///
/// `PSQLError`'s own description is deliberately opaque ("Generic description to prevent accidental leakage"),
/// so the server's fields (message, SQLSTATE, detail, hint) are read one by one. Connection problems name the
/// endpoint (`host:port`), never the password; as a last line of defence the password text is scrubbed from
/// every message.
struct PostgresErrorMapping: Sendable {
    let backend: String
    let endpoint: String
    let password: String?

    /// `context` says what was being done (`rpc acquire_lock`, `query file_locks`), for the message prefix.
    func map(_ error: any Error, context: String) -> any Error {
        switch error {
        case is DatabaseError, is CancellationError:
            return error
        case let transaction as PostgresTransactionError:
            if let inner = transaction.closureError ?? transaction.beginError ?? transaction.commitError {
                return map(inner, context: context)
            }
            return databaseError(.unavailable, "\(context): transaction failed")
        case let psql as PSQLError:
            return map(psql, context: context)
        case let decoding as PostgresDecodingError:
            return databaseError(.malformedResponse, "\(context): cannot decode column \(decoding.columnName) (\(decoding.code))")
        case let json as JSONTextError:
            return databaseError(.malformedResponse, "\(context): the database returned \(json.description)")
        default:
            if let pool = poolFailure(error) { return databaseError(.unavailable, "\(context): \(pool)") }
            return databaseError(.unavailable, "\(context): \(String(describing: error))")
        }
    }

    /// `ConnectionPoolError` lives in `_ConnectionPoolModule`, which this target does not depend on directly
    /// (PostgresNIO does not re-export it), so it is recognised by its type name and case.
    private func poolFailure(_ error: any Error) -> String? {
        guard String(reflecting: type(of: error)).hasSuffix("ConnectionPoolError") else { return nil }
        let text = String(describing: error)
        if text.contains("connectionCreationCircuitBreakerTripped") {
            return "cannot connect to PostgreSQL at \(endpoint) (the pool has been failing to connect for a while; is the server running?)"
        }
        if text.contains("poolShutdown") { return "the client is closed" }
        if text.contains("requestCancelled") { return "the connection request was cancelled" }
        return "connection pool failure (\(text))"
    }

    func map(_ error: PSQLError, context: String) -> DatabaseError {
        if error.code == .server, let server = error.serverInfo {
            let kind: DatabaseError.Kind = Self.meansUnavailable(server[.sqlState]) ? .unavailable : .rejected
            return databaseError(kind, "\(context): \(Self.serverText(server))")
        }
        return databaseError(.unavailable, "\(context): \(connectionText(error))")
    }

    /// A connection-level failure of a stand-alone connection attempt (server errors here are login failures:
    /// bad password, unknown database, too many connections — all mean "unavailable").
    func connectFailure(_ error: any Error) -> DatabaseError {
        if let psql = error as? PSQLError {
            if psql.code == .server, let server = psql.serverInfo {
                return databaseError(.unavailable, "cannot connect to PostgreSQL at \(endpoint): \(Self.serverText(server))")
            }
            return databaseError(.unavailable, "cannot connect to PostgreSQL at \(endpoint): \(connectionReason(psql))")
        }
        if let mapped = map(error, context: "cannot connect to PostgreSQL at \(endpoint)") as? DatabaseError {
            return DatabaseError(.unavailable, backend: backend, mapped.message)
        }
        return databaseError(.unavailable, "cannot connect to PostgreSQL at \(endpoint): \(String(describing: error))")
    }

    func databaseError(_ kind: DatabaseError.Kind, _ message: String) -> DatabaseError {
        DatabaseError(kind, backend: backend, scrub(message))
    }

    /// Server errors that are about the server or the connection, not the statement: connection exceptions
    /// (class 08), too many connections, administrator/crash shutdown, "cannot connect now" (starting up).
    static func meansUnavailable(_ sqlState: String?) -> Bool {
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || ["53300", "57P01", "57P02", "57P03"].contains(sqlState)
    }

    /// `message (SQLSTATE xxxxx); detail: …; hint: …`.
    static func serverText(_ server: PSQLError.ServerInfo) -> String {
        var text = server[.message] ?? "the server reported an error"
        if let state = server[.sqlState] { text += " (SQLSTATE \(state))" }
        if let detail = server[.detail], !detail.isEmpty { text += "; detail: \(detail)" }
        if let hint = server[.hint], !hint.isEmpty { text += "; hint: \(hint)" }
        return text
    }

    private func connectionText(_ error: PSQLError) -> String {
        "lost or could not open the connection to PostgreSQL at \(endpoint): \(connectionReason(error))"
    }

    /// A human sentence for a non-server PSQLError, with the underlying network error when there is one.
    private func connectionReason(_ error: PSQLError) -> String {
        var reason: String
        switch error.code {
        case .connectionError: reason = "connection failed"
        case .serverClosedConnection: reason = "the server closed the connection"
        case .clientClosedConnection: reason = "the connection was closed"
        case .uncleanShutdown: reason = "the connection was shut down uncleanly"
        case .sslUnsupported: reason = "the server does not support TLS (sslmode requires it)"
        case .failedToAddSSLHandler: reason = "TLS could not be set up"
        case .receivedUnencryptedDataAfterSSLRequest: reason = "the server answered the TLS request with unencrypted data"
        case .unsupportedAuthMechanism: reason = "the server asks for an authentication method PostgresNIO does not support"
        case .authMechanismRequiresPassword: reason = "the server requires a password and the DSN has none"
        case .saslError: reason = "SASL authentication failed"
        case .queryCancelled: reason = "the request was cancelled"
        case .poolClosed: reason = "the client is closed"
        case .tooManyParameters: reason = "too many bind parameters"
        case .messageDecodingFailure, .unexpectedBackendMessage, .invalidCommandTag:
            reason = "protocol error (\(error.code))"
        default: reason = "\(error.code)"
        }
        if let underlying = error.underlying {
            reason += " (\(String(describing: underlying)))"
        }
        return reason
    }

    private func scrub(_ message: String) -> String {
        guard let password, password.count >= 3 else { return message }
        return message.replacingOccurrences(of: password, with: "***")
    }
}
