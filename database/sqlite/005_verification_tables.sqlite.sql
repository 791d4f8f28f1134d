-- Embedded backend: the SQLite twin of PostgreSQL migration 005 (changesets, verification results and
-- policies, the approval queue, the reporting views). Declared types as in 001_core_schema.sqlite.sql.
--
-- SQLite has no enums: the tier, executor and status values are CHECK constraints. Ids and timestamps have
-- SQL defaults (a random version-4 UUID; the current time as TIMESTAMP_TEXT) so rows inserted through the
-- table API get them like on PostgreSQL; the storage functions (Sources/CoordinatorSQLite/Functions) pass
-- their own.

CREATE TABLE changesets (
    id             UUID_TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'
                       || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1)
                       || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
    agent_id       TEXT NOT NULL,
    session_id     TEXT,
    branch_name    TEXT,
    changed_files  JSON_TEXT NOT NULL DEFAULT '[]',
    commit_sha     TEXT,
    description    TEXT,
    status         TEXT NOT NULL DEFAULT 'pending',
    created_at     TIMESTAMP_TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
    updated_at     TIMESTAMP_TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
);
CREATE INDEX idx_changesets_agent ON changesets (agent_id);
CREATE INDEX idx_changesets_status ON changesets (status);

CREATE TABLE verification_results (
    id             UUID_TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'
                       || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1)
                       || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
    changeset_id   UUID_TEXT NOT NULL REFERENCES changesets (id) ON DELETE CASCADE,
    tier           TEXT NOT NULL CHECK (tier IN ('STATIC', 'UNIT', 'INTEGRATION', 'SYSTEM', 'MANUAL')),
    executor       TEXT NOT NULL CHECK (executor IN ('inline', 'github', 'ntm', 'e2b', 'human')),
    status         TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'running', 'success', 'failure', 'cancelled')),
    started_at     TIMESTAMP_TEXT,
    completed_at   TIMESTAMP_TEXT,
    duration_ms    INTEGER,
    result         JSON_TEXT DEFAULT '{}',
    error_message  TEXT,
    created_at     TIMESTAMP_TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
);
CREATE INDEX idx_verification_results_changeset ON verification_results (changeset_id);
CREATE INDEX idx_verification_results_status ON verification_results (status);

CREATE TABLE verification_policies (
    id             UUID_TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'
                       || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1)
                       || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
    name           TEXT NOT NULL UNIQUE,
    description    TEXT,
    file_pattern   TEXT NOT NULL,
    tier           TEXT NOT NULL CHECK (tier IN ('STATIC', 'UNIT', 'INTEGRATION', 'SYSTEM', 'MANUAL')),
    executor       TEXT NOT NULL CHECK (executor IN ('inline', 'github', 'ntm', 'e2b', 'human')),
    config         JSON_TEXT DEFAULT '{}',
    enabled        BOOLEAN NOT NULL DEFAULT 1,
    priority       INTEGER NOT NULL DEFAULT 5,
    created_at     TIMESTAMP_TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
);
CREATE INDEX idx_verification_policies_pattern ON verification_policies (file_pattern);

CREATE TABLE approval_queue (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             UUID_TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'
                       || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1)
                       || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
    changeset_id   UUID_TEXT NOT NULL REFERENCES changesets (id) ON DELETE CASCADE,
    requested_by   TEXT NOT NULL,
    reason         TEXT,
    status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied')),
    reviewed_by    TEXT,
    reviewed_at    TIMESTAMP_TEXT,
    review_notes   TEXT,
    created_at     TIMESTAMP_TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
);
CREATE INDEX idx_approval_queue_status ON approval_queue (status);
CREATE INDEX idx_approval_queue_pending ON approval_queue (created_at, seq) WHERE status = 'pending';

-- Reporting views (same columns as on PostgreSQL).
CREATE VIEW changeset_status AS
SELECT c.id AS changeset_id,
       c.agent_id,
       c.status AS changeset_status,
       c.created_at,
       count(r.id) AS total_checks,
       count(CASE WHEN r.status = 'success' THEN 1 END) AS passed,
       count(CASE WHEN r.status = 'failure' THEN 1 END) AS failed,
       count(CASE WHEN r.status IN ('pending', 'running') THEN 1 END) AS pending_checks
FROM changesets c
LEFT JOIN verification_results r ON r.changeset_id = c.id
GROUP BY c.id, c.agent_id, c.status, c.created_at;

CREATE VIEW agent_performance AS
SELECT c.agent_id,
       count(DISTINCT c.id) AS total_changesets,
       count(CASE WHEN r.status = 'success' THEN 1 END) AS checks_passed,
       count(CASE WHEN r.status = 'failure' THEN 1 END) AS checks_failed,
       CASE WHEN count(r.id) = 0 THEN NULL
            ELSE round(100.0 * count(CASE WHEN r.status = 'success' THEN 1 END) / count(r.id), 2)
       END AS success_rate,
       round(avg(r.duration_ms), 2) AS avg_check_duration_ms
FROM changesets c
LEFT JOIN verification_results r ON r.changeset_id = c.id
GROUP BY c.agent_id;

CREATE VIEW tier_metrics AS
SELECT r.tier,
       r.executor,
       count(*) AS total_runs,
       count(CASE WHEN r.status = 'success' THEN 1 END) AS successes,
       count(CASE WHEN r.status = 'failure' THEN 1 END) AS failures,
       round(avg(r.duration_ms), 2) AS avg_duration_ms,
       max(r.duration_ms) AS max_duration_ms
FROM verification_results r
GROUP BY r.tier, r.executor;
