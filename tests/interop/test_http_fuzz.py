"""schemathesis against the live HTTP API: every operation in /openapi.json, all checks, a bounded run.

Starts `$COORDINATOR_BIN serve --port 0` (default .build/debug/coordinator) on 127.0.0.1 with one API key, on a
private SQLite file and, when `COORDINATOR_TEST_POSTGRES_DSN` is set and `psql` is available, again on a fresh
PostgreSQL database (PostgreSQL refuses text SQLite stores, e.g. U+0000, so both are fuzzed). Runs
`schemathesis run` with that key and `--checks all`, and asserts the run found nothing: no 5xx, no response that
contradicts the schema, no schema-valid request refused and no schema-violating request accepted. Prints (and
writes to `fuzz-cases.txt` in the run's folder, and appends to `$COORDINATOR_FUZZ_RESULT` when set) how many cases
were generated. `COORDINATOR_FUZZ_MAX_EXAMPLES` (default 50) bounds the examples per operation.

Relaxation, and why: some inputs obey rules JSON Schema cannot state. A lock key must canonicalise (relative path
that does not climb above the root, well-formed logical key, at most 1024 UTF-8 bytes, no line breaks inside) and
`depends_on` must name existing tasks, and `check_network`'s domain must be a host name (labels of letters, digits
and hyphens, or international labels that have an `xn--` form). For the operations taking those inputs, a schema-valid request may be
refused with 422 (the documented invalid-input answer), so 422 counts as an accepted answer to positive data
there, and only there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from serve_process import Server, clean_environment, start_server, stop_server

SCHEMATHESIS = str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "schemathesis")
API_KEY = "fuzz-key-3b9d51"
MAX_EXAMPLES = int(os.environ.get("COORDINATOR_FUZZ_MAX_EXAMPLES", "50"))
RUN_TIMEOUT = 900

# Operations whose inputs carry rules beyond JSON Schema (see the module docstring).
SEMANTIC_RULE_OPERATIONS = ["acquire_lock", "release_lock", "check_locks", "lock_status", "submit_work", "check_network"]

CONFIG = f"""
[[operations]]
include-operation-id = {SEMANTIC_RULE_OPERATIONS!r}
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]
""".replace("'", '"')


@contextmanager
def backend_environment(backend: str, folder: str) -> Iterator[dict[str, str]]:
    """The database settings of one run: a private SQLite file, or a PostgreSQL database created and dropped here."""
    if backend == "sqlite":
        yield {"DB_BACKEND": "sqlite", "COORDINATOR_DB_PATH": os.path.join(folder, "coordinator.sqlite")}
        return
    base = os.environ.get("COORDINATOR_TEST_POSTGRES_DSN")
    psql = shutil.which("psql")
    if not base or not psql:
        message = "COORDINATOR_TEST_POSTGRES_DSN and psql are needed for the PostgreSQL run (scripts/test provides both)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must fuzz both backends, never skip one silently
        pytest.skip(message)
    name = f"coordinator_fuzz_{uuid.uuid4().hex[:10]}"
    subprocess.run([psql, base, "-v", "ON_ERROR_STOP=1", "-q", "-c", f"CREATE DATABASE {name}"], check=True, timeout=60,
                   stdin=subprocess.DEVNULL, capture_output=True)
    parts = urlsplit(base)
    try:
        yield {"DB_BACKEND": "postgres", "POSTGRES_DSN": urlunsplit(parts._replace(path="/" + name))}
    finally:
        subprocess.run([psql, base, "-q", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], timeout=60,
                       stdin=subprocess.DEVNULL, capture_output=True)


def start_fuzz_target(database: dict[str, str]) -> Server:
    environment = clean_environment("COORDINATOR_DB_PATH", "POSTGRES_DSN")
    environment.update(database)
    environment["COORDINATION_API_KEYS"] = API_KEY
    return start_server(environment)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_schemathesis_finds_nothing(backend: str) -> None:
    with tempfile.TemporaryDirectory(prefix="coordinator-http-fuzz-") as folder, backend_environment(backend, folder) as database:
        config = Path(folder, "schemathesis.toml")
        config.write_text(CONFIG)
        server = start_fuzz_target(database)
        url = server.url
        try:
            run = subprocess.run(
                [
                    SCHEMATHESIS, "--config-file", str(config), "--no-color", "run", f"{url}/openapi.json",
                    "--header", f"X-API-Key: {API_KEY}",
                    "--checks", "all",
                    "--max-examples", str(MAX_EXAMPLES),
                    "--request-timeout", "10",
                    "--generation-database", "none",
                    "--report", "junit", "--report-dir", os.path.join(folder, "report"),
                ],
                cwd=folder,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=RUN_TIMEOUT,
            )
        finally:
            status = stop_server(server)
        output = run.stdout + run.stderr
        generated = re.search(r"(\d+) generated", output)
        cases = int(generated.group(1)) if generated else 0
        summary = f"schemathesis ({backend}): {cases} generated cases, exit status {run.returncode}"
        print(summary)
        Path(folder, "fuzz-cases.txt").write_text(summary + "\n")
        if os.environ.get("COORDINATOR_FUZZ_RESULT"):
            with open(os.environ["COORDINATOR_FUZZ_RESULT"], "a") as results:
                results.write(summary + "\n")
        assert run.returncode == 0, output[-20000:] + "\n--- server log ---\n" + "\n".join(server.log[-50:])
        assert cases > 0, output[-5000:]
        assert status == 0, "serve did not stop cleanly on SIGTERM:\n" + "\n".join(server.log[-50:])
