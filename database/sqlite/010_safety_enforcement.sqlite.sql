-- Embedded backend: the SQLite twin of PostgreSQL migration 010 (seed updates). The storage functions it
-- changes (is_domain_allowed) or adds (queue_guardrail_approval) are Swift functions of the SQLite backend.
-- Seeds are updated only while they still hold the value 006/007 wrote, so an operator's edits are kept.

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

UPDATE agent_profiles SET allowed_operations = '["acquire_lock","release_lock","check_locks","get_work","complete_work","submit_work","write_handoff","read_handoff","register_session","discover_agents","heartbeat","remember","recall","check_guardrails","get_my_profile","query_audit","lock_status","get_task","list_tasks","renew_task_lease","cancel_task","check_network","list_guardrails"]', updated_at = (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
WHERE name = 'claude-code-cli' AND allowed_operations = '["acquire_lock","release_lock","check_locks","get_work","complete_work","submit_work","write_handoff","read_handoff","register_session","discover_agents","heartbeat","remember","recall","check_guardrails","get_my_profile","query_audit"]';
UPDATE agent_profiles SET max_execution_time_seconds = NULL, updated_at = (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
WHERE name = 'claude-code-cli' AND max_execution_time_seconds = 300;
UPDATE agent_profiles SET allowed_operations = '["check_locks","read_handoff","discover_agents","recall","check_guardrails","get_my_profile","query_audit","lock_status","get_task","list_tasks","check_network","list_guardrails"]', updated_at = (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
WHERE name = 'claude-code-web-reviewer' AND allowed_operations = '["check_locks","read_handoff","discover_agents","recall","check_guardrails","get_my_profile","query_audit"]';
UPDATE agent_profiles SET max_execution_time_seconds = 1800, updated_at = (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
WHERE name = 'claude-code-web-reviewer' AND max_execution_time_seconds = 300;
UPDATE agent_profiles SET allowed_operations = '["acquire_lock","release_lock","check_locks","get_work","complete_work","submit_work","write_handoff","read_handoff","register_session","discover_agents","heartbeat","remember","recall","check_guardrails","get_my_profile","query_audit","lock_status","get_task","list_tasks","renew_task_lease","cancel_task","check_network","list_guardrails"]', updated_at = (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
WHERE name = 'claude-code-web-implementer' AND allowed_operations = '["acquire_lock","release_lock","check_locks","get_work","complete_work","submit_work","write_handoff","read_handoff","register_session","discover_agents","heartbeat","remember","recall","check_guardrails","get_my_profile","query_audit"]';
UPDATE agent_profiles SET max_execution_time_seconds = 7200, updated_at = (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
WHERE name = 'claude-code-web-implementer' AND max_execution_time_seconds = 300;
UPDATE agent_profiles SET allowed_operations = '["acquire_lock","release_lock","check_locks","get_work","complete_work","submit_work","register_session","heartbeat","remember","recall","check_guardrails","get_my_profile","lock_status","get_task","list_tasks","renew_task_lease","cancel_task","check_network","list_guardrails"]', updated_at = (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
WHERE name = 'codex-cloud-worker' AND allowed_operations = '["acquire_lock","release_lock","check_locks","get_work","complete_work","submit_work","register_session","heartbeat","remember","recall","check_guardrails","get_my_profile"]';
UPDATE agent_profiles SET max_execution_time_seconds = 3600, updated_at = (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
WHERE name = 'codex-cloud-worker' AND max_execution_time_seconds = 300;
UPDATE agent_profiles SET allowed_operations = '["acquire_lock","release_lock","check_locks","get_work","complete_work","submit_work","write_handoff","read_handoff","register_session","discover_agents","heartbeat","remember","recall","check_guardrails","get_my_profile","query_audit","cleanup_dead_agents","lock_status","get_task","list_tasks","renew_task_lease","cancel_task","check_network","list_guardrails"]', updated_at = (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
WHERE name = 'strands-orchestrator' AND allowed_operations = '["acquire_lock","release_lock","check_locks","get_work","complete_work","submit_work","write_handoff","read_handoff","register_session","discover_agents","heartbeat","remember","recall","check_guardrails","get_my_profile","query_audit","cleanup_dead_agents"]';
UPDATE agent_profiles SET max_execution_time_seconds = 28800, updated_at = (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
WHERE name = 'strands-orchestrator' AND max_execution_time_seconds = 300;

-- Elevated operations (see the PostgreSQL migration): the trusted seeds list '*'.
ALTER TABLE agent_profiles ADD COLUMN elevated_operations TEXT_ARRAY DEFAULT '[]';
UPDATE agent_profiles SET elevated_operations = '["*"]', updated_at = (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
WHERE name IN ('claude-code-cli', 'strands-orchestrator');
