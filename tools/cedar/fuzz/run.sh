#!/usr/bin/env bash
# Differential fuzzing of the Swift Cedar engine against cedarpy (pinned 4.12.2).
#
#   tools/cedar/fuzz/run.sh                      # CI budget: fixed seed, 20,000 requests, debug binary
#   tools/cedar/fuzz/run.sh --requests 200000 --seed 7 --bin .build-release/release/coordinator
#   tools/cedar/fuzz/run.sh --no-save -v         # report only, progress every 50 cases
#
# Needs: the venv with cedarpy (default .venv-cedar; override with CEDAR_VENV) and a built coordinator
# (`swift build --product coordinator`). Mismatches are shrunk and written to Tests/Fixtures/cedar-regressions/.
# Exit status: 0 no mismatch, 1 mismatches, 2 harness problem.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
venv="${CEDAR_VENV:-$root/.venv-cedar}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet cedarpy==4.12.2
fi
exec "$venv/bin/python" "$root/tools/cedar/fuzz/diff.py" "$@"
