"""One system behind three transports: a lock taken over MCP (stdio) is visible and refused over HTTP and the CLI,
and a lock taken over HTTP or the CLI is visible and refused over MCP.

`coordinator mcp`, `coordinator serve` and plain `coordinator lock …` processes share one SQLite file, as local agents
and a local HTTP server would.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import urllib.request
from pathlib import Path

import anyio
from mcp import Client, StdioServerParameters
from serve_process import COORDINATOR_BIN, clean_environment, start_server, stop_server

CALL_TIMEOUT = 30.0


def post(url: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=CALL_TIMEOUT) as response:
        assert response.status == 200
        return json.loads(response.read())


def cli(environment: dict[str, str], agent: str, *arguments: str) -> tuple[int, dict]:
    finished = subprocess.run([COORDINATOR_BIN, *arguments, "--json", "--agent-id", agent], env=environment,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=CALL_TIMEOUT)
    return finished.returncode, json.loads(finished.stdout)


def test_locks_agree_across_mcp_http_and_cli() -> None:
    with tempfile.TemporaryDirectory(prefix="coordinator-cross-") as folder:
        environment = clean_environment("COORDINATOR_DB_PATH", "POSTGRES_DSN")
        environment.update(DB_BACKEND="sqlite", COORDINATOR_DB_PATH=str(Path(folder, "coordinator.sqlite")))
        server = start_server(environment)
        try:
            async def scenario() -> None:
                mcp_environment = dict(environment, AGENT_ID="alice", AGENT_TYPE="claude_code")
                parameters = StdioServerParameters(command=COORDINATOR_BIN, args=["mcp"], env=mcp_environment)
                async with Client(parameters, mode="legacy", cache=None, read_timeout_seconds=CALL_TIMEOUT) as alice:
                    # MCP takes it; HTTP and the CLI see it and are refused.
                    taken = await alice.call_tool("acquire_lock", {"file_path": "src/mcp.py", "reason": "via mcp"})
                    assert taken.structured_content["action"] == "acquired"
                    status = json.loads(urllib.request.urlopen(server.url + "/locks/status/src/mcp.py", timeout=CALL_TIMEOUT).read())
                    assert status["locked"] is True and status["lock"]["locked_by"] == "alice"
                    refused = post(server.url, "/locks/acquire", {"file_path": "src/mcp.py", "agent_id": "bob", "agent_type": "codex"})
                    assert refused["success"] is False and refused["reason"] == "locked_by_other" and refused["locked_by"] == "alice"
                    code, result = cli(environment, "carol", "lock", "acquire", "src/mcp.py")
                    assert code == 3 and result["reason"] == "locked_by_other" and result["locked_by"] == "alice"
                    code, listed = cli(environment, "carol", "lock", "list")
                    assert code == 0 and [lock["file_path"] for lock in listed["locks"]] == ["src/mcp.py"]

                    # HTTP and the CLI take theirs; MCP sees both and is refused.
                    assert post(server.url, "/locks/acquire", {"file_path": "src/http.py", "agent_id": "bob"})["action"] == "acquired"
                    code, result = cli(environment, "carol", "lock", "acquire", "src/cli.py")
                    assert code == 0 and result["action"] == "acquired"
                    seen = await alice.call_tool("check_locks", {})
                    holders = {lock["file_path"]: lock["locked_by"] for lock in seen.structured_content["locks"]}
                    assert holders == {"src/mcp.py": "alice", "src/http.py": "bob", "src/cli.py": "carol"}
                    for path, holder in [("src/http.py", "bob"), ("src/cli.py", "carol")]:
                        refusal = await alice.call_tool("acquire_lock", {"file_path": path})
                        assert refusal.structured_content["reason"] == "locked_by_other"
                        assert refusal.structured_content["locked_by"] == holder

                    # Releases through one transport free the lock for the others.
                    assert (await alice.call_tool("release_lock", {"file_path": "src/mcp.py"})).structured_content["success"] is True
                    assert post(server.url, "/locks/acquire", {"file_path": "src/mcp.py", "agent_id": "bob"})["action"] == "acquired"

            async def bounded() -> None:
                with anyio.fail_after(120):
                    await scenario()

            anyio.run(bounded)
        finally:
            assert stop_server(server) == 0, "\n".join(server.log)
