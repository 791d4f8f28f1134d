import CoordinatorCore

/// The OpenAPI 3.1 document of the HTTP API, generated from the operation catalog (served at `/openapi.json`).
///
/// One path per routed operation (`operationId` = the operation's name); POST bodies are the operation's input
/// schema plus the optional `agent_id`, `agent_type`, `session_id` members; a trailing path parameter may contain
/// slashes. Operations that need a key declare the `ApiKeyAuth` scheme (header `X-API-Key`) only when keys are
/// configured.
public enum OpenAPIDocument {
    public static let title = "Agent Coordination API"

    /// The optional identity members accepted in every POST body.
    static let identityProperties: [InputSchema.Property] = [
        .init("agent_id", .text, "Act as this agent (must match the API key's bound agent_id, if any; default cloud-agent)."),
        .init("agent_type", .text, "Agent type (must match the API key's bound agent_type, if any; default cloud_agent)."),
        .init("session_id", .text, "The caller's session id (also accepted as the X-Session-Id header)."),
    ]

    public static func make(catalog: OperationCatalog, requiresAPIKey: Bool,
                            publicOperations: Set<String> = HTTPAPI.publicOperations) -> JSONValue {
        var paths: JSONObject = [:]
        for operation in catalog.operations {
            guard let route = operation.route else { continue }
            let template = RouteTemplate(route.path)
            let secured = requiresAPIKey && !publicOperations.contains(operation.name)
            var item = paths[template.path]?.objectValue ?? [:]
            item[route.method.rawValue.lowercased()] = .object(
                describe(operation, route: route, template: template, secured: secured))
            paths[template.path] = .object(item)
        }
        paths["/health"] = ["get": service("health", "Database reachability and version (no key needed).", schema: "Health", unavailable: true)]
        paths["/live"] = ["get": service("live", "Whether the process is up (no key needed).", schema: "Status", unavailable: false)]
        paths["/ready"] = ["get": service("ready", "Whether the server can serve requests: the database answers (no key needed).",
                                          schema: "Status", unavailable: true)]
        paths["/openapi.json"] = ["get": service("openapi", "This document.", schema: "Document", unavailable: false)]

        var components: JSONObject = ["schemas": .object(schemas.merging(OpenAPISchema.components) { first, _ in first })]
        if requiresAPIKey {
            components["securitySchemes"] = ["ApiKeyAuth": ["type": "apiKey", "in": "header", "name": .string(HTTPAPI.apiKeyHeader)]]
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": .string(title), "version": .string(HTTPAPI.version),
                "description": .string(
                    "Coordination for many AI coding agents: locks, a work queue, handoffs, discovery. Domain outcomes (a lock held "
                        + "by another agent, an empty queue) are 200 with success:false; errors use the envelope "
                        + "{success:false, reason, detail}. The MCP Streamable HTTP endpoint is mounted at /mcp."),
            ],
            "paths": .object(paths),
            "components": .object(components),
        ]
    }

    private static func describe(_ operation: CoordinatorOperation, route: HTTPRoute, template: RouteTemplate,
                                 secured: Bool) -> JSONObject {
        var object: JSONObject = [
            "operationId": .string(operation.name), "summary": .string(operation.summary),
            "tags": [.string(operation.category.rawValue)],
        ]
        var responses: JSONObject = [
            "200": response("The operation's result; a refused domain action is success:false with a reason.", "OperationResult"),
            "422": response("Invalid input: the field and what is accepted.", "Error"),
            "403": response("Denied by policy, or the API key may not act as the requested agent.", "Error"),
            "500": response("Internal error (logged).", "Error"),
            "503": response("The database is unreachable.", "Error"),
        ]
        if secured {
            responses["401"] = response("Missing or unknown API key.", "Error")
            object["security"] = [["ApiKeyAuth": []]]
        } else {
            object["security"] = []
        }
        let parameterNames = Set(template.parameterNames)
        var rules = InputSchema.ObjectRules([])
        if case .object(let declared) = operation.input { rules = declared }
        var parameters: [JSONValue] = []
        for name in template.parameterNames {
            let property = rules.properties.first { $0.name == name }
            var parameter: JSONObject = [
                "name": .string(name), "in": "path", "required": true,
                "schema": property.map { OpenAPISchema.of($0.schema) } ?? ["type": "string"],
            ]
            let trailing = name == template.parameterNames.last && template.segments.last == .parameter(name)
            parameter["description"] = .string((property?.description ?? name) + (trailing ? " May contain slashes." : ""))
            parameters.append(.object(parameter))
        }
        switch route.method {
        case .post:
            var body = rules
            body.properties.removeAll { parameterNames.contains($0.name) }
            object["requestBody"] = [
                "required": .bool(!body.required.isEmpty),
                "content": ["application/json": ["schema": .object(OpenAPISchema.objectSchema(body, extra: identityProperties))]],
            ]
            responses["413"] = response("The body is larger than the server accepts.", "Error")
        case .get:
            for property in rules.properties where !parameterNames.contains(property.name) {
                var parameter: JSONObject = [
                    "name": .string(property.name), "in": "query", "required": .bool(property.required),
                    "schema": OpenAPISchema.of(property.schema), "description": .string(property.description),
                ]
                if case .array = property.schema {
                    parameter["style"] = "form"
                    parameter["explode"] = true
                }
                parameters.append(.object(parameter))
            }
        }
        if !parameters.isEmpty { object["parameters"] = .array(parameters) }
        object["responses"] = .object(responses)
        return object
    }

    private static func service(_ id: String, _ summary: String, schema: String, unavailable: Bool) -> JSONValue {
        var responses: JSONObject = ["200": response("OK", schema)]
        if unavailable { responses["503"] = response("The database is unreachable.", schema) }
        return [
            "operationId": .string(id), "summary": .string(summary), "tags": ["service"], "security": [],
            "responses": .object(responses),
        ]
    }

    private static func response(_ description: String, _ schema: String) -> JSONValue {
        ["description": .string(description),
         "content": ["application/json": ["schema": ["$ref": .string("#/components/schemas/\(schema)")]]]]
    }

    private static let schemas: JSONObject = [
        "OperationResult": ["type": "object", "description": "The operation's JSON result (keys as in the original coordinator)."],
        "Error": [
            "type": "object", "required": ["success", "reason", "detail"],
            "properties": [
                "success": ["type": "boolean", "const": false],
                "reason": ["type": "string", "description": "Machine code: invalid_input, unauthorized, forbidden, policy_denied, database_unavailable, internal_error, …"],
                "detail": ["type": "string", "description": "A sentence for people."],
                "field": ["type": "string", "description": "The offending input field (invalid_input only)."],
            ],
        ],
        "Health": [
            "type": "object", "required": ["status", "db", "backend", "version"],
            "properties": [
                "status": ["type": "string", "enum": ["ok", "degraded"]],
                "db": ["type": "string", "enum": ["connected", "unreachable"]],
                "backend": ["type": "string"],
                "version": ["type": "string"],
            ],
        ],
        "Status": ["type": "object", "required": ["status"], "properties": ["status": ["type": "string"]]],
        "Document": ["type": "object"],
    ]
}
