-- 004_memory_tables: agent memory (episodic, working, procedural) and the episodic storage functions.
--
-- Contract: docs/storage-functions.md (Memory). Memories are private to the service: unlike the coordination
-- tables they are NOT world-readable; only the service role (and the owner the coordinator connects as) may
-- read or write them.
--
-- Scoring used by get_relevant_memories (the embedded backend computes the same in Swift):
--   age_days          = max(0, p_now - created_at) in seconds / 86400
--   decayed_relevance = relevance_score * e^(-0.1 * age_days)
--   tag_overlap       = |tags ∩ p_tags| / |distinct p_tags|                 (0 when p_tags is empty)
--   text_match        = text_rank / max(text_rank over the candidates)      (0 without a description or a match)
--   score             = decayed_relevance * (1 + tag_overlap + text_match)
-- text_rank is ts_rank over search_vector (summary weight A, lessons B, string values of details C) for a
-- query that ORs the description's lexemes; the embedded backend uses FTS5 bm25 instead, so only text_match
-- differs between backends (the best text match is 1.0 on both).
--
-- No BEGIN/COMMIT here: the migration runner wraps every file in one transaction.

-- ---------------------------------------------------------------------------------------------------------
-- Full-text document of an episodic memory
-- ---------------------------------------------------------------------------------------------------------

-- IMMUTABLE (explicit text search configuration; text[] to text is immutable), so it can feed a generated
-- column. Details contribute their string values, not their keys.
CREATE FUNCTION memory_search_document(p_summary text, p_details jsonb, p_lessons text[])
RETURNS tsvector
    LANGUAGE sql
    IMMUTABLE
    PARALLEL SAFE
AS $fn$
    SELECT setweight(pg_catalog.to_tsvector('pg_catalog.english'::regconfig, coalesce(p_summary, '')), 'A')
        || setweight(pg_catalog.to_tsvector('pg_catalog.english'::regconfig,
                                            coalesce(pg_catalog.array_to_string(p_lessons, ' '), '')), 'B')
        || setweight(pg_catalog.jsonb_to_tsvector('pg_catalog.english'::regconfig, coalesce(p_details, '{}'::jsonb),
                                                  '["string"]'::jsonb), 'C')
$fn$;

-- The OR of the lexemes of a task description (stop words dropped, words stemmed), or NULL when none remain.
CREATE FUNCTION memory_task_query(p_text text)
RETURNS tsquery
    LANGUAGE sql
    IMMUTABLE
    PARALLEL SAFE
AS $fn$
    SELECT pg_catalog.string_agg(
               '''' || replace(replace(v.lexeme, '\', '\\'), '''', '''''') || '''', ' | ' ORDER BY v.lexeme
           )::tsquery
    FROM pg_catalog.unnest(pg_catalog.to_tsvector('pg_catalog.english'::regconfig, coalesce(p_text, ''))) AS v
$fn$;

-- ---------------------------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------------------------

CREATE TABLE memory_episodic (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id        text NOT NULL,
    session_id      text,                        -- informational, not a foreign key
    event_type      text NOT NULL,               -- error | success | decision | discovery | optimization
    summary         text NOT NULL,
    details         jsonb DEFAULT '{}'::jsonb,
    outcome         text,                        -- positive | negative | neutral
    lessons         text[] DEFAULT '{}',
    tags            text[] DEFAULT '{}',
    relevance_score double precision DEFAULT 1.0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- beyond the original:
    seq             bigint GENERATED ALWAYS AS IDENTITY UNIQUE,   -- insertion order: tie-break for created_at
    search_vector   tsvector GENERATED ALWAYS AS (memory_search_document(summary, details, lessons)) STORED
);

-- Filters by agent and event type, and the dedup lookup (same agent + event type, newest first).
-- (summary itself is not indexed: a B-tree entry is limited to about 2.7 kB.)
CREATE INDEX idx_memory_episodic_agent_event ON memory_episodic (agent_id, event_type, created_at DESC);
CREATE INDEX idx_memory_episodic_event       ON memory_episodic (event_type);
CREATE INDEX idx_memory_episodic_created     ON memory_episodic (created_at DESC);
CREATE INDEX idx_memory_episodic_tags        ON memory_episodic USING gin (tags);
CREATE INDEX idx_memory_episodic_search      ON memory_episodic USING gin (search_vector);

-- Short-lived key/value memory of one session. No storage function uses it yet.
CREATE TABLE memory_working (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id    text NOT NULL,
    session_id  text NOT NULL,
    key         text NOT NULL,
    value       jsonb NOT NULL,
    expires_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (agent_id, session_id, key)           -- its index also serves lookups by (agent_id, session_id)
);

CREATE INDEX idx_memory_working_expires ON memory_working (expires_at) WHERE expires_at IS NOT NULL;

-- Learned skills. No storage function uses it yet.
CREATE TABLE memory_procedural (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    skill_name     text NOT NULL UNIQUE,         -- its index serves lookups by name
    description    text NOT NULL,
    steps          jsonb DEFAULT '[]'::jsonb,
    prerequisites  text[] DEFAULT '{}',
    success_count  integer NOT NULL DEFAULT 0,
    failure_count  integer NOT NULL DEFAULT 0,
    last_used      timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------------------------------------------------
-- Row level security: readable and writable only by the service role. There is no policy for anon or
-- authenticated, so RLS hides every row from them even where a table privilege slips through.
-- ---------------------------------------------------------------------------------------------------------

ALTER TABLE memory_episodic   ENABLE ROW LEVEL SECURITY;
ALTER TABLE memory_working    ENABLE ROW LEVEL SECURITY;
ALTER TABLE memory_procedural ENABLE ROW LEVEL SECURITY;

DO $memory_policies$
DECLARE
    v_table text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        FOREACH v_table IN ARRAY ARRAY['memory_episodic', 'memory_working', 'memory_procedural'] LOOP
            EXECUTE format(
                'CREATE POLICY "service role full access" ON %I FOR ALL TO service_role USING (true) WITH CHECK (true)',
                v_table);
        END LOOP;
    ELSE
        RAISE NOTICE '004: role service_role does not exist; skipping its policies';
    END IF;
END
$memory_policies$;

-- ---------------------------------------------------------------------------------------------------------
-- Episodic memory
-- ---------------------------------------------------------------------------------------------------------

CREATE FUNCTION store_episodic_memory(
    p_agent_id              text,
    p_session_id            text             DEFAULT NULL,
    p_event_type            text             DEFAULT 'discovery',
    p_summary               text             DEFAULT '',
    p_details               jsonb            DEFAULT '{}'::jsonb,
    p_outcome               text             DEFAULT NULL,
    p_lessons               text[]           DEFAULT '{}',
    p_tags                  text[]           DEFAULT '{}',
    p_dedup_window_minutes  integer          DEFAULT 60,
    p_now                   timestamptz      DEFAULT now()
) RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_event    text := coalesce(nullif(btrim(p_event_type, E' \t\r\n\f\v'), ''), 'discovery');
    v_details  jsonb := coalesce(p_details, '{}'::jsonb);
    v_lessons  text[];
    v_tags     text[];
    v_existing memory_episodic%ROWTYPE;
    v_id       uuid;
BEGIN
    IF coalesce(btrim(p_agent_id, E' \t\r\n\f\v'), '') = '' THEN
        RETURN jsonb_build_object('success', false, 'reason', 'invalid_agent_id');
    END IF;
    IF coalesce(btrim(p_summary, E' \t\r\n\f\v'), '') = '' THEN
        RETURN jsonb_build_object('success', false, 'reason', 'invalid_summary');
    END IF;
    IF jsonb_typeof(v_details) <> 'object' THEN
        RETURN jsonb_build_object('success', false, 'reason', 'invalid_details');
    END IF;
    IF p_dedup_window_minutes IS NULL OR p_dedup_window_minutes NOT BETWEEN 0 AND 10080 THEN
        RETURN jsonb_build_object('success', false, 'reason', 'dedup_window_out_of_range');
    END IF;

    -- The given lists without NULLs and repeats, first occurrence first.
    SELECT coalesce(array_agg(x.item ORDER BY x.first_at), '{}') INTO v_lessons
    FROM (SELECT l.item, min(l.ord) AS first_at
          FROM unnest(coalesce(p_lessons, '{}')) WITH ORDINALITY AS l (item, ord)
          WHERE l.item IS NOT NULL GROUP BY l.item) x;
    SELECT coalesce(array_agg(x.item ORDER BY x.first_at), '{}') INTO v_tags
    FROM (SELECT t.item, min(t.ord) AS first_at
          FROM unnest(coalesce(p_tags, '{}')) WITH ORDINALITY AS t (item, ord)
          WHERE t.item IS NOT NULL GROUP BY t.item) x;

    IF p_dedup_window_minutes > 0 THEN
        -- Serialise identical stores (same agent, event type and summary) so concurrent calls cannot both
        -- miss each other's row and insert twice. Class 4 = this migration; the runner's lock uses one bigint.
        PERFORM pg_advisory_xact_lock(4, hashtext(p_agent_id || E'\x1f' || v_event || E'\x1f' || p_summary));

        -- No upper bound on created_at: a concurrent caller whose clock read slightly later must still match.
        SELECT * INTO v_existing
        FROM memory_episodic m
        WHERE m.agent_id = p_agent_id
          AND m.event_type = v_event
          AND m.created_at > p_now - make_interval(mins => p_dedup_window_minutes)
          AND m.summary = p_summary
        ORDER BY m.created_at DESC, m.seq DESC
        LIMIT 1
        FOR UPDATE;

        IF FOUND THEN
            -- Merge: lists keep the stored items first, then the new ones not yet present; details merge
            -- shallowly (a new key's value replaces the stored one); a given outcome replaces the stored one.
            UPDATE memory_episodic m
            SET tags = coalesce(m.tags, '{}') || ARRAY(
                    SELECT t FROM unnest(v_tags) WITH ORDINALITY AS n (t, ord)
                    WHERE NOT (t = ANY (coalesce(m.tags, '{}'))) ORDER BY n.ord),
                lessons = coalesce(m.lessons, '{}') || ARRAY(
                    SELECT l FROM unnest(v_lessons) WITH ORDINALITY AS n (l, ord)
                    WHERE NOT (l = ANY (coalesce(m.lessons, '{}'))) ORDER BY n.ord),
                details = coalesce(m.details, '{}'::jsonb) || v_details,
                outcome = coalesce(p_outcome, m.outcome)
            WHERE m.id = v_existing.id;
            RETURN jsonb_build_object('success', true, 'memory_id', v_existing.id, 'action', 'deduplicated');
        END IF;
    END IF;

    INSERT INTO memory_episodic (agent_id, session_id, event_type, summary, details, outcome, lessons, tags,
                                 created_at)
    VALUES (p_agent_id,
            nullif(btrim(p_session_id, E' \t\r\n\f\v'), ''),
            v_event,
            p_summary,
            v_details,
            p_outcome,
            v_lessons,
            v_tags,
            p_now)
    RETURNING id INTO v_id;

    RETURN jsonb_build_object('success', true, 'memory_id', v_id, 'action', 'created');
END
$fn$;

CREATE FUNCTION get_relevant_memories(
    p_agent_id          text             DEFAULT NULL,
    p_tags              text[]           DEFAULT '{}',
    p_event_type        text             DEFAULT NULL,
    p_limit             integer          DEFAULT 10,
    p_min_relevance     double precision DEFAULT 0.0,
    p_task_description  text             DEFAULT NULL,
    p_now               timestamptz      DEFAULT now()
) RETURNS jsonb
    LANGUAGE plpgsql
    STABLE
    SECURITY INVOKER
    SET search_path = public
AS $fn$
DECLARE
    v_agent  text := nullif(btrim(p_agent_id, E' \t\r\n\f\v'), '');
    v_event  text := nullif(btrim(p_event_type, E' \t\r\n\f\v'), '');
    v_limit  integer := least(greatest(coalesce(p_limit, 10), 1), 100);
    v_min    double precision := coalesce(p_min_relevance, 0.0);
    v_query  tsquery := memory_task_query(p_task_description);
    v_tags   text[];
    v_result jsonb;
BEGIN
    SELECT coalesce(array_agg(DISTINCT t), '{}') INTO v_tags
    FROM unnest(coalesce(p_tags, '{}')) AS t WHERE t IS NOT NULL;

    WITH candidates AS (
        SELECT m.*,
               m.relevance_score
                   * exp(-0.1 * greatest(extract(epoch FROM (p_now - m.created_at))::double precision, 0.0) / 86400.0)
                   AS decayed_relevance,
               CASE WHEN cardinality(v_tags) = 0 THEN 0.0
                    ELSE (SELECT count(DISTINCT t) FROM unnest(m.tags) AS t WHERE t = ANY (v_tags))::double precision
                         / cardinality(v_tags)
               END AS tag_overlap,
               CASE WHEN v_query IS NOT NULL AND m.search_vector @@ v_query
                    THEN ts_rank(m.search_vector, v_query)::double precision
                    ELSE 0.0
               END AS text_rank
        FROM memory_episodic m
        WHERE (v_agent IS NULL OR m.agent_id = v_agent)
          AND (v_event IS NULL OR m.event_type = v_event)
          AND (cardinality(v_tags) = 0 OR m.tags && v_tags)
    ),
    normalised AS (
        SELECT c.*,
               coalesce(c.text_rank / nullif(max(c.text_rank) OVER (), 0.0), 0.0) AS text_match
        FROM candidates c
    ),
    scored AS (
        SELECT n.*, n.decayed_relevance * (1.0 + n.tag_overlap + n.text_match) AS score
        FROM normalised n
    ),
    chosen AS (
        SELECT *
        FROM scored s
        WHERE s.score >= v_min
        ORDER BY s.score DESC, s.created_at DESC, s.seq DESC
        LIMIT v_limit
    )
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('id', c.id,
                                  'agent_id', c.agent_id,
                                  'session_id', c.session_id,
                                  'event_type', c.event_type,
                                  'summary', c.summary,
                                  'details', coalesce(c.details, '{}'::jsonb),
                                  'outcome', c.outcome,
                                  'lessons', to_jsonb(coalesce(c.lessons, '{}')),
                                  'tags', to_jsonb(coalesce(c.tags, '{}')),
                                  'relevance_score', c.relevance_score,
                                  'decayed_relevance', c.decayed_relevance,
                                  'tag_overlap', c.tag_overlap,
                                  'text_match', c.text_match,
                                  'score', c.score,
                                  'created_at', c.created_at)
               ORDER BY c.score DESC, c.created_at DESC, c.seq DESC),
           '[]'::jsonb)
    INTO v_result
    FROM chosen c;

    RETURN v_result;
END
$fn$;

-- ---------------------------------------------------------------------------------------------------------
-- Privileges: the service role only. 000's default privileges gave anon/authenticated SELECT on new tables
-- (Supabase's give them more, and EXECUTE on new functions), so take those back explicitly.
-- ---------------------------------------------------------------------------------------------------------

REVOKE ALL ON FUNCTION
    store_episodic_memory(text, text, text, text, jsonb, text, text[], text[], integer, timestamptz),
    get_relevant_memories(text, text[], text, integer, double precision, text, timestamptz)
FROM PUBLIC;

DO $memory_grants$
DECLARE
    v_role text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        GRANT ALL ON TABLE memory_episodic, memory_working, memory_procedural TO service_role;
        GRANT EXECUTE ON FUNCTION
            store_episodic_memory(text, text, text, text, jsonb, text, text[], text[], integer, timestamptz),
            get_relevant_memories(text, text[], text, integer, double precision, text, timestamptz),
            memory_search_document(text, jsonb, text[]),
            memory_task_query(text)
        TO service_role;
    END IF;
    FOREACH v_role IN ARRAY ARRAY['anon', 'authenticated'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = v_role);
        EXECUTE format('REVOKE ALL ON TABLE memory_episodic, memory_working, memory_procedural FROM %I', v_role);
        EXECUTE format(
            'REVOKE ALL ON FUNCTION store_episodic_memory(text, text, text, text, jsonb, text, text[], text[], integer, timestamptz), '
            'get_relevant_memories(text, text[], text, integer, double precision, text, timestamptz) FROM %I',
            v_role);
    END LOOP;
END
$memory_grants$;
