-- Embedded backend, Phase 1 tables: the SQLite twin of PostgreSQL migrations 001–003.
--
-- Declared column types tell the Swift layer how to convert values (SQLite itself only sees their affinity):
--   TIMESTAMP_TEXT  ISO-8601 UTC text with microseconds (sorts in time order as text)
--   JSON_TEXT       JSON document stored as text
--   TEXT_ARRAY      JSON array of strings stored as text
--   UUID_TEXT       lower-case UUID text
--   BOOLEAN         0 / 1
-- The logic of every storage function lives in Swift (Sources/CoordinatorSQLite/Functions), one
-- BEGIN IMMEDIATE transaction per call.

CREATE TABLE file_locks (
    file_path   TEXT PRIMARY KEY,
    locked_by   TEXT NOT NULL,
    agent_type  TEXT NOT NULL,
    session_id  TEXT,
    locked_at   TIMESTAMP_TEXT NOT NULL,
    expires_at  TIMESTAMP_TEXT NOT NULL,
    reason      TEXT,
    metadata    JSON_TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX idx_file_locks_agent ON file_locks (locked_by);
CREATE INDEX idx_file_locks_expires ON file_locks (expires_at);
CREATE INDEX idx_file_locks_session ON file_locks (session_id);

CREATE TABLE work_queue (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    id                UUID_TEXT NOT NULL UNIQUE,
    task_type         TEXT NOT NULL,
    description       TEXT NOT NULL,
    input_data        JSON_TEXT,
    claimed_by        TEXT,
    claimed_at        TIMESTAMP_TEXT,
    priority          INTEGER NOT NULL DEFAULT 5 CHECK (priority BETWEEN 1 AND 10),
    depends_on        TEXT_ARRAY,
    status            TEXT NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'claimed', 'running', 'completed', 'failed', 'cancelled')),
    result            JSON_TEXT,
    error_message     TEXT,
    created_at        TIMESTAMP_TEXT NOT NULL,
    started_at        TIMESTAMP_TEXT,
    completed_at      TIMESTAMP_TEXT,
    deadline          TIMESTAMP_TEXT,
    attempt_count     INTEGER NOT NULL DEFAULT 0,
    max_attempts      INTEGER NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 100),
    lease_expires_at  TIMESTAMP_TEXT
);
CREATE INDEX idx_work_queue_pending ON work_queue (priority, seq) WHERE status = 'pending';
CREATE INDEX idx_work_queue_lease ON work_queue (lease_expires_at) WHERE status IN ('claimed', 'running');
CREATE INDEX idx_work_queue_claimed_by ON work_queue (claimed_by, status);
CREATE INDEX idx_work_queue_order ON work_queue (priority, seq);
CREATE INDEX idx_work_queue_status ON work_queue (status, priority, seq);

-- Dependency edges, so "which pending tasks wait on X" is an index lookup (PostgreSQL uses GIN on depends_on).
CREATE TABLE work_queue_dependencies (
    dependency_id  UUID_TEXT NOT NULL,
    task_id        UUID_TEXT NOT NULL REFERENCES work_queue (id) ON DELETE CASCADE,
    PRIMARY KEY (dependency_id, task_id)
);
CREATE INDEX idx_work_queue_dependencies_task ON work_queue_dependencies (task_id);

CREATE TABLE agent_sessions (
    id                TEXT PRIMARY KEY,
    agent_id          TEXT NOT NULL,
    agent_type        TEXT NOT NULL,
    task_description  TEXT,
    started_at        TIMESTAMP_TEXT NOT NULL,
    ended_at          TIMESTAMP_TEXT,
    tasks_completed   INTEGER NOT NULL DEFAULT 0,
    files_modified    TEXT_ARRAY NOT NULL DEFAULT '[]',
    metadata          JSON_TEXT NOT NULL DEFAULT '{}',
    capabilities      TEXT_ARRAY NOT NULL DEFAULT '[]',
    status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'idle', 'disconnected')),
    last_heartbeat    TIMESTAMP_TEXT NOT NULL,
    current_task      TEXT
);
CREATE INDEX idx_agent_sessions_agent ON agent_sessions (agent_id);
CREATE INDEX idx_agent_sessions_status ON agent_sessions (status, last_heartbeat);
CREATE INDEX idx_agent_sessions_heartbeat ON agent_sessions (last_heartbeat);

CREATE TABLE handoff_documents (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              UUID_TEXT NOT NULL UNIQUE,
    agent_name      TEXT NOT NULL,
    session_id      TEXT,
    summary         TEXT NOT NULL,
    completed_work  JSON_TEXT NOT NULL DEFAULT '[]',
    in_progress     JSON_TEXT NOT NULL DEFAULT '[]',
    decisions       JSON_TEXT NOT NULL DEFAULT '[]',
    next_steps      JSON_TEXT NOT NULL DEFAULT '[]',
    relevant_files  JSON_TEXT NOT NULL DEFAULT '[]',
    created_at      TIMESTAMP_TEXT NOT NULL
);
CREATE INDEX idx_handoff_documents_agent ON handoff_documents (agent_name, created_at DESC, seq DESC);
CREATE INDEX idx_handoff_documents_session ON handoff_documents (session_id);
