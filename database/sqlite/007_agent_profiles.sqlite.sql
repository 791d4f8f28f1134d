-- Embedded backend: the SQLite twin of PostgreSQL migration 007 (agent profiles with the five seeded
-- profiles, and assignments). Declared types as in 001_core_schema.sqlite.sql; ids and timestamps have SQL
-- defaults as in 005.

CREATE TABLE agent_profiles (
    id                          UUID_TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2))
                                    || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1)
                                    || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
    name                        TEXT NOT NULL UNIQUE,
    description                 TEXT,
    agent_type                  TEXT NOT NULL,
    trust_level                 INTEGER NOT NULL DEFAULT 2 CHECK (trust_level BETWEEN 0 AND 4),
    allowed_operations          TEXT_ARRAY DEFAULT '[]',
    blocked_operations          TEXT_ARRAY DEFAULT '[]',
    max_file_modifications      INTEGER DEFAULT 50,
    max_execution_time_seconds  INTEGER DEFAULT 300,
    max_api_calls_per_hour      INTEGER DEFAULT 1000,
    network_policy              JSON_TEXT DEFAULT '{}',
    metadata                    JSON_TEXT DEFAULT '{}',
    enabled                     BOOLEAN NOT NULL DEFAULT 1,
    is_default_for_type         BOOLEAN NOT NULL DEFAULT 0,
    created_at                  TIMESTAMP_TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
    updated_at                  TIMESTAMP_TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
);
CREATE INDEX idx_agent_profiles_agent_type ON agent_profiles (agent_type);
CREATE INDEX idx_agent_profiles_trust_level ON agent_profiles (trust_level);
CREATE UNIQUE INDEX idx_agent_profiles_default_for_type ON agent_profiles (agent_type) WHERE is_default_for_type;

CREATE TABLE agent_profile_assignments (
    id           UUID_TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'
                     || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1)
                     || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
    agent_id     TEXT NOT NULL UNIQUE,
    profile_id   UUID_TEXT NOT NULL REFERENCES agent_profiles (id),
    assigned_by  TEXT,
    assigned_at  TIMESTAMP_TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
);
CREATE INDEX idx_agent_profile_assignments_profile ON agent_profile_assignments (profile_id);

INSERT INTO agent_profiles (name, description, agent_type, trust_level, allowed_operations, blocked_operations,
                            max_file_modifications, max_execution_time_seconds, max_api_calls_per_hour,
                            network_policy, metadata, enabled, is_default_for_type)
VALUES
    ('claude-code-cli',
     'Claude Code on a developer machine over MCP stdio: elevated trust, the standard operations',
     'claude_code', 3,
     '["acquire_lock","release_lock","check_locks","get_work","complete_work","submit_work","write_handoff","read_handoff","register_session","discover_agents","heartbeat","remember","recall","check_guardrails","get_my_profile","query_audit"]',
     '[]', 100, 300, 1000, '{}', '{}', 1, 1),
    ('claude-code-web-reviewer',
     'Claude Code on the web reviewing changes: limited trust, read-only operations, no file changes',
     'claude_code', 1,
     '["check_locks","read_handoff","discover_agents","recall","check_guardrails","get_my_profile","query_audit"]',
     '[]', 0, 300, 1000, '{}', '{}', 1, 0),
    ('claude-code-web-implementer',
     'Claude Code on the web implementing changes: standard trust, the standard operations',
     'claude_code', 2,
     '["acquire_lock","release_lock","check_locks","get_work","complete_work","submit_work","write_handoff","read_handoff","register_session","discover_agents","heartbeat","remember","recall","check_guardrails","get_my_profile","query_audit"]',
     '[]', 50, 300, 1000, '{}', '{}', 1, 0),
    ('codex-cloud-worker',
     'Codex cloud task worker: standard trust, locks, work queue, discovery and memory',
     'codex', 2,
     '["acquire_lock","release_lock","check_locks","get_work","complete_work","submit_work","register_session","heartbeat","remember","recall","check_guardrails","get_my_profile"]',
     '[]', 50, 300, 1000, '{}', '{}', 1, 1),
    ('strands-orchestrator',
     'Strands orchestrator driving other agents: elevated trust, the standard operations and dead-agent cleanup',
     'strands', 3,
     '["acquire_lock","release_lock","check_locks","get_work","complete_work","submit_work","write_handoff","read_handoff","register_session","discover_agents","heartbeat","remember","recall","check_guardrails","get_my_profile","query_audit","cleanup_dead_agents"]',
     '[]', 200, 300, 1000, '{}', '{}', 1, 1);
