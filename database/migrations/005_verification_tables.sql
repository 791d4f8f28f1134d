-- 005_verification_tables: changesets, verification results and policies, the human approval queue, reporting
-- views, and the approval storage functions.
--
-- Contract: docs/storage-functions.md (Verification). Additive only: no table of 000–003 is altered.
-- Re-running the file by hand (e.g. in the Supabase SQL editor) is harmless: types, tables, indexes and
-- policies are created only when absent, views and functions are replaced.
--
-- No BEGIN/COMMIT here: the migration runner wraps every file in one transaction.

-- ---------------------------------------------------------------------------------------------------------
-- Enums. CREATE TYPE has no IF NOT EXISTS, so each is created only when the schema lacks it.
-- ---------------------------------------------------------------------------------------------------------

DO $verification_enums$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                   WHERE n.nspname = 'public' AND t.typname = 'verification_tier') THEN
        -- Declared in tier order, so comparisons (max(tier)) follow STATIC < UNIT < … < MANUAL.
        CREATE TYPE verification_tier AS ENUM ('STATIC', 'UNIT', 'INTEGRATION', 'SYSTEM', 'MANUAL');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                   WHERE n.nspname = 'public' AND t.typname = 'verification_executor') THEN
        CREATE TYPE verification_executor AS ENUM ('inline', 'github', 'ntm', 'e2b', 'human');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                   WHERE n.nspname = 'public' AND t.typname = 'verification_status') THEN
        CREATE TYPE verification_status AS ENUM ('pending', 'running', 'success', 'failure', 'cancelled');
    END IF;
END
$verification_enums$;

-- ---------------------------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------------------------

-- One set of changes an agent asks to have verified (a push, a branch, a task's output).
CREATE TABLE IF NOT EXISTS changesets (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id      text NOT NULL,
    session_id    text,                           -- informational, not a foreign key
    branch_name   text,
    changed_files jsonb NOT NULL DEFAULT '[]'::jsonb,
    commit_sha    text,
    description   text,
    -- 'pending' until reviewed; approve_changeset sets 'approved'/'rejected'. Left open (no CHECK) so the
    -- verification gateway can record its own progress states.
    status        text NOT NULL DEFAULT 'pending',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_changesets_agent  ON changesets (agent_id);
CREATE INDEX IF NOT EXISTS idx_changesets_status ON changesets (status);

-- One check of one changeset at one tier by one executor.
CREATE TABLE IF NOT EXISTS verification_results (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    changeset_id  uuid NOT NULL REFERENCES changesets (id) ON DELETE CASCADE,
    tier          verification_tier NOT NULL,
    executor      verification_executor NOT NULL,
    status        verification_status NOT NULL DEFAULT 'pending',
    started_at    timestamptz,
    completed_at  timestamptz,
    duration_ms   integer,
    result        jsonb DEFAULT '{}'::jsonb,
    error_message text,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_verification_results_changeset ON verification_results (changeset_id);
CREATE INDEX IF NOT EXISTS idx_verification_results_status    ON verification_results (status);

-- Which tier and executor a changed file needs: one shell-style glob per row.
CREATE TABLE IF NOT EXISTS verification_policies (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name         text NOT NULL UNIQUE,
    description  text,
    file_pattern text NOT NULL,                   -- glob, e.g. 'src/**/*.py'
    tier         verification_tier NOT NULL,
    executor     verification_executor NOT NULL,
    config       jsonb DEFAULT '{}'::jsonb,       -- timeout_seconds, exclude_patterns, required_env, …
    enabled      boolean NOT NULL DEFAULT true,
    priority     integer NOT NULL DEFAULT 5,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_verification_policies_pattern ON verification_policies (file_pattern);

-- Changesets waiting for a human decision (the 'human' executor, or a policy that requires approval).
CREATE TABLE IF NOT EXISTS approval_queue (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    changeset_id uuid NOT NULL REFERENCES changesets (id) ON DELETE CASCADE,
    requested_by text NOT NULL,
    reason       text,
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied')),
    reviewed_by  text,
    reviewed_at  timestamptz,
    review_notes text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- beyond the original: insertion order, the tie-break for requests made at the same instant.
    seq          bigint GENERATED ALWAYS AS IDENTITY UNIQUE
);

CREATE INDEX IF NOT EXISTS idx_approval_queue_status ON approval_queue (status);
-- get_pending_approvals: the pending rows, oldest first.
CREATE INDEX IF NOT EXISTS idx_approval_queue_pending ON approval_queue (created_at, seq) WHERE status = 'pending';

-- ---------------------------------------------------------------------------------------------------------
-- Row level security: world-readable, written by the service role (the coordinator itself connects as the
-- table owner, which RLS does not restrict). Policies are created only when absent, so a hand re-run passes.
-- ---------------------------------------------------------------------------------------------------------

DO $verification_policies_rls$
DECLARE
    v_table text;
    v_service boolean := EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role');
BEGIN
    FOREACH v_table IN ARRAY ARRAY['changesets', 'verification_results', 'verification_policies', 'approval_queue'] LOOP
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
        RAISE NOTICE '005: role service_role does not exist; skipping its policies';
    END IF;
END
$verification_policies_rls$;

-- ---------------------------------------------------------------------------------------------------------
-- Reporting views. security_invoker: a view reads with the caller's rights, so the tables' RLS applies to
-- whoever queries it (a default view would read with its owner's rights and bypass RLS).
-- ---------------------------------------------------------------------------------------------------------

-- Per changeset: how many checks exist and how they stand.
CREATE OR REPLACE VIEW changeset_status WITH (security_invoker = true) AS
SELECT c.id         AS changeset_id,
       c.agent_id,
       c.status     AS changeset_status,
       c.created_at,
       count(r.id)                                                    AS total_checks,
       count(r.id) FILTER (WHERE r.status = 'success')                AS passed,
       count(r.id) FILTER (WHERE r.status = 'failure')                AS failed,
       count(r.id) FILTER (WHERE r.status IN ('pending', 'running'))  AS pending_checks
FROM changesets c
LEFT JOIN verification_results r ON r.changeset_id = c.id
GROUP BY c.id, c.agent_id, c.status, c.created_at;

-- Per agent: changesets, check outcomes, success rate in percent (NULL before the first check).
CREATE OR REPLACE VIEW agent_performance WITH (security_invoker = true) AS
SELECT c.agent_id,
       count(DISTINCT c.id)                               AS total_changesets,
       count(r.id) FILTER (WHERE r.status = 'success')    AS checks_passed,
       count(r.id) FILTER (WHERE r.status = 'failure')    AS checks_failed,
       CASE WHEN count(r.id) = 0 THEN NULL
            ELSE round(100.0 * count(r.id) FILTER (WHERE r.status = 'success') / count(r.id), 2)
       END                                                AS success_rate,
       round(avg(r.duration_ms), 2)                       AS avg_check_duration_ms
FROM changesets c
LEFT JOIN verification_results r ON r.changeset_id = c.id
GROUP BY c.agent_id;

-- Per tier and executor: runs, outcomes and durations.
CREATE OR REPLACE VIEW tier_metrics WITH (security_invoker = true) AS
SELECT r.tier,
       r.executor,
       count(*)                                      AS total_runs,
       count(*) FILTER (WHERE r.status = 'success')  AS successes,
       count(*) FILTER (WHERE r.status = 'failure')  AS failures,
       round(avg(r.duration_ms), 2)                  AS avg_duration_ms,
       max(r.duration_ms)                            AS max_duration_ms
FROM verification_results r
GROUP BY r.tier, r.executor;

-- ---------------------------------------------------------------------------------------------------------
-- Storage functions
-- ---------------------------------------------------------------------------------------------------------

-- Pending approvals, oldest first, each with the changeset's author, description and files.
-- Returns an object (like every storage function), the list under "approvals".
CREATE OR REPLACE FUNCTION get_pending_approvals() RETURNS jsonb
    LANGUAGE plpgsql
    STABLE
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_approvals jsonb;
BEGIN
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('id', a.id,
                                  'changeset_id', a.changeset_id,
                                  'requested_by', a.requested_by,
                                  'reason', a.reason,
                                  'status', a.status,
                                  'created_at', a.created_at,
                                  'agent_id', c.agent_id,
                                  'description', c.description,
                                  'changed_files', c.changed_files)
               ORDER BY a.created_at, a.seq),
           '[]'::jsonb)
    INTO v_approvals
    FROM approval_queue a
    JOIN changesets c ON c.id = a.changeset_id
    WHERE a.status = 'pending';

    RETURN jsonb_build_object('approvals', v_approvals);
END
$fn$;

-- Records a reviewer's decision on a pending approval and carries it to the changeset. Only a pending
-- approval can be decided: a second review (or an unknown id) changes nothing.
CREATE OR REPLACE FUNCTION approve_changeset(
    p_approval_id uuid,
    p_reviewer    text,
    p_approved    boolean,
    p_notes       text        DEFAULT NULL,
    p_now         timestamptz DEFAULT now()
) RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_changeset uuid;
    v_status    text;
BEGIN
    IF coalesce(btrim(p_reviewer, E' \t\r\n\f\v'), '') = '' THEN
        RETURN jsonb_build_object('success', false, 'reason', 'invalid_reviewer');
    END IF;
    IF p_approved IS NULL THEN
        RETURN jsonb_build_object('success', false, 'reason', 'invalid_decision');
    END IF;

    v_status := CASE WHEN p_approved THEN 'approved' ELSE 'denied' END;

    -- The status condition makes concurrent reviews safe: the second UPDATE waits for the first, re-checks
    -- the row, finds it no longer pending and updates nothing.
    UPDATE approval_queue
    SET status = v_status,
        reviewed_by = p_reviewer,
        reviewed_at = p_now,
        review_notes = p_notes
    WHERE id = p_approval_id AND status = 'pending'
    RETURNING changeset_id INTO v_changeset;

    IF v_changeset IS NULL THEN
        RETURN jsonb_build_object('success', false, 'reason', 'approval_not_found_or_already_reviewed',
                                  'approval_id', p_approval_id);
    END IF;

    UPDATE changesets
    SET status = CASE WHEN p_approved THEN 'approved' ELSE 'rejected' END,
        updated_at = p_now
    WHERE id = v_changeset;

    RETURN jsonb_build_object('success', true,
                              'approval_id', p_approval_id,
                              'changeset_id', v_changeset,
                              'status', v_status);
END
$fn$;

DO $verification_grants$
DECLARE
    v_role text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        GRANT ALL ON TABLE changesets, verification_results, verification_policies, approval_queue TO service_role;
        GRANT SELECT ON changeset_status, agent_performance, tier_metrics TO service_role;
        GRANT EXECUTE ON FUNCTION
            get_pending_approvals(),
            approve_changeset(uuid, text, boolean, text, timestamptz)
        TO service_role;
    END IF;
    FOREACH v_role IN ARRAY ARRAY['anon', 'authenticated'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = v_role);
        EXECUTE format('GRANT SELECT ON TABLE changesets, verification_results, verification_policies, approval_queue, '
                       'changeset_status, agent_performance, tier_metrics TO %I', v_role);
    END LOOP;
END
$verification_grants$;
