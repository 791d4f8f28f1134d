-- 007_agent_profiles: agent profiles (trust level, allowed operations, resource limits), explicit
-- assignments of agents to profiles, the five seeded profiles, and get_agent_profile.
--
-- Contract: docs/storage-functions.md (Profiles). Additive only: no table of 000–003 is altered.
-- Re-running the file by hand is harmless: tables, indexes and policies are created only when absent, seeds
-- only when missing, the function is replaced.
--
-- No BEGIN/COMMIT here: the migration runner wraps every file in one transaction.

CREATE TABLE IF NOT EXISTS agent_profiles (
    id                         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                       text NOT NULL UNIQUE,
    description                text,
    agent_type                 text NOT NULL,
    trust_level                integer NOT NULL DEFAULT 2 CHECK (trust_level BETWEEN 0 AND 4),
    allowed_operations         text[] DEFAULT '{}',     -- empty = no allowlist
    blocked_operations         text[] DEFAULT '{}',
    max_file_modifications     integer DEFAULT 50,
    max_execution_time_seconds integer DEFAULT 300,
    max_api_calls_per_hour     integer DEFAULT 1000,
    network_policy             jsonb DEFAULT '{}'::jsonb,
    metadata                   jsonb DEFAULT '{}'::jsonb,
    enabled                    boolean NOT NULL DEFAULT true,
    -- beyond the original: the profile an agent of this type gets when it has no assignment. The original
    -- picked the earliest created_at, and its seeds all share one, so the choice was arbitrary.
    is_default_for_type        boolean NOT NULL DEFAULT false,
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_agent_profiles_agent_type  ON agent_profiles (agent_type);
CREATE INDEX IF NOT EXISTS idx_agent_profiles_trust_level ON agent_profiles (trust_level);
-- At most one default per agent type.
CREATE UNIQUE INDEX IF NOT EXISTS idx_agent_profiles_default_for_type ON agent_profiles (agent_type)
    WHERE is_default_for_type;

CREATE TABLE IF NOT EXISTS agent_profile_assignments (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id    text NOT NULL UNIQUE,
    profile_id  uuid NOT NULL REFERENCES agent_profiles (id),   -- a profile in use cannot be deleted
    assigned_by text,
    assigned_at timestamptz NOT NULL DEFAULT now()
);

-- (agent_id is already indexed by its UNIQUE constraint.)
CREATE INDEX IF NOT EXISTS idx_agent_profile_assignments_profile ON agent_profile_assignments (profile_id);

-- ---------------------------------------------------------------------------------------------------------
-- Seeds. The "16 standard operations" are the original's tool names; no assignments are seeded.
-- ON CONFLICT DO NOTHING (no arbiter) also skips a seed whose default slot an operator has given to another
-- profile.
-- ---------------------------------------------------------------------------------------------------------

INSERT INTO agent_profiles (name, description, agent_type, trust_level, allowed_operations, blocked_operations,
                            max_file_modifications, max_execution_time_seconds, max_api_calls_per_hour,
                            network_policy, metadata, enabled, is_default_for_type)
VALUES
    ('claude-code-cli',
     'Claude Code on a developer machine over MCP stdio: elevated trust, the standard operations',
     'claude_code', 3,
     '{acquire_lock,release_lock,check_locks,get_work,complete_work,submit_work,write_handoff,read_handoff,register_session,discover_agents,heartbeat,remember,recall,check_guardrails,get_my_profile,query_audit}',
     '{}', 100, 300, 1000, '{}', '{}', true, true),
    ('claude-code-web-reviewer',
     'Claude Code on the web reviewing changes: limited trust, read-only operations, no file changes',
     'claude_code', 1,
     '{check_locks,read_handoff,discover_agents,recall,check_guardrails,get_my_profile,query_audit}',
     '{}', 0, 300, 1000, '{}', '{}', true, false),
    ('claude-code-web-implementer',
     'Claude Code on the web implementing changes: standard trust, the standard operations',
     'claude_code', 2,
     '{acquire_lock,release_lock,check_locks,get_work,complete_work,submit_work,write_handoff,read_handoff,register_session,discover_agents,heartbeat,remember,recall,check_guardrails,get_my_profile,query_audit}',
     '{}', 50, 300, 1000, '{}', '{}', true, false),
    ('codex-cloud-worker',
     'Codex cloud task worker: standard trust, locks, work queue, discovery and memory',
     'codex', 2,
     '{acquire_lock,release_lock,check_locks,get_work,complete_work,submit_work,register_session,heartbeat,remember,recall,check_guardrails,get_my_profile}',
     '{}', 50, 300, 1000, '{}', '{}', true, true),
    ('strands-orchestrator',
     'Strands orchestrator driving other agents: elevated trust, the standard operations and dead-agent cleanup',
     'strands', 3,
     '{acquire_lock,release_lock,check_locks,get_work,complete_work,submit_work,write_handoff,read_handoff,register_session,discover_agents,heartbeat,remember,recall,check_guardrails,get_my_profile,query_audit,cleanup_dead_agents}',
     '{}', 200, 300, 1000, '{}', '{}', true, true)
ON CONFLICT DO NOTHING;

-- ---------------------------------------------------------------------------------------------------------
-- Row level security: world-readable, written by the service role.
-- ---------------------------------------------------------------------------------------------------------

DO $profile_policies$
DECLARE
    v_table text;
    v_service boolean := EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role');
BEGIN
    FOREACH v_table IN ARRAY ARRAY['agent_profiles', 'agent_profile_assignments'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', v_table);
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policies
                       WHERE schemaname = 'public' AND tablename = v_table AND policyname = 'read for all') THEN
            EXECUTE format('CREATE POLICY "read for all" ON %I FOR SELECT USING (true)', v_table);
        END IF;
        IF v_service AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policies
                                     WHERE schemaname = 'public' AND tablename = v_table
                                       AND policyname = 'service role full access') THEN
            EXECUTE format(
                'CREATE POLICY "service role full access" ON %I FOR ALL TO service_role USING (true) WITH CHECK (true)',
                v_table);
        END IF;
    END LOOP;
    IF NOT v_service THEN
        RAISE NOTICE '007: role service_role does not exist; skipping its policies';
    END IF;
END
$profile_policies$;

-- ---------------------------------------------------------------------------------------------------------
-- get_agent_profile
-- ---------------------------------------------------------------------------------------------------------

-- The profile that governs an agent: its explicit assignment (when that profile is enabled), else the
-- default for its agent type (the enabled profile flagged is_default_for_type; without one, the earliest
-- created enabled profile of the type, by name on a tie), else none.
CREATE OR REPLACE FUNCTION get_agent_profile(
    p_agent_id   text,
    p_agent_type text DEFAULT 'claude_code'
) RETURNS jsonb
    LANGUAGE plpgsql
    STABLE
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_profile agent_profiles%ROWTYPE;
BEGIN
    SELECT p.* INTO v_profile
    FROM agent_profile_assignments a
    JOIN agent_profiles p ON p.id = a.profile_id
    WHERE a.agent_id = p_agent_id AND p.enabled;
    IF FOUND THEN
        RETURN jsonb_build_object('success', true, 'profile', to_jsonb(v_profile), 'source', 'assignment');
    END IF;

    SELECT p.* INTO v_profile
    FROM agent_profiles p
    WHERE p.agent_type = p_agent_type AND p.enabled
    ORDER BY p.is_default_for_type DESC, p.created_at, p.name COLLATE "C"
    LIMIT 1;
    IF FOUND THEN
        RETURN jsonb_build_object('success', true, 'profile', to_jsonb(v_profile), 'source', 'default');
    END IF;

    RETURN jsonb_build_object('success', false, 'reason', 'no_profile_found',
                              'agent_id', p_agent_id, 'agent_type', p_agent_type);
END
$fn$;

DO $profile_grants$
DECLARE
    v_role text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        GRANT ALL ON TABLE agent_profiles, agent_profile_assignments TO service_role;
        GRANT EXECUTE ON FUNCTION get_agent_profile(text, text) TO service_role;
    END IF;
    FOREACH v_role IN ARRAY ARRAY['anon', 'authenticated'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = v_role);
        EXECUTE format('GRANT SELECT ON TABLE agent_profiles, agent_profile_assignments TO %I', v_role);
    END LOOP;
END
$profile_grants$;
