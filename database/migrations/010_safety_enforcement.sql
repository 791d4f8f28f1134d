-- 010_safety_enforcement: what the safety layer (guardrails, profiles, network policies) needs beyond 006–009:
-- sharper seeded guardrail patterns, seeded profiles that know the operations added since the original, session
-- limits from the original specification, a network decision where deny beats allow with a per-agent-type
-- default, and the approval request a blocked credential-file operation files.
--
-- Contract: docs/storage-functions.md (Guardrails, Profiles, Network policies). Additive only. Seeds are updated
-- only while they still hold the value 006/007 wrote, so an operator's edits are kept. Re-running the file by
-- hand is harmless.
--
-- No BEGIN/COMMIT here: the migration runner wraps every file in one transaction.

-- ---------------------------------------------------------------------------------------------------------
-- Guardrail seeds. The coordinator matches these per canonical command line (docs/guardrails.md): every
-- category that the specification says blocks now has severity 'block' (branch deletion and find -delete were
-- 'warn'; credential files were 'warn', and credentials block at every trust level anyway), and the patterns
-- that flagged harmless text (TRUNCATE in prose, '.env' inside os.environ) or missed common spellings
-- (schema-qualified tables, ~/.aws/credentials, helm/terraform destroy, other package registries) are sharper.
-- ---------------------------------------------------------------------------------------------------------

UPDATE operation_guardrails SET pattern = 'git\s+(branch\s+-D|push\s+.*--delete)', severity = 'block'
WHERE name = 'git_branch_delete' AND pattern = 'git\s+(branch\s+-D|push\s+.*--delete)' AND severity = 'warn';
UPDATE operation_guardrails SET pattern = '(rm\s+-rf\s+|shutil\.rmtree\(|rmSync\([^)]*recursive|File::Path.*rmtree|FileUtils\.rm_r)', severity = 'block'
WHERE name = 'rm_rf' AND pattern = 'rm\s+-rf\s+' AND severity = 'block';
UPDATE operation_guardrails SET pattern = 'find\s+.*-delete', severity = 'block'
WHERE name = 'find_delete' AND pattern = 'find\s+.*-delete' AND severity = 'warn';
UPDATE operation_guardrails SET pattern = '(DROP\s+(TABLE|DATABASE|SCHEMA)|dropdb\s+[^;\s]|mysqladmin\s.*\sdrop\s)', severity = 'block'
WHERE name = 'drop_table' AND pattern = 'DROP\s+TABLE' AND severity = 'block';
UPDATE operation_guardrails SET pattern = 'TRUNCATE\s+(TABLE\s+|ONLY\s+)?[\w."`]+(\s*,\s*[\w."`]+)*(\s+(CASCADE|RESTRICT|RESTART\s+IDENTITY|CONTINUE\s+IDENTITY))*\s*;', severity = 'block'
WHERE name = 'truncate_table' AND pattern = 'TRUNCATE\s+' AND severity = 'block';
UPDATE operation_guardrails SET pattern = 'DELETE\s+FROM\s+(ONLY\s+)?[\w."`]+(\s+(AS\s+)?\w+)?(\s+WHERE\s+(1\s*=\s*1|true))?(\s+RETURNING\s+[^;]*)?\s*;', severity = 'block'
WHERE name = 'delete_no_where' AND pattern = 'DELETE\s+FROM\s+\w+\s*;' AND severity = 'block';
UPDATE operation_guardrails SET pattern = '(^|[\s/=<>:"''@])[\w.-]*\.env(\.(local|production|prod|development|dev|staging|test))?([\s;"'']|$)', severity = 'block'
WHERE name = 'env_file_modify' AND pattern = '\.(env|env\.local|env\.production)' AND severity = 'warn';
UPDATE operation_guardrails SET pattern = '(/[\w.-]*(credentials|secrets|passwords)([\s;"''/]|$)|(^|[\s/=<>:"''@])[\w.-]*(credentials|secrets|passwords)[\w-]*\.(json|ya?ml|txt|toml|ini|env|xml|conf|cfg|properties|csv))', severity = 'block'
WHERE name = 'credentials_file' AND pattern = '(credentials|secrets|passwords)\.(json|yaml|yml|txt)' AND severity = 'warn';
UPDATE operation_guardrails SET pattern = '\.ssh/(id_[\w-]+([\s;"'']|$)|authorized_keys)', severity = 'block'
WHERE name = 'ssh_key_modify' AND pattern = '\.ssh/(id_rsa|id_ed25519|authorized_keys)' AND severity = 'block';
UPDATE operation_guardrails SET pattern = '(kubectl\s+(apply|create|delete|replace|patch)|terraform\s+(apply|destroy)|docker\s+(push|buildx\s+build\s.*--push)|helm\s+(install|upgrade|uninstall|delete))', severity = 'block'
WHERE name = 'deploy_command' AND pattern = '(kubectl\s+apply|terraform\s+apply|docker\s+push)' AND severity = 'block';
UPDATE operation_guardrails SET pattern = '((npm|pnpm|yarn)\s+publish|cargo\s+publish|twine\s+upload)', severity = 'block'
WHERE name = 'npm_publish' AND pattern = 'npm\s+publish' AND severity = 'block';

-- ---------------------------------------------------------------------------------------------------------
-- Elevated operations: which guardrail matches a profile may carry out at or above a pattern's trust threshold
-- (pattern names, categories, or '*' for every category but credential). A match at that trust that the list
-- does not name still blocks. The trusted seeds (the local CLI and the orchestrator) list '*'.
-- ---------------------------------------------------------------------------------------------------------

ALTER TABLE agent_profiles ADD COLUMN IF NOT EXISTS elevated_operations text[] DEFAULT '{}';
UPDATE agent_profiles SET elevated_operations = '{*}', updated_at = now()
WHERE name IN ('claude-code-cli', 'strands-orchestrator') AND elevated_operations = '{}';

-- ---------------------------------------------------------------------------------------------------------
-- Profile seeds: the operations added since the original (lock_status, get_task, list_tasks, renew_task_lease,
-- cancel_task, check_network) join the allowlists, and the session limits of the specification replace the
-- table default of 300 seconds (claude-code-cli: unlimited = NULL).
-- ---------------------------------------------------------------------------------------------------------

UPDATE agent_profiles SET allowed_operations = '{acquire_lock,release_lock,check_locks,get_work,complete_work,submit_work,write_handoff,read_handoff,register_session,discover_agents,heartbeat,remember,recall,check_guardrails,get_my_profile,query_audit,lock_status,get_task,list_tasks,renew_task_lease,cancel_task,check_network,list_guardrails}', updated_at = now()
WHERE name = 'claude-code-cli' AND allowed_operations = '{acquire_lock,release_lock,check_locks,get_work,complete_work,submit_work,write_handoff,read_handoff,register_session,discover_agents,heartbeat,remember,recall,check_guardrails,get_my_profile,query_audit}';
UPDATE agent_profiles SET max_execution_time_seconds = NULL, updated_at = now()
WHERE name = 'claude-code-cli' AND max_execution_time_seconds = 300;
UPDATE agent_profiles SET allowed_operations = '{check_locks,read_handoff,discover_agents,recall,check_guardrails,get_my_profile,query_audit,lock_status,get_task,list_tasks,check_network,list_guardrails}', updated_at = now()
WHERE name = 'claude-code-web-reviewer' AND allowed_operations = '{check_locks,read_handoff,discover_agents,recall,check_guardrails,get_my_profile,query_audit}';
UPDATE agent_profiles SET max_execution_time_seconds = 1800, updated_at = now()
WHERE name = 'claude-code-web-reviewer' AND max_execution_time_seconds = 300;
UPDATE agent_profiles SET allowed_operations = '{acquire_lock,release_lock,check_locks,get_work,complete_work,submit_work,write_handoff,read_handoff,register_session,discover_agents,heartbeat,remember,recall,check_guardrails,get_my_profile,query_audit,lock_status,get_task,list_tasks,renew_task_lease,cancel_task,check_network,list_guardrails}', updated_at = now()
WHERE name = 'claude-code-web-implementer' AND allowed_operations = '{acquire_lock,release_lock,check_locks,get_work,complete_work,submit_work,write_handoff,read_handoff,register_session,discover_agents,heartbeat,remember,recall,check_guardrails,get_my_profile,query_audit}';
UPDATE agent_profiles SET max_execution_time_seconds = 7200, updated_at = now()
WHERE name = 'claude-code-web-implementer' AND max_execution_time_seconds = 300;
UPDATE agent_profiles SET allowed_operations = '{acquire_lock,release_lock,check_locks,get_work,complete_work,submit_work,register_session,heartbeat,remember,recall,check_guardrails,get_my_profile,lock_status,get_task,list_tasks,renew_task_lease,cancel_task,check_network,list_guardrails}', updated_at = now()
WHERE name = 'codex-cloud-worker' AND allowed_operations = '{acquire_lock,release_lock,check_locks,get_work,complete_work,submit_work,register_session,heartbeat,remember,recall,check_guardrails,get_my_profile}';
UPDATE agent_profiles SET max_execution_time_seconds = 3600, updated_at = now()
WHERE name = 'codex-cloud-worker' AND max_execution_time_seconds = 300;
UPDATE agent_profiles SET allowed_operations = '{acquire_lock,release_lock,check_locks,get_work,complete_work,submit_work,write_handoff,read_handoff,register_session,discover_agents,heartbeat,remember,recall,check_guardrails,get_my_profile,query_audit,cleanup_dead_agents,lock_status,get_task,list_tasks,renew_task_lease,cancel_task,check_network,list_guardrails}', updated_at = now()
WHERE name = 'strands-orchestrator' AND allowed_operations = '{acquire_lock,release_lock,check_locks,get_work,complete_work,submit_work,write_handoff,read_handoff,register_session,discover_agents,heartbeat,remember,recall,check_guardrails,get_my_profile,query_audit,cleanup_dead_agents}';
UPDATE agent_profiles SET max_execution_time_seconds = 28800, updated_at = now()
WHERE name = 'strands-orchestrator' AND max_execution_time_seconds = 300;

-- ---------------------------------------------------------------------------------------------------------
-- is_domain_allowed, second version: deny beats allow, and the caller says what an unmatched domain gets.
-- ---------------------------------------------------------------------------------------------------------

DROP FUNCTION IF EXISTS is_domain_allowed(text, text, text, timestamptz);

-- Decides whether an agent may reach a domain, and logs the decision.
-- The agent's profile is the one get_agent_profile resolves (assignment, else its type's default). Candidate
-- rules: enabled, global or of that profile, whose pattern names the domain: exactly, or as '*.suffix' with
-- at least one label before the suffix. Any candidate deny rule decides (denylist_match); else any allow rule
-- (allowlist_match); the rule reported is profile-specific before global, then the lowest priority number.
-- No rule: p_default_allow decides (default_allow / default_deny). The coordinator passes the domain already
-- normalised (IDN labels in their xn-- form); here it is only trimmed, lower-cased and stripped of trailing dots.
CREATE OR REPLACE FUNCTION is_domain_allowed(
    p_agent_id      text,
    p_domain        text,
    p_agent_type    text        DEFAULT 'claude_code',
    p_now           timestamptz DEFAULT now(),
    p_default_allow boolean     DEFAULT false
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
    ORDER BY (n.action = 'allow'), (n.profile_id IS NULL), n.priority, n.created_at, n.id
    LIMIT 1;

    IF FOUND THEN
        v_allowed := v_rule.action = 'allow';
        v_reason := CASE WHEN v_allowed THEN 'allowlist_match' ELSE 'denylist_match' END;
    ELSE
        v_allowed := coalesce(p_default_allow, false);
        v_reason := CASE WHEN v_allowed THEN 'default_allow' ELSE 'default_deny' END;
    END IF;

    INSERT INTO network_access_log (agent_id, domain, allowed, policy_id, reason, created_at)
    VALUES (p_agent_id, v_domain, v_allowed, v_rule.id, v_reason, p_now);

    RETURN jsonb_build_object('success', true, 'allowed', v_allowed, 'domain', v_domain,
                              'reason', v_reason, 'policy_id', v_rule.id);
END
$fn$;

-- ---------------------------------------------------------------------------------------------------------
-- queue_guardrail_approval: a blocked credential-file operation asks a human (approval_queue).
-- ---------------------------------------------------------------------------------------------------------

-- Files a pending approval for an operation the guardrails refused: a changeset (author, the operation text as
-- its description, the files it names) and its approval request. An identical request (same agent, same text)
-- that is still pending is returned instead of a second one, so an agent retrying does not flood reviewers.
CREATE OR REPLACE FUNCTION queue_guardrail_approval(
    p_agent_id       text,
    p_operation_text text,
    p_reason         text,
    p_file_paths     jsonb       DEFAULT '[]'::jsonb,
    p_session_id     text        DEFAULT NULL,
    p_now            timestamptz DEFAULT now()
) RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_text      text := left(coalesce(p_operation_text, ''), 2000);
    v_changeset uuid;
    v_approval  uuid;
BEGIN
    IF coalesce(btrim(p_agent_id, E' \t\r\n\f\v'), '') = '' THEN
        RETURN jsonb_build_object('success', false, 'reason', 'invalid_agent_id');
    END IF;
    IF p_file_paths IS NULL OR jsonb_typeof(p_file_paths) <> 'array' THEN
        RETURN jsonb_build_object('success', false, 'reason', 'invalid_file_paths');
    END IF;

    -- Two identical requests at once: the second waits here and then finds the first.
    PERFORM pg_advisory_xact_lock(hashtextextended('guardrail_approval:' || p_agent_id || ':' || v_text, 0));

    SELECT a.id, a.changeset_id INTO v_approval, v_changeset
    FROM approval_queue a JOIN changesets c ON c.id = a.changeset_id
    WHERE a.status = 'pending' AND c.agent_id = p_agent_id AND c.description = v_text
    ORDER BY a.created_at, a.seq
    LIMIT 1;
    IF FOUND THEN
        RETURN jsonb_build_object('success', true, 'approval_id', v_approval, 'changeset_id', v_changeset,
                                  'created', false);
    END IF;

    INSERT INTO changesets (agent_id, session_id, changed_files, description, status, created_at, updated_at)
    VALUES (p_agent_id, p_session_id, p_file_paths, v_text, 'pending', p_now, p_now)
    RETURNING id INTO v_changeset;
    INSERT INTO approval_queue (changeset_id, requested_by, reason, created_at)
    VALUES (v_changeset, p_agent_id, p_reason, p_now)
    RETURNING id INTO v_approval;

    RETURN jsonb_build_object('success', true, 'approval_id', v_approval, 'changeset_id', v_changeset,
                              'created', true);
END
$fn$;

DO $safety_grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        GRANT EXECUTE ON FUNCTION is_domain_allowed(text, text, text, timestamptz, boolean) TO service_role;
        GRANT EXECUTE ON FUNCTION queue_guardrail_approval(text, text, text, jsonb, text, timestamptz) TO service_role;
    END IF;
END
$safety_grants$;
