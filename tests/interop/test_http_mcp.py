"""A real MCP client (Python `mcp` 2.3.0, Streamable HTTP) against `coordinator serve`'s /mcp endpoint.

Starts `$COORDINATOR_BIN serve --port 0` (default .build/debug/coordinator) on 127.0.0.1 with a private SQLite file
and two API keys bound to alice and bob, then drives it as two MCP clients and over plain HTTP.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from serve_process import Server, clean_environment, start_server, stop_server

ALICE_KEY = "alice-key-7f3a"
BOB_KEY = "bob-key-91c2"
CALL_TIMEOUT = 30.0


def server_environment(folder: str) -> dict[str, str]:
    environment = clean_environment()
    environment.update(
        COORDINATOR_DB_PATH=os.path.join(folder, "coordinator.sqlite"),
        COORDINATION_API_KEYS=f"{ALICE_KEY}, {BOB_KEY}",
        COORDINATION_API_KEY_IDENTITIES=json.dumps(
            {
                ALICE_KEY: {"agent_id": "alice", "agent_type": "claude_code"},
                BOB_KEY: {"agent_id": "bob", "agent_type": "codex"},
            }
        ),
        COORDINATOR_LOG_LEVEL="info",
    )
    return environment


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with tempfile.TemporaryDirectory(prefix="coordinator-http-mcp-") as folder:
        running = start_server(server_environment(folder))
        try:
            yield running
        finally:
            status = stop_server(running)
            assert status == 0, f"serve exited with {status} after SIGTERM:\n" + "\n".join(running.log)


def http(server: Server, method: str, path: str, body: object | None = None, key: str | None = None) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.url + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if key:
        request.add_header("X-API-Key", key)
    try:
        with urllib.request.urlopen(request, timeout=CALL_TIMEOUT) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def mcp_client(server: Server, key: str | None) -> Client:
    headers = {"X-API-Key": key} if key else {}
    http_client = httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(CALL_TIMEOUT))
    return Client(streamable_http_client(server.url + "/mcp", http_client=http_client), read_timeout_seconds=CALL_TIMEOUT)


def tool_json(result) -> dict:
    """The JSON object a coordinator tool returned (structured content, else the text block)."""
    if result.structured_content is not None:
        return result.structured_content
    return json.loads(result.content[0].text)


def test_mcp_session_over_http(server: Server) -> None:
    async def scenario() -> None:
        with anyio.fail_after(120):
            async with mcp_client(server, ALICE_KEY) as alice, mcp_client(server, BOB_KEY) as bob:
                tools = {tool.name for tool in (await alice.list_tools()).tools}
                assert {"acquire_lock", "release_lock", "check_locks", "get_work", "submit_work"} <= tools
                resources = {str(resource.uri) for resource in (await alice.list_resources()).resources}
                assert "locks://current" in resources
                prompts = {prompt.name for prompt in (await alice.list_prompts()).prompts}
                assert "coordinate_file_edit" in prompts

                taken = tool_json(await alice.call_tool("acquire_lock", {"file_path": "src/interop.swift", "reason": "http mcp test"}))
                assert taken["success"] is True, taken

                # The lock is visible over plain HTTP, held by the key's bound identity.
                status, body = http(server, "GET", "/locks/status/src/interop.swift")
                assert status == 200 and body["locked"] is True and body["lock"]["locked_by"] == "alice", body

                refused = tool_json(await bob.call_tool("acquire_lock", {"file_path": "src/interop.swift"}))
                assert refused["success"] is False and refused["reason"] == "locked_by_other", refused
                assert refused["locked_by"] == "alice", refused

                # bob's key cannot act as alice over plain HTTP either.
                status, body = http(server, "POST", "/locks/release", {"file_path": "src/interop.swift", "agent_id": "alice"}, BOB_KEY)
                assert status == 403 and body["reason"] == "forbidden", body

                current = await alice.read_resource("locks://current")
                text = current.contents[0].text
                assert "src/interop.swift" in text and "alice" in text, text

                released = tool_json(await alice.call_tool("release_lock", {"file_path": "src/interop.swift"}))
                assert released["success"] is True, released

                status, body = http(server, "GET", "/locks/status/src/interop.swift")
                assert status == 200 and body["locked"] is False, body
                after = await alice.read_resource("locks://current")
                assert "src/interop.swift" not in after.contents[0].text

                # Now bob can take it.
                taken = tool_json(await bob.call_tool("acquire_lock", {"file_path": "src/interop.swift"}))
                assert taken["success"] is True, taken
                released = tool_json(await bob.call_tool("release_lock", {"file_path": "src/interop.swift"}))
                assert released["success"] is True, released

    anyio.run(scenario)


def test_mcp_requires_api_key(server: Server) -> None:
    async def post_without_key() -> tuple[int, dict]:
        async with httpx2.AsyncClient(timeout=httpx2.Timeout(CALL_TIMEOUT)) as client:
            response = await client.post(
                server.url + "/mcp",
                json={"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
                    "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}},
                headers={"Accept": "application/json, text/event-stream", "X-API-Key": "not-a-key"},
            )
            return response.status_code, response.json()

    status, body = anyio.run(post_without_key)
    assert status == 401 and body == {"success": False, "reason": "unauthorized", "detail": "Invalid API key"}


def test_plain_http_lock_refused_for_other_key(server: Server) -> None:
    status, body = http(server, "POST", "/locks/acquire", {"file_path": "docs/http.md", "ttl_minutes": 5}, ALICE_KEY)
    assert status == 200 and body["success"] is True, body
    status, body = http(server, "POST", "/locks/acquire", {"file_path": "docs/http.md"}, BOB_KEY)
    assert status == 200 and body["success"] is False and body["reason"] == "locked_by_other", body
    status, body = http(server, "POST", "/locks/release", {"file_path": "docs/http.md"}, ALICE_KEY)
    assert status == 200 and body["success"] is True, body
