import AsyncHTTPClient
import CoordinatorCore
import Foundation
import NIOCore
import NIOFoundationCompat
import Synchronization

/// ``DatabaseClient`` over PostgREST's HTTP API: Supabase (`SUPABASE_URL` + `/rest/v1`) or a bare PostgREST
/// (empty prefix).
///
/// Each operation is one request built by ``PostgRESTRequest`` and sent with one shared `HTTPClient`:
/// `rpc` → `POST /rpc/fn`, `query` → `GET /table?…`, `insert` → `POST /table`, `update` → `PATCH /table?…`,
/// `delete` → `DELETE /table?…` (with `Prefer: return=representation`, so the deleted rows can be counted).
/// Failures are ``DatabaseError``s (see ``PostgRESTErrorMapping``).
///
/// ```swift
/// let client = try SupabaseClient(config: SupabaseConfig(url: "https://abc.supabase.co", serviceKey: key))
/// let result = try await client.rpc("acquire_lock", ["p_file_path": "src/a.swift", "p_agent_id": "a1"])
/// try await client.close()
/// ```
public final class SupabaseClient: DatabaseClient {
    /// The backend name, `supabase`.
    public static let name = "supabase"
    /// Bodies larger than this are refused rather than buffered.
    public static let maximumResponseBytes = 64 * 1024 * 1024

    public var backendName: String { Self.name }
    /// Where requests go.
    public let endpoint: PostgRESTEndpoint
    /// The deadline of each request, from ``SupabaseConfig/timeoutSeconds``.
    public let timeoutSeconds: Int

    private let httpClient: HTTPClient
    private let ownsHTTPClient: Bool
    private let closed = Mutex(false)

    /// A client with its own `HTTPClient`, shut down by ``close()``.
    public convenience init(config: SupabaseConfig) throws {
        let endpoint = try PostgRESTEndpoint(config)
        let timeout = Self.effectiveTimeout(config.timeoutSeconds)
        self.init(endpoint: endpoint, timeoutSeconds: timeout,
                  httpClient: Self.makeHTTPClient(timeoutSeconds: timeout), ownsHTTPClient: true)
    }

    /// A client that sends through `httpClient`, which stays the caller's: ``close()`` does not shut it down.
    public convenience init(config: SupabaseConfig, httpClient: HTTPClient) throws {
        let endpoint = try PostgRESTEndpoint(config)
        self.init(endpoint: endpoint, timeoutSeconds: Self.effectiveTimeout(config.timeoutSeconds),
                  httpClient: httpClient, ownsHTTPClient: false)
    }

    private init(endpoint: PostgRESTEndpoint, timeoutSeconds: Int, httpClient: HTTPClient, ownsHTTPClient: Bool) {
        self.endpoint = endpoint
        self.timeoutSeconds = timeoutSeconds
        self.httpClient = httpClient
        self.ownsHTTPClient = ownsHTTPClient
    }

    deinit {
        // Safety net for a client dropped without close(): AsyncHTTPClient traps in debug builds otherwise.
        if ownsHTTPClient, !closed.withLock({ $0 }) {
            httpClient.shutdown { _ in }
        }
    }

    /// An `HTTPClient` set up the way this client expects: a failed connection fails the request at once
    /// (no silent retries until the deadline), redirects are not followed (the key must not travel elsewhere),
    /// and reads time out after `timeoutSeconds`. The caller owns it and must shut it down.
    public static func makeHTTPClient(timeoutSeconds: Int = 30) -> HTTPClient {
        let seconds = Int64(effectiveTimeout(timeoutSeconds))
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(min(seconds, 10)), read: .seconds(seconds))
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    private static func effectiveTimeout(_ seconds: Int) -> Int { seconds > 0 ? seconds : 30 }

    // MARK: DatabaseClient

    /// Calls `POST {base}/rpc/{function}`; the decoded body is the function's JSON result (`null` for no body).
    public func rpc(_ function: String, _ parameters: JSONObject) async throws -> JSONValue {
        let request = try PostgRESTRequest.rpc(function, parameters: parameters, at: endpoint)
        return try await send(request).jsonValue(for: request)
    }

    /// Reads `GET {base}/{table}?{filter}`; the body must be an array of objects.
    public func query(_ table: String, filter: RowFilter, select: [String]?) async throws -> [JSONObject] {
        let request = try PostgRESTRequest.query(table, filter: filter, select: select, at: endpoint)
        return try await send(request).rows(for: request)
    }

    /// Inserts with `POST {base}/{table}`; with `returning`, the row PostgREST stored.
    public func insert(_ table: String, row: JSONObject, returning: Bool) async throws -> JSONObject? {
        let request = try PostgRESTRequest.insert(table, row: row, returning: returning, at: endpoint)
        let response = try await send(request)
        return returning ? try response.singleRow(for: request) : nil
    }

    /// Updates with `PATCH {base}/{table}?{filter}`; refuses a filter without conditions.
    public func update(_ table: String, filter: RowFilter, values: JSONObject, returning: Bool) async throws -> [JSONObject] {
        let request = try PostgRESTRequest.update(table, filter: filter, values: values, returning: returning, at: endpoint)
        let response = try await send(request)
        return returning ? try response.rows(for: request) : []
    }

    /// Deletes with `DELETE {base}/{table}?{filter}`; refuses a filter without conditions. Returns the number of
    /// rows in PostgREST's representation, or `nil` when it answered without a body.
    public func delete(_ table: String, filter: RowFilter) async throws -> Int? {
        let request = try PostgRESTRequest.delete(table, filter: filter, at: endpoint)
        let response = try await send(request)
        return response.hasNoBody ? nil : try response.rows(for: request).count
    }

    /// `GET {base}/`; any 2xx answer means PostgREST is up.
    public func ping() async throws {
        _ = try await send(PostgRESTRequest.ping(at: endpoint))
    }

    /// Shuts down the `HTTPClient` when this client created it. Calling it again does nothing.
    public func close() async throws {
        let wasOpen = closed.withLock { isClosed in
            defer { isClosed = true }
            return !isClosed
        }
        guard wasOpen, ownsHTTPClient else { return }
        do {
            try await httpClient.shutdown()
        } catch {
            throw DatabaseError(.unavailable, backend: Self.name, "could not shut down the HTTP client: \(error)")
        }
    }

    // MARK: Sending

    /// Sends one request and reads the whole answer; throws unless the status is 2xx.
    func send(_ request: PostgRESTRequest) async throws -> PostgRESTResponse {
        guard !closed.withLock({ $0 }) else {
            throw DatabaseError(.unavailable, backend: Self.name, "the client is closed")
        }
        var outgoing = HTTPClientRequest(url: request.url)
        switch request.method {
        case .get: outgoing.method = .GET
        case .post: outgoing.method = .POST
        case .patch: outgoing.method = .PATCH
        case .delete: outgoing.method = .DELETE
        }
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(data: body)) }

        let response: PostgRESTResponse
        do {
            let answer = try await httpClient.execute(outgoing, timeout: .seconds(Int64(timeoutSeconds)))
            let bytes = try await answer.body.collect(upTo: Self.maximumResponseBytes)
            response = PostgRESTResponse(status: Int(answer.status.code), body: Data(buffer: bytes))
        } catch let error as CancellationError {
            throw error
        } catch {
            throw PostgRESTErrorMapping.transportFailure(error, endpoint: endpoint, timeoutSeconds: timeoutSeconds)
        }
        guard response.isSuccess else { throw PostgRESTErrorMapping.rejection(response, to: request) }
        return response
    }
}
