-- 001_core_schema: file locks, work queue, agent sessions and their storage functions.
--
-- Contract: docs/storage-functions.md. Every function returns one JSONB object; domain outcomes never raise.
-- Every function that reads the clock takes p_now TIMESTAMPTZ DEFAULT now() as its last parameter.
--
-- No BEGIN/COMMIT here: the migration runner wraps every file in one transaction.

-- ---------------------------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------------------------

CREATE TABLE file_locks (
    file_path   text PRIMARY KEY,                -- file path or logical lock key
    locked_by   text NOT NULL,                   -- agent_id of the holder
    agent_type  text NOT NULL,
    session_id  text,                            -- informational, not a foreign key
    locked_at   timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    reason      text,
    metadata    jsonb DEFAULT '{}'::jsonb
);

CREATE INDEX idx_file_locks_agent   ON file_locks (locked_by);
CREATE INDEX idx_file_locks_expires ON file_locks (expires_at);
CREATE INDEX idx_file_locks_session ON file_locks (session_id);

CREATE TABLE work_queue (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    task_type        text NOT NULL,
    description      text NOT NULL,
    input_data       jsonb,
    claimed_by       text,                       -- NULL = unclaimed
    claimed_at       timestamptz,
    priority         integer NOT NULL DEFAULT 5 CHECK (priority BETWEEN 1 AND 10),   -- 1 = highest
    depends_on       uuid[],                     -- ids that must be 'completed' first
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'claimed', 'running', 'completed', 'failed', 'cancelled')),
    result           jsonb,
    error_message    text,
    created_at       timestamptz DEFAULT now(),
    started_at       timestamptz,
    completed_at     timestamptz,
    deadline         timestamptz,
    attempt_count    integer NOT NULL DEFAULT 0,
    max_attempts     integer NOT NULL DEFAULT 3,
    -- beyond the original:
    seq              bigint GENERATED ALWAYS AS IDENTITY UNIQUE,   -- submission order (FIFO tie-break)
    lease_expires_at timestamptz                                   -- claim lease, set while claimed/running
);

CREATE INDEX idx_work_queue_status           ON work_queue (status);
CREATE INDEX idx_work_queue_claimed_by_status ON work_queue (claimed_by, status);
CREATE INDEX idx_work_queue_priority_created ON work_queue (priority, created_at);
-- The claim path: walk pending rows in (priority, seq) order; per task type for claims filtered on one type.
-- (Partial on 'pending': a claim moves the row out of these indexes at no extra index-insert cost.)
CREATE INDEX idx_work_queue_claimable        ON work_queue (priority, seq) WHERE status = 'pending';
CREATE INDEX idx_work_queue_claimable_type   ON work_queue (task_type, priority, seq) WHERE status = 'pending';
-- Lease expiry: only rows that hold a lease.
CREATE INDEX idx_work_queue_lease            ON work_queue (lease_expires_at)
    WHERE status IN ('claimed', 'running');
CREATE INDEX idx_work_queue_deadline         ON work_queue (deadline) WHERE deadline IS NOT NULL;
-- Dependency cascade: find the tasks that depend on a given id.
CREATE INDEX idx_work_queue_depends_on       ON work_queue USING gin (depends_on) WHERE depends_on IS NOT NULL;

CREATE TABLE agent_sessions (
    id               text PRIMARY KEY,           -- session id
    agent_id         text NOT NULL,
    agent_type       text NOT NULL,
    task_description text,
    started_at       timestamptz DEFAULT now(),
    ended_at         timestamptz,
    tasks_completed  integer DEFAULT 0,
    files_modified   text[] DEFAULT '{}',
    metadata         jsonb DEFAULT '{}'::jsonb
);

-- ---------------------------------------------------------------------------------------------------------
-- Row level security: world-readable, written by the service role. The coordinator itself connects as the
-- table owner (or a superuser), which RLS does not restrict.
-- ---------------------------------------------------------------------------------------------------------

ALTER TABLE file_locks     ENABLE ROW LEVEL SECURITY;
ALTER TABLE work_queue     ENABLE ROW LEVEL SECURITY;
ALTER TABLE agent_sessions ENABLE ROW LEVEL SECURITY;

CREATE POLICY "read for all" ON file_locks     FOR SELECT USING (true);
CREATE POLICY "read for all" ON work_queue     FOR SELECT USING (true);
CREATE POLICY "read for all" ON agent_sessions FOR SELECT USING (true);

DO $core_policies$
DECLARE
    v_table text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        FOREACH v_table IN ARRAY ARRAY['file_locks', 'work_queue', 'agent_sessions'] LOOP
            EXECUTE format(
                'CREATE POLICY "service role full access" ON %I FOR ALL TO service_role USING (true) WITH CHECK (true)',
                v_table);
        END LOOP;
    ELSE
        RAISE NOTICE '001: role service_role does not exist; skipping its policies';
    END IF;
END
$core_policies$;

-- Realtime: publish lock and queue changes when the publication exists (see 000).
DO $core_realtime$
DECLARE
    v_table text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = 'supabase_realtime') THEN
        RETURN;
    END IF;
    IF (SELECT puballtables FROM pg_catalog.pg_publication WHERE pubname = 'supabase_realtime') THEN
        RETURN; -- already publishes every table
    END IF;
    FOREACH v_table IN ARRAY ARRAY['file_locks', 'work_queue'] LOOP
        CONTINUE WHEN EXISTS (
            SELECT 1 FROM pg_catalog.pg_publication_tables
            WHERE pubname = 'supabase_realtime' AND schemaname = 'public' AND tablename = v_table);
        BEGIN
            EXECUTE format('ALTER PUBLICATION supabase_realtime ADD TABLE public.%I', v_table);
        EXCEPTION
            WHEN insufficient_privilege THEN
                RAISE NOTICE '001: cannot add % to publication supabase_realtime; skipping', v_table;
        END;
    END LOOP;
END
$core_realtime$;

-- ---------------------------------------------------------------------------------------------------------
-- Locks
-- ---------------------------------------------------------------------------------------------------------

CREATE FUNCTION acquire_lock(
    p_file_path   text,
    p_agent_id    text,
    p_agent_type  text,
    p_session_id  text        DEFAULT NULL,
    p_reason      text        DEFAULT NULL,
    p_ttl_minutes integer     DEFAULT 120,
    p_now         timestamptz DEFAULT now()
) RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_expires  timestamptz;
    v_type     text;
    v_inserted text;
    v_lock     file_locks%ROWTYPE;
BEGIN
    IF coalesce(btrim(p_file_path, E' \t\r\n\f\v'), '') = '' THEN
        RETURN jsonb_build_object('success', false, 'reason', 'invalid_file_path');
    END IF;
    IF coalesce(btrim(p_agent_id, E' \t\r\n\f\v'), '') = '' THEN
        RETURN jsonb_build_object('success', false, 'reason', 'invalid_agent_id');
    END IF;
    IF p_ttl_minutes IS NULL OR p_ttl_minutes < 1 OR p_ttl_minutes > 480 THEN
        RETURN jsonb_build_object('success', false, 'reason', 'ttl_out_of_range');
    END IF;

    v_expires := p_now + make_interval(mins => p_ttl_minutes);
    v_type := coalesce(nullif(btrim(p_agent_type, E' \t\r\n\f\v'), ''), 'unknown');

    -- Settles in one pass unless another session changes this key under us; a second pass then always settles
    -- because by then we hold the row lock of whatever row is there.
    FOR v_attempt IN 1..5 LOOP
        -- The same agent's live lock: refresh it (reason replaced only when a new one is given).
        UPDATE file_locks
        SET expires_at = v_expires,
            reason = coalesce(p_reason, reason)
        WHERE file_path = p_file_path AND locked_by = p_agent_id AND expires_at > p_now;
        IF FOUND THEN
            RETURN jsonb_build_object('success', true, 'action', 'refreshed',
                                      'file_path', p_file_path, 'expires_at', v_expires);
        END IF;

        -- An expired lock on this key is nobody's: remove it so the key can be acquired.
        DELETE FROM file_locks WHERE file_path = p_file_path AND expires_at <= p_now;

        -- Insert; on a key conflict nothing is inserted, but ON CONFLICT DO UPDATE ... WHERE false locks the
        -- holder's row (waiting for an in-flight insert/delete to settle), so it cannot vanish before we read it.
        INSERT INTO file_locks AS l (file_path, locked_by, agent_type, session_id, locked_at, expires_at, reason)
        VALUES (p_file_path, p_agent_id, v_type, p_session_id, p_now, v_expires, p_reason)
        ON CONFLICT (file_path) DO UPDATE SET locked_by = l.locked_by WHERE false
        RETURNING l.file_path INTO v_inserted;

        IF v_inserted IS NOT NULL THEN
            RETURN jsonb_build_object('success', true, 'action', 'acquired',
                                      'file_path', p_file_path, 'expires_at', v_expires);
        END IF;

        SELECT * INTO v_lock FROM file_locks WHERE file_path = p_file_path;
        -- Gone, expired, or our own (inserted concurrently by another session of this agent): next pass settles it.
        CONTINUE WHEN NOT FOUND OR v_lock.expires_at <= p_now OR v_lock.locked_by = p_agent_id;

        RETURN jsonb_build_object('success', false, 'reason', 'locked_by_other',
                                  'file_path', p_file_path,
                                  'locked_by', v_lock.locked_by,
                                  'agent_type', v_lock.agent_type,
                                  'locked_at', v_lock.locked_at,
                                  'expires_at', v_lock.expires_at,
                                  'lock_reason', v_lock.reason);
    END LOOP;

    -- Not reachable in practice (see above); a real fault, not a domain outcome.
    RAISE EXCEPTION 'acquire_lock: could not settle lock % after 5 attempts', p_file_path
        USING ERRCODE = 'serialization_failure';
END
$fn$;

CREATE FUNCTION release_lock(
    p_file_path text,
    p_agent_id  text,
    p_now       timestamptz DEFAULT now()
) RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_deleted integer;
BEGIN
    -- An expired lock is nobody's any more: releasing it is a no-op reported as not found.
    DELETE FROM file_locks
    WHERE file_path = p_file_path AND locked_by = p_agent_id AND expires_at > p_now;
    GET DIAGNOSTICS v_deleted = ROW_COUNT;

    IF v_deleted > 0 THEN
        RETURN jsonb_build_object('success', true, 'action', 'released', 'file_path', p_file_path);
    END IF;
    RETURN jsonb_build_object('success', false, 'reason', 'lock_not_found_or_not_owner', 'file_path', p_file_path);
END
$fn$;

-- ---------------------------------------------------------------------------------------------------------
-- Work queue: private helpers
-- ---------------------------------------------------------------------------------------------------------

-- Dependency failure cascade: every pending task that depends on p_task_id, transitively, becomes failed
-- with error_message 'dependency_failed: <p_task_id>'. Returns how many tasks it failed.
CREATE FUNCTION fail_dependents_of(p_task_id uuid, p_now timestamptz) RETURNS integer
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_failed integer;
BEGIN
    WITH RECURSIVE dependents (id) AS (
        SELECT w.id
        FROM work_queue w
        WHERE w.depends_on @> ARRAY[p_task_id] AND w.status = 'pending'
        UNION
        SELECT w.id
        FROM dependents d
        JOIN work_queue w ON w.depends_on @> ARRAY[d.id] AND w.status = 'pending'
    )
    UPDATE work_queue w
    SET status = 'failed',
        error_message = 'dependency_failed: ' || p_task_id::text,
        completed_at = p_now
    FROM dependents d
    WHERE w.id = d.id AND w.status = 'pending';
    GET DIAGNOSTICS v_failed = ROW_COUNT;
    RETURN v_failed;
END
$fn$;

-- Releases claimed/running tasks like an expired lease: back to 'pending' while attempts remain, else
-- 'failed' (with the dependency cascade). The caller should hold the row locks. Returns how many it released.
CREATE FUNCTION release_task_claims(p_task_ids uuid[], p_now timestamptz) RETURNS integer
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_released integer;
    v_failed   uuid[];
    v_id       uuid;
BEGIN
    IF p_task_ids IS NULL OR cardinality(p_task_ids) = 0 THEN
        RETURN 0;
    END IF;

    WITH released AS (
        UPDATE work_queue w
        SET status           = CASE WHEN w.attempt_count < w.max_attempts THEN 'pending' ELSE 'failed' END,
            claimed_by       = CASE WHEN w.attempt_count < w.max_attempts THEN NULL ELSE w.claimed_by END,
            claimed_at       = CASE WHEN w.attempt_count < w.max_attempts THEN NULL ELSE w.claimed_at END,
            completed_at     = CASE WHEN w.attempt_count < w.max_attempts THEN w.completed_at ELSE p_now END,
            error_message    = CASE WHEN w.attempt_count < w.max_attempts THEN 'claim_lease_expired'
                                    ELSE 'claim_lease_expired: max_attempts reached' END,
            lease_expires_at = NULL
        WHERE w.id = ANY (p_task_ids) AND w.status IN ('claimed', 'running')
        RETURNING w.id, w.status
    )
    SELECT count(*)::integer, array_agg(id ORDER BY id) FILTER (WHERE status = 'failed')
    INTO v_released, v_failed
    FROM released;

    IF v_failed IS NOT NULL THEN
        FOREACH v_id IN ARRAY v_failed LOOP
            PERFORM fail_dependents_of(v_id, p_now);
        END LOOP;
    END IF;
    RETURN v_released;
END
$fn$;

-- Lease expiry, run at the start of every claim_task: releases every claimed/running task whose lease has
-- run out. Rows another transaction holds are skipped, never waited for. Returns how many it released.
CREATE FUNCTION release_expired_leases(p_now timestamptz) RETURNS integer
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_ids uuid[];
BEGIN
    SELECT array_agg(e.id)
    INTO v_ids
    FROM (
        SELECT w.id
        FROM work_queue w
        WHERE w.status IN ('claimed', 'running') AND w.lease_expires_at <= p_now
        ORDER BY w.lease_expires_at
        FOR UPDATE SKIP LOCKED
    ) e;

    IF v_ids IS NULL THEN
        RETURN 0;
    END IF;
    RETURN release_task_claims(v_ids, p_now);
END
$fn$;

-- ---------------------------------------------------------------------------------------------------------
-- Work queue: storage functions
-- ---------------------------------------------------------------------------------------------------------

CREATE FUNCTION submit_task(
    p_task_type    text,
    p_description  text,
    p_input_data   jsonb       DEFAULT NULL,
    p_priority     integer     DEFAULT 5,
    p_depends_on   uuid[]      DEFAULT NULL,
    p_deadline     timestamptz DEFAULT NULL,
    p_max_attempts integer     DEFAULT 3,
    p_now          timestamptz DEFAULT now()
) RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_deps    uuid[];
    v_missing uuid[];
    v_failed  uuid;
    v_id      uuid;
BEGIN
    IF coalesce(btrim(p_task_type, E' \t\r\n\f\v'), '') = '' THEN
        RETURN jsonb_build_object('success', false, 'reason', 'invalid_task_type');
    END IF;
    IF coalesce(btrim(p_description, E' \t\r\n\f\v'), '') = '' THEN
        RETURN jsonb_build_object('success', false, 'reason', 'invalid_description');
    END IF;
    IF p_priority IS NULL OR p_priority < 1 OR p_priority > 10 THEN
        RETURN jsonb_build_object('success', false, 'reason', 'priority_out_of_range');
    END IF;
    IF p_max_attempts IS NULL OR p_max_attempts < 1 OR p_max_attempts > 100 THEN
        RETURN jsonb_build_object('success', false, 'reason', 'max_attempts_out_of_range');
    END IF;

    -- Collapse duplicate dependency ids (first occurrence wins the position); NULL elements are ignored.
    SELECT array_agg(u.dep ORDER BY u.first_pos)
    INTO v_deps
    FROM (
        SELECT d.dep, min(d.pos) AS first_pos
        FROM unnest(p_depends_on) WITH ORDINALITY AS d (dep, pos)
        WHERE d.dep IS NOT NULL
        GROUP BY d.dep
    ) u;

    IF v_deps IS NOT NULL THEN
        SELECT array_agg(d.dep ORDER BY d.pos)
        INTO v_missing
        FROM unnest(v_deps) WITH ORDINALITY AS d (dep, pos)
        WHERE NOT EXISTS (SELECT 1 FROM work_queue w WHERE w.id = d.dep);

        IF v_missing IS NOT NULL THEN
            RETURN jsonb_build_object('success', false, 'reason', 'unknown_dependency', 'missing', to_jsonb(v_missing));
        END IF;

        -- Share-lock the dependencies so none of them can end failed/cancelled between this check and our
        -- commit (the cascade of such a concurrent failure would not see the new task yet).
        PERFORM 1 FROM work_queue w WHERE w.id = ANY (v_deps) ORDER BY w.id FOR SHARE;

        SELECT d.dep
        INTO v_failed
        FROM unnest(v_deps) WITH ORDINALITY AS d (dep, pos)
        JOIN work_queue w ON w.id = d.dep
        WHERE w.status IN ('failed', 'cancelled')
        ORDER BY d.pos
        LIMIT 1;

        IF v_failed IS NOT NULL THEN
            RETURN jsonb_build_object('success', false, 'reason', 'dependency_failed', 'dependency_id', v_failed);
        END IF;
    END IF;

    INSERT INTO work_queue (task_type, description, input_data, priority, depends_on, deadline,
                            max_attempts, status, created_at)
    VALUES (p_task_type, p_description, p_input_data, p_priority, v_deps, p_deadline,
            p_max_attempts, 'pending', p_now)
    RETURNING id INTO v_id;

    RETURN jsonb_build_object('success', true, 'task_id', v_id);
END
$fn$;

CREATE FUNCTION claim_task(
    p_agent_id      text,
    p_agent_type    text,
    p_task_types    text[]      DEFAULT NULL,
    p_lease_minutes integer     DEFAULT 30,
    p_now           timestamptz DEFAULT now()
) RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_types text[];
    v_id    uuid;
    v_task  work_queue%ROWTYPE;
BEGIN
    IF coalesce(btrim(p_agent_id, E' \t\r\n\f\v'), '') = '' THEN
        RETURN jsonb_build_object('success', false, 'reason', 'invalid_agent_id');
    END IF;
    IF p_lease_minutes IS NULL OR p_lease_minutes < 1 OR p_lease_minutes > 1440 THEN
        RETURN jsonb_build_object('success', false, 'reason', 'lease_out_of_range');
    END IF;

    PERFORM release_expired_leases(p_now);

    v_types := CASE WHEN cardinality(p_task_types) > 0 THEN p_task_types END;

    IF v_types IS NULL THEN
        SELECT t.id INTO v_id
        FROM work_queue t
        WHERE t.status = 'pending'
          AND (t.depends_on IS NULL
               OR NOT EXISTS (SELECT 1 FROM work_queue d
                              WHERE d.id = ANY (t.depends_on) AND d.status <> 'completed'))
        ORDER BY t.priority, t.seq
        LIMIT 1
        FOR UPDATE OF t SKIP LOCKED;
    ELSIF cardinality(v_types) = 1 THEN
        SELECT t.id INTO v_id
        FROM work_queue t
        WHERE t.status = 'pending'
          AND t.task_type = v_types[1]
          AND (t.depends_on IS NULL
               OR NOT EXISTS (SELECT 1 FROM work_queue d
                              WHERE d.id = ANY (t.depends_on) AND d.status <> 'completed'))
        ORDER BY t.priority, t.seq
        LIMIT 1
        FOR UPDATE OF t SKIP LOCKED;
    ELSE
        -- Several types: planned per call (dynamic SQL), so the planner sees the actual types and can pick the
        -- per-type index for rare ones instead of a cached generic plan that walks every pending row.
        EXECUTE $q$
            SELECT t.id
            FROM work_queue t
            WHERE t.status = 'pending'
              AND t.task_type = ANY ($1)
              AND (t.depends_on IS NULL
                   OR NOT EXISTS (SELECT 1 FROM work_queue d
                                  WHERE d.id = ANY (t.depends_on) AND d.status <> 'completed'))
            ORDER BY t.priority, t.seq
            LIMIT 1
            FOR UPDATE OF t SKIP LOCKED
        $q$ INTO v_id USING v_types;
    END IF;

    IF v_id IS NULL THEN
        RETURN jsonb_build_object('success', false, 'reason', 'no_tasks_available');
    END IF;

    UPDATE work_queue
    SET status = 'claimed',
        claimed_by = p_agent_id,
        claimed_at = p_now,
        attempt_count = attempt_count + 1,
        lease_expires_at = p_now + make_interval(mins => p_lease_minutes)
    WHERE id = v_id
    RETURNING * INTO v_task;

    RETURN jsonb_build_object('success', true,
                              'task_id', v_task.id,
                              'task_type', v_task.task_type,
                              'description', v_task.description,
                              'input_data', v_task.input_data,
                              'priority', v_task.priority,
                              'deadline', v_task.deadline,
                              'attempt_count', v_task.attempt_count,
                              'max_attempts', v_task.max_attempts,
                              'lease_expires_at', v_task.lease_expires_at);
END
$fn$;

CREATE FUNCTION renew_task_lease(
    p_task_id       uuid,
    p_agent_id      text,
    p_lease_minutes integer     DEFAULT 30,
    p_now           timestamptz DEFAULT now()
) RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_task work_queue%ROWTYPE;
BEGIN
    IF p_lease_minutes IS NULL OR p_lease_minutes < 1 OR p_lease_minutes > 1440 THEN
        RETURN jsonb_build_object('success', false, 'reason', 'lease_out_of_range');
    END IF;

    SELECT * INTO v_task FROM work_queue WHERE id = p_task_id FOR UPDATE;
    IF NOT FOUND OR v_task.claimed_by IS DISTINCT FROM p_agent_id THEN
        RETURN jsonb_build_object('success', false, 'reason', 'task_not_found_or_not_claimed_by_agent',
                                  'task_id', p_task_id);
    END IF;
    IF v_task.status NOT IN ('claimed', 'running') THEN
        RETURN jsonb_build_object('success', false, 'reason', 'task_not_active',
                                  'task_id', p_task_id, 'status', v_task.status);
    END IF;

    UPDATE work_queue
    SET status = 'running',
        started_at = coalesce(started_at, p_now),
        lease_expires_at = p_now + make_interval(mins => p_lease_minutes)
    WHERE id = p_task_id
    RETURNING * INTO v_task;

    RETURN jsonb_build_object('success', true, 'task_id', v_task.id, 'status', v_task.status,
                              'lease_expires_at', v_task.lease_expires_at);
END
$fn$;

CREATE FUNCTION complete_task(
    p_task_id       uuid,
    p_agent_id      text,
    p_success       boolean,
    p_result        jsonb       DEFAULT NULL,
    p_error_message text        DEFAULT NULL,
    p_now           timestamptz DEFAULT now()
) RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_task       work_queue%ROWTYPE;
    v_status     text;
    v_dependents integer := 0;
BEGIN
    SELECT * INTO v_task FROM work_queue WHERE id = p_task_id FOR UPDATE;
    IF NOT FOUND OR v_task.claimed_by IS DISTINCT FROM p_agent_id THEN
        RETURN jsonb_build_object('success', false, 'reason', 'task_not_found_or_not_claimed_by_agent',
                                  'task_id', p_task_id);
    END IF;
    IF v_task.status NOT IN ('claimed', 'running') THEN
        RETURN jsonb_build_object('success', false, 'reason', 'task_not_active',
                                  'task_id', p_task_id, 'status', v_task.status);
    END IF;

    v_status := CASE WHEN coalesce(p_success, false) THEN 'completed' ELSE 'failed' END;

    UPDATE work_queue
    SET status = v_status,
        result = p_result,
        error_message = p_error_message,
        completed_at = p_now,
        lease_expires_at = NULL
    WHERE id = p_task_id;

    IF v_status = 'failed' THEN
        v_dependents := fail_dependents_of(p_task_id, p_now);
    END IF;

    RETURN jsonb_build_object('success', true, 'status', v_status, 'task_id', p_task_id,
                              'dependents_failed', v_dependents);
END
$fn$;

CREATE FUNCTION cancel_task(
    p_task_id  uuid,
    p_agent_id text,
    p_reason   text        DEFAULT NULL,
    p_now      timestamptz DEFAULT now()
) RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_task       work_queue%ROWTYPE;
    v_dependents integer;
BEGIN
    SELECT * INTO v_task FROM work_queue WHERE id = p_task_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN jsonb_build_object('success', false, 'reason', 'task_not_found', 'task_id', p_task_id);
    END IF;
    IF v_task.status IN ('completed', 'failed', 'cancelled') THEN
        RETURN jsonb_build_object('success', false, 'reason', 'task_not_cancellable',
                                  'task_id', p_task_id, 'status', v_task.status);
    END IF;

    UPDATE work_queue
    SET status = 'cancelled',
        error_message = format('cancelled by %s: %s', p_agent_id, p_reason),
        completed_at = p_now,
        lease_expires_at = NULL
    WHERE id = p_task_id;

    v_dependents := fail_dependents_of(p_task_id, p_now);

    RETURN jsonb_build_object('success', true, 'task_id', p_task_id, 'status', 'cancelled',
                              'dependents_failed', v_dependents);
END
$fn$;

-- ---------------------------------------------------------------------------------------------------------
-- Privileges
-- ---------------------------------------------------------------------------------------------------------

-- The helpers are internal: not callable by PUBLIC (the owner and service_role keep EXECUTE).
REVOKE ALL ON FUNCTION fail_dependents_of(uuid, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION release_task_claims(uuid[], timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION release_expired_leases(timestamptz) FROM PUBLIC;

DO $core_grants$
DECLARE
    v_role text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        GRANT ALL ON TABLE file_locks, work_queue, agent_sessions TO service_role;
        GRANT EXECUTE ON FUNCTION
            acquire_lock(text, text, text, text, text, integer, timestamptz),
            release_lock(text, text, timestamptz),
            submit_task(text, text, jsonb, integer, uuid[], timestamptz, integer, timestamptz),
            claim_task(text, text, text[], integer, timestamptz),
            renew_task_lease(uuid, text, integer, timestamptz),
            complete_task(uuid, text, boolean, jsonb, text, timestamptz),
            cancel_task(uuid, text, text, timestamptz),
            fail_dependents_of(uuid, timestamptz),
            release_task_claims(uuid[], timestamptz),
            release_expired_leases(timestamptz)
        TO service_role;
    END IF;
    FOREACH v_role IN ARRAY ARRAY['anon', 'authenticated'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = v_role);
        EXECUTE format('GRANT SELECT ON TABLE file_locks, work_queue, agent_sessions TO %I', v_role);
    END LOOP;
END
$core_grants$;
