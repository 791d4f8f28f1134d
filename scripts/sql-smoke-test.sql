-- Smoke test of every storage function and reason code in docs/storage-functions.md (PostgreSQL backend).
--
--   psql -X -v ON_ERROR_STOP=1 -f scripts/sql-smoke-test.sql "$COORDINATOR_TEST_POSTGRES_DSN"
--
-- Needs migrations 000-003 (and 008 for the audit section) applied. Runs in one transaction that empties the
-- coordination tables first and is rolled back at the end, so the database is left as it was. Any failed
-- expectation raises and (with ON_ERROR_STOP) makes psql exit non-zero. Every call passes an explicit p_now, so
-- nothing sleeps.

\set ON_ERROR_STOP 1
\pset pager off
SET client_min_messages = notice;

BEGIN;

TRUNCATE file_locks, work_queue, agent_sessions, handoff_documents;

-- Assertion helpers (session-private).
CREATE FUNCTION pg_temp.expect(p_label text, p_actual jsonb, p_expected jsonb) RETURNS jsonb
    LANGUAGE plpgsql AS $$
BEGIN
    IF p_actual IS NULL OR NOT (p_actual @> p_expected) THEN
        RAISE EXCEPTION 'FAILED %: got %, expected it to contain %', p_label, p_actual, p_expected;
    END IF;
    RETURN p_actual;
END $$;

CREATE FUNCTION pg_temp.expect_keys(p_label text, p_actual jsonb, p_keys text[]) RETURNS jsonb
    LANGUAGE plpgsql AS $$
DECLARE
    v_keys text[];
BEGIN
    SELECT array_agg(k ORDER BY k) INTO v_keys FROM jsonb_object_keys(p_actual) AS k;
    IF v_keys IS DISTINCT FROM (SELECT array_agg(k ORDER BY k) FROM unnest(p_keys) AS k) THEN
        RAISE EXCEPTION 'FAILED %: keys %, expected % (value %)', p_label, v_keys, p_keys, p_actual;
    END IF;
    RETURN p_actual;
END $$;

CREATE FUNCTION pg_temp.check(p_label text, p_condition boolean) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF p_condition IS NOT TRUE THEN
        RAISE EXCEPTION 'FAILED %', p_label;
    END IF;
END $$;

-- ============================================================================================================
-- Locks
-- ============================================================================================================
DO $locks$
DECLARE
    t0 constant timestamptz := '2030-01-01 00:00:00+00';
    r jsonb;
    v_lock file_locks%ROWTYPE;
BEGIN
    -- validation, in order
    PERFORM pg_temp.expect_keys('acquire blank path keys',
        pg_temp.expect('acquire blank path', acquire_lock('', 'a', 't', p_now => t0),
                       '{"success":false,"reason":"invalid_file_path"}'), ARRAY['success','reason']);
    PERFORM pg_temp.expect('acquire whitespace path', acquire_lock(E' \t', 'a', 't', p_now => t0),
                           '{"success":false,"reason":"invalid_file_path"}');
    PERFORM pg_temp.expect('acquire NULL path + blank agent', acquire_lock(NULL, '', 't', p_now => t0),
                           '{"success":false,"reason":"invalid_file_path"}');
    PERFORM pg_temp.expect('acquire blank agent', acquire_lock('x', '  ', 't', p_now => t0),
                           '{"success":false,"reason":"invalid_agent_id"}');
    PERFORM pg_temp.expect('acquire NULL agent + bad ttl', acquire_lock('x', NULL, 't', p_ttl_minutes => 0, p_now => t0),
                           '{"success":false,"reason":"invalid_agent_id"}');
    PERFORM pg_temp.expect('ttl 0', acquire_lock('x', 'a', 't', p_ttl_minutes => 0, p_now => t0),
                           '{"success":false,"reason":"ttl_out_of_range"}');
    PERFORM pg_temp.expect('ttl 481', acquire_lock('x', 'a', 't', p_ttl_minutes => 481, p_now => t0),
                           '{"success":false,"reason":"ttl_out_of_range"}');
    PERFORM pg_temp.expect('ttl NULL', acquire_lock('x', 'a', 't', p_ttl_minutes => NULL, p_now => t0),
                           '{"success":false,"reason":"ttl_out_of_range"}');
    PERFORM pg_temp.check('nothing written by invalid acquires', (SELECT count(*) FROM file_locks) = 0);

    -- ttl bounds 1 and 480 are accepted; NULL agent type is stored as 'unknown'; default ttl is 120
    PERFORM pg_temp.expect('ttl 1', acquire_lock('bounds/1', 'a', NULL, p_ttl_minutes => 1, p_now => t0),
                           '{"success":true,"action":"acquired"}');
    PERFORM pg_temp.expect('ttl 480', acquire_lock('bounds/480', 'a', ' ', p_ttl_minutes => 480, p_now => t0),
                           '{"success":true,"action":"acquired"}');
    PERFORM pg_temp.check('agent type unknown',
        (SELECT bool_and(agent_type = 'unknown') FROM file_locks WHERE file_path LIKE 'bounds/%'));
    r := acquire_lock('bounds/default', 'a', 't', p_now => t0);
    PERFORM pg_temp.check('default ttl 120', (r->>'expires_at')::timestamptz = t0 + interval '120 minutes');
    -- p_now omitted entirely (SQL callers): uses now()
    r := pg_temp.expect('acquire without p_now', acquire_lock('bounds/now', 'a', 't'), '{"success":true,"action":"acquired"}');
    PERFORM pg_temp.check('expires from now()', (r->>'expires_at')::timestamptz = now() + interval '120 minutes');
    DELETE FROM file_locks;

    -- acquire
    r := acquire_lock('src/a.swift', 'agent-a', 'claude_code', 'sess-a', 'r1', 10, t0);
    PERFORM pg_temp.expect_keys('acquired keys', r, ARRAY['success','action','file_path','expires_at']);
    PERFORM pg_temp.expect('acquired', r, '{"success":true,"action":"acquired","file_path":"src/a.swift"}');
    PERFORM pg_temp.check('acquired expires_at', (r->>'expires_at')::timestamptz = t0 + interval '10 minutes');
    SELECT * INTO v_lock FROM file_locks WHERE file_path = 'src/a.swift';
    PERFORM pg_temp.check('lock row', v_lock.locked_by = 'agent-a' AND v_lock.agent_type = 'claude_code'
        AND v_lock.session_id = 'sess-a' AND v_lock.locked_at = t0 AND v_lock.reason = 'r1'
        AND v_lock.expires_at = t0 + interval '10 minutes');

    -- same agent: refresh; reason kept when NULL, replaced when given
    r := acquire_lock('src/a.swift', 'agent-a', 'other_type', 'sess-other', NULL, 10, t0 + interval '1 minute');
    PERFORM pg_temp.expect_keys('refreshed keys', r, ARRAY['success','action','file_path','expires_at']);
    PERFORM pg_temp.expect('refreshed', r, '{"success":true,"action":"refreshed","file_path":"src/a.swift"}');
    PERFORM pg_temp.check('refreshed expires_at', (r->>'expires_at')::timestamptz = t0 + interval '11 minutes');
    SELECT * INTO v_lock FROM file_locks WHERE file_path = 'src/a.swift';
    PERFORM pg_temp.check('refresh keeps reason/type/session/locked_at', v_lock.reason = 'r1'
        AND v_lock.agent_type = 'claude_code' AND v_lock.session_id = 'sess-a' AND v_lock.locked_at = t0);
    PERFORM acquire_lock('src/a.swift', 'agent-a', 'claude_code', NULL, 'r2', 10, t0 + interval '1 minute');
    PERFORM pg_temp.check('refresh replaces reason', (SELECT reason FROM file_locks WHERE file_path = 'src/a.swift') = 'r2');

    -- other agent: conflict with the holder's details
    r := acquire_lock('src/a.swift', 'agent-b', 'codex', NULL, 'mine', 10, t0 + interval '2 minutes');
    PERFORM pg_temp.expect_keys('conflict keys', r,
        ARRAY['success','reason','file_path','locked_by','agent_type','locked_at','expires_at','lock_reason']);
    PERFORM pg_temp.expect('conflict', r, '{"success":false,"reason":"locked_by_other","file_path":"src/a.swift",
        "locked_by":"agent-a","agent_type":"claude_code","lock_reason":"r2"}');
    PERFORM pg_temp.check('conflict times', (r->>'locked_at')::timestamptz = t0
        AND (r->>'expires_at')::timestamptz = t0 + interval '11 minutes');
    -- p_now in the past: still held
    PERFORM pg_temp.expect('conflict, p_now in the past', acquire_lock('src/a.swift', 'agent-b', 'codex', p_now => '2000-01-01+00'),
                           '{"success":false,"reason":"locked_by_other"}');
    -- exactly at expiry the lock is expired (expires_at <= p_now) and can be taken over
    r := acquire_lock('src/a.swift', 'agent-b', 'codex', NULL, NULL, 5, t0 + interval '11 minutes');
    PERFORM pg_temp.expect('expired lock re-acquired by other', r, '{"success":true,"action":"acquired"}');
    PERFORM pg_temp.check('new holder', (SELECT locked_by FROM file_locks WHERE file_path = 'src/a.swift') = 'agent-b');
    -- far-future p_now: expired again, re-acquirable by the first agent (as a fresh acquire, not a refresh)
    PERFORM pg_temp.expect('expired lock re-acquired, far future', acquire_lock('src/a.swift', 'agent-a', 'claude_code', p_now => '2099-01-01+00'),
                           '{"success":true,"action":"acquired"}');
    -- an expired lock of the same agent is acquired afresh too
    PERFORM pg_temp.expect('own expired lock is acquired, not refreshed',
        acquire_lock('src/a.swift', 'agent-a', 'claude_code', p_now => '2099-01-01+00'::timestamptz + interval '3 hours'),
        '{"success":true,"action":"acquired"}');

    -- release
    PERFORM acquire_lock('src/b.swift', 'agent-a', 'claude_code', p_ttl_minutes => 30, p_now => t0);
    r := release_lock('src/b.swift', 'agent-b', t0 + interval '1 minute');
    PERFORM pg_temp.expect_keys('release non-owner keys', r, ARRAY['success','reason','file_path']);
    PERFORM pg_temp.expect('release by non-owner', r,
        '{"success":false,"reason":"lock_not_found_or_not_owner","file_path":"src/b.swift"}');
    PERFORM pg_temp.check('still locked', EXISTS (SELECT 1 FROM file_locks WHERE file_path = 'src/b.swift'));
    r := release_lock('src/b.swift', 'agent-a', t0 + interval '1 minute');
    PERFORM pg_temp.expect_keys('released keys', r, ARRAY['success','action','file_path']);
    PERFORM pg_temp.expect('released', r, '{"success":true,"action":"released","file_path":"src/b.swift"}');
    PERFORM pg_temp.expect('release twice', release_lock('src/b.swift', 'agent-a', t0 + interval '1 minute'),
                           '{"success":false,"reason":"lock_not_found_or_not_owner"}');
    PERFORM pg_temp.expect('release unknown', release_lock('nope', 'agent-a', t0),
                           '{"success":false,"reason":"lock_not_found_or_not_owner","file_path":"nope"}');
    -- an expired lock is nobody's: releasing it reports not found (and is a no-op)
    PERFORM acquire_lock('src/c.swift', 'agent-a', 'claude_code', p_ttl_minutes => 5, p_now => t0);
    PERFORM pg_temp.expect('release expired', release_lock('src/c.swift', 'agent-a', t0 + interval '5 minutes'),
                           '{"success":false,"reason":"lock_not_found_or_not_owner"}');
    PERFORM pg_temp.expect('release live (p_now before expiry)', release_lock('src/c.swift', 'agent-a', t0 + interval '4 minutes'),
                           '{"success":true,"action":"released"}');
    -- default p_now
    PERFORM acquire_lock('src/d.swift', 'agent-a', 'claude_code');
    PERFORM pg_temp.expect('release without p_now', release_lock('src/d.swift', 'agent-a'), '{"success":true}');

    RAISE NOTICE 'locks: ok';
END
$locks$;

-- ============================================================================================================
-- Work queue: submit
-- ============================================================================================================
DO $submit$
DECLARE
    t0 constant timestamptz := '2030-01-01 00:00:00+00';
    r jsonb;
    v_a uuid;
    v_b uuid;
    v_missing1 uuid := gen_random_uuid();
    v_missing2 uuid := gen_random_uuid();
    v_task work_queue%ROWTYPE;
BEGIN
    DELETE FROM work_queue;

    PERFORM pg_temp.expect_keys('submit blank type keys',
        pg_temp.expect('submit blank type', submit_task('', '', p_priority => 0, p_now => t0),
                       '{"success":false,"reason":"invalid_task_type"}'), ARRAY['success','reason']);
    PERFORM pg_temp.expect('submit NULL type', submit_task(NULL, 'd', p_now => t0),
                           '{"success":false,"reason":"invalid_task_type"}');
    PERFORM pg_temp.expect('submit blank description', submit_task('t', E'  \n', p_priority => 0, p_now => t0),
                           '{"success":false,"reason":"invalid_description"}');
    PERFORM pg_temp.expect('priority 0', submit_task('t', 'd', p_priority => 0, p_max_attempts => 0, p_now => t0),
                           '{"success":false,"reason":"priority_out_of_range"}');
    PERFORM pg_temp.expect('priority 11', submit_task('t', 'd', p_priority => 11, p_now => t0),
                           '{"success":false,"reason":"priority_out_of_range"}');
    PERFORM pg_temp.expect('priority NULL', submit_task('t', 'd', p_priority => NULL, p_now => t0),
                           '{"success":false,"reason":"priority_out_of_range"}');
    PERFORM pg_temp.expect('max_attempts 0', submit_task('t', 'd', p_max_attempts => 0, p_depends_on => ARRAY[v_missing1], p_now => t0),
                           '{"success":false,"reason":"max_attempts_out_of_range"}');
    PERFORM pg_temp.expect('max_attempts 101', submit_task('t', 'd', p_max_attempts => 101, p_now => t0),
                           '{"success":false,"reason":"max_attempts_out_of_range"}');
    PERFORM pg_temp.expect('max_attempts NULL', submit_task('t', 'd', p_max_attempts => NULL, p_now => t0),
                           '{"success":false,"reason":"max_attempts_out_of_range"}');

    -- valid bounds
    r := submit_task('t', 'd', '{"k":1}', 1, NULL, t0 + interval '1 day', 1, t0);
    PERFORM pg_temp.expect_keys('submit keys', r, ARRAY['success','task_id']);
    PERFORM pg_temp.expect('submit ok', r, '{"success":true}');
    v_a := (r->>'task_id')::uuid;
    SELECT * INTO v_task FROM work_queue WHERE id = v_a;
    PERFORM pg_temp.check('submitted row', v_task.status = 'pending' AND v_task.created_at = t0
        AND v_task.priority = 1 AND v_task.max_attempts = 1 AND v_task.attempt_count = 0
        AND v_task.input_data = '{"k":1}' AND v_task.deadline = t0 + interval '1 day'
        AND v_task.claimed_by IS NULL AND v_task.lease_expires_at IS NULL AND v_task.seq IS NOT NULL);
    PERFORM pg_temp.expect('priority 10 / max_attempts 100', submit_task('t', 'd', p_priority => 10, p_max_attempts => 100, p_now => t0),
                           '{"success":true}');
    -- defaults (and p_now omitted)
    r := pg_temp.expect('submit defaults', submit_task('t', 'd'), '{"success":true}');
    SELECT * INTO v_task FROM work_queue WHERE id = (r->>'task_id')::uuid;
    PERFORM pg_temp.check('defaults', v_task.priority = 5 AND v_task.max_attempts = 3 AND v_task.depends_on IS NULL
        AND v_task.created_at = now());

    -- unknown dependencies: all missing ids, in order, duplicates collapsed
    r := submit_task('t', 'd', p_depends_on => ARRAY[v_missing1, v_a, v_missing2, v_missing1], p_now => t0);
    PERFORM pg_temp.expect_keys('unknown dependency keys', r, ARRAY['success','reason','missing']);
    PERFORM pg_temp.expect('unknown dependency', r, jsonb_build_object('success', false, 'reason', 'unknown_dependency',
                           'missing', jsonb_build_array(v_missing1, v_missing2)));
    PERFORM pg_temp.check('missing has exactly 2', jsonb_array_length(r->'missing') = 2);

    -- duplicates collapsed on success
    r := pg_temp.expect('dup deps', submit_task('t', 'd', p_depends_on => ARRAY[v_a, v_a, v_a], p_now => t0), '{"success":true}');
    PERFORM pg_temp.check('deps collapsed', (SELECT depends_on FROM work_queue WHERE id = (r->>'task_id')::uuid) = ARRAY[v_a]);
    -- empty dependency list = none
    r := pg_temp.expect('empty deps', submit_task('t', 'd', p_depends_on => '{}', p_now => t0), '{"success":true}');

    -- failed / cancelled dependency
    UPDATE work_queue SET status = 'failed' WHERE id = v_a;
    r := submit_task('t', 'd', p_depends_on => ARRAY[v_a], p_now => t0);
    PERFORM pg_temp.expect_keys('dependency_failed keys', r, ARRAY['success','reason','dependency_id']);
    PERFORM pg_temp.expect('dependency failed', r, jsonb_build_object('success', false, 'reason', 'dependency_failed',
                           'dependency_id', v_a));
    v_b := (submit_task('t', 'd', p_now => t0)->>'task_id')::uuid;
    UPDATE work_queue SET status = 'cancelled' WHERE id = v_b;
    PERFORM pg_temp.expect('dependency cancelled', submit_task('t', 'd', p_depends_on => ARRAY[v_b], p_now => t0),
                           jsonb_build_object('success', false, 'reason', 'dependency_failed', 'dependency_id', v_b));
    -- unknown is checked before failed
    PERFORM pg_temp.expect('unknown before failed', submit_task('t', 'd', p_depends_on => ARRAY[v_b, v_missing1], p_now => t0),
                           '{"success":false,"reason":"unknown_dependency"}');

    PERFORM pg_temp.check('nothing written on failures', (SELECT count(*) FROM work_queue) = 6);
    RAISE NOTICE 'submit: ok';
END
$submit$;

-- ============================================================================================================
-- Work queue: claim ordering, filters, dependencies, renew, complete, cancel
-- ============================================================================================================
DO $claim$
DECLARE
    t0 constant timestamptz := '2030-01-01 00:00:00+00';
    r jsonb;
    v_a uuid; v_b uuid; v_c uuid; v_d uuid;
    v_task work_queue%ROWTYPE;
BEGIN
    DELETE FROM work_queue;

    PERFORM pg_temp.expect_keys('claim empty keys',
        pg_temp.expect('claim empty queue', claim_task('w1', 'claude_code', p_now => t0),
                       '{"success":false,"reason":"no_tasks_available"}'), ARRAY['success','reason']);
    PERFORM pg_temp.expect('claim blank agent', claim_task(' ', 'x', p_lease_minutes => 0, p_now => t0),
                           '{"success":false,"reason":"invalid_agent_id"}');
    PERFORM pg_temp.expect('claim NULL agent', claim_task(NULL, 'x', p_now => t0),
                           '{"success":false,"reason":"invalid_agent_id"}');
    PERFORM pg_temp.expect('lease 0', claim_task('w1', 'x', p_lease_minutes => 0, p_now => t0),
                           '{"success":false,"reason":"lease_out_of_range"}');
    PERFORM pg_temp.expect('lease 1441', claim_task('w1', 'x', p_lease_minutes => 1441, p_now => t0),
                           '{"success":false,"reason":"lease_out_of_range"}');
    PERFORM pg_temp.expect('lease NULL', claim_task('w1', 'x', p_lease_minutes => NULL, p_now => t0),
                           '{"success":false,"reason":"lease_out_of_range"}');

    -- ordering: priority ASC, then submission order (same created_at for all)
    v_a := (submit_task('t', 'a p5', p_priority => 5, p_now => t0)->>'task_id')::uuid;
    v_b := (submit_task('t', 'b p5', p_priority => 5, p_now => t0)->>'task_id')::uuid;
    v_c := (submit_task('t', 'c p1', '{"x":[1,2]}', 1, NULL, t0 + interval '2 hours', 3, t0)->>'task_id')::uuid;
    v_d := (submit_task('t', 'd p10', p_priority => 10, p_now => t0)->>'task_id')::uuid;

    r := claim_task('w1', 'claude_code', NULL, 15, t0);
    PERFORM pg_temp.expect_keys('claim keys', r, ARRAY['success','task_id','task_type','description','input_data',
        'priority','deadline','attempt_count','max_attempts','lease_expires_at']);
    PERFORM pg_temp.expect('claim 1 = c', r, jsonb_build_object('success', true, 'task_id', v_c, 'task_type', 't',
        'description', 'c p1', 'input_data', '{"x":[1,2]}'::jsonb, 'priority', 1, 'attempt_count', 1, 'max_attempts', 3));
    PERFORM pg_temp.check('claim deadline', (r->>'deadline')::timestamptz = t0 + interval '2 hours');
    PERFORM pg_temp.check('claim lease', (r->>'lease_expires_at')::timestamptz = t0 + interval '15 minutes');
    SELECT * INTO v_task FROM work_queue WHERE id = v_c;
    PERFORM pg_temp.check('claimed row', v_task.status = 'claimed' AND v_task.claimed_by = 'w1'
        AND v_task.claimed_at = t0 AND v_task.attempt_count = 1 AND v_task.started_at IS NULL);
    PERFORM pg_temp.expect('claim 2 = a', claim_task('w2', 'x', p_now => t0), jsonb_build_object('task_id', v_a));
    PERFORM pg_temp.expect('claim 3 = b', claim_task('w1', 'x', p_now => t0), jsonb_build_object('task_id', v_b));
    r := pg_temp.expect('claim 4 = d', claim_task('w2', 'x', p_now => t0), jsonb_build_object('task_id', v_d));
    PERFORM pg_temp.check('default lease 30', (r->>'lease_expires_at')::timestamptz = t0 + interval '30 minutes');
    PERFORM pg_temp.check('null deadline is JSON null', r->'deadline' = 'null'::jsonb AND r->'input_data' = 'null'::jsonb);
    PERFORM pg_temp.expect('claim 5 = none', claim_task('w1', 'x', p_now => t0), '{"success":false,"reason":"no_tasks_available"}');

    -- task type filter; empty array = any
    DELETE FROM work_queue;
    v_a := (submit_task('build', 'b', p_now => t0)->>'task_id')::uuid;
    v_b := (submit_task('test', 't', p_priority => 9, p_now => t0)->>'task_id')::uuid;
    PERFORM pg_temp.expect('filter test', claim_task('w1', 'x', ARRAY['test', 'lint'], p_now => t0), jsonb_build_object('task_id', v_b));
    PERFORM pg_temp.expect('filter none left', claim_task('w1', 'x', ARRAY['test'], p_now => t0), '{"reason":"no_tasks_available"}');
    PERFORM pg_temp.expect('empty filter = any', claim_task('w1', 'x', '{}', p_now => t0), jsonb_build_object('task_id', v_a));

    -- dependencies block until completed
    DELETE FROM work_queue;
    v_a := (submit_task('t', 'first', p_priority => 9, p_now => t0)->>'task_id')::uuid;
    v_b := (submit_task('t', 'second', p_priority => 1, p_depends_on => ARRAY[v_a], p_now => t0)->>'task_id')::uuid;
    PERFORM pg_temp.expect('dep: first claimable, second blocked', claim_task('w1', 'x', p_now => t0), jsonb_build_object('task_id', v_a));
    PERFORM pg_temp.expect('dep: blocked while claimed', claim_task('w2', 'x', p_now => t0), '{"reason":"no_tasks_available"}');
    PERFORM renew_task_lease(v_a, 'w1', 30, t0);
    PERFORM pg_temp.expect('dep: blocked while running', claim_task('w2', 'x', p_now => t0), '{"reason":"no_tasks_available"}');

    -- complete validations
    r := complete_task(v_a, 'w2', true, NULL, NULL, t0);
    PERFORM pg_temp.expect_keys('complete non-claimer keys', r, ARRAY['success','reason','task_id']);
    PERFORM pg_temp.expect('complete by non-claimer', r, jsonb_build_object('success', false,
        'reason', 'task_not_found_or_not_claimed_by_agent', 'task_id', v_a));
    PERFORM pg_temp.expect('complete unknown', complete_task(gen_random_uuid(), 'w1', true, p_now => t0),
                           '{"success":false,"reason":"task_not_found_or_not_claimed_by_agent"}');
    PERFORM pg_temp.expect('complete pending (never claimed)', complete_task(v_b, 'w1', true, p_now => t0),
                           '{"success":false,"reason":"task_not_found_or_not_claimed_by_agent"}');
    r := complete_task(v_a, 'w1', true, '{"ok":true}', NULL, t0 + interval '5 minutes');
    PERFORM pg_temp.expect_keys('complete keys', r, ARRAY['success','status','task_id','dependents_failed']);
    PERFORM pg_temp.expect('complete ok', r, jsonb_build_object('success', true, 'status', 'completed', 'task_id', v_a,
        'dependents_failed', 0));
    SELECT * INTO v_task FROM work_queue WHERE id = v_a;
    PERFORM pg_temp.check('completed row', v_task.status = 'completed' AND v_task.result = '{"ok":true}'
        AND v_task.completed_at = t0 + interval '5 minutes' AND v_task.lease_expires_at IS NULL);
    r := complete_task(v_a, 'w1', false, NULL, 'again', t0 + interval '6 minutes');
    PERFORM pg_temp.expect_keys('complete twice keys', r, ARRAY['success','reason','task_id','status']);
    PERFORM pg_temp.expect('complete twice', r, jsonb_build_object('success', false, 'reason', 'task_not_active',
        'task_id', v_a, 'status', 'completed'));
    PERFORM pg_temp.check('result not overwritten', (SELECT result FROM work_queue WHERE id = v_a) = '{"ok":true}');
    PERFORM pg_temp.expect('dep: unblocked after completion', claim_task('w2', 'x', p_now => t0), jsonb_build_object('task_id', v_b));

    -- renew
    r := renew_task_lease(v_b, 'w1', 30, t0);
    PERFORM pg_temp.expect_keys('renew non-claimer keys', r, ARRAY['success','reason','task_id']);
    PERFORM pg_temp.expect('renew by non-claimer', r, '{"success":false,"reason":"task_not_found_or_not_claimed_by_agent"}');
    PERFORM pg_temp.expect('renew unknown', renew_task_lease(gen_random_uuid(), 'w2', 30, t0),
                           '{"success":false,"reason":"task_not_found_or_not_claimed_by_agent"}');
    PERFORM pg_temp.expect('renew lease 0', renew_task_lease(v_b, 'w2', 0, t0), '{"success":false,"reason":"lease_out_of_range"}');
    PERFORM pg_temp.expect('renew lease 1441', renew_task_lease(v_b, 'w2', 1441, t0), '{"success":false,"reason":"lease_out_of_range"}');
    r := renew_task_lease(v_b, 'w2', 60, t0 + interval '1 minute');
    PERFORM pg_temp.expect_keys('renew keys', r, ARRAY['success','task_id','status','lease_expires_at']);
    PERFORM pg_temp.expect('renew ok', r, jsonb_build_object('success', true, 'task_id', v_b, 'status', 'running'));
    PERFORM pg_temp.check('renew lease', (r->>'lease_expires_at')::timestamptz = t0 + interval '61 minutes');
    PERFORM pg_temp.check('started_at set', (SELECT started_at FROM work_queue WHERE id = v_b) = t0 + interval '1 minute');
    r := renew_task_lease(v_b, 'w2', p_now => t0 + interval '2 minutes');
    PERFORM pg_temp.check('default renew lease 30', (r->>'lease_expires_at')::timestamptz = t0 + interval '32 minutes');
    PERFORM pg_temp.check('started_at kept', (SELECT started_at FROM work_queue WHERE id = v_b) = t0 + interval '1 minute');
    r := pg_temp.expect('complete running ok', complete_task(v_b, 'w2', true, p_now => t0 + interval '3 minutes'),
                        '{"success":true,"status":"completed"}');
    r := renew_task_lease(v_b, 'w2', 30, t0 + interval '4 minutes');
    PERFORM pg_temp.expect_keys('renew not active keys', r, ARRAY['success','reason','task_id','status']);
    PERFORM pg_temp.expect('renew completed task', r, '{"success":false,"reason":"task_not_active","status":"completed"}');

    -- cancel
    v_c := (submit_task('t', 'to cancel', p_now => t0)->>'task_id')::uuid;
    r := cancel_task(gen_random_uuid(), 'boss', 'why', t0);
    PERFORM pg_temp.expect_keys('cancel unknown keys', r, ARRAY['success','reason','task_id']);
    PERFORM pg_temp.expect('cancel unknown', r, '{"success":false,"reason":"task_not_found"}');
    r := cancel_task(v_b, 'boss', 'why', t0);
    PERFORM pg_temp.expect_keys('cancel completed keys', r, ARRAY['success','reason','task_id','status']);
    PERFORM pg_temp.expect('cancel completed', r, jsonb_build_object('success', false, 'reason', 'task_not_cancellable',
        'task_id', v_b, 'status', 'completed'));
    r := cancel_task(v_c, 'boss', 'no longer needed', t0 + interval '7 minutes');
    PERFORM pg_temp.expect_keys('cancel keys', r, ARRAY['success','task_id','status','dependents_failed']);
    PERFORM pg_temp.expect('cancel ok', r, jsonb_build_object('success', true, 'task_id', v_c, 'status', 'cancelled',
        'dependents_failed', 0));
    SELECT * INTO v_task FROM work_queue WHERE id = v_c;
    PERFORM pg_temp.check('cancelled row', v_task.status = 'cancelled' AND v_task.completed_at = t0 + interval '7 minutes'
        AND v_task.error_message = 'cancelled by boss: no longer needed');
    PERFORM pg_temp.expect('cancel twice', cancel_task(v_c, 'boss', NULL, t0), '{"success":false,"reason":"task_not_cancellable","status":"cancelled"}');
    -- a claimed task can be cancelled (by anyone); its lease is dropped
    v_d := (submit_task('t', 'claimed then cancelled', p_now => t0)->>'task_id')::uuid;
    PERFORM claim_task('w1', 'x', p_now => t0);
    PERFORM pg_temp.expect('cancel claimed', cancel_task(v_d, 'boss', p_now => t0), '{"success":true,"status":"cancelled"}');
    PERFORM pg_temp.check('cancelled lease cleared', (SELECT lease_expires_at FROM work_queue WHERE id = v_d) IS NULL);
    PERFORM pg_temp.expect('complete cancelled', complete_task(v_d, 'w1', true, p_now => t0),
                           '{"success":false,"reason":"task_not_active","status":"cancelled"}');
    -- failed task cannot be cancelled
    UPDATE work_queue SET status = 'failed' WHERE id = v_d;
    PERFORM pg_temp.expect('cancel failed', cancel_task(v_d, 'boss', p_now => t0), '{"success":false,"reason":"task_not_cancellable","status":"failed"}');

    RAISE NOTICE 'claim/renew/complete/cancel: ok';
END
$claim$;

-- ============================================================================================================
-- Dependency failure cascade (transitive), via complete_task(false) and cancel_task
-- ============================================================================================================
DO $cascade$
DECLARE
    t0 constant timestamptz := '2030-01-01 00:00:00+00';
    r jsonb;
    v_root uuid; v_c1 uuid; v_c2 uuid; v_c3 uuid; v_other uuid; v_side uuid; v_done uuid;
    v_task work_queue%ROWTYPE;
BEGIN
    DELETE FROM work_queue;
    v_root  := (submit_task('t', 'root', p_priority => 1, p_now => t0)->>'task_id')::uuid;
    v_other := (submit_task('t', 'other', p_priority => 10, p_now => t0)->>'task_id')::uuid;
    v_c1 := (submit_task('t', 'c1', p_depends_on => ARRAY[v_root], p_now => t0)->>'task_id')::uuid;
    v_c2 := (submit_task('t', 'c2', p_depends_on => ARRAY[v_c1], p_now => t0)->>'task_id')::uuid;
    v_c3 := (submit_task('t', 'c3', p_depends_on => ARRAY[v_c2, v_other], p_now => t0)->>'task_id')::uuid;
    v_side := (submit_task('t', 'side', p_depends_on => ARRAY[v_other], p_now => t0)->>'task_id')::uuid;

    PERFORM pg_temp.expect('claim root', claim_task('w1', 'x', p_now => t0), jsonb_build_object('task_id', v_root));
    r := complete_task(v_root, 'w1', false, '{"partial":1}', 'boom', t0 + interval '1 minute');
    PERFORM pg_temp.expect('failure cascades transitively', r, jsonb_build_object('success', true, 'status', 'failed',
        'task_id', v_root, 'dependents_failed', 3));
    SELECT * INTO v_task FROM work_queue WHERE id = v_root;
    PERFORM pg_temp.check('failed root row', v_task.status = 'failed' AND v_task.error_message = 'boom'
        AND v_task.result = '{"partial":1}' AND v_task.completed_at = t0 + interval '1 minute' AND v_task.lease_expires_at IS NULL);
    PERFORM pg_temp.check('dependents failed with root id',
        (SELECT count(*) FROM work_queue WHERE id IN (v_c1, v_c2, v_c3) AND status = 'failed'
            AND error_message = 'dependency_failed: ' || v_root AND completed_at = t0 + interval '1 minute') = 3);
    PERFORM pg_temp.check('unrelated untouched', (SELECT count(*) FROM work_queue WHERE id IN (v_other, v_side) AND status = 'pending') = 2);

    -- cancel cascades transitively; completed dependents are not touched
    DELETE FROM work_queue;
    v_root := (submit_task('t', 'root', p_now => t0)->>'task_id')::uuid;
    v_done := (submit_task('t', 'done', p_now => t0)->>'task_id')::uuid;
    v_c1 := (submit_task('t', 'c1', p_depends_on => ARRAY[v_root, v_done], p_now => t0)->>'task_id')::uuid;
    v_c2 := (submit_task('t', 'c2', p_depends_on => ARRAY[v_c1], p_now => t0)->>'task_id')::uuid;
    v_c3 := (submit_task('t', 'c3', p_depends_on => ARRAY[v_c1], p_now => t0)->>'task_id')::uuid;
    v_side := (submit_task('t', 'side', p_depends_on => ARRAY[v_done], p_now => t0)->>'task_id')::uuid;
    PERFORM pg_temp.expect('cancel cascades', cancel_task(v_root, 'boss', 'stop', t0 + interval '2 minutes'),
        jsonb_build_object('success', true, 'status', 'cancelled', 'dependents_failed', 3));
    PERFORM pg_temp.check('cancel dependents',
        (SELECT count(*) FROM work_queue WHERE id IN (v_c1, v_c2, v_c3) AND status = 'failed'
            AND error_message = 'dependency_failed: ' || v_root) = 3);
    PERFORM pg_temp.check('side untouched', (SELECT status FROM work_queue WHERE id = v_side) = 'pending');
    PERFORM pg_temp.expect('submit on cascaded-failed dep', submit_task('t', 'late', p_depends_on => ARRAY[v_c3], p_now => t0),
        jsonb_build_object('reason', 'dependency_failed', 'dependency_id', v_c3));
    -- complete success has no cascade
    PERFORM claim_task('w1', 'x', p_now => t0);   -- takes 'done' (root cancelled)
    PERFORM pg_temp.expect('complete success no cascade', complete_task(v_done, 'w1', true, p_now => t0),
                           '{"success":true,"dependents_failed":0}');
    PERFORM pg_temp.expect('side now claimable', claim_task('w1', 'x', p_now => t0), jsonb_build_object('task_id', v_side));

    RAISE NOTICE 'cascade: ok';
END
$cascade$;

-- ============================================================================================================
-- Lease expiry (run by claim_task): back to pending, then failed at max_attempts (+ cascade)
-- ============================================================================================================
DO $lease$
DECLARE
    t0 constant timestamptz := '2030-01-01 00:00:00+00';
    r jsonb;
    v_e uuid; v_dep uuid; v_live uuid;
    v_task work_queue%ROWTYPE;
BEGIN
    DELETE FROM work_queue;
    v_e   := (submit_task('t', 'flaky', p_priority => 1, p_max_attempts => 2, p_now => t0)->>'task_id')::uuid;
    v_dep := (submit_task('t', 'needs flaky', p_depends_on => ARRAY[v_e], p_now => t0)->>'task_id')::uuid;

    PERFORM pg_temp.expect('lease: claim 1', claim_task('w1', 'x', NULL, 1, t0),
                           jsonb_build_object('task_id', v_e, 'attempt_count', 1, 'max_attempts', 2));
    -- before expiry nothing changes
    PERFORM pg_temp.expect('lease: still held', claim_task('w2', 'x', NULL, 1, t0 + interval '59 seconds'), '{"reason":"no_tasks_available"}');
    PERFORM pg_temp.check('lease: still claimed', (SELECT status FROM work_queue WHERE id = v_e) = 'claimed');
    -- at expiry (lease_expires_at <= p_now) it returns to pending and is claimed again in the same call
    r := claim_task('w2', 'x', NULL, 1, t0 + interval '1 minute');
    PERFORM pg_temp.expect('lease: reclaimed', r, jsonb_build_object('task_id', v_e, 'attempt_count', 2));
    SELECT * INTO v_task FROM work_queue WHERE id = v_e;
    PERFORM pg_temp.check('lease: reclaimed row', v_task.claimed_by = 'w2' AND v_task.error_message = 'claim_lease_expired'
        AND v_task.claimed_at = t0 + interval '1 minute');
    -- the old claimer lost it
    PERFORM pg_temp.expect('lease: old claimer cannot complete', complete_task(v_e, 'w1', true, p_now => t0),
                           '{"reason":"task_not_found_or_not_claimed_by_agent"}');

    -- expiry without re-claim: back to pending with claim fields cleared
    UPDATE work_queue SET priority = 10 WHERE id = v_e;
    v_live := (submit_task('t', 'other', p_priority => 1, p_now => t0)->>'task_id')::uuid;
    UPDATE work_queue SET max_attempts = 3 WHERE id = v_e;
    PERFORM pg_temp.expect('lease: other task claimed', claim_task('w3', 'x', NULL, 30, t0 + interval '3 minutes'),
                           jsonb_build_object('task_id', v_live));
    SELECT * INTO v_task FROM work_queue WHERE id = v_e;
    PERFORM pg_temp.check('lease: back to pending', v_task.status = 'pending' AND v_task.claimed_by IS NULL
        AND v_task.claimed_at IS NULL AND v_task.lease_expires_at IS NULL AND v_task.error_message = 'claim_lease_expired'
        AND v_task.attempt_count = 2);
    UPDATE work_queue SET max_attempts = 2 WHERE id = v_e;   -- back to the submitted value

    -- third round: attempt 2 of 2 was used, so after the next claim+expiry it fails
    UPDATE work_queue SET attempt_count = 1 WHERE id = v_e;  -- let it be claimed once more (attempt 2 of 2)
    PERFORM pg_temp.expect('lease: claim last attempt', claim_task('w4', 'x', NULL, 1, t0 + interval '4 minutes'),
                           jsonb_build_object('task_id', v_e, 'attempt_count', 2));
    PERFORM renew_task_lease(v_e, 'w4', 1, t0 + interval '4 minutes');   -- running leases expire too
    r := claim_task('w5', 'x', NULL, 1, t0 + interval '10 minutes');
    PERFORM pg_temp.expect('lease: nothing left to claim', r, '{"reason":"no_tasks_available"}');
    SELECT * INTO v_task FROM work_queue WHERE id = v_e;
    PERFORM pg_temp.check('lease: failed at max_attempts', v_task.status = 'failed'
        AND v_task.error_message = 'claim_lease_expired: max_attempts reached'
        AND v_task.completed_at = t0 + interval '10 minutes' AND v_task.lease_expires_at IS NULL);
    SELECT * INTO v_task FROM work_queue WHERE id = v_dep;
    PERFORM pg_temp.check('lease: cascade', v_task.status = 'failed' AND v_task.error_message = 'dependency_failed: ' || v_e);
    -- the unexpired claim of w3 (30 min lease) is untouched
    PERFORM pg_temp.check('lease: live claim untouched', (SELECT status FROM work_queue WHERE id = v_live) = 'claimed');

    RAISE NOTICE 'lease expiry: ok';
END
$lease$;

-- ============================================================================================================
-- Handoffs
-- ============================================================================================================
DO $handoffs$
DECLARE
    t0 constant timestamptz := '2030-01-01 00:00:00+00';
    r jsonb;
    v_h1 uuid; v_h2 uuid; v_h3 uuid; v_old uuid;
    v_item jsonb;
BEGIN
    r := write_handoff('', 'sess', 'summary', p_now => t0);
    PERFORM pg_temp.expect_keys('handoff blank agent keys', r, ARRAY['success','error','reason']);
    PERFORM pg_temp.expect('handoff blank agent', r, '{"success":false,"error":"invalid_agent_name","reason":"invalid_agent_name"}');
    PERFORM pg_temp.expect('handoff NULL agent + no summary', write_handoff(NULL, p_now => t0),
                           '{"success":false,"reason":"invalid_agent_name"}');
    r := write_handoff('agent-a', 'sess', '   ', p_now => t0);
    PERFORM pg_temp.expect_keys('handoff blank summary keys', r, ARRAY['success','error','reason']);
    PERFORM pg_temp.expect('handoff blank summary', r, '{"success":false,"error":"summary_required","reason":"summary_required"}');
    PERFORM pg_temp.expect('handoff NULL summary', write_handoff('agent-a', p_now => t0), '{"success":false,"reason":"summary_required"}');
    PERFORM pg_temp.check('no handoff written', (SELECT count(*) FROM handoff_documents) = 0);

    PERFORM pg_temp.expect('read empty', read_handoff('agent-a', 5), '{"handoffs":[]}');
    PERFORM pg_temp.check('read empty is []', read_handoff() = '{"handoffs":[]}');

    -- a session that was never registered is fine (no foreign key)
    r := write_handoff('agent-a', 'never-registered-session', 'first', '["a"]', '["b"]', '["c"]', '["d"]', '["e.swift"]', t0);
    PERFORM pg_temp.expect_keys('handoff keys', r, ARRAY['success','handoff_id']);
    PERFORM pg_temp.expect('handoff unregistered session', r, '{"success":true}');
    v_h1 := (r->>'handoff_id')::uuid;
    v_h2 := (write_handoff('agent-a', NULL, 'second', p_now => t0)->>'handoff_id')::uuid;   -- same created_at
    v_h3 := (write_handoff('agent-a', 's2', 'third', p_now => t0)->>'handoff_id')::uuid;     -- same created_at
    v_old := (write_handoff('agent-a', 's0', 'older, written last', p_now => t0 - interval '1 day')->>'handoff_id')::uuid;
    PERFORM write_handoff('agent-b', 'sb', 'b newest', p_now => t0 + interval '1 hour');
    -- defaults
    r := pg_temp.expect('handoff defaults', write_handoff(p_agent_name => 'agent-c', p_summary => 'defaults'), '{"success":true}');
    PERFORM pg_temp.check('handoff default arrays', (SELECT completed_work = '[]' AND in_progress = '[]' AND decisions = '[]'
        AND next_steps = '[]' AND relevant_files = '[]' AND session_id IS NULL AND created_at = now()
        FROM handoff_documents WHERE id = (r->>'handoff_id')::uuid));

    r := read_handoff('agent-a');   -- default limit 1
    PERFORM pg_temp.check('read default limit 1', jsonb_array_length(r->'handoffs') = 1);
    v_item := r->'handoffs'->0;
    PERFORM pg_temp.expect_keys('handoff item keys', v_item, ARRAY['id','agent_name','session_id','summary','completed_work',
        'in_progress','decisions','next_steps','relevant_files','created_at']);
    PERFORM pg_temp.expect('newest (tie: last inserted)', v_item, jsonb_build_object('id', v_h3, 'summary', 'third', 'session_id', 's2'));

    r := read_handoff('agent-a', 10);
    PERFORM pg_temp.check('read order', ARRAY(SELECT (e->>'id')::uuid FROM jsonb_array_elements(r->'handoffs') e)
        = ARRAY[v_h3, v_h2, v_h1, v_old]);
    PERFORM pg_temp.expect('first handoff content', r->'handoffs'->2, jsonb_build_object('agent_name', 'agent-a',
        'session_id', 'never-registered-session', 'completed_work', '["a"]'::jsonb, 'in_progress', '["b"]'::jsonb,
        'decisions', '["c"]'::jsonb, 'next_steps', '["d"]'::jsonb, 'relevant_files', '["e.swift"]'::jsonb));
    PERFORM pg_temp.check('created_at', ((r->'handoffs'->2)->>'created_at')::timestamptz = t0);

    r := read_handoff(NULL, 3);   -- all agents
    PERFORM pg_temp.check('read all agents', ARRAY(SELECT e->>'summary' FROM jsonb_array_elements(r->'handoffs') e)
        = ARRAY['b newest', 'third', 'second']);
    PERFORM pg_temp.check('limit 0 clamps to 1', jsonb_array_length(read_handoff('agent-a', 0)->'handoffs') = 1);
    PERFORM pg_temp.check('limit NULL = 1', jsonb_array_length(read_handoff('agent-a', NULL)->'handoffs') = 1);
    PERFORM write_handoff('bulk', NULL, 'h' || g, p_now => t0) FROM generate_series(1, 105) g;
    PERFORM pg_temp.check('limit clamps to 100', jsonb_array_length(read_handoff('bulk', 1000)->'handoffs') = 100);
    PERFORM pg_temp.check('bulk newest first', (read_handoff('bulk')->'handoffs'->0)->>'summary' = 'h105');

    RAISE NOTICE 'handoffs: ok';
END
$handoffs$;

-- ============================================================================================================
-- Discovery: register, heartbeat, discover
-- ============================================================================================================
DO $discovery$
DECLARE
    t0 constant timestamptz := '2030-01-01 00:00:00+00';
    r jsonb;
    v_generated text;
    v_session agent_sessions%ROWTYPE;
BEGIN
    r := register_agent_session('', 'claude_code', p_now => t0);
    PERFORM pg_temp.expect_keys('register blank keys', r, ARRAY['success','reason']);
    PERFORM pg_temp.expect('register blank agent', r, '{"success":false,"reason":"invalid_agent_id"}');
    PERFORM pg_temp.expect('register NULL agent', register_agent_session(NULL, 'x', p_now => t0), '{"success":false,"reason":"invalid_agent_id"}');

    -- generated session id
    r := register_agent_session('agent-a', 'claude_code', NULL, ARRAY['swift','sql'], 'writing schema', t0);
    PERFORM pg_temp.expect_keys('register keys', r, ARRAY['success','session_id']);
    PERFORM pg_temp.expect('register ok', r, '{"success":true}');
    v_generated := r->>'session_id';
    PERFORM pg_temp.check('generated id format', v_generated ~ '^agent-a-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$');
    SELECT * INTO v_session FROM agent_sessions WHERE id = v_generated;
    PERFORM pg_temp.check('new session row', v_session.agent_id = 'agent-a' AND v_session.agent_type = 'claude_code'
        AND v_session.status = 'active' AND v_session.started_at = t0 AND v_session.last_heartbeat = t0
        AND v_session.capabilities = ARRAY['swift','sql'] AND v_session.current_task = 'writing schema' AND v_session.ended_at IS NULL);

    -- given session id; other agent cannot take it
    PERFORM pg_temp.expect('register given id', register_agent_session('agent-b', 'codex', 'sess-b', ARRAY['python'], NULL, t0),
                           '{"success":true,"session_id":"sess-b"}');
    r := register_agent_session('agent-x', 'codex', 'sess-b', '{}', NULL, t0);
    PERFORM pg_temp.expect_keys('owned by other keys', r, ARRAY['success','reason','session_id']);
    PERFORM pg_temp.expect('session owned by other', r, '{"success":false,"reason":"session_owned_by_other_agent","session_id":"sess-b"}');
    PERFORM pg_temp.check('other agent did not change it', (SELECT agent_id FROM agent_sessions WHERE id = 'sess-b') = 'agent-b');

    -- re-register: capabilities and current_task replaced, active, heartbeat, ended_at cleared; started_at kept
    UPDATE agent_sessions SET status = 'disconnected', ended_at = t0 WHERE id = 'sess-b';
    PERFORM pg_temp.expect('re-register', register_agent_session('agent-b', 'other-type', 'sess-b', ARRAY['go'], 'task 2', t0 + interval '5 minutes'),
                           '{"success":true,"session_id":"sess-b"}');
    SELECT * INTO v_session FROM agent_sessions WHERE id = 'sess-b';
    PERFORM pg_temp.check('re-registered row', v_session.capabilities = ARRAY['go'] AND v_session.current_task = 'task 2'
        AND v_session.status = 'active' AND v_session.ended_at IS NULL AND v_session.last_heartbeat = t0 + interval '5 minutes'
        AND v_session.started_at = t0 AND v_session.agent_type = 'codex');
    -- defaults
    r := pg_temp.expect('register defaults', register_agent_session('agent-d', 'x'), '{"success":true}');
    PERFORM pg_temp.check('register default capabilities', (SELECT capabilities = '{}' AND last_heartbeat = now()
        FROM agent_sessions WHERE id = r->>'session_id'));
    DELETE FROM agent_sessions WHERE agent_id = 'agent-d';

    -- heartbeat
    r := agent_heartbeat('sess-b', NULL, t0 + interval '6 minutes');
    PERFORM pg_temp.expect_keys('heartbeat keys', r, ARRAY['success','session_id']);
    PERFORM pg_temp.expect('heartbeat by session', r, '{"success":true,"session_id":"sess-b"}');
    PERFORM pg_temp.check('heartbeat stored', (SELECT last_heartbeat FROM agent_sessions WHERE id = 'sess-b') = t0 + interval '6 minutes');
    PERFORM pg_temp.expect('heartbeat by session + right agent', agent_heartbeat('sess-b', 'agent-b', t0 + interval '7 minutes'),
                           '{"success":true,"session_id":"sess-b"}');
    r := agent_heartbeat('sess-b', 'agent-a', t0 + interval '8 minutes');
    PERFORM pg_temp.expect_keys('heartbeat not found keys', r, ARRAY['success','error','reason']);
    PERFORM pg_temp.expect('heartbeat wrong agent', r, '{"success":false,"error":"session_not_found","reason":"session_not_found"}');
    PERFORM pg_temp.check('wrong agent did not beat', (SELECT last_heartbeat FROM agent_sessions WHERE id = 'sess-b') = t0 + interval '7 minutes');
    PERFORM pg_temp.expect('heartbeat unknown session', agent_heartbeat('nope', NULL, t0), '{"success":false,"reason":"session_not_found"}');
    PERFORM pg_temp.expect('heartbeat nothing given', agent_heartbeat(NULL, NULL, t0), '{"success":false,"error":"session_not_found"}');
    PERFORM pg_temp.expect('heartbeat unknown agent', agent_heartbeat(NULL, 'ghost', t0), '{"success":false,"reason":"session_not_found"}');
    -- without a session id: the agent's most recent session by last_heartbeat
    PERFORM register_agent_session('agent-a', 'claude_code', 'a-old', '{}', NULL, t0 - interval '1 hour');
    PERFORM register_agent_session('agent-a', 'claude_code', 'a-new', '{}', NULL, t0 + interval '1 minute');
    UPDATE agent_sessions SET status = 'idle' WHERE id = 'a-new';
    r := agent_heartbeat(NULL, 'agent-a', t0 + interval '9 minutes');
    PERFORM pg_temp.expect('heartbeat by agent -> most recent', r, '{"success":true,"session_id":"a-new"}');
    PERFORM pg_temp.check('heartbeat reactivates', (SELECT status = 'active' AND last_heartbeat = t0 + interval '9 minutes'
        FROM agent_sessions WHERE id = 'a-new'));
    PERFORM pg_temp.expect('heartbeat default p_now', agent_heartbeat(p_session_id => 'a-old'), '{"success":true}');
    PERFORM pg_temp.check('heartbeat default now', (SELECT last_heartbeat FROM agent_sessions WHERE id = 'a-old') = now());
    UPDATE agent_sessions SET last_heartbeat = t0 - interval '1 hour' WHERE id = 'a-old';

    -- discover
    UPDATE agent_sessions SET status = 'disconnected' WHERE id = v_generated;
    r := discover_agents();
    PERFORM pg_temp.expect_keys('discover keys', r, ARRAY['agents']);
    PERFORM pg_temp.check('discover default excludes disconnected, ordered by heartbeat desc',
        ARRAY(SELECT e->>'session_id' FROM jsonb_array_elements(r->'agents') e) = ARRAY['a-new', 'sess-b', 'a-old']);
    PERFORM pg_temp.expect_keys('discover item keys', r->'agents'->1, ARRAY['agent_id','agent_type','session_id','capabilities',
        'status','current_task','last_heartbeat','started_at']);
    PERFORM pg_temp.expect('discover item', r->'agents'->1, '{"agent_id":"agent-b","agent_type":"codex","session_id":"sess-b",
        "capabilities":["go"],"status":"active","current_task":"task 2"}');
    PERFORM pg_temp.check('discover times', ((r->'agents'->1)->>'last_heartbeat')::timestamptz = t0 + interval '7 minutes'
        AND ((r->'agents'->1)->>'started_at')::timestamptz = t0);
    PERFORM pg_temp.check('discover by capability',
        ARRAY(SELECT e->>'session_id' FROM jsonb_array_elements(discover_agents('go')->'agents') e) = ARRAY['sess-b']);
    PERFORM pg_temp.check('capability is exact membership', discover_agents('g') = '{"agents":[]}');
    PERFORM pg_temp.check('discover disconnected only',
        ARRAY(SELECT e->>'session_id' FROM jsonb_array_elements(discover_agents(NULL, 'disconnected')->'agents') e) = ARRAY[v_generated]);
    PERFORM pg_temp.check('discover capability + status',
        ARRAY(SELECT e->>'session_id' FROM jsonb_array_elements(discover_agents('swift', 'disconnected')->'agents') e) = ARRAY[v_generated]);
    PERFORM pg_temp.check('discover capability excludes disconnected by default', discover_agents('swift') = '{"agents":[]}');
    UPDATE agent_sessions SET status = 'idle' WHERE id = 'sess-b';
    PERFORM pg_temp.check('discover idle',
        ARRAY(SELECT e->>'session_id' FROM jsonb_array_elements(discover_agents(NULL, 'idle')->'agents') e) = ARRAY['sess-b']);

    RAISE NOTICE 'discovery: ok';
END
$discovery$;

-- ============================================================================================================
-- cleanup_dead_agents
-- ============================================================================================================
DO $cleanup$
DECLARE
    t0 constant timestamptz := '2030-01-01 00:00:00+00';
    r jsonb;
    v_a_task uuid; v_b_task uuid; v_b_last uuid; v_b_dep uuid; v_b_other uuid;
    v_task work_queue%ROWTYPE;
BEGIN
    DELETE FROM agent_sessions;
    DELETE FROM file_locks;
    DELETE FROM work_queue;

    -- agent A: one stale session and one live session. agent B: only a stale session. agent C: live.
    PERFORM register_agent_session('agent-a', 'claude_code', 'a-stale', '{}', NULL, t0 - interval '1 hour');
    PERFORM register_agent_session('agent-a', 'claude_code', 'a-live', '{}', NULL, t0 - interval '1 minute');
    PERFORM register_agent_session('agent-b', 'codex', 'b-stale', '{}', NULL, t0 - interval '16 minutes');
    PERFORM register_agent_session('agent-c', 'codex', 'c-live', '{}', NULL, t0 - interval '14 minutes');
    PERFORM register_agent_session('agent-d', 'codex', 'd-gone', '{}', NULL, t0 - interval '2 hours');
    UPDATE agent_sessions SET status = 'disconnected' WHERE id = 'd-gone';   -- already disconnected: not counted again

    PERFORM acquire_lock('a/lock', 'agent-a', 'claude_code', 'a-stale', NULL, 480, t0 - interval '1 hour');
    PERFORM acquire_lock('b/lock1', 'agent-b', 'codex', 'b-stale', NULL, 480, t0 - interval '1 hour');
    PERFORM acquire_lock('b/lock2', 'agent-b', 'codex', 'b-stale', NULL, 480, t0 - interval '1 hour');
    PERFORM acquire_lock('c/lock', 'agent-c', 'codex', 'c-live', NULL, 480, t0 - interval '1 hour');
    PERFORM acquire_lock('x/expired', 'agent-x', 'codex', NULL, NULL, 10, t0 - interval '1 hour');
    PERFORM acquire_lock('c/expired', 'agent-c', 'codex', NULL, NULL, 10, t0 - interval '1 hour');

    v_a_task := (submit_task('t', 'a task', p_priority => 1, p_now => t0)->>'task_id')::uuid;
    v_b_task := (submit_task('t', 'b task', p_priority => 2, p_now => t0)->>'task_id')::uuid;
    v_b_last := (submit_task('t', 'b last attempt', p_priority => 3, p_max_attempts => 1, p_now => t0)->>'task_id')::uuid;
    v_b_dep  := (submit_task('t', 'needs b last', p_priority => 4, p_depends_on => ARRAY[v_b_last], p_now => t0)->>'task_id')::uuid;
    PERFORM pg_temp.expect('a claims', claim_task('agent-a', 'x', NULL, 600, t0), jsonb_build_object('task_id', v_a_task));
    PERFORM pg_temp.expect('b claims', claim_task('agent-b', 'x', NULL, 600, t0), jsonb_build_object('task_id', v_b_task));
    PERFORM pg_temp.expect('b claims last', claim_task('agent-b', 'x', NULL, 600, t0), jsonb_build_object('task_id', v_b_last));
    PERFORM renew_task_lease(v_b_last, 'agent-b', 600, t0);   -- running
    v_b_other := (submit_task('t', 'b done', p_priority => 9, p_now => t0)->>'task_id')::uuid;
    PERFORM claim_task('agent-b', 'x', NULL, 600, t0);
    PERFORM complete_task(v_b_other, 'agent-b', true, p_now => t0);   -- completed: not released

    r := cleanup_dead_agents('15 minutes', t0);
    PERFORM pg_temp.expect_keys('cleanup keys', r, ARRAY['success','agents_cleaned','locks_released','tasks_released','expired_locks_swept']);
    PERFORM pg_temp.expect('cleanup counts', r, '{"success":true,"agents_cleaned":2,"locks_released":2,"tasks_released":2,"expired_locks_swept":2}');

    PERFORM pg_temp.check('stale sessions disconnected', (SELECT count(*) FROM agent_sessions
        WHERE id IN ('a-stale', 'b-stale') AND status = 'disconnected' AND ended_at = t0) = 2);
    PERFORM pg_temp.check('live sessions untouched', (SELECT count(*) FROM agent_sessions
        WHERE id IN ('a-live', 'c-live') AND status = 'active' AND ended_at IS NULL) = 2);
    PERFORM pg_temp.check('d untouched', (SELECT ended_at IS NULL FROM agent_sessions WHERE id = 'd-gone'));
    PERFORM pg_temp.check('agent with a live session keeps its lock', EXISTS (SELECT 1 FROM file_locks WHERE file_path = 'a/lock'));
    PERFORM pg_temp.check('dead agent locks released', NOT EXISTS (SELECT 1 FROM file_locks WHERE locked_by = 'agent-b'));
    PERFORM pg_temp.check('live agent lock kept', EXISTS (SELECT 1 FROM file_locks WHERE file_path = 'c/lock'));
    PERFORM pg_temp.check('expired locks swept', NOT EXISTS (SELECT 1 FROM file_locks WHERE file_path IN ('x/expired', 'c/expired')));
    PERFORM pg_temp.check('live agent keeps task', (SELECT status = 'claimed' AND claimed_by = 'agent-a' FROM work_queue WHERE id = v_a_task));
    SELECT * INTO v_task FROM work_queue WHERE id = v_b_task;
    PERFORM pg_temp.check('dead agent task back to pending', v_task.status = 'pending' AND v_task.claimed_by IS NULL
        AND v_task.lease_expires_at IS NULL AND v_task.error_message = 'claim_lease_expired');
    SELECT * INTO v_task FROM work_queue WHERE id = v_b_last;
    PERFORM pg_temp.check('dead agent last-attempt task failed', v_task.status = 'failed'
        AND v_task.error_message = 'claim_lease_expired: max_attempts reached' AND v_task.completed_at = t0);
    PERFORM pg_temp.check('cascade from cleanup', (SELECT status = 'failed' AND error_message = 'dependency_failed: ' || v_b_last
        FROM work_queue WHERE id = v_b_dep));
    PERFORM pg_temp.check('completed task untouched', (SELECT status FROM work_queue WHERE id = v_b_other) = 'completed');

    PERFORM pg_temp.expect('cleanup again: nothing', cleanup_dead_agents('15 minutes', t0),
        '{"success":true,"agents_cleaned":0,"locks_released":0,"tasks_released":0,"expired_locks_swept":0}');

    -- later the live session of A goes stale too: now A is dead
    r := cleanup_dead_agents(interval '30 minutes', t0 + interval '31 minutes');
    PERFORM pg_temp.expect('cleanup A', r, '{"success":true,"agents_cleaned":2,"locks_released":2,"tasks_released":1}');
    PERFORM pg_temp.check('A lock gone', NOT EXISTS (SELECT 1 FROM file_locks WHERE locked_by = 'agent-a'));
    PERFORM pg_temp.check('A task released', (SELECT status FROM work_queue WHERE id = v_a_task) = 'pending');
    -- default threshold and p_now
    PERFORM pg_temp.expect('cleanup defaults', cleanup_dead_agents(), '{"success":true}');

    RAISE NOTICE 'cleanup: ok';
END
$cleanup$;

-- ============================================================================================================
-- Privileges (only where the API roles exist and this user may SET ROLE to them)
-- ============================================================================================================
SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role')
       AND pg_has_role(current_user, 'service_role', 'MEMBER')
       AND pg_has_role(current_user, 'anon', 'MEMBER') AS can_test_roles \gset
\if :can_test_roles
SET LOCAL ROLE anon;
SELECT count(*) >= 0 AS anon_can_read FROM work_queue \gset
DO $anon$
BEGIN
    BEGIN
        PERFORM acquire_lock('anon/lock', 'anon-agent', 'x');
        RAISE EXCEPTION 'FAILED anon could write a lock';
    EXCEPTION WHEN insufficient_privilege THEN
        NULL;
    END;
END
$anon$;
RESET ROLE;
SET LOCAL ROLE service_role;
DO $service$
BEGIN
    PERFORM pg_temp.expect('service_role acquires', acquire_lock('svc/lock', 'svc-agent', 'x'), '{"success":true}');
    PERFORM pg_temp.expect('service_role submits', submit_task('t', 'svc'), '{"success":true}');
    PERFORM pg_temp.expect('service_role claims', claim_task('svc-agent', 'x'), '{"success":true}');
    PERFORM pg_temp.expect('service_role hands off', write_handoff('svc-agent', 'x', 'svc'), '{"success":true}');
    PERFORM pg_temp.expect('service_role registers', register_agent_session('svc-agent', 'x'), '{"success":true}');
    PERFORM pg_temp.expect('service_role cleans up', cleanup_dead_agents(), '{"success":true}');
END
$service$;
RESET ROLE;
\echo 'privileges: ok'
\else
\echo 'privileges: skipped (API roles missing or not granted to this user)'
\endif

-- Audit (008): batches, retention, immutability. Nothing here can clean audit_log, so the checks are relative.
DO $audit$
DECLARE
    v_before bigint := (SELECT count(*) FROM audit_log);
BEGIN
    PERFORM pg_temp.expect('audit: not an array', record_audit_entries('{}'), '{"success":false,"reason":"invalid_entries"}');
    PERFORM pg_temp.expect('audit: blank agent', record_audit_entries('[{"agent_id":" ","operation":"x"}]'),
                           '{"success":false,"reason":"invalid_entry","index":0}');
    PERFORM pg_temp.expect('audit: batch', record_audit_entries(jsonb_build_array(
        jsonb_build_object('agent_id', 'smoke-old', 'operation', 'acquire_lock', 'success', true,
                           'created_at', now() - interval '100 days'),
        jsonb_build_object('agent_id', 'smoke-new', 'operation', 'release_lock', 'success', false,
                           'error_message', 'lock_not_found_or_not_owner'))), '{"success":true,"inserted":2}');
    PERFORM pg_temp.expect('audit: window out of range', cleanup_old_audit_entries(0, now()),
                           '{"success":false,"reason":"retention_days_out_of_range"}');
    PERFORM pg_temp.expect('audit: prune', cleanup_old_audit_entries(90, now()), '{"success":true,"retention_days":90}');
    IF EXISTS (SELECT 1 FROM audit_log WHERE agent_id = 'smoke-old') OR NOT EXISTS (SELECT 1 FROM audit_log WHERE agent_id = 'smoke-new') THEN
        RAISE EXCEPTION 'FAILED audit: prune removed the wrong entries';
    END IF;
    BEGIN
        UPDATE audit_log SET success = true WHERE agent_id = 'smoke-new';
        RAISE EXCEPTION 'FAILED audit: UPDATE succeeded';
    EXCEPTION WHEN restrict_violation THEN
        NULL;
    END;
    BEGIN
        DELETE FROM audit_log WHERE agent_id = 'smoke-new';
        RAISE EXCEPTION 'FAILED audit: DELETE succeeded';
    EXCEPTION WHEN restrict_violation THEN
        NULL;
    END;
    IF (SELECT count(*) FROM audit_log) < v_before + 1 THEN
        RAISE EXCEPTION 'FAILED audit: entries missing';
    END IF;
END
$audit$;
\echo 'audit: ok'

ROLLBACK;
\echo 'sql-smoke-test: ALL OK'
