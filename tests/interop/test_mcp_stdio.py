"""A real MCP client (Python `mcp` 2.3.0) against `coordinator mcp` over stdio.

Spawns `$COORDINATOR_BIN mcp` (default .build/debug/coordinator) with a private SQLite file, as alice and as bob in
two separate processes sharing that file, and drives them through the SDK's `Client`.

The client runs in `mode="legacy"` (the initialize handshake): the Swift SDK 0.12.1 server has no `server/discover`,
so the default `mode="auto"` would only add a failed probe round trip before falling back to the same handshake.
`stdio_client` does not inherit the caller's environment, so every variable the server needs is passed explicitly.

`COORDINATOR_MCP_MEASURE=1` adds a quick latency measurement (printed; run pytest with -s to see it).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters

COORDINATOR_BIN = os.environ.get("COORDINATOR_BIN", "/work/main/.build/debug/coordinator")
MODE = "legacy"
CALL_TIMEOUT = 30.0
SCENARIO_TIMEOUT = 120.0


def server_parameters(database: Path, agent_id: str, agent_type: str = "claude_code") -> StdioServerParameters:
    environment = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "DB_BACKEND": "sqlite",
        "COORDINATOR_DB_PATH": str(database),
        "AGENT_ID": agent_id,
        "AGENT_TYPE": agent_type,
        "COORDINATOR_LOG_LEVEL": "warning",
    }
    return StdioServerParameters(command=COORDINATOR_BIN, args=["mcp"], env=environment)


def client(database: Path, agent_id: str, agent_type: str = "claude_code") -> Client:
    return Client(
        server_parameters(database, agent_id, agent_type), mode=MODE, cache=None, read_timeout_seconds=CALL_TIMEOUT
    )


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    async def bounded() -> None:
        with anyio.fail_after(SCENARIO_TIMEOUT):
            await scenario()

    anyio.run(bounded)


def text_of(result: Any) -> str:
    return "".join(getattr(block, "text", "") for block in result.content)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    if not os.access(COORDINATOR_BIN, os.X_OK):
        pytest.fail(f"{COORDINATOR_BIN} is not an executable; build it (swift build) or set COORDINATOR_BIN")
    return tmp_path / "coordinator.sqlite"


def test_initialize_and_list_everything(database: Path) -> None:
    async def scenario() -> None:
        async with client(database, "alice") as alice:
            assert alice.protocol_version == "2025-11-25"
            assert alice.server_info is not None
            assert alice.server_info.name == "coordination"
            assert alice.server_info.version == "0.3.0"
            assert (alice.instructions or "").startswith(
                "Multi-agent coordination: file locks, work queue, handoffs, and discovery"
            )

            tools = {tool.name: tool for tool in (await alice.list_tools()).tools}
            for name in [
                "acquire_lock", "release_lock", "check_locks", "lock_status", "get_work", "complete_work",
                "submit_work", "get_task", "write_handoff", "read_handoff", "register_session", "discover_agents",
                "heartbeat", "cleanup_dead_agents",
            ]:
                assert name in tools, name
            acquire = tools["acquire_lock"].input_schema
            assert acquire["type"] == "object"
            assert acquire["required"] == ["file_path"]
            assert acquire["properties"]["ttl_minutes"] == {
                "type": "integer", "minimum": 1, "maximum": 480,
                "description": "Minutes until the lock expires (default LOCK_TTL_MINUTES, 120).",
            }

            resources = [str(resource.uri) for resource in (await alice.list_resources()).resources]
            assert resources == ["locks://current", "work://pending", "handoffs://recent", "memories://recent",
                                 "audit://recent", "guardrails://patterns", "profiles://current"]

            prompts = {prompt.name: prompt for prompt in (await alice.list_prompts()).prompts}
            assert set(prompts) == {"coordinate_file_edit", "start_work_session"}
            assert [argument.name for argument in prompts["coordinate_file_edit"].arguments or []] == ["file_path", "task"]
            prompt = await alice.get_prompt("coordinate_file_edit", {"file_path": "src/app.py", "task": "fix the bug"})
            assert "`src/app.py`" in prompt.messages[0].content.text

    run(scenario)


def test_lock_seen_and_refused_across_processes(database: Path) -> None:
    async def scenario() -> None:
        async with client(database, "alice") as alice:
            taken = await alice.call_tool("acquire_lock", {"file_path": "src/app.py", "reason": "refactor"})
            assert not taken.is_error, text_of(taken)
            assert taken.structured_content is not None
            assert taken.structured_content["success"] is True

            async with client(database, "bob", "codex") as bob:
                seen = await bob.call_tool("check_locks", {"file_paths": ["src/app.py"]})
                assert not seen.is_error, text_of(seen)
                locks = seen.structured_content["locks"]
                assert [(lock["file_path"], lock["locked_by"], lock["reason"]) for lock in locks] == [
                    ("src/app.py", "alice", "refactor")
                ]

                refused = await bob.call_tool("acquire_lock", {"file_path": "src/app.py"})
                assert not refused.is_error, "a refusal is a result, not a tool error"
                assert refused.structured_content["success"] is False
                assert refused.structured_content["reason"] == "locked_by_other"
                assert refused.structured_content["locked_by"] == "alice"

                foreign_release = await bob.call_tool("release_lock", {"file_path": "src/app.py"})
                assert foreign_release.structured_content["success"] is False

            markdown = (await alice.read_resource("locks://current")).contents[0].text
            assert markdown.startswith("# Active File Locks")
            assert "- **src/app.py**" in markdown
            assert "Locked by: alice (claude_code)" in markdown
            assert "Reason: refactor" in markdown

            released = await alice.call_tool("release_lock", {"file_path": "src/app.py"})
            assert released.structured_content["success"] is True
            assert (await alice.read_resource("locks://current")).contents[0].text == "No active locks."

    run(scenario)


def test_bad_arguments_are_tool_errors_naming_the_field(database: Path) -> None:
    async def scenario() -> None:
        async with client(database, "alice") as alice:
            for tool, arguments, field in [
                ("acquire_lock", {"file_path": "a.py", "ttl_minutes": 0}, "ttl_minutes"),
                ("acquire_lock", {}, "file_path"),
                ("get_task", {"task_id": "nope"}, "task_id"),
            ]:
                result = await alice.call_tool(tool, arguments)
                assert result.is_error, (tool, arguments)
                assert text_of(result).startswith(f"invalid {field}: "), text_of(result)
            unknown = await alice.call_tool("no_such_tool", {})
            assert unknown.is_error
            # Still serving after the errors.
            assert not (await alice.call_tool("check_locks", {})).is_error

    run(scenario)


def test_heartbeat_uses_the_registered_session(database: Path) -> None:
    async def scenario() -> None:
        async with client(database, "alice") as alice:
            registered = await alice.call_tool("register_session", {"capabilities": ["python"]})
            session_id = registered.structured_content["session_id"]
            beat = await alice.call_tool("heartbeat", {})
            assert not beat.is_error, text_of(beat)
            assert beat.structured_content["success"] is True
            assert beat.structured_content["session_id"] == session_id

    run(scenario)


def test_data_url_arguments_and_results_are_exact(database: Path) -> None:
    async def scenario() -> None:
        async with client(database, "alice") as alice:
            reason = "data:,hello world"
            await alice.call_tool("acquire_lock", {"file_path": "a.py", "reason": reason})
            locks = (await alice.call_tool("check_locks", {})).structured_content["locks"]
            assert locks[0]["reason"] == reason

    run(scenario)


@pytest.mark.skipif(os.environ.get("COORDINATOR_MCP_MEASURE") != "1", reason="set COORDINATOR_MCP_MEASURE=1 to measure")
def test_measure_latency(database: Path) -> None:
    """A quick measurement, not a benchmark: spawn→first tool result, and sequential check_locks latency."""

    async def scenario() -> None:
        # Create and migrate the database once, so start-up runs measure the steady state.
        async with client(database, "warmup") as warmup:
            await warmup.call_tool("acquire_lock", {"file_path": "warm.py"})

        startup: list[float] = []
        for _ in range(10):
            started = time.perf_counter()
            async with client(database, "alice") as alice:
                await alice.call_tool("check_locks", {})
                startup.append((time.perf_counter() - started) * 1000)

        async with client(database, "alice") as alice:
            for index in range(20):
                await alice.call_tool("acquire_lock", {"file_path": f"src/file{index}.py"})
            for _ in range(20):
                await alice.call_tool("check_locks", {})
            samples: list[float] = []
            for _ in range(300):
                started = time.perf_counter()
                result = await alice.call_tool("check_locks", {})
                samples.append((time.perf_counter() - started) * 1000)
                assert not result.is_error
            pairs: list[float] = []
            for index in range(100):
                started = time.perf_counter()
                await alice.call_tool("acquire_lock", {"file_path": f"pair{index}.py"})
                await alice.call_tool("release_lock", {"file_path": f"pair{index}.py"})
                pairs.append((time.perf_counter() - started) * 1000)

        def p(values: list[float], q: float) -> float:
            ordered = sorted(values)
            return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

        print(
            f"\nspawn→first check_locks result: median {statistics.median(startup):.1f} ms, max {max(startup):.1f} ms"
            f" ({len(startup)} runs, includes process start, SQLite open and the initialize handshake)"
            f"\ncheck_locks (21 live locks), {len(samples)} sequential calls through the Python client:"
            f" p50 {p(samples, 0.5):.3f} ms, p99 {p(samples, 0.99):.3f} ms, mean {statistics.mean(samples):.3f} ms"
            f"\nacquire_lock+release_lock pair, {len(pairs)} pairs: p50 {p(pairs, 0.5):.3f} ms, p99 {p(pairs, 0.99):.3f} ms"
        )

    run(scenario)
