-- 006_guardrails_tables: the destructive-operation pattern registry (seeded with the 15 defaults), the
-- violation log, and check_guardrails.
--
-- Contract: docs/storage-functions.md (Guardrails). Additive only: no table of 000–003 is altered.
-- Re-running the file by hand is harmless: tables, indexes and policies are created only when absent, seeds
-- are inserted only when their name is missing (an operator's edits to a seeded pattern are kept), the
-- function is replaced.
--
-- No BEGIN/COMMIT here: the migration runner wraps every file in one transaction.

-- ---------------------------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS operation_guardrails (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name            text NOT NULL UNIQUE,
    category        text NOT NULL,                -- git | file | database | credential | deployment
    pattern         text NOT NULL,                -- regular expression, searched case-insensitively
    severity        text NOT NULL DEFAULT 'block' CHECK (severity IN ('block', 'warn', 'log')),
    description     text,
    -- Trust level at or above which a match no longer blocks: it is reported and logged as elevated instead.
    -- Does not apply to the credential category, which blocks at every trust level.
    min_trust_level integer NOT NULL DEFAULT 3,
    enabled         boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_operation_guardrails_category ON operation_guardrails (category);
CREATE INDEX IF NOT EXISTS idx_operation_guardrails_enabled  ON operation_guardrails (enabled) WHERE enabled;

-- One row per pattern match check_guardrails reported for an identified agent. Insert-only (see grants).
CREATE TABLE IF NOT EXISTS guardrail_violations (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id       text NOT NULL,
    agent_type     text,
    pattern_name   text NOT NULL,
    category       text NOT NULL,
    operation_text text NOT NULL,                 -- first 500 characters of the checked text
    matched_text   text,                          -- first 200 characters of the match
    blocked        boolean NOT NULL DEFAULT true,
    trust_level    integer,
    context        jsonb DEFAULT '{}'::jsonb,     -- {severity}
    created_at     timestamptz NOT NULL DEFAULT now(),
    -- beyond the original: the match was allowed because the agent's trust reached the pattern's threshold.
    elevated       boolean NOT NULL DEFAULT false
);

CREATE INDEX IF NOT EXISTS idx_guardrail_violations_agent   ON guardrail_violations (agent_id);
CREATE INDEX IF NOT EXISTS idx_guardrail_violations_pattern ON guardrail_violations (pattern_name);
CREATE INDEX IF NOT EXISTS idx_guardrail_violations_created ON guardrail_violations (created_at DESC);

-- ---------------------------------------------------------------------------------------------------------
-- The 15 default patterns (literal regular expressions; standard_conforming_strings keeps '\' as is).
-- ---------------------------------------------------------------------------------------------------------

INSERT INTO operation_guardrails (name, category, pattern, severity, min_trust_level, description)
VALUES
    ('git_force_push',     'git',        'git\s+push\s+.*--force',                                'block', 3,
     'Force push overwrites the remote history'),
    ('git_reset_hard',     'git',        'git\s+reset\s+--hard',                                  'block', 3,
     'Hard reset discards uncommitted changes'),
    ('git_clean_force',    'git',        'git\s+clean\s+-[fd]',                                   'block', 3,
     'git clean removes untracked files'),
    ('git_branch_delete',  'git',        'git\s+(branch\s+-D|push\s+.*--delete)',                 'warn',  3,
     'Deleting a branch may lose work'),
    ('rm_recursive_force', 'file',       'rm\s+-r[f]?\s+/',                                       'block', 4,
     'Recursive delete from the root is destructive'),
    ('rm_rf',              'file',       'rm\s+-rf\s+',                                           'block', 3,
     'Forced recursive delete is destructive'),
    ('find_delete',        'file',       'find\s+.*-delete',                                      'warn',  3,
     'find -delete can remove many files at once'),
    ('drop_table',         'database',   'DROP\s+TABLE',                                          'block', 4,
     'Dropping a table destroys its data'),
    ('truncate_table',     'database',   'TRUNCATE\s+',                                           'block', 4,
     'Truncating a table destroys its data'),
    ('delete_no_where',    'database',   'DELETE\s+FROM\s+\w+\s*;',                               'block', 3,
     'DELETE without WHERE removes every row'),
    ('env_file_modify',    'credential', '\.(env|env\.local|env\.production)',                    'warn',  2,
     'Environment files may contain secrets'),
    ('credentials_file',   'credential', '(credentials|secrets|passwords)\.(json|yaml|yml|txt)',  'warn',  2,
     'Credential files must not be modified by agents'),
    ('ssh_key_modify',     'credential', '\.ssh/(id_rsa|id_ed25519|authorized_keys)',             'block', 4,
     'Changing SSH keys is security-sensitive'),
    ('deploy_command',     'deployment', '(kubectl\s+apply|terraform\s+apply|docker\s+push)',     'block', 3,
     'Production deployment requires approval'),
    ('npm_publish',        'deployment', 'npm\s+publish',                                         'block', 3,
     'Publishing a package requires approval')
ON CONFLICT (name) DO NOTHING;

-- ---------------------------------------------------------------------------------------------------------
-- Row level security. Patterns: world-readable, written by the service role. Violations: world-readable,
-- and the service role may only add rows (no UPDATE/DELETE policy, and no UPDATE/DELETE grant below).
-- ---------------------------------------------------------------------------------------------------------

ALTER TABLE operation_guardrails ENABLE ROW LEVEL SECURITY;
ALTER TABLE guardrail_violations ENABLE ROW LEVEL SECURITY;

DO $guardrail_policies$
DECLARE
    v_table text;
    v_service boolean := EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role');
BEGIN
    FOREACH v_table IN ARRAY ARRAY['operation_guardrails', 'guardrail_violations'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policies
                       WHERE schemaname = 'public' AND tablename = v_table AND policyname = 'read for all') THEN
            EXECUTE format('CREATE POLICY "read for all" ON %I FOR SELECT USING (true)', v_table);
        END IF;
    END LOOP;
    IF NOT v_service THEN
        RAISE NOTICE '006: role service_role does not exist; skipping its policies';
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policies WHERE schemaname = 'public'
                   AND tablename = 'operation_guardrails' AND policyname = 'service role full access') THEN
        CREATE POLICY "service role full access" ON operation_guardrails
            FOR ALL TO service_role USING (true) WITH CHECK (true);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policies WHERE schemaname = 'public'
                   AND tablename = 'guardrail_violations' AND policyname = 'service role insert') THEN
        CREATE POLICY "service role insert" ON guardrail_violations
            FOR INSERT TO service_role WITH CHECK (true);
    END IF;
END
$guardrail_policies$;

-- ---------------------------------------------------------------------------------------------------------
-- check_guardrails
-- ---------------------------------------------------------------------------------------------------------

-- Searches p_operation_text with every enabled pattern (case-insensitive, anywhere in the text) and reports
-- every match:
--   * credential category: blocked, at every trust level;
--   * trust level below the pattern's min_trust_level: blocked when the severity is 'block' (warn/log: reported);
--   * trust level at or above it: not blocked but reported as elevated, so the bypass is visible and logged.
-- safe = no match blocked. When p_agent_id is given each match is logged in guardrail_violations.
CREATE OR REPLACE FUNCTION check_guardrails(
    p_operation_text text,
    p_agent_id       text        DEFAULT NULL,
    p_trust_level    integer     DEFAULT 2,
    p_now            timestamptz DEFAULT now()
) RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_text       text := coalesce(p_operation_text, '');
    v_agent      text := nullif(btrim(p_agent_id, E' \t\r\n\f\v'), '');
    v_guard      operation_guardrails%ROWTYPE;
    v_matched    text;
    v_blocked    boolean;
    v_elevated   boolean;
    v_safe       boolean := true;
    v_violations jsonb := '[]'::jsonb;
BEGIN
    IF p_trust_level IS NULL OR p_trust_level < 0 OR p_trust_level > 4 THEN
        RETURN jsonb_build_object('success', false, 'reason', 'trust_level_out_of_range');
    END IF;

    FOR v_guard IN SELECT * FROM operation_guardrails WHERE enabled ORDER BY name COLLATE "C" LOOP
        CONTINUE WHEN NOT (v_text ~* v_guard.pattern);
        -- The whole match (subexpression 0), whatever groups the pattern has.
        v_matched := left(regexp_substr(v_text, v_guard.pattern, 1, 1, 'i'), 200);

        IF v_guard.category = 'credential' THEN
            v_blocked := true;
            v_elevated := false;
        ELSIF p_trust_level >= v_guard.min_trust_level THEN
            v_blocked := false;
            v_elevated := true;
        ELSE
            v_blocked := v_guard.severity = 'block';
            v_elevated := false;
        END IF;
        v_safe := v_safe AND NOT v_blocked;

        v_violations := v_violations || jsonb_build_array(jsonb_build_object(
            'pattern_name', v_guard.name,
            'category', v_guard.category,
            'severity', v_guard.severity,
            'blocked', v_blocked,
            'elevated', v_elevated,
            'matched_text', v_matched));

        IF v_agent IS NOT NULL THEN
            INSERT INTO guardrail_violations (agent_id, pattern_name, category, operation_text, matched_text,
                                              blocked, elevated, trust_level, context, created_at)
            VALUES (v_agent, v_guard.name, v_guard.category, left(v_text, 500), v_matched,
                    v_blocked, v_elevated, p_trust_level, jsonb_build_object('severity', v_guard.severity), p_now);
        END IF;
    END LOOP;

    RETURN jsonb_build_object('success', true, 'safe', v_safe, 'violations', v_violations);
END
$fn$;

DO $guardrail_grants$
DECLARE
    v_role text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        GRANT ALL ON TABLE operation_guardrails TO service_role;
        -- The default privileges of 000 gave the service role everything on new tables: the log keeps only
        -- reading and adding.
        REVOKE ALL ON TABLE guardrail_violations FROM service_role;
        GRANT SELECT, INSERT ON TABLE guardrail_violations TO service_role;
        GRANT EXECUTE ON FUNCTION check_guardrails(text, text, integer, timestamptz) TO service_role;
    END IF;
    FOREACH v_role IN ARRAY ARRAY['anon', 'authenticated'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = v_role);
        EXECUTE format('GRANT SELECT ON TABLE operation_guardrails, guardrail_violations TO %I', v_role);
    END LOOP;
END
$guardrail_grants$;
