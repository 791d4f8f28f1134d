-- 002_handoff_documents: session handoff documents and their storage functions.
--
-- session_id deliberately has NO foreign key to agent_sessions: a handoff written for a session that was
-- never registered must succeed (the original's FK made such writes fail).
--
-- No BEGIN/COMMIT here: the migration runner wraps every file in one transaction.

CREATE TABLE handoff_documents (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_name     text NOT NULL,
    session_id     text,
    summary        text NOT NULL,
    completed_work jsonb DEFAULT '[]'::jsonb,
    in_progress    jsonb DEFAULT '[]'::jsonb,
    decisions      jsonb DEFAULT '[]'::jsonb,
    next_steps     jsonb DEFAULT '[]'::jsonb,
    relevant_files jsonb DEFAULT '[]'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    seq            bigint GENERATED ALWAYS AS IDENTITY UNIQUE   -- insertion order: tie-break for created_at
);

CREATE INDEX idx_handoff_documents_agent   ON handoff_documents (agent_name, created_at DESC);
CREATE INDEX idx_handoff_documents_session ON handoff_documents (session_id);

ALTER TABLE handoff_documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY "read for all" ON handoff_documents FOR SELECT USING (true);

DO $handoff_policies$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        CREATE POLICY "service role full access" ON handoff_documents
            FOR ALL TO service_role USING (true) WITH CHECK (true);
    ELSE
        RAISE NOTICE '002: role service_role does not exist; skipping its policy';
    END IF;
END
$handoff_policies$;

CREATE FUNCTION write_handoff(
    p_agent_name     text,
    p_session_id     text        DEFAULT NULL,
    p_summary        text        DEFAULT NULL,
    p_completed_work jsonb       DEFAULT '[]'::jsonb,
    p_in_progress    jsonb       DEFAULT '[]'::jsonb,
    p_decisions      jsonb       DEFAULT '[]'::jsonb,
    p_next_steps     jsonb       DEFAULT '[]'::jsonb,
    p_relevant_files jsonb       DEFAULT '[]'::jsonb,
    p_now            timestamptz DEFAULT now()
) RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_id uuid;
BEGIN
    IF coalesce(btrim(p_agent_name, E' \t\r\n\f\v'), '') = '' THEN
        RETURN jsonb_build_object('success', false, 'error', 'invalid_agent_name', 'reason', 'invalid_agent_name');
    END IF;
    IF coalesce(btrim(p_summary, E' \t\r\n\f\v'), '') = '' THEN
        RETURN jsonb_build_object('success', false, 'error', 'summary_required', 'reason', 'summary_required');
    END IF;

    INSERT INTO handoff_documents (agent_name, session_id, summary, completed_work, in_progress, decisions,
                                   next_steps, relevant_files, created_at)
    VALUES (p_agent_name,
            nullif(btrim(p_session_id, E' \t\r\n\f\v'), ''),
            p_summary,
            coalesce(p_completed_work, '[]'::jsonb),
            coalesce(p_in_progress, '[]'::jsonb),
            coalesce(p_decisions, '[]'::jsonb),
            coalesce(p_next_steps, '[]'::jsonb),
            coalesce(p_relevant_files, '[]'::jsonb),
            p_now)
    RETURNING id INTO v_id;

    RETURN jsonb_build_object('success', true, 'handoff_id', v_id);
END
$fn$;

CREATE FUNCTION read_handoff(
    p_agent_name text    DEFAULT NULL,
    p_limit      integer DEFAULT 1
) RETURNS jsonb
    LANGUAGE plpgsql
    STABLE
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_agent    text := nullif(btrim(p_agent_name, E' \t\r\n\f\v'), '');
    v_limit    integer := least(greatest(coalesce(p_limit, 1), 1), 100);
    v_handoffs jsonb;
BEGIN
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('id', h.id,
                                  'agent_name', h.agent_name,
                                  'session_id', h.session_id,
                                  'summary', h.summary,
                                  'completed_work', h.completed_work,
                                  'in_progress', h.in_progress,
                                  'decisions', h.decisions,
                                  'next_steps', h.next_steps,
                                  'relevant_files', h.relevant_files,
                                  'created_at', h.created_at)
               ORDER BY h.created_at DESC, h.seq DESC),
           '[]'::jsonb)
    INTO v_handoffs
    FROM (
        SELECT *
        FROM handoff_documents d
        WHERE v_agent IS NULL OR d.agent_name = v_agent
        ORDER BY d.created_at DESC, d.seq DESC
        LIMIT v_limit
    ) h;

    RETURN jsonb_build_object('handoffs', v_handoffs);
END
$fn$;

DO $handoff_grants$
DECLARE
    v_role text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        GRANT ALL ON TABLE handoff_documents TO service_role;
        GRANT EXECUTE ON FUNCTION
            write_handoff(text, text, text, jsonb, jsonb, jsonb, jsonb, jsonb, timestamptz),
            read_handoff(text, integer)
        TO service_role;
    END IF;
    FOREACH v_role IN ARRAY ARRAY['anon', 'authenticated'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = v_role);
        EXECUTE format('GRANT SELECT ON TABLE handoff_documents TO %I', v_role);
    END LOOP;
END
$handoff_grants$;
