#!/usr/bin/env python3
"""Differential check: the same Cedar requests through `coordinator cedar batch` and through cedarpy (the oracle).

Usage: batch_diff.py [--data DIR] [--random N] [--seed S] [--bin PATH]
  DIR     holds tests/ and sample-data/ (default /work/shared/cedar): the 22 hand-written tests, 74 requests.
  N       extra generated requests per test (default 0): one of the test's requests with principal and resource
          replaced by other entities (mostly of the same type), sometimes another schema action or context (or {});
          some are then invalid for the schema, which exercises NoDecision.
  PATH    the coordinator executable (default $COORDINATOR_BIN, else .build/debug/coordinator).
Run with the cedarpy venv: .venv-cedar/bin/python tools/cedar/batch_diff.py
Compares, per request: decision; reasons as a set; erroring policy ids as a set; whether the request could not be
evaluated (cedarpy NoDecision vs. request_error). Per test: validation pass/fail and the set of failing policy ids,
and cedarpy's result against the test's shouldValidate. Messages are not compared. Exit 0 iff no mismatch.
"""
import argparse, glob, json, os, random, re, subprocess, sys

import cedarpy

ERR_RE = re.compile(r"error while evaluating policy `([^`]+)`")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def oracle_answer(result):
    decision = result.decision.value.lower()
    if decision == "nodecision":
        return {"decision": "deny", "reasons": set(), "errors": set(), "request_error": True}
    errors = result.diagnostics.errors
    return {
        "decision": decision,
        "reasons": set(result.diagnostics.reasons),
        "errors": {m.group(1) for e in errors for m in [ERR_RE.search(e)] if m},
        "request_error": any(not ERR_RE.search(e) for e in errors),
    }


def swift_answer(answer):
    if "error" in answer:
        return {"malformed": answer["error"]}
    return {
        "decision": answer["decision"],
        "reasons": set(answer["reasons"]),
        "errors": {e["policy_id"] for e in answer["errors"]},
        "request_error": answer["request_error"] is not False,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/work/shared/cedar")
    parser.add_argument("--random", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bin", default=os.environ.get("COORDINATOR_BIN", os.path.join(ROOT, ".build/debug/coordinator")))
    args = parser.parse_args()
    rng = random.Random(args.seed)

    tests = sorted(glob.glob(os.path.join(args.data, "tests", "*", "*.json")))
    lines, expected = [], []  # one batch line per test (all its requests) + one validate line per test
    for path in tests:
        spec = json.load(open(path))
        read = lambda key: open(os.path.join(args.data, spec[key]), encoding="utf-8").read()
        policies, entities, schema = read("policies"), read("entities"), read("schema")
        requests = [{k: r[k] for k in ("principal", "action", "resource", "context")} for r in spec["requests"]]
        if args.random:
            uids = [e["uid"] for e in json.loads(entities)]
            actions = [{"type": "Action", "id": a} for a in re.findall(r'action\s+"?([A-Za-z_][A-Za-z0-9_]*)', schema)]
            actions += [{"type": "Action", "id": a} for line in re.findall(r"action\s+([^{;]*?)\s+appliesTo", schema)
                        for a in re.split(r"\s*,\s*", line) if a and '"' not in a]
            contexts = [r["context"] for r in requests] + [{}]
            base = list(requests)
            for _ in range(args.random):
                # Mostly a known request with principal/resource swapped for another entity of the same type (valid
                # for the schema), sometimes any entity or any action (probably not valid: NoDecision).
                request = dict(rng.choice(base))
                for key in ("principal", "resource"):
                    same = [u for u in uids if u["type"] == request[key]["type"]]
                    request[key] = rng.choice(same if same and rng.random() < 0.85 else uids)
                if actions and rng.random() < 0.3:
                    request["action"] = rng.choice(actions)
                if rng.random() < 0.1:
                    request["context"] = rng.choice(contexts)
                requests.append(request)
        oracle = cedarpy.is_authorized_batch(requests, policies, entities, schema=schema)
        lines.append(json.dumps({"id": path, "policies": policies, "entities": entities, "schema": schema, "requests": requests}))
        expected.append(("authorize", path, requests, [oracle_answer(r) for r in oracle]))
        validation = cedarpy.validate_policies(policies, schema)
        lines.append(json.dumps({"id": path, "op": "validate", "policies": policies, "schema": schema}))
        expected.append(("validate", path, spec.get("shouldValidate"), validation))

    run = subprocess.run([args.bin, "cedar", "batch"], input="\n".join(lines) + "\n", capture_output=True, text=True)
    if run.returncode != 0:
        print(f"coordinator cedar batch exited {run.returncode}: {run.stderr}")
        return 2
    answers = [json.loads(line) for line in run.stdout.splitlines()]
    if len(answers) != len(lines):
        print(f"expected {len(lines)} answer lines, got {len(answers)}")
        return 2

    mismatches, requests_checked = [], 0
    tally = {"allow": 0, "deny": 0, "request_error": 0, "with_policy_errors": 0}
    for (kind, path, payload, oracle), answer in zip(expected, answers):
        name = os.path.relpath(path, args.data)
        if "error" in answer:
            mismatches.append((name, kind, "malformed", answer["error"]))
            continue
        if kind == "authorize":
            for index, (request, want, got) in enumerate(zip(payload, oracle, answer["results"])):
                requests_checked += 1
                got = swift_answer(got)
                if "decision" in got:
                    tally["request_error" if got["request_error"] else got["decision"]] += 1
                    tally["with_policy_errors"] += bool(got["errors"])
                if got != want:
                    mismatches.append((name, f"request {index}", json.dumps(request)[:200], "cedarpy", want, "swift", got))
        else:
            want_ids = {e.policy_id for e in oracle.errors}
            got_ids = {e["policy_id"] for e in answer["errors"]}
            if answer["passed"] != oracle.validation_passed or want_ids != got_ids:
                mismatches.append((name, "validate", "cedarpy", oracle.validation_passed, sorted(want_ids),
                                   [str(e) for e in oracle.errors][:3], "swift", answer["passed"], answer["errors"][:3]))
            if payload is not None and oracle.validation_passed != payload:
                mismatches.append((name, "validate", "cedarpy disagrees with shouldValidate", payload))

    print(f"{len(tests)} tests, {requests_checked} requests, {len(tests)} validations: {len(mismatches)} mismatches")
    print("  swift answers:", ", ".join(f"{k} {v}" for k, v in tally.items()))
    for mismatch in mismatches[:20]:
        print(" ", mismatch)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
