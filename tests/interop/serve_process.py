"""Starting and stopping `coordinator serve` for the interop tests (shared by test_http_mcp and test_http_fuzz)."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

COORDINATOR_BIN = os.environ.get("COORDINATOR_BIN", "/work/main/.build/debug/coordinator")
START_TIMEOUT = 30.0


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: list[str]


def clean_environment(*excluded: str) -> dict[str, str]:
    """This process's environment without identity, listener or API-key settings (and `excluded`)."""
    dropped = {"AGENT_ID", "AGENT_TYPE", "SESSION_ID", "DB_BACKEND", "API_HOST", "API_PORT", *excluded}
    return {key: value for key, value in os.environ.items() if key not in dropped and not key.startswith("COORDINATION_")}


def start_server(environment: dict[str, str], *, timeout: float = START_TIMEOUT) -> Server:
    """Runs `coordinator serve --port 0` and waits for its `listening on http://HOST:PORT` line."""
    process = subprocess.Popen(
        [COORDINATOR_BIN, "serve", "--host", "127.0.0.1", "--port", "0"],
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    log: list[str] = []

    def pump() -> None:
        assert process.stderr is not None
        for raw in process.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            log.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            stop_server(Server("", process, log))
            raise AssertionError("coordinator serve did not report its address in time:\n" + "\n".join(log))
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            continue
        if line is None:
            process.wait(timeout=5)
            raise AssertionError(f"coordinator serve exited with {process.returncode}:\n" + "\n".join(log))
        match = re.search(r"listening on (http://\S+)", line)
        if match:
            return Server(match.group(1), process, log)


def stop_server(server: Server) -> int | None:
    """SIGTERM (graceful), then SIGKILL if it does not stop within 15 s."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=5)
    return server.process.returncode
