/// A storage failure that is not a domain outcome: the backend is unreachable, refused a statement, or
/// answered with something the coordinator cannot read.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// Cannot connect, or the connection was lost.
        case unavailable
        /// The database rejected the statement (SQL error, HTTP 4xx from PostgREST).
        case rejected
        /// A name or value the client refuses to send (bad identifier, unknown function).
        case invalidRequest
        /// The answer was not in the expected shape.
        case malformedResponse
        /// The schema is not in a state the coordinator can run on (migration checks).
        case schema
    }

    public let kind: Kind
    public let backend: String
    public let message: String

    public init(_ kind: Kind, backend: String, _ message: String) {
        self.kind = kind
        self.backend = backend
        self.message = message
    }

    public var description: String { "\(backend): \(message)" }
}
