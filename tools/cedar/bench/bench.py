#!/usr/bin/env python3
"""Authorization latency, Swift (`coordinator cedar bench`) vs cedarpy 4.12.2, in the same run.

    .venv/bin/python tools/cedar/bench/bench.py [--sets DIR] [--binary PATH] [--passes N] [--no-schema] [--json]

For each scenario folder in --sets (made by make_sets.py; generated there if missing): cedarpy decides every request
with pre-parsed handles (cedarpy.PolicySet / Entities / Schema), each call timed with time.perf_counter_ns, and the
engine-internal metrics.authz_duration_micros collected; then the Swift binary is run on the same files (it parses
once and times each Authorizer.isAuthorized call with ContinuousClock). Allow counts must agree. Prints a table and
the ratio cedarpy p50 / Swift p50.

Build the Swift binary first: swift build -c release --product coordinator --scratch-path .build-release
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import cedarpy

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def pct(sorted_values, p):
    i = min(len(sorted_values) - 1, max(0, -(-int(p * len(sorted_values) * 1000) // 1000) - 1))
    return sorted_values[i]


def bench_cedarpy(folder, passes, warmup, use_schema):
    read = lambda name: open(os.path.join(folder, name)).read()
    schema = cedarpy.Schema.from_str(read("schema.cedarschema")) if use_schema else None
    policies = cedarpy.PolicySet.from_str(read("policies.cedar"))
    entities = cedarpy.Entities.from_json_str(read("entities.json"), schema)
    requests = [json.loads(line) for line in read("requests.jsonl").splitlines() if line.strip()]

    allow = errors = 0
    for r in requests:  # counts (and a check that nothing fails), untimed
        res = cedarpy.is_authorized(r, policies, entities, schema)
        allow += bool(res.allowed)
        errors += bool(res.diagnostics.errors) or res.decision.value == "NoDecision"
    for i in range(warmup):
        cedarpy.is_authorized(requests[i % len(requests)], policies, entities, schema)

    samples, engine = [], []
    clock = time.perf_counter_ns
    wall0 = clock()
    for _ in range(passes):
        for r in requests:
            t0 = clock()
            res = cedarpy.is_authorized(r, policies, entities, schema)
            samples.append(clock() - t0)
            m = res.metrics
            if m and "authz_duration_micros" in m:
                engine.append(m["authz_duration_micros"])
    wall = (clock() - wall0) / 1e9
    samples.sort()
    engine.sort()
    out = {
        "requests": len(requests), "decisions": len(samples),
        "p50_us": pct(samples, 0.50) / 1000, "p99_us": pct(samples, 0.99) / 1000,
        "mean_us": statistics.fmean(samples) / 1000, "decisions_per_s": len(samples) / wall,
        "allow": allow, "errors": errors,
    }
    if engine:
        out.update(engine_p50_us=pct(engine, 0.50), engine_p99_us=pct(engine, 0.99),
                   engine_mean_us=statistics.fmean(engine))
    return out


def bench_swift(binary, folder, passes, warmup, use_schema):
    cmd = [binary, "cedar", "bench",
           "--policies", os.path.join(folder, "policies.cedar"),
           "--entities", os.path.join(folder, "entities.json"),
           "--requests", os.path.join(folder, "requests.jsonl"),
           "--passes", str(passes), "--warmup", str(warmup), "--json"]
    if use_schema:
        cmd += ["--schema", os.path.join(folder, "schema.cedarschema")]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"swift bench failed ({proc.returncode}): {proc.stderr.strip()}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="/tmp/cedar_bench_sets", help="folder made by make_sets.py")
    ap.add_argument("--scenarios", default="coordinator,1000")
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build-release", "release", "coordinator"))
    ap.add_argument("--passes", type=int, default=3, help="timed passes over the 10,000 requests (each engine)")
    ap.add_argument("--warmup", type=int, default=2000, help="untimed decisions first (each engine)")
    ap.add_argument("--no-schema", action="store_true", help="decide without a schema (no request validation)")
    ap.add_argument("--json", action="store_true", help="print the raw results as JSON too")
    args = ap.parse_args()

    scenarios = args.scenarios.split(",")
    if not all(os.path.exists(os.path.join(args.sets, s, "requests.jsonl")) for s in scenarios):
        subprocess.run([sys.executable, os.path.join(HERE, "make_sets.py"), args.sets], check=True)
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"no binary at {args.binary}; build it with: "
                 "swift build -c release --product coordinator --scratch-path .build-release")

    use_schema = not args.no_schema
    results, ok = {}, True
    for s in scenarios:
        folder = os.path.join(args.sets, s)
        npol = open(os.path.join(folder, "policies.cedar")).read().count(";")
        print(f"[{s}] cedarpy …", file=sys.stderr, flush=True)
        py = bench_cedarpy(folder, args.passes, args.warmup, use_schema)
        print(f"[{s}] swift …", file=sys.stderr, flush=True)
        sw = bench_swift(args.binary, folder, args.passes, args.warmup, use_schema)
        sw = {k: float(v) if isinstance(v, str) else v for k, v in sw.items()}
        agree = py["allow"] == sw["allow"]
        ok &= agree and py["errors"] == 0
        results[s] = {"cedarpy": py, "swift": sw, "allow_agree": agree}

    print(f"\nCedar authorization latency, µs per decision ({args.passes} passes × 10,000 requests per engine, "
          f"schema {'on' if use_schema else 'off'}; {time.strftime('%Y-%m-%d')})\n")
    print("| scenario | engine | p50 µs | p99 µs | mean µs | decisions/s | allow |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for s, r in results.items():
        py, sw = r["cedarpy"], r["swift"]
        print(f"| {s} | cedarpy (handles, per call) | {py['p50_us']:.2f} | {py['p99_us']:.2f} | {py['mean_us']:.2f} | "
              f"{py['decisions_per_s']:,.0f} | {py['allow']} |")
        if "engine_p50_us" in py:
            print(f"| {s} | cedarpy engine-internal (authz_duration_micros) | {py['engine_p50_us']:.0f} | "
                  f"{py['engine_p99_us']:.0f} | {py['engine_mean_us']:.2f} | | |")
        print(f"| {s} | Swift (coordinator cedar bench) | {sw['p50_us']:.2f} | {sw['p99_us']:.2f} | {sw['mean_us']:.2f} | "
              f"{sw['decisions_per_s']:,.0f} | {sw['allow']} |")
    print()
    for s, r in results.items():
        py, sw = r["cedarpy"], r["swift"]
        line = (f"{s}: cedarpy p50 / Swift p50 = {py['p50_us'] / sw['p50_us']:.1f}×, "
                f"p99 {py['p99_us'] / sw['p99_us']:.1f}×, mean {py['mean_us'] / sw['mean_us']:.1f}×")
        if "engine_p50_us" in py:
            line += f"; cedarpy engine-internal p50 / Swift p50 = {py['engine_p50_us'] / sw['p50_us']:.1f}×"
        line += f"; allow counts {'agree' if r['allow_agree'] else 'DISAGREE'} ({py['allow']} vs {sw['allow']})"
        print(line)
    if args.json:
        print(json.dumps(results, indent=1))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
