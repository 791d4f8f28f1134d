import CoordinatorCore
import Foundation
import GRDB

/// `get_agent_profile` (docs/storage-functions.md, Profiles), and the profile resolution
/// `is_domain_allowed` shares.
enum ProfileFunctions {
    static let all = [getProfile]

    /// The agent type a lookup uses when the caller names none (as the SQL function's default).
    static let defaultAgentType = "claude_code"

    static let getProfile = StorageFunction("get_agent_profile", parameters: ["p_agent_id", "p_agent_type"]) { db, arguments in
        let agent = try arguments.text("p_agent_id")
        let agentType = try agentType(arguments)
        guard let (profile, source) = try resolve(db, agentId: agent, agentType: agentType) else {
            return [
                "success": false, "reason": "no_profile_found", "agent_id": JSONValue(agent),
                "agent_type": JSONValue(agentType),
            ]
        }
        return ["success": true, "profile": .object(profile), "source": .string(source)]
    }

    /// `p_agent_type`: the default when absent, nil when explicitly null (then no type default applies).
    static func agentType(_ arguments: StorageArguments) throws -> String? {
        arguments.values["p_agent_type"] == nil ? defaultAgentType : try arguments.text("p_agent_type")
    }

    /// The profile governing an agent, with where it came from: its assignment when that profile is enabled
    /// (`"assignment"`), else its type's default (`"default"`: the enabled profile flagged
    /// `is_default_for_type`, else the earliest created enabled one of the type, by name on a tie); nil when
    /// neither exists.
    static func resolve(_ db: Database, agentId: String?, agentType: String?) throws -> (profile: JSONObject, source: String)? {
        let types = try columnTypes(db, table: "agent_profiles")
        if let agentId, let assigned = try db.jsonRows(
            """
            SELECT p.* FROM agent_profile_assignments a JOIN agent_profiles p ON p.id = a.profile_id
            WHERE a.agent_id = ? AND p.enabled
            """, [agentId], types: types
        ).first {
            return (assigned, "assignment")
        }
        if let agentType, let fallback = try db.jsonRows(
            """
            SELECT * FROM agent_profiles WHERE agent_type = ? AND enabled
            ORDER BY is_default_for_type DESC, created_at, name LIMIT 1
            """, [agentType], types: types
        ).first {
            return (fallback, "default")
        }
        return nil
    }

    /// Every column's conversion, from its declared type (so a whole row reads as PostgreSQL's `to_jsonb`).
    static func columnTypes(_ db: Database, table: String) throws -> [String: SQLiteColumnType] {
        var types: [String: SQLiteColumnType] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT name, type FROM pragma_table_info(?)", arguments: [table]) {
            types[row["name"] as String] = SQLiteColumnType(declared: row["type"] as String)
        }
        return types
    }
}
