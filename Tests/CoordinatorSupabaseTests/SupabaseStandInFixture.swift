import CoordinatorCore
import CoordinatorSupabase

/// Starts a PostgREST stand-in and a ``SupabaseClient`` pointed at it, runs a test body, and tears both down
/// even when the body throws.
enum SupabaseStandInFixture {
    static let serviceKey = "test-service-role-key.abc123"

    static func config(_ standIn: PostgRESTStandIn, prefix: String = "/rest/v1", key: String = serviceKey,
                       timeoutSeconds: Int = 10) -> SupabaseConfig {
        SupabaseConfig(url: standIn.url + "/", serviceKey: key, restPrefix: prefix, timeoutSeconds: timeoutSeconds)
    }

    /// The stand-in answers with `script`.
    static func withStandIn<Result>(
        prefix: String = "/rest/v1", key: String = serviceKey, timeoutSeconds: Int = 10,
        script: @escaping @Sendable (RecordedRequest) async -> StandInAnswer,
        _ body: (PostgRESTStandIn, SupabaseClient) async throws -> Result
    ) async throws -> Result {
        let standIn = try await PostgRESTStandIn.start(script: script)
        let client: SupabaseClient
        do {
            client = try SupabaseClient(config: config(standIn, prefix: prefix, key: key, timeoutSeconds: timeoutSeconds))
        } catch {
            await standIn.stop()
            throw error
        }
        do {
            let result = try await body(standIn, client)
            try await client.close()
            await standIn.stop()
            return result
        } catch {
            try? await client.close()
            await standIn.stop()
            throw error
        }
    }

    /// The stand-in answers as documented by ``PostgRESTBehaviour``.
    static func withStandIn<Result>(
        _ behaviour: PostgRESTBehaviour, key: String = serviceKey, timeoutSeconds: Int = 10,
        _ body: (PostgRESTStandIn, SupabaseClient) async throws -> Result
    ) async throws -> Result {
        try await withStandIn(prefix: behaviour.prefix, key: key, timeoutSeconds: timeoutSeconds,
                              script: { behaviour.answer($0) }, body)
    }
}
