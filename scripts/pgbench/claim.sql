-- pgbench: one claim_task per transaction. Seed first with scripts/pgbench/seed_tasks.sql; every transaction
-- consumes one pending task, so seed at least (clients x transactions) tasks.
--   pgbench -n -c 16 -j 2 -t 125 -f scripts/pgbench/claim.sql "$COORDINATOR_TEST_POSTGRES_DSN"
SELECT claim_task(p_agent_id => 'bench-agent-' || :client_id, p_agent_type => 'pgbench');
