/// Constants of the HTTP API.
public enum HTTPAPI {
    /// The API version reported by `/health` and the OpenAPI document (the original coordinator's, which clients check).
    public static let version = "0.2.0"
    /// The header carrying the API key.
    public static let apiKeyHeader = "X-API-Key"
    /// Operations served without an API key (read-only status views, as in the original).
    public static let publicOperations: Set<String> = ["lock_status", "ports_status"]
}
