-- 003_agent_discovery: discovery columns on agent_sessions, registration, heartbeat, discovery, cleanup.
--
-- No BEGIN/COMMIT here: the migration runner wraps every file in one transaction.

ALTER TABLE agent_sessions ADD COLUMN IF NOT EXISTS capabilities text[] DEFAULT '{}';
ALTER TABLE agent_sessions ADD COLUMN IF NOT EXISTS status text DEFAULT 'active'
    CHECK (status IN ('active', 'idle', 'disconnected'));
ALTER TABLE agent_sessions ADD COLUMN IF NOT EXISTS last_heartbeat timestamptz DEFAULT now();
ALTER TABLE agent_sessions ADD COLUMN IF NOT EXISTS current_task text;

CREATE INDEX IF NOT EXISTS idx_agent_sessions_agent_id       ON agent_sessions (agent_id);
CREATE INDEX IF NOT EXISTS idx_agent_sessions_agent_type     ON agent_sessions (agent_type);
CREATE INDEX IF NOT EXISTS idx_agent_sessions_started_at     ON agent_sessions (started_at DESC);
CREATE INDEX IF NOT EXISTS idx_agent_sessions_status         ON agent_sessions (status);
CREATE INDEX IF NOT EXISTS idx_agent_sessions_last_heartbeat ON agent_sessions (last_heartbeat);
CREATE INDEX IF NOT EXISTS idx_agent_sessions_capabilities   ON agent_sessions USING gin (capabilities);

CREATE FUNCTION register_agent_session(
    p_agent_id     text,
    p_agent_type   text,
    p_session_id   text        DEFAULT NULL,
    p_capabilities text[]      DEFAULT '{}',
    p_current_task text        DEFAULT NULL,
    p_now          timestamptz DEFAULT now()
) RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_session text;
    v_saved   text;
BEGIN
    IF coalesce(btrim(p_agent_id, E' \t\r\n\f\v'), '') = '' THEN
        RETURN jsonb_build_object('success', false, 'reason', 'invalid_agent_id');
    END IF;

    v_session := coalesce(nullif(btrim(p_session_id, E' \t\r\n\f\v'), ''),
                          p_agent_id || '-' || gen_random_uuid()::text);

    -- One statement: insert, or refresh the row when it is this agent's. A row of another agent is left alone
    -- (the conditional DO UPDATE returns nothing).
    INSERT INTO agent_sessions AS s (id, agent_id, agent_type, capabilities, current_task, status,
                                     started_at, last_heartbeat, ended_at)
    VALUES (v_session,
            p_agent_id,
            coalesce(nullif(btrim(p_agent_type, E' \t\r\n\f\v'), ''), 'unknown'),
            coalesce(p_capabilities, '{}'),
            p_current_task,
            'active',
            p_now,
            p_now,
            NULL)
    ON CONFLICT (id) DO UPDATE
        SET capabilities = EXCLUDED.capabilities,
            current_task = EXCLUDED.current_task,
            status = 'active',
            last_heartbeat = EXCLUDED.last_heartbeat,
            ended_at = NULL
        WHERE s.agent_id = EXCLUDED.agent_id
    RETURNING s.id INTO v_saved;

    IF v_saved IS NULL THEN
        RETURN jsonb_build_object('success', false, 'reason', 'session_owned_by_other_agent',
                                  'session_id', v_session);
    END IF;
    RETURN jsonb_build_object('success', true, 'session_id', v_saved);
END
$fn$;

CREATE FUNCTION agent_heartbeat(
    p_session_id text        DEFAULT NULL,
    p_agent_id   text        DEFAULT NULL,
    p_now        timestamptz DEFAULT now()
) RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_session text := nullif(btrim(p_session_id, E' \t\r\n\f\v'), '');
    v_agent   text := nullif(btrim(p_agent_id, E' \t\r\n\f\v'), '');
    v_updated text;
BEGIN
    IF v_session IS NULL THEN
        IF v_agent IS NULL THEN
            RETURN jsonb_build_object('success', false, 'error', 'session_not_found', 'reason', 'session_not_found');
        END IF;
        -- The agent's most recent session by last heartbeat.
        SELECT s.id INTO v_session
        FROM agent_sessions s
        WHERE s.agent_id = p_agent_id
        ORDER BY s.last_heartbeat DESC NULLS LAST, s.started_at DESC NULLS LAST, s.id DESC
        LIMIT 1;
        IF v_session IS NULL THEN
            RETURN jsonb_build_object('success', false, 'error', 'session_not_found', 'reason', 'session_not_found');
        END IF;
    END IF;

    UPDATE agent_sessions s
    SET last_heartbeat = p_now,
        status = 'active'
    WHERE s.id = v_session
      AND (v_agent IS NULL OR s.agent_id = p_agent_id)
    RETURNING s.id INTO v_updated;

    IF v_updated IS NULL THEN
        RETURN jsonb_build_object('success', false, 'error', 'session_not_found', 'reason', 'session_not_found');
    END IF;
    RETURN jsonb_build_object('success', true, 'session_id', v_updated);
END
$fn$;

CREATE FUNCTION discover_agents(
    p_capability text DEFAULT NULL,
    p_status     text DEFAULT NULL
) RETURNS jsonb
    LANGUAGE plpgsql
    STABLE
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_capability text := nullif(p_capability, '');
    v_status     text := nullif(p_status, '');
    v_agents     jsonb;
BEGIN
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('agent_id', s.agent_id,
                                  'agent_type', s.agent_type,
                                  'session_id', s.id,
                                  'capabilities', to_jsonb(coalesce(s.capabilities, '{}'::text[])),
                                  'status', s.status,
                                  'current_task', s.current_task,
                                  'last_heartbeat', s.last_heartbeat,
                                  'started_at', s.started_at)
               ORDER BY s.last_heartbeat DESC NULLS LAST, s.started_at DESC NULLS LAST, s.id),
           '[]'::jsonb)
    INTO v_agents
    FROM agent_sessions s
    WHERE (v_capability IS NULL OR s.capabilities @> ARRAY[v_capability])
      AND (CASE WHEN v_status IS NULL THEN s.status IS DISTINCT FROM 'disconnected'
                ELSE s.status = v_status END);

    RETURN jsonb_build_object('agents', v_agents);
END
$fn$;

CREATE FUNCTION cleanup_dead_agents(
    p_stale_threshold interval    DEFAULT '15 minutes',
    p_now             timestamptz DEFAULT now()
) RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_cutoff         timestamptz := p_now - coalesce(p_stale_threshold, interval '15 minutes');
    v_stale_agents   text[];
    v_dead_agents    text[];
    v_task_ids       uuid[];
    v_agents_cleaned integer := 0;
    v_locks_released integer := 0;
    v_tasks_released integer := 0;
    v_swept          integer := 0;
BEGIN
    -- 1. Stale sessions become disconnected (only those sessions, not every session of the agent).
    WITH stale AS (
        UPDATE agent_sessions s
        SET status = 'disconnected',
            ended_at = p_now
        WHERE s.status IN ('active', 'idle') AND s.last_heartbeat < v_cutoff
        RETURNING s.agent_id
    )
    SELECT count(*)::integer, array_agg(DISTINCT agent_id)
    INTO v_agents_cleaned, v_stale_agents
    FROM stale;

    -- 2. Agents of those sessions with no live (active/idle, not stale) session left are dead.
    IF v_stale_agents IS NOT NULL THEN
        SELECT array_agg(a.agent_id)
        INTO v_dead_agents
        FROM unnest(v_stale_agents) AS a (agent_id)
        WHERE NOT EXISTS (
            SELECT 1 FROM agent_sessions s
            WHERE s.agent_id = a.agent_id AND s.status IN ('active', 'idle'));  -- the stale ones are gone
    END IF;

    IF v_dead_agents IS NOT NULL THEN
        -- 3. Their locks go.
        DELETE FROM file_locks WHERE locked_by = ANY (v_dead_agents);
        GET DIAGNOSTICS v_locks_released = ROW_COUNT;

        -- 4. Their claimed/running tasks are released like an expired lease (rows another transaction holds
        --    are skipped; their leases will expire on their own).
        SELECT array_agg(t.id)
        INTO v_task_ids
        FROM (
            SELECT w.id
            FROM work_queue w
            WHERE w.claimed_by = ANY (v_dead_agents) AND w.status IN ('claimed', 'running')
            ORDER BY w.id
            FOR UPDATE SKIP LOCKED
        ) t;
        v_tasks_released := release_task_claims(v_task_ids, p_now);
    END IF;

    -- 5. Sweep every expired lock.
    DELETE FROM file_locks WHERE expires_at <= p_now;
    GET DIAGNOSTICS v_swept = ROW_COUNT;

    RETURN jsonb_build_object('success', true,
                              'agents_cleaned', v_agents_cleaned,
                              'locks_released', v_locks_released,
                              'tasks_released', v_tasks_released,
                              'expired_locks_swept', v_swept);
END
$fn$;

DO $discovery_grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        GRANT EXECUTE ON FUNCTION
            register_agent_session(text, text, text, text[], text, timestamptz),
            agent_heartbeat(text, text, timestamptz),
            discover_agents(text, text),
            cleanup_dead_agents(interval, timestamptz)
        TO service_role;
    END IF;
END
$discovery_grants$;
