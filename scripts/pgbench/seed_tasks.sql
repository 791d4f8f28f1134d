-- Seeds pending tasks for the claim benchmark with one INSERT ... SELECT generate_series.
-- Run with psql; the number of tasks is the psql variable n_tasks (default 600000):
--   psql -v ON_ERROR_STOP=1 -v n_tasks=2000 -f scripts/pgbench/seed_tasks.sql "$COORDINATOR_TEST_POSTGRES_DSN"
\if :{?n_tasks}
\else
\set n_tasks 600000
\endif

INSERT INTO work_queue (task_type, description, input_data, priority)
SELECT 'bench',
       'benchmark task ' || g,
       jsonb_build_object('n', g),
       5
FROM generate_series(1, :n_tasks) AS g;

ANALYZE work_queue;
