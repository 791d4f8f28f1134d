-- pgbench: one lock acquire + release per transaction on a per-client key (no contention between clients).
--   pgbench -n -c 16 -j 4 -T 30 -f scripts/pgbench/lock_cycle.sql "$COORDINATOR_TEST_POSTGRES_DSN"
SELECT acquire_lock(p_file_path => 'bench/' || :client_id, p_agent_id => 'bench-agent-' || :client_id, p_agent_type => 'pgbench', p_reason => 'benchmark', p_ttl_minutes => 5);
SELECT release_lock(p_file_path => 'bench/' || :client_id, p_agent_id => 'bench-agent-' || :client_id);
