-- Embedded backend: the SQLite twin of PostgreSQL migration 008 (the immutable audit trail).
--
-- Declared column types as in 001_core_schema.sqlite.sql (TIMESTAMP_TEXT, JSON_TEXT, UUID_TEXT, BOOLEAN; REAL for
-- duration_ms, milliseconds with fractions).
--
-- Immutability: UPDATE of an entry always aborts; DELETE aborts unless audit_prune_window holds a cutoff that is
-- at least one day in the past (by SQLite's clock) and the entry was created before it. Only the storage function
-- cleanup_old_audit_entries (Sources/CoordinatorSQLite/Functions/AuditFunctions.swift) writes that row, and it
-- inserts, deletes and removes the row again inside one BEGIN IMMEDIATE transaction, so no other connection ever
-- sees it. (Whoever can write the database file can of course drop a trigger; the triggers guard every path the
-- coordinator and its storage API offer.)

CREATE TABLE audit_log (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             UUID_TEXT NOT NULL UNIQUE,
    agent_id       TEXT NOT NULL,
    agent_type     TEXT,
    operation      TEXT NOT NULL,
    parameters     JSON_TEXT NOT NULL DEFAULT '{}',
    result         JSON_TEXT NOT NULL DEFAULT '{}',
    duration_ms    REAL,
    success        BOOLEAN,
    error_message  TEXT,
    created_at     TIMESTAMP_TEXT NOT NULL
);
CREATE INDEX idx_audit_log_created_at ON audit_log (created_at DESC, seq DESC);
CREATE INDEX idx_audit_log_agent_operation ON audit_log (agent_id, operation);
CREATE INDEX idx_audit_log_operation ON audit_log (operation);

-- At most one row: the cutoff of the prune running in the current transaction.
CREATE TABLE audit_prune_window (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    cutoff  TIMESTAMP_TEXT NOT NULL
);

CREATE TRIGGER prevent_audit_update
BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'Audit log entries are immutable — UPDATE and DELETE are prohibited');
END;

CREATE TRIGGER prevent_audit_delete
BEFORE DELETE ON audit_log
WHEN NOT EXISTS (
    SELECT 1 FROM audit_prune_window w
    WHERE OLD.created_at < w.cutoff
      AND w.cutoff <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 day')
)
BEGIN
    SELECT RAISE(ABORT, 'Audit log entries are immutable — UPDATE and DELETE are prohibited');
END;
