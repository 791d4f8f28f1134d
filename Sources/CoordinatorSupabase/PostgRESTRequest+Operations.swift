import CoordinatorCore
import Foundation

/// The request each ``DatabaseClient`` operation becomes, following PostgREST's documented API.
///
/// Every name is checked with ``SQLIdentifier`` and every filter with ``RowFilter/validate(backend:)`` before
/// a URL is built; values only ever travel percent-encoded in the query string or inside the JSON body.
extension PostgRESTRequest {
    /// `Prefer` value asking PostgREST to answer with the rows it wrote.
    public static let returnRepresentation = "return=representation"
    /// `Prefer` value asking PostgREST to answer without a body.
    public static let returnMinimal = "return=minimal"

    /// `POST {base}/rpc/{function}` with the parameters object as the body.
    public static func rpc(_ function: String, parameters: JSONObject, at endpoint: PostgRESTEndpoint) throws -> PostgRESTRequest {
        try SQLIdentifier.check(function, backend: SupabaseClient.name)
        return PostgRESTRequest(method: .post, url: endpoint.url("rpc/" + function),
                                headers: standardHeaders(endpoint), body: JSONValue.object(parameters).jsonData())
    }

    /// `GET {base}/{table}?select=…&col=op.value&order=…&limit=n`.
    public static func query(_ table: String, filter: RowFilter, select: [String]?,
                             at endpoint: PostgRESTEndpoint) throws -> PostgRESTRequest {
        try checkTable(table, filter: filter)
        for column in select ?? [] where column != "*" {
            try SQLIdentifier.check(column, backend: SupabaseClient.name)
        }
        let query = PostgRESTQuery(filter: filter, select: select).queryString
        return PostgRESTRequest(method: .get, url: endpoint.url(table, query: query), headers: standardHeaders(endpoint))
    }

    /// `POST {base}/{table}` with the row as the body; `Prefer: return=representation` when `returning`.
    public static func insert(_ table: String, row: JSONObject, returning: Bool,
                              at endpoint: PostgRESTEndpoint) throws -> PostgRESTRequest {
        try checkTable(table, filter: RowFilter())
        for column in row.keys { try SQLIdentifier.check(column, backend: SupabaseClient.name) }
        return PostgRESTRequest(method: .post, url: endpoint.url(table),
                                headers: standardHeaders(endpoint, prefer: returning ? returnRepresentation : returnMinimal),
                                body: JSONValue.object(row).jsonData())
    }

    /// `PATCH {base}/{table}?{filter}` with the new values as the body. Refuses a filter without conditions.
    public static func update(_ table: String, filter: RowFilter, values: JSONObject, returning: Bool,
                              at endpoint: PostgRESTEndpoint) throws -> PostgRESTRequest {
        try checkTable(table, filter: filter)
        try refuseUnfiltered("update", table, filter)
        for column in values.keys { try SQLIdentifier.check(column, backend: SupabaseClient.name) }
        return PostgRESTRequest(method: .patch, url: endpoint.url(table, query: PostgRESTQuery(filter: filter).queryString),
                                headers: standardHeaders(endpoint, prefer: returning ? returnRepresentation : returnMinimal),
                                body: JSONValue.object(values).jsonData())
    }

    /// `DELETE {base}/{table}?{filter}`. Refuses a filter without conditions.
    ///
    /// Always sends `Prefer: return=representation`: PostgREST then answers with the deleted rows, whose number
    /// is the count ``DatabaseClient/delete(_:filter:)`` reports. (`Prefer: count=exact` would need the
    /// `Content-Range` header instead; the representation works on every PostgREST version and behind proxies
    /// that drop that header.)
    public static func delete(_ table: String, filter: RowFilter, at endpoint: PostgRESTEndpoint) throws -> PostgRESTRequest {
        try checkTable(table, filter: filter)
        try refuseUnfiltered("delete", table, filter)
        return PostgRESTRequest(method: .delete, url: endpoint.url(table, query: PostgRESTQuery(filter: filter).queryString),
                                headers: standardHeaders(endpoint, prefer: returnRepresentation))
    }

    /// `GET {base}/`: PostgREST answers its OpenAPI description, a cheap proof that it is up.
    public static func ping(at endpoint: PostgRESTEndpoint) -> PostgRESTRequest {
        PostgRESTRequest(method: .get, url: endpoint.url(""), headers: standardHeaders(endpoint))
    }

    /// `apikey`, `Authorization`, `Content-Type`, `Accept`, and `Prefer` when given.
    static func standardHeaders(_ endpoint: PostgRESTEndpoint, prefer: String? = nil) -> [Header] {
        var headers = [
            Header("apikey", endpoint.serviceKey),
            Header("Authorization", "Bearer " + endpoint.serviceKey),
            Header("Content-Type", "application/json"),
            Header("Accept", "application/json"),
        ]
        if let prefer { headers.append(Header("Prefer", prefer)) }
        return headers
    }

    private static func checkTable(_ table: String, filter: RowFilter) throws {
        // PostgREST paths name a table of the exposed schema; a schema prefix is not part of the path.
        try SQLIdentifier.check(table, backend: SupabaseClient.name)
        try filter.validate(backend: SupabaseClient.name)
    }

    private static func refuseUnfiltered(_ verb: String, _ table: String, _ filter: RowFilter) throws {
        guard filter.conditions.isEmpty else { return }
        throw DatabaseError(.invalidRequest, backend: SupabaseClient.name, "refusing to \(verb) every row of \(table)")
    }
}
