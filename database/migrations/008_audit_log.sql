-- 008_audit_log: the immutable audit trail (one row per coordination operation) and its storage functions.
--
-- Contract: docs/storage-functions.md (Audit). Rows are written in batches by record_audit_entries and are never
-- changed afterwards:
--   * a BEFORE UPDATE OR DELETE row trigger raises for every role, the table owner and superusers included, and a
--     BEFORE TRUNCATE statement trigger refuses TRUNCATE; both are ENABLE ALWAYS, so they also fire with
--     session_replication_role = replica;
--   * the one exception is retention: cleanup_old_audit_entries sets the transaction-local setting
--     coordinator.audit_prune_cutoff, and while it is set the trigger lets a DELETE through for rows created
--     before that cutoff, provided the cutoff itself is at least one day in the past by the server's clock.
--     UPDATE is never allowed. Setting it by hand therefore cannot remove anything younger than a day, and
--     nothing can rewrite an entry. No trigger is ever disabled (that would need an ACCESS EXCLUSIVE lock).
--   * the application role service_role may only SELECT and INSERT; anon and authenticated have no access.
-- Dropping the triggers or the table is DDL by the owner and outside what a trigger can guard.
--
-- duration_ms is double precision (milliseconds with fractions): most calls take well under a millisecond,
-- which an integer column would record as 0.
-- seq is beyond the original: insertion order, the tie-break of entries with the same created_at.
--
-- No BEGIN/COMMIT here: the migration runner wraps every file in one transaction.

CREATE TABLE audit_log (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id      text NOT NULL,
    agent_type    text,
    operation     text NOT NULL,
    parameters    jsonb DEFAULT '{}'::jsonb,
    result        jsonb DEFAULT '{}'::jsonb,
    duration_ms   double precision,
    success       boolean,
    error_message text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    seq           bigint GENERATED ALWAYS AS IDENTITY UNIQUE
);

CREATE INDEX idx_audit_log_created_at      ON audit_log (created_at DESC, seq DESC);
CREATE INDEX idx_audit_log_agent_operation ON audit_log (agent_id, operation);
CREATE INDEX idx_audit_log_operation       ON audit_log (operation);

-- ---------------------------------------------------------------------------------------------------------
-- Immutability
-- ---------------------------------------------------------------------------------------------------------

CREATE FUNCTION raise_immutable_error() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, public
AS $fn$
DECLARE
    v_setting text;
    v_cutoff  timestamptz;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'Audit log entries are immutable — TRUNCATE is prohibited'
            USING ERRCODE = 'restrict_violation',
                  HINT = 'Entries older than the retention window are removed by cleanup_old_audit_entries().';
    END IF;
    IF TG_OP = 'DELETE' THEN
        v_setting := current_setting('coordinator.audit_prune_cutoff', true);
        IF coalesce(v_setting, '') <> '' THEN
            -- Text that is not a timestamp makes this cast fail, which refuses the DELETE as well.
            v_cutoff := v_setting::timestamptz;
            IF v_cutoff <= pg_catalog.now() - interval '1 day' AND OLD.created_at < v_cutoff THEN
                RETURN OLD;
            END IF;
        END IF;
    END IF;
    RAISE EXCEPTION 'Audit log entries are immutable — UPDATE and DELETE are prohibited'
        USING ERRCODE = 'restrict_violation',
              HINT = 'Entries older than the retention window are removed by cleanup_old_audit_entries().';
END
$fn$;

CREATE TRIGGER prevent_audit_modification
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION raise_immutable_error();

CREATE TRIGGER prevent_audit_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION raise_immutable_error();

ALTER TABLE audit_log ENABLE ALWAYS TRIGGER prevent_audit_modification;
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER prevent_audit_truncate;

-- ---------------------------------------------------------------------------------------------------------
-- Row level security: readable and insertable by the service role only; no UPDATE or DELETE policy exists.
-- The coordinator itself connects as the table owner (or a superuser), which RLS does not restrict; the
-- triggers above restrict it.
-- ---------------------------------------------------------------------------------------------------------

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;

DO $audit_policies$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        CREATE POLICY "service role reads" ON audit_log FOR SELECT TO service_role USING (true);
        CREATE POLICY "service role inserts" ON audit_log FOR INSERT TO service_role WITH CHECK (true);
    ELSE
        RAISE NOTICE '008: role service_role does not exist; skipping its policies';
    END IF;
END
$audit_policies$;

-- ---------------------------------------------------------------------------------------------------------
-- Storage functions
-- ---------------------------------------------------------------------------------------------------------

-- Inserts a batch of entries in one statement (one round trip per batch). p_entries is a JSON array of
-- objects {agent_id, agent_type, operation, parameters, result, duration_ms, success, error_message, created_at};
-- created_at defaults to now(), parameters and result to {}. A batch with a malformed entry inserts nothing.
CREATE FUNCTION record_audit_entries(
    p_entries jsonb
) RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = pg_catalog, public
AS $fn$
DECLARE
    v_bad      bigint;
    v_inserted integer;
BEGIN
    IF p_entries IS NULL OR jsonb_typeof(p_entries) <> 'array' THEN
        RETURN jsonb_build_object('success', false, 'reason', 'invalid_entries',
                                  'detail', 'p_entries must be a JSON array of objects');
    END IF;

    SELECT min(e.ordinality) - 1
    INTO v_bad
    FROM jsonb_array_elements(p_entries) WITH ORDINALITY AS e (value, ordinality)
    WHERE jsonb_typeof(e.value) <> 'object'
       OR coalesce(btrim(e.value ->> 'agent_id', E' \t\r\n\f\v'), '') = ''
       OR coalesce(btrim(e.value ->> 'operation', E' \t\r\n\f\v'), '') = '';
    IF v_bad IS NOT NULL THEN
        RETURN jsonb_build_object('success', false, 'reason', 'invalid_entry', 'index', v_bad,
                                  'detail', 'every entry must be an object with a non-blank agent_id and operation');
    END IF;

    INSERT INTO audit_log (agent_id, agent_type, operation, parameters, result, duration_ms, success,
                           error_message, created_at)
    SELECT e.value ->> 'agent_id',
           e.value ->> 'agent_type',
           e.value ->> 'operation',
           coalesce(nullif(e.value -> 'parameters', 'null'::jsonb), '{}'::jsonb),
           coalesce(nullif(e.value -> 'result', 'null'::jsonb), '{}'::jsonb),
           (e.value ->> 'duration_ms')::double precision,
           (e.value ->> 'success')::boolean,
           e.value ->> 'error_message',
           coalesce((e.value ->> 'created_at')::timestamptz, now())
    FROM jsonb_array_elements(p_entries) WITH ORDINALITY AS e (value, ordinality)
    ORDER BY e.ordinality;
    GET DIAGNOSTICS v_inserted = ROW_COUNT;

    RETURN jsonb_build_object('success', true, 'inserted', v_inserted);
END
$fn$;

-- Retention: deletes the entries created before (p_now - p_retention_days). p_now later than the server's
-- clock is treated as now(), so a caller cannot reach into the window by passing a future time. Runs as the
-- owner (SECURITY DEFINER): the service role has no DELETE privilege of its own.
CREATE FUNCTION cleanup_old_audit_entries(
    p_retention_days integer     DEFAULT 90,
    p_now            timestamptz DEFAULT now()
) RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, public
AS $fn$
DECLARE
    v_now     timestamptz := least(coalesce(p_now, now()), now());
    v_cutoff  timestamptz;
    v_deleted integer;
BEGIN
    IF p_retention_days IS NULL OR p_retention_days < 1 OR p_retention_days > 36500 THEN
        RETURN jsonb_build_object('success', false, 'reason', 'retention_days_out_of_range',
                                  'retention_days', p_retention_days,
                                  'detail', 'retention_days must be between 1 and 36500');
    END IF;
    v_cutoff := v_now - make_interval(days => p_retention_days);

    PERFORM set_config('coordinator.audit_prune_cutoff',
                       to_char(v_cutoff AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), true);
    DELETE FROM public.audit_log WHERE created_at < v_cutoff;
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    PERFORM set_config('coordinator.audit_prune_cutoff', '', true);

    RETURN jsonb_build_object('success', true, 'entries_deleted', v_deleted, 'retention_days', p_retention_days,
                              'cutoff', v_cutoff);
END
$fn$;

-- ---------------------------------------------------------------------------------------------------------
-- Privileges: insert-only for the application role (000's default privileges granted it ALL, and SELECT to
-- anon/authenticated); the functions are not callable by PUBLIC.
-- ---------------------------------------------------------------------------------------------------------

REVOKE ALL ON TABLE audit_log FROM PUBLIC;
REVOKE ALL ON FUNCTION raise_immutable_error() FROM PUBLIC;
REVOKE ALL ON FUNCTION record_audit_entries(jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION cleanup_old_audit_entries(integer, timestamptz) FROM PUBLIC;

DO $audit_grants$
DECLARE
    v_role text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        REVOKE ALL ON TABLE audit_log FROM service_role;
        GRANT SELECT, INSERT ON TABLE audit_log TO service_role;
        REVOKE ALL ON FUNCTION raise_immutable_error() FROM service_role;
        GRANT EXECUTE ON FUNCTION
            record_audit_entries(jsonb),
            cleanup_old_audit_entries(integer, timestamptz)
        TO service_role;
    END IF;
    FOREACH v_role IN ARRAY ARRAY['anon', 'authenticated'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = v_role);
        EXECUTE format('REVOKE ALL ON TABLE audit_log FROM %I', v_role);
        EXECUTE format('REVOKE ALL ON FUNCTION record_audit_entries(jsonb) FROM %I', v_role);
        EXECUTE format('REVOKE ALL ON FUNCTION cleanup_old_audit_entries(integer, timestamptz) FROM %I', v_role);
    END LOOP;
END
$audit_grants$;
