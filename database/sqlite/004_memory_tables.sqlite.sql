-- Embedded backend: the SQLite twin of PostgreSQL migration 004 (agent memory).
--
-- Declared column types as in 001_core_schema.sqlite.sql (TIMESTAMP_TEXT, JSON_TEXT, TEXT_ARRAY, UUID_TEXT).
-- Full-text search: memory_episodic_fts (FTS5, Porter stemming) holds each memory's summary, the string values
-- of its details and its lessons, under the memory's seq as rowid; the triggers below keep it in sync.
-- The logic of store_episodic_memory and get_relevant_memories lives in Swift
-- (Sources/CoordinatorSQLite/Functions/MemoryFunctions.swift), one BEGIN IMMEDIATE transaction per call.

CREATE TABLE memory_episodic (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               UUID_TEXT NOT NULL UNIQUE,
    agent_id         TEXT NOT NULL,
    session_id       TEXT,
    event_type       TEXT NOT NULL,
    summary          TEXT NOT NULL,
    details          JSON_TEXT NOT NULL DEFAULT '{}',
    outcome          TEXT,
    lessons          TEXT_ARRAY NOT NULL DEFAULT '[]',
    tags             TEXT_ARRAY NOT NULL DEFAULT '[]',
    relevance_score  REAL NOT NULL DEFAULT 1.0,
    created_at       TIMESTAMP_TEXT NOT NULL
);
CREATE INDEX idx_memory_episodic_agent_event ON memory_episodic (agent_id, event_type, created_at DESC);
CREATE INDEX idx_memory_episodic_event ON memory_episodic (event_type);
CREATE INDEX idx_memory_episodic_created ON memory_episodic (created_at DESC);

-- Tag membership, so "memories sharing one of these tags" is an index lookup (PostgreSQL uses GIN on tags).
CREATE TABLE memory_episodic_tags (
    tag  TEXT NOT NULL,
    seq  INTEGER NOT NULL REFERENCES memory_episodic (seq) ON DELETE CASCADE,
    PRIMARY KEY (tag, seq)
);
CREATE INDEX idx_memory_episodic_tags_seq ON memory_episodic_tags (seq);

CREATE VIRTUAL TABLE memory_episodic_fts USING fts5 (summary, details, lessons, tokenize = 'porter unicode61');

CREATE TRIGGER memory_episodic_after_insert AFTER INSERT ON memory_episodic BEGIN
    INSERT INTO memory_episodic_fts (rowid, summary, details, lessons)
    VALUES (new.seq,
            new.summary,
            coalesce((SELECT group_concat(value, ' ') FROM json_tree(new.details) WHERE type = 'text'), ''),
            coalesce((SELECT group_concat(value, ' ') FROM json_each(new.lessons)), ''));
    INSERT OR IGNORE INTO memory_episodic_tags (tag, seq)
    SELECT value, new.seq FROM json_each(new.tags) WHERE type = 'text';
END;

CREATE TRIGGER memory_episodic_after_update AFTER UPDATE OF summary, details, lessons, tags ON memory_episodic BEGIN
    UPDATE memory_episodic_fts
    SET summary = new.summary,
        details = coalesce((SELECT group_concat(value, ' ') FROM json_tree(new.details) WHERE type = 'text'), ''),
        lessons = coalesce((SELECT group_concat(value, ' ') FROM json_each(new.lessons)), '')
    WHERE rowid = new.seq;
    DELETE FROM memory_episodic_tags WHERE seq = new.seq;
    INSERT OR IGNORE INTO memory_episodic_tags (tag, seq)
    SELECT value, new.seq FROM json_each(new.tags) WHERE type = 'text';
END;

CREATE TRIGGER memory_episodic_after_delete AFTER DELETE ON memory_episodic BEGIN
    DELETE FROM memory_episodic_fts WHERE rowid = old.seq;
END;

CREATE TABLE memory_working (
    id          UUID_TEXT PRIMARY KEY,
    agent_id    TEXT NOT NULL,
    session_id  TEXT NOT NULL,
    key         TEXT NOT NULL,
    value       JSON_TEXT NOT NULL,
    expires_at  TIMESTAMP_TEXT,
    created_at  TIMESTAMP_TEXT NOT NULL,
    updated_at  TIMESTAMP_TEXT NOT NULL,
    UNIQUE (agent_id, session_id, key)
);
CREATE INDEX idx_memory_working_expires ON memory_working (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE memory_procedural (
    id             UUID_TEXT PRIMARY KEY,
    skill_name     TEXT NOT NULL UNIQUE,
    description    TEXT NOT NULL,
    steps          JSON_TEXT NOT NULL DEFAULT '[]',
    prerequisites  TEXT_ARRAY NOT NULL DEFAULT '[]',
    success_count  INTEGER NOT NULL DEFAULT 0,
    failure_count  INTEGER NOT NULL DEFAULT 0,
    last_used      TIMESTAMP_TEXT,
    created_at     TIMESTAMP_TEXT NOT NULL,
    updated_at     TIMESTAMP_TEXT NOT NULL
);
