import CoordinatorCore
import Testing

@Suite("Configuration errors name the variable")
struct ConfigurationTests {
    @Test func defaultsToEmbeddedSQLite() throws {
        let config = try CoordinatorConfig.fromEnvironment([:])
        #expect(config.database.backend == .sqlite)
        #expect(config.database.sqlite.path == ".coordinator/coordinator.sqlite")
        #expect(config.locks.defaultTTLMinutes == 120)
        #expect(config.agent.agentType == "claude_code")
        #expect(config.agent.generatedId)
        #expect(config.agent.agentId.hasPrefix("agent-") && config.agent.agentId.count == 14)
    }

    @Test(arguments: [
        (["DB_BACKEND": "mysql"], "DB_BACKEND"),
        (["DB_BACKEND": "postgres"], "POSTGRES_DSN"),
        (["DB_BACKEND": "postgres", "POSTGRES_DSN": "postgres://x", "POSTGRES_POOL_MAX": "zero"], "POSTGRES_POOL_MAX"),
        (["DB_BACKEND": "postgres", "POSTGRES_DSN": "postgres://x", "POSTGRES_POOL_MIN": "20", "POSTGRES_POOL_MAX": "5"], "POSTGRES_POOL_MIN"),
        (["DB_BACKEND": "supabase"], "SUPABASE_URL"),
        (["DB_BACKEND": "supabase", "SUPABASE_URL": "ftp://x"], "SUPABASE_URL"),
        (["DB_BACKEND": "supabase", "SUPABASE_URL": "https://x.supabase.co"], "SUPABASE_SERVICE_KEY"),
        (["LOCK_TTL_MINUTES": "481"], "LOCK_TTL_MINUTES"),
        (["WORK_LEASE_MINUTES": "0"], "WORK_LEASE_MINUTES"),
    ])
    func namesTheBadVariable(_ environment: [String: String], _ variable: String) {
        #expect { try CoordinatorConfig.fromEnvironment(environment) } throws: { error in
            (error as? ConfigurationError)?.variable == variable
        }
    }

    @Test func readsBackendSettings() throws {
        let postgres = try DatabaseConfig.fromEnvironment([
            "DB_BACKEND": "POSTGRES", "POSTGRES_DSN": "postgresql://u:p@h:5/d", "POSTGRES_POOL_MIN": "1", "POSTGRES_POOL_MAX": "16",
        ])
        #expect(postgres.postgres == PostgresConfig(dsn: "postgresql://u:p@h:5/d", poolMin: 1, poolMax: 16))
        let supabase = try DatabaseConfig.fromEnvironment([
            "DB_BACKEND": "supabase", "SUPABASE_URL": "http://127.0.0.1:3000", "SUPABASE_SERVICE_KEY": "k", "SUPABASE_REST_PREFIX": "",
        ])
        #expect(supabase.supabase == SupabaseConfig(url: "http://127.0.0.1:3000", serviceKey: "k", restPrefix: ""))
    }

    @Test(arguments: [("15 minutes", 900.0), ("1 hour", 3600), ("90 seconds", 90), ("2 days", 172_800), ("00:15:00", 900), ("0.5 min", 30)])
    func readsIntervals(_ text: String, _ seconds: Double) {
        #expect(IntervalText.seconds(text) == seconds)
    }

    @Test(arguments: ["", "15", "minutes", "15 fortnights", "a b c"])
    func refusesBadIntervals(_ text: String) {
        #expect(IntervalText.seconds(text) == nil)
    }
}
