-- 009_network_policies: per-profile and global domain rules (seeded with 7 global allow rules), the access
-- log, and is_domain_allowed.
--
-- Contract: docs/storage-functions.md (Network policies). Additive only: no table of 000–003 is altered.
-- Needs 007 (agent_profiles, get_agent_profile). Re-running the file by hand is harmless: tables, indexes
-- and policies are created only when absent, seeds only when missing, the function is replaced.
--
-- No BEGIN/COMMIT here: the migration runner wraps every file in one transaction.

CREATE TABLE IF NOT EXISTS network_policies (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    profile_id     uuid REFERENCES agent_profiles (id) ON DELETE CASCADE,   -- NULL = global rule
    domain_pattern text NOT NULL,                 -- exact domain, or '*.suffix' (one or more labels before suffix)
    action         text NOT NULL DEFAULT 'allow' CHECK (action IN ('allow', 'deny')),
    priority       integer NOT NULL DEFAULT 5,    -- lower number wins
    description    text,
    enabled        boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_network_policies_profile ON network_policies (profile_id);
CREATE INDEX IF NOT EXISTS idx_network_policies_domain  ON network_policies (domain_pattern);

-- One row per decision of is_domain_allowed. Insert-only (see grants).
CREATE TABLE IF NOT EXISTS network_access_log (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id   text NOT NULL,
    domain     text NOT NULL,
    allowed    boolean NOT NULL,
    -- The deciding rule; a deleted rule leaves the log row in place without it.
    policy_id  uuid REFERENCES network_policies (id) ON DELETE SET NULL,
    reason     text,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_network_access_log_agent   ON network_access_log (agent_id);
CREATE INDEX IF NOT EXISTS idx_network_access_log_domain  ON network_access_log (domain);
CREATE INDEX IF NOT EXISTS idx_network_access_log_created ON network_access_log (created_at DESC);

-- ---------------------------------------------------------------------------------------------------------
-- Seeds: the 7 global allow rules (source control, package registries, Supabase).
-- ---------------------------------------------------------------------------------------------------------

INSERT INTO network_policies (profile_id, domain_pattern, action, priority, description)
SELECT NULL, s.domain_pattern, 'allow', s.priority, s.description
FROM (VALUES
    ('github.com',             1, 'GitHub'),
    ('*.github.com',           1, 'GitHub subdomains'),
    ('api.github.com',         1, 'GitHub API'),
    ('registry.npmjs.org',     2, 'npm registry'),
    ('pypi.org',               2, 'Python package index'),
    ('files.pythonhosted.org', 2, 'Python package downloads'),
    ('*.supabase.co',          1, 'Supabase projects')
) AS s (domain_pattern, priority, description)
WHERE NOT EXISTS (
    SELECT 1 FROM network_policies n WHERE n.profile_id IS NULL AND n.domain_pattern = s.domain_pattern);

-- ---------------------------------------------------------------------------------------------------------
-- Row level security. Rules: world-readable, written by the service role. Log: world-readable, and the
-- service role may only add rows (no UPDATE/DELETE policy, and no UPDATE/DELETE grant below).
-- ---------------------------------------------------------------------------------------------------------

ALTER TABLE network_policies   ENABLE ROW LEVEL SECURITY;
ALTER TABLE network_access_log ENABLE ROW LEVEL SECURITY;

DO $network_policies_rls$
DECLARE
    v_table text;
    v_service boolean := EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role');
BEGIN
    FOREACH v_table IN ARRAY ARRAY['network_policies', 'network_access_log'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policies
                       WHERE schemaname = 'public' AND tablename = v_table AND policyname = 'read for all') THEN
            EXECUTE format('CREATE POLICY "read for all" ON %I FOR SELECT USING (true)', v_table);
        END IF;
    END LOOP;
    IF NOT v_service THEN
        RAISE NOTICE '009: role service_role does not exist; skipping its policies';
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policies WHERE schemaname = 'public'
                   AND tablename = 'network_policies' AND policyname = 'service role full access') THEN
        CREATE POLICY "service role full access" ON network_policies
            FOR ALL TO service_role USING (true) WITH CHECK (true);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policies WHERE schemaname = 'public'
                   AND tablename = 'network_access_log' AND policyname = 'service role insert') THEN
        CREATE POLICY "service role insert" ON network_access_log
            FOR INSERT TO service_role WITH CHECK (true);
    END IF;
END
$network_policies_rls$;

-- ---------------------------------------------------------------------------------------------------------
-- is_domain_allowed
-- ---------------------------------------------------------------------------------------------------------

-- Decides whether an agent may reach a domain, and logs the decision.
-- The agent's profile is the one get_agent_profile resolves (assignment, else its type's default). Candidate
-- rules: enabled, global or of that profile, whose pattern names the domain: exactly, or as '*.suffix' with
-- at least one label before the suffix ('*.example.com' matches 'a.example.com', not 'example.com'). Domains
-- and patterns compare case-insensitively; no character but the leading '*' is a wildcard. The rule that
-- decides: profile-specific before global, then the lowest priority number, then deny before allow.
-- No rule: denied (default deny).
CREATE OR REPLACE FUNCTION is_domain_allowed(
    p_agent_id   text,
    p_domain     text,
    p_agent_type text        DEFAULT 'claude_code',
    p_now        timestamptz DEFAULT now()
) RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_domain  text := rtrim(lower(btrim(p_domain, E' \t\r\n\f\v')), '.');
    v_profile uuid;
    v_rule    network_policies%ROWTYPE;
    v_allowed boolean;
    v_reason  text;
BEGIN
    IF coalesce(btrim(p_agent_id, E' \t\r\n\f\v'), '') = '' THEN
        RETURN jsonb_build_object('success', false, 'reason', 'invalid_agent_id');
    END IF;
    -- A domain is a host name: a '*' or white space in it is not one (and would read as a pattern).
    IF coalesce(v_domain, '') = '' OR strpos(v_domain, '*') > 0 OR v_domain ~ '\s' THEN
        RETURN jsonb_build_object('success', false, 'reason', 'invalid_domain');
    END IF;

    v_profile := (get_agent_profile(p_agent_id, p_agent_type) -> 'profile' ->> 'id')::uuid;

    SELECT n.* INTO v_rule
    FROM network_policies n
    WHERE n.enabled
      AND (n.profile_id IS NULL OR n.profile_id = v_profile)
      AND CASE WHEN left(n.domain_pattern, 2) = '*.'
               THEN length(v_domain) > length(n.domain_pattern) - 1
                    AND right(v_domain, length(n.domain_pattern) - 1) = lower(substr(n.domain_pattern, 2))
               ELSE lower(n.domain_pattern) = v_domain
          END
    ORDER BY (n.profile_id IS NULL), n.priority, (n.action = 'allow'), n.created_at, n.id
    LIMIT 1;

    IF FOUND THEN
        v_allowed := v_rule.action = 'allow';
        v_reason := CASE WHEN v_allowed THEN 'allowlist_match' ELSE 'denylist_match' END;
    ELSE
        v_allowed := false;
        v_reason := 'no_matching_policy';
    END IF;

    INSERT INTO network_access_log (agent_id, domain, allowed, policy_id, reason, created_at)
    VALUES (p_agent_id, v_domain, v_allowed, v_rule.id, v_reason, p_now);

    RETURN jsonb_build_object('success', true, 'allowed', v_allowed, 'domain', v_domain,
                              'reason', v_reason, 'policy_id', v_rule.id);
END
$fn$;

DO $network_grants$
DECLARE
    v_role text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        GRANT ALL ON TABLE network_policies TO service_role;
        -- The default privileges of 000 gave the service role everything on new tables: the log keeps only
        -- reading and adding.
        REVOKE ALL ON TABLE network_access_log FROM service_role;
        GRANT SELECT, INSERT ON TABLE network_access_log TO service_role;
        GRANT EXECUTE ON FUNCTION is_domain_allowed(text, text, text, timestamptz) TO service_role;
    END IF;
    FOREACH v_role IN ARRAY ARRAY['anon', 'authenticated'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = v_role);
        EXECUTE format('GRANT SELECT ON TABLE network_policies, network_access_log TO %I', v_role);
    END LOOP;
END
$network_grants$;
