import CoordinatorCore
import Foundation

/// Answers requests the way PostgREST documents it (docs.postgrest.org: Tables and Views, Functions as RPC,
/// Prefer headers, Errors), from canned data rather than a database:
///
/// * a bearer token other than the expected key → `401 PGRST301` (JWT rejected);
/// * a path outside the prefix → `404` with no body;
/// * `GET {prefix}/` → `200` with an OpenAPI document;
/// * `POST {prefix}/rpc/fn` → `200` with the function's JSON result, `404 PGRST202` for an unknown function;
/// * `GET {prefix}/table` → `200` with an array of rows, `404 PGRST205` for an unknown table;
/// * `POST`/`PATCH`/`DELETE {prefix}/table` → the written rows (`201`/`200`) with `Prefer: return=representation`,
///   `201`/`204` with no body otherwise.
struct PostgRESTBehaviour: Sendable {
    var prefix: String = "/rest/v1"
    var serviceKey: String = SupabaseStandInFixture.serviceKey
    /// Function name → result for its parameters.
    var functions: [String: @Sendable (JSONObject) -> JSONValue] = [:]
    /// Table name → rows a read (or a representation of an update/delete) returns.
    var tables: [String: [JSONObject]] = [:]

    func answer(_ request: RecordedRequest) -> StandInAnswer {
        guard request.header("authorization") == "Bearer " + serviceKey else {
            return .error(401, code: "PGRST301", message: "JWSError JWSInvalidSignature")
        }
        guard request.path == prefix || request.path.hasPrefix(prefix + "/") else { return .noContent(404) }
        let route = String(request.path.dropFirst(prefix.count + 1))
        let wantsRows = request.header("prefer")?.contains("return=representation") ?? false

        if route.isEmpty {
            guard request.method == "GET" else { return .noContent(405) }
            return .json(200, ["swagger": "2.0", "info": ["title": "standard public schema"], "paths": [:]])
        }
        if route.hasPrefix("rpc/") {
            let name = String(route.dropFirst(4))
            guard request.method == "POST" else { return .noContent(405) }
            guard let function = functions[name] else {
                let parameters = (request.bodyJSON?.objectValue ?? [:]).keys.sorted().joined(separator: ", ")
                return .error(404, code: "PGRST202",
                              message: "Could not find the function public.\(name)(\(parameters)) in the schema cache",
                              hint: "If a new function was created in the database with this name and parameters, try reloading the schema cache.")
            }
            return .json(200, function(request.bodyJSON?.objectValue ?? [:]))
        }
        guard let rows = tables[route] else {
            return .error(404, code: "PGRST205", message: "Could not find the table 'public.\(route)' in the schema cache")
        }
        switch request.method {
        case "GET":
            return .json(200, .array(rows.map(JSONValue.object)))
        case "POST":
            guard wantsRows else { return .noContent(201) }
            var stored = request.bodyJSON?.objectValue ?? [:]
            if stored["id"] == nil { stored["id"] = .int(rows.count + 1) }
            return .json(201, [.object(stored)])
        case "PATCH":
            guard wantsRows else { return .noContent(204) }
            let changes = request.bodyJSON?.objectValue ?? [:]
            return .json(200, .array(rows.map { .object($0.merging(changes) { _, new in new }) }))
        case "DELETE":
            guard wantsRows else { return .noContent(204) }
            return .json(200, .array(rows.map(JSONValue.object)))
        default:
            return .noContent(405)
        }
    }
}
