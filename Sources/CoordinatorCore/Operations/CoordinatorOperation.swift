/// What an operation does to coordination state, for policy and documentation.
public enum OperationCategory: String, Sendable, CaseIterable {
    case read, write, admin
}

/// Where an operation lives in the HTTP API.
public struct HTTPRoute: Sendable, Hashable {
    public enum Method: String, Sendable { case get = "GET", post = "POST" }
    public var method: Method
    /// Path; `{name}` segments are filled from the input property of that name.
    public var path: String

    public init(_ method: Method, _ path: String) {
        self.method = method
        self.path = path
    }

    public static func post(_ path: String) -> HTTPRoute { HTTPRoute(.post, path) }
    public static func get(_ path: String) -> HTTPRoute { HTTPRoute(.get, path) }
}

/// One coordination operation, declared once: MCP tools, HTTP routes, CLI commands and the OpenAPI document are
/// all generated from these values, so the transports cannot drift apart.
public struct CoordinatorOperation: Sendable {
    public typealias Handler = @Sendable (OperationInput, RequestContext, Coordinator) async throws -> JSONValue

    /// Wire name (`acquire_lock`): the MCP tool name and the policy action.
    public let name: String
    /// One sentence for tool lists and API docs.
    public let summary: String
    public let category: OperationCategory
    public let input: InputSchema
    public let route: HTTPRoute?
    public let handler: Handler

    public init(_ name: String, _ category: OperationCategory, route: HTTPRoute?, summary: String, input: InputSchema,
                handler: @escaping Handler) {
        self.name = name
        self.summary = summary
        self.category = category
        self.input = input
        self.route = route
        self.handler = handler
    }
}

/// Validated operation input with typed accessors (the schema has already checked types and ranges).
public struct OperationInput: Sendable {
    public let values: JSONObject

    public init(_ values: JSONObject) { self.values = values }

    public func string(_ name: String) -> String? { values[name]?.stringValue }
    public func int(_ name: String) -> Int? { values[name]?.intValue }
    public func bool(_ name: String) -> Bool? { values[name]?.boolValue }
    public func json(_ name: String) -> JSONValue? { values[name].flatMap { $0.isNull ? nil : $0 } }
    public func strings(_ name: String) -> [String]? { values[name]?.arrayValue?.compactMap(\.stringValue) }

    /// A required string (the schema guarantees it; a missing one is reported rather than trapped).
    public func requiredString(_ name: String) throws -> String {
        guard let value = string(name) else { throw InputError(field: name, "is required") }
        return value
    }
}
