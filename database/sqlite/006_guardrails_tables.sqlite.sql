-- Embedded backend: the SQLite twin of PostgreSQL migration 006 (the guardrail pattern registry with its
-- 15 default patterns, and the violation log). Declared types as in 001_core_schema.sqlite.sql; ids and
-- timestamps have SQL defaults as in 005.
--
-- The patterns are the same literal regular expressions as on PostgreSQL; check_guardrails
-- (Sources/CoordinatorSQLite/Functions/GuardrailFunctions.swift) searches them case-insensitively.

CREATE TABLE operation_guardrails (
    id               UUID_TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'
                         || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1)
                         || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
    name             TEXT NOT NULL UNIQUE,
    category         TEXT NOT NULL,
    pattern          TEXT NOT NULL,
    severity         TEXT NOT NULL DEFAULT 'block' CHECK (severity IN ('block', 'warn', 'log')),
    description      TEXT,
    min_trust_level  INTEGER NOT NULL DEFAULT 3,
    enabled          BOOLEAN NOT NULL DEFAULT 1,
    created_at       TIMESTAMP_TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
);
CREATE INDEX idx_operation_guardrails_category ON operation_guardrails (category);
CREATE INDEX idx_operation_guardrails_enabled ON operation_guardrails (enabled) WHERE enabled;

CREATE TABLE guardrail_violations (
    id              UUID_TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'
                        || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1)
                        || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
    agent_id        TEXT NOT NULL,
    agent_type      TEXT,
    pattern_name    TEXT NOT NULL,
    category        TEXT NOT NULL,
    operation_text  TEXT NOT NULL,
    matched_text    TEXT,
    blocked         BOOLEAN NOT NULL DEFAULT 1,
    trust_level     INTEGER,
    context         JSON_TEXT DEFAULT '{}',
    created_at      TIMESTAMP_TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
    elevated        BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX idx_guardrail_violations_agent ON guardrail_violations (agent_id);
CREATE INDEX idx_guardrail_violations_pattern ON guardrail_violations (pattern_name);
CREATE INDEX idx_guardrail_violations_created ON guardrail_violations (created_at DESC);

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
     'Publishing a package requires approval');
