-- Embedded backend: the SQLite twin of PostgreSQL migration 009 (domain rules with the 7 global allow rules,
-- and the access log). Declared types as in 001_core_schema.sqlite.sql; ids and timestamps have SQL
-- defaults as in 005.

CREATE TABLE network_policies (
    id              UUID_TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'
                        || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1)
                        || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
    profile_id      UUID_TEXT REFERENCES agent_profiles (id) ON DELETE CASCADE,
    domain_pattern  TEXT NOT NULL,
    action          TEXT NOT NULL DEFAULT 'allow' CHECK (action IN ('allow', 'deny')),
    priority        INTEGER NOT NULL DEFAULT 5,
    description     TEXT,
    enabled         BOOLEAN NOT NULL DEFAULT 1,
    created_at      TIMESTAMP_TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
);
CREATE INDEX idx_network_policies_profile ON network_policies (profile_id);
CREATE INDEX idx_network_policies_domain ON network_policies (domain_pattern);

CREATE TABLE network_access_log (
    id          UUID_TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'
                    || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1)
                    || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
    agent_id    TEXT NOT NULL,
    domain      TEXT NOT NULL,
    allowed     BOOLEAN NOT NULL,
    policy_id   UUID_TEXT REFERENCES network_policies (id) ON DELETE SET NULL,
    reason      TEXT,
    created_at  TIMESTAMP_TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
);
CREATE INDEX idx_network_access_log_agent ON network_access_log (agent_id);
CREATE INDEX idx_network_access_log_domain ON network_access_log (domain);
CREATE INDEX idx_network_access_log_created ON network_access_log (created_at DESC);

INSERT INTO network_policies (profile_id, domain_pattern, action, priority, description)
VALUES
    (NULL, 'github.com',             'allow', 1, 'GitHub'),
    (NULL, '*.github.com',           'allow', 1, 'GitHub subdomains'),
    (NULL, 'api.github.com',         'allow', 1, 'GitHub API'),
    (NULL, 'registry.npmjs.org',     'allow', 2, 'npm registry'),
    (NULL, 'pypi.org',               'allow', 2, 'Python package index'),
    (NULL, 'files.pythonhosted.org', 'allow', 2, 'Python package downloads'),
    (NULL, '*.supabase.co',          'allow', 1, 'Supabase projects');
