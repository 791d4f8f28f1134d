#!/usr/bin/env python3
"""Differential fuzzer: cedarpy (the oracle, pinned 4.12.2) against `coordinator cedar batch`.

  .venv-cedar/bin/python tools/cedar/fuzz/diff.py [--seed S] [--requests N] [--bin PATH] [--per-case K]
                                                  [--no-save] [--max-shrinks M] [--out DIR]

For each generated case (schema, entities, 1-10 policies, K requests) it compares, per request: the decision, the
set of reason policy ids, the set of erroring policy ids and whether the request could not be evaluated at all
(cedarpy NoDecision / our `request_error`); and, when the case has a schema, strict validation: passed and the set of
policy ids with errors. Error messages are never compared.

A mismatch is shrunk greedily and saved in the integration-test format under Tests/Fixtures/cedar-regressions/.
Exit status: 0 no mismatches, 1 mismatches found, 2 harness failure.
"""

import argparse
import hashlib
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cedarpy  # noqa: E402
import generator as G  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
ERR_RE = re.compile(r"error while evaluating policy `([^`]*)`")


# ------------------------------------------------------------------------------------------------------------------
# The two engines

class SwiftEngine:
    def __init__(self, binary, timeout=60.0):
        self.binary = binary
        self.timeout = timeout
        self.proc = None
        self.restarts = 0
        self.start()

    def start(self):
        self.proc = subprocess.Popen([self.binary, "cedar", "batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, bufsize=0)
        self.lines = queue.Queue()
        self.stderr_tail = []
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines), daemon=True).start()
        threading.Thread(target=self._drain, args=(self.proc.stderr,), daemon=True).start()

    @staticmethod
    def _pump(stream, q):
        for line in iter(stream.readline, b""):
            q.put(line)
        q.put(None)

    def _drain(self, stream):
        for line in iter(stream.readline, b""):
            self.stderr_tail = (self.stderr_tail + [line.decode("utf-8", "replace")])[-20:]

    def restart(self):
        self.restarts += 1
        try:
            self.proc.kill()
            self.proc.wait(timeout=10)
        except Exception:
            pass
        self.start()

    def ask(self, obj):
        """One JSON line in, one JSON answer out; ('crash', text) or ('hang', text) when the process fails."""
        data = (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            tail = "".join(self.stderr_tail)
            self.restart()
            return ("crash", tail)
        try:
            line = self.lines.get(timeout=self.timeout)
        except queue.Empty:
            self.restart()
            return ("hang", "no answer within %ss" % self.timeout)
        if line is None:
            try:
                self.proc.wait(timeout=5)
            except Exception:
                pass
            time.sleep(0.05)
            tail = "".join(self.stderr_tail)
            code = self.proc.returncode
            self.restart()
            return ("crash", "exit %s: %s" % (code, tail[-2000:]))
        return json.loads(line.decode("utf-8"))

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def short_message(m):
    """cedarpy repeats the whole entity JSON in entity errors; keep the explanation only."""
    if m.startswith("failed to parse entities from:"):
        cut = m.rfind("]: ")
        if cut > 0:
            return "failed to parse entities: " + m[cut + 3:]
    return m


def norm_oracle(resp):
    d = resp["decision"]
    diag = resp.get("diagnostics", {})
    if d == "NoDecision":
        return {"request_error": True, "decision": "deny", "reasons": frozenset(), "errors": frozenset(),
                "message": "; ".join(short_message(e) for e in diag.get("errors", []))}
    errs = set()
    for e in diag.get("errors", []):
        m = ERR_RE.search(e)
        errs.add(m.group(1) if m else "?" + e)
    return {"request_error": False, "decision": d.lower(), "reasons": frozenset(diag.get("reason", [])),
            "errors": frozenset(errs), "message": "; ".join(diag.get("errors", []))}


def norm_swift(ans):
    re_ = ans.get("request_error", False)
    if re_ not in (False, None):
        return {"request_error": True, "decision": ans.get("decision"), "reasons": frozenset(), "errors": frozenset(),
                "message": re_ if isinstance(re_, str) else ""}
    return {"request_error": False, "decision": ans.get("decision"), "reasons": frozenset(ans.get("reasons", [])),
            "errors": frozenset(e["policy_id"] if isinstance(e, dict) else e for e in ans.get("errors", [])),
            "message": "; ".join(e.get("message", "") if isinstance(e, dict) else str(e) for e in ans.get("errors", []))}


def oracle_authorize(case):
    ptext = G.render_policies(case["policies"])
    reqs = [dict(r, context=r.get("context", {})) for r in case["requests"]]
    try:
        res = cedarpy.is_authorized_batch(reqs, ptext, case["entities"], case["schema"])
    except Exception as e:  # noqa: BLE001 -- the oracle must not raise; count it as NoDecision
        return [{"request_error": True, "decision": "deny", "reasons": frozenset(), "errors": frozenset(),
                 "message": "cedarpy raised %r" % e} for _ in reqs]
    return [norm_oracle(r._authz_resp) for r in res]


def oracle_validate(case):
    ptext = G.render_policies(case["policies"])
    try:
        v = cedarpy.validate_policies(ptext, case["schema"])
    except Exception as e:  # noqa: BLE001 -- e.g. a schema that does not parse
        return {"passed": None, "ids": frozenset(), "message": str(e)}
    if not v.validation_passed and any(e.error.startswith("Schema") for e in v.errors):
        return {"passed": None, "ids": frozenset(), "message": "; ".join(e.error for e in v.errors)}
    return {"passed": bool(v.validation_passed), "ids": frozenset(e.policy_id for e in v.errors),
            "message": "; ".join(e.error for e in v.errors)}


def swift_authorize(engine, case):
    obj = {"policies": G.render_policies(case["policies"]), "entities": case["entities"], "schema": case["schema"],
           "requests": [dict(r, context=r.get("context", {})) for r in case["requests"]]}
    ans = engine.ask(obj)
    if isinstance(ans, tuple):
        return ans
    if "error" in ans and "results" not in ans:
        return ("swift_error", ans["error"])
    return [norm_swift(a) for a in ans["results"]]


def swift_validate(engine, case):
    ans = engine.ask({"op": "validate", "policies": G.render_policies(case["policies"]), "schema": case["schema"]})
    if isinstance(ans, tuple):
        return ans
    if "error" in ans and "passed" not in ans:
        return {"passed": None, "ids": frozenset(), "message": ans["error"]}
    return {"passed": bool(ans["passed"]), "ids": frozenset(e["policy_id"] for e in ans.get("errors", [])),
            "message": "; ".join(e.get("message", "") for e in ans.get("errors", []))}


# ------------------------------------------------------------------------------------------------------------------
# Comparison

def compare_request(o, s):
    """The kind of mismatch between two normalised answers, or None."""
    if o["request_error"] != s["request_error"]:
        return "request_error"
    if o["request_error"]:
        return None
    if o["decision"] != s["decision"]:
        return "decision"
    if o["reasons"] != s["reasons"]:
        return "reasons"
    if o["errors"] != s["errors"]:
        return "errors"
    return None


def signature(kind, detail):
    """A coarse grouping of a mismatch: its kind plus the erring side's message with quoted names removed."""
    if not isinstance(detail, dict):
        return "%s: %s" % (kind, re.sub(r"`[^`]*`", "X", str(detail))[:100])
    o, s = detail["oracle"], detail["swift"]
    if kind == "request_error":
        side, msg = ("cedarpy", o["message"]) if o["request_error"] else ("swift", s["message"])
        return "request_error (only %s rejects): %s" % (side, re.sub(r"`[^`]*`", "X", msg)[:110])
    if kind.startswith("validate"):
        return "%s: cedarpy %s %s / swift %s %s" % (kind, o["passed"], sorted(o["ids"]), s["passed"], sorted(s["ids"]))
    return kind


def compare_validation(o, s):
    if o["passed"] != s["passed"]:
        return "validate_passed"
    if o["passed"] is False and o["ids"] != s["ids"]:
        return "validate_ids"
    return None


STATS = {}


COUNTING = [True]  # off while shrinking


def stat(k, n=1):
    if COUNTING[0]:
        STATS[k] = STATS.get(k, 0) + n


def check_case(engine, case, do_validate=True):
    """[(kind, request_index|None, detail)]"""
    out = []
    sres = swift_authorize(engine, case)
    if isinstance(sres, tuple):
        out.append((sres[0], None, sres[1]))
    else:
        ores = oracle_authorize(case)
        if len(ores) != len(sres):
            out.append(("result_count", None, "%d vs %d" % (len(ores), len(sres))))
        for i, (o, s) in enumerate(zip(ores, sres)):
            stat("oracle_" + ("request_error" if o["request_error"] else o["decision"]))
            if o["errors"]:
                stat("oracle_with_eval_errors")
            if o["reasons"]:
                stat("oracle_with_reasons")
            k = compare_request(o, s)
            if k:
                out.append((k, i, {"oracle": o, "swift": s}))
    if do_validate and case["schema"] is not None:
        sv = swift_validate(engine, case)
        if isinstance(sv, tuple):
            out.append((sv[0], None, sv[1]))
        else:
            ov = oracle_validate(case)
            stat("validation_" + {True: "passed", False: "failed", None: "schema_rejected"}[ov["passed"]])
            k = compare_validation(ov, sv)
            if k:
                out.append((k, None, {"oracle": ov, "swift": sv}))
    return out


# ------------------------------------------------------------------------------------------------------------------
# Shrinking

class Shrinker:
    """Greedy shrinking while the same kind of mismatch persists (for request errors: the same signature, so that
    shrinking does not drift from one rejected input to another)."""

    def __init__(self, engine, kind, budget=600, sig=None):
        self.engine = engine
        self.kind = kind
        self.sig = sig if kind == "request_error" else None
        self.budget = budget
        self.evals = 0

    def still(self, case):
        if self.evals >= self.budget:
            return False
        self.evals += 1
        validate = self.kind.startswith("validate")
        if validate:
            sv = swift_validate(self.engine, case)
            if isinstance(sv, tuple):
                return False
            return compare_validation(oracle_validate(case), sv) == self.kind
        found = check_case(self.engine, case, do_validate=self.kind in ("crash", "hang"))
        return any(k == self.kind and (self.sig is None or signature(k, det) == self.sig) for k, _, det in found)

    def shrink(self, case, req_index):
        case = json.loads(json.dumps(case))  # deep copy (policies become lists; converted back below)
        case["policies"] = [_retuple_policy(p) for p in case["policies"]]
        if self.kind.startswith("validate"):
            case["requests"] = []
        elif req_index is not None:
            case["requests"] = [case["requests"][req_index]]
        changed = True
        while changed and self.evals < self.budget:
            changed = False
            # drop whole policies
            i = 0
            while i < len(case["policies"]) and len(case["policies"]) > 1:
                c2 = dict(case, policies=case["policies"][:i] + case["policies"][i + 1:])
                if self.still(c2):
                    case, changed = c2, True
                else:
                    i += 1
            # drop requests (crash/hang kinds keep several)
            i = 0
            while i < len(case["requests"]) and len(case["requests"]) > 1:
                c2 = dict(case, requests=case["requests"][:i] + case["requests"][i + 1:])
                if self.still(c2):
                    case, changed = c2, True
                else:
                    i += 1
            # per policy: drop conditions, widen scope, drop annotations, shrink expressions
            for pi in range(len(case["policies"])):
                p = case["policies"][pi]
                for ci in range(len(p["conds"]) - 1, -1, -1):
                    p2 = dict(p, conds=p["conds"][:ci] + p["conds"][ci + 1:])
                    c2 = _with_policy(case, pi, p2)
                    if self.still(c2):
                        case, p, changed = c2, p2, True
                for si, bare in enumerate(["principal", "action", "resource"]):
                    if p["scope"][si] != bare:
                        p2 = dict(p, scope=p["scope"][:si] + [bare] + p["scope"][si + 1:])
                        c2 = _with_policy(case, pi, p2)
                        if self.still(c2):
                            case, p, changed = c2, p2, True
                if p["annotations"]:
                    p2 = dict(p, annotations=[])
                    c2 = _with_policy(case, pi, p2)
                    if self.still(c2):
                        case, p, changed = c2, p2, True
                for ci in range(len(p["conds"])):
                    def rebuild(e, pi=pi, ci=ci):
                        pp = case["policies"][pi]
                        conds = list(pp["conds"])
                        conds[ci] = (conds[ci][0], e)
                        return _with_policy(case, pi, dict(pp, conds=conds))
                    new_e, ch = self.shrink_expr(p["conds"][ci][1], rebuild)
                    if ch:
                        case = rebuild(new_e)
                        p = case["policies"][pi]
                        changed = True
            if not self.kind.startswith("validate"):
                # drop entities
                i = 0
                while i < len(case["entities"]):
                    c2 = dict(case, entities=case["entities"][:i] + case["entities"][i + 1:])
                    if self.still(c2):
                        case, changed = c2, True
                    else:
                        i += 1
                # simplify entities: drop parents, tags, single attributes
                for i in range(len(case["entities"])):
                    e = case["entities"][i]
                    for field in ("parents", "tags"):
                        if e.get(field):
                            e2 = dict(e, **{field: [] if field == "parents" else {}})
                            c2 = dict(case, entities=case["entities"][:i] + [e2] + case["entities"][i + 1:])
                            if self.still(c2):
                                case, e, changed = c2, e2, True
                    for a in list(e.get("attrs", {})):
                        attrs = dict(e["attrs"])
                        del attrs[a]
                        e2 = dict(e, attrs=attrs)
                        c2 = dict(case, entities=case["entities"][:i] + [e2] + case["entities"][i + 1:])
                        if self.still(c2):
                            case, e, changed = c2, e2, True
                # context keys
                for ri in range(len(case["requests"])):
                    r = case["requests"][ri]
                    for k in list(r.get("context", {})):
                        ctx = dict(r["context"])
                        del ctx[k]
                        r2 = dict(r, context=ctx)
                        c2 = dict(case, requests=case["requests"][:ri] + [r2] + case["requests"][ri + 1:])
                        if self.still(c2):
                            case, r, changed = c2, r2, True
                # drop single parents
                for i in range(len(case["entities"])):
                    e = case["entities"][i]
                    j = 0
                    while j < len(e.get("parents", [])):
                        e2 = dict(e, parents=e["parents"][:j] + e["parents"][j + 1:])
                        c2 = dict(case, entities=case["entities"][:i] + [e2] + case["entities"][i + 1:])
                        if self.still(c2):
                            case, e, changed = c2, e2, True
                        else:
                            j += 1
                # no schema at all?
                if case["schema"] is not None and self.kind != "request_error":
                    c2 = dict(case, schema=None)
                    if self.still(c2):
                        case, changed = c2, True
            # schema: drop declaration lines (the generator writes one declaration per line)
            if case["schema"] is not None:
                lines = case["schema"].split("\n")
                i = 0
                while i < len(lines):
                    ln = lines[i].strip()
                    rest = lines[:i] + lines[i + 1:]
                    if ln.startswith(("entity ", "action ", "type ")) and any(
                            x.strip().startswith(("entity ", "action ")) for x in rest):
                        c2 = dict(case, schema="\n".join(rest))
                        if self.still(c2):
                            case, changed = c2, True
                            lines = lines[:i] + lines[i + 1:]
                            continue
                    i += 1
        return case

    def shrink_expr(self, e, rebuild):
        """Greedy top-down: replace e by a literal or one of its children while the mismatch persists."""
        changed = False
        cands = [("lit", "true"), ("lit", "false"), ("long", 1), ("str", "a")]
        cands += [c for _, c in G.children(e)]
        if e[0] in ("lit", "long", "str", "var", "uid", "raw"):
            return e, False
        for c in cands:
            if c == e:
                continue
            if self.still(rebuild(c)):
                return self.shrink_expr(c, rebuild)[0], True
        for idx, child in G.children(e):
            def sub_rebuild(new, e=e, idx=idx):
                return rebuild(G.replace_child(e, idx, new))
            new_child, ch = self.shrink_expr(child, lambda new, f=sub_rebuild: f(new))
            if ch:
                e = G.replace_child(e, idx, new_child)
                changed = True
        return e, changed


def _with_policy(case, i, p):
    return dict(case, policies=case["policies"][:i] + [p] + case["policies"][i + 1:])


def _retuple(x):
    if isinstance(x, list):
        return tuple(_retuple(y) for y in x)
    return x


def _retuple_expr(e):
    """Undo the JSON round trip: ASTs are tuples whose list fields (items, args, has-paths, patterns) stay lists."""
    if not isinstance(e, (list, tuple)):
        return e
    k = e[0]
    if k in ("lit", "long", "str", "var", "uid", "raw"):
        return tuple(e)
    if k == "chain":
        return (k, e[1], _retuple_expr(e[2]))
    if k in ("attr", "idx"):
        return (k, _retuple_expr(e[1]), e[2])
    if k == "has":
        return (k, _retuple_expr(e[1]), list(e[2]))
    if k == "bin":
        return (k, e[1], _retuple_expr(e[2]), _retuple_expr(e[3]))
    if k == "un":
        return (k, e[1], _retuple_expr(e[2]))
    if k == "if":
        return (k, _retuple_expr(e[1]), _retuple_expr(e[2]), _retuple_expr(e[3]))
    if k == "call":
        return (k, _retuple_expr(e[1]), e[2], [_retuple_expr(a) for a in e[3]])
    if k == "fn":
        return (k, e[1], [_retuple_expr(a) for a in e[2]])
    if k == "set":
        return (k, [_retuple_expr(a) for a in e[1]])
    if k == "rec":
        return (k, [(a[0], _retuple_expr(a[1])) for a in e[1]])
    if k == "like":
        return (k, _retuple_expr(e[1]), [tuple(p) for p in e[2]])
    if k == "is":
        return (k, _retuple_expr(e[1]), e[2], _retuple_expr(e[3]) if e[3] is not None else None)
    raise ValueError(e)


def _retuple_policy(p):
    return {"effect": p["effect"], "scope": list(p["scope"]), "annotations": list(p["annotations"]), "loose": p.get("loose"),
            "conds": [(c[0], _retuple_expr(c[1])) for c in p["conds"]]}


# ------------------------------------------------------------------------------------------------------------------
# Saving regressions in the integration-test format

def save_regression(case, kind, detail, out_dir, engine):
    ptext = G.render_policies(case["policies"])
    ents_text = json.dumps(case["entities"], ensure_ascii=False, indent=1)
    key = json.dumps([ptext, case["schema"], case["entities"], case["requests"], kind], ensure_ascii=False,
                     sort_keys=True)
    h = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    os.makedirs(out_dir, exist_ok=True)
    rel = os.path.relpath(out_dir, ROOT)
    base = os.path.join(out_dir, h)
    with open(base + ".cedar", "w", encoding="utf-8") as f:
        f.write(ptext)
    with open(base + ".entities.json", "w", encoding="utf-8") as f:
        f.write(ents_text + "\n")
    test = {"policies": "%s/%s.cedar" % (rel, h), "entities": "%s/%s.entities.json" % (rel, h)}
    if case["schema"] is not None:
        with open(base + ".cedarschema", "w", encoding="utf-8") as f:
            f.write(case["schema"])
        test["schema"] = "%s/%s.cedarschema" % (rel, h)
        ov = oracle_validate(case)
        test["shouldValidate"] = bool(ov["passed"])
    else:
        test["shouldValidate"] = False
    ores = oracle_authorize(case) if case["requests"] else []
    sres = swift_authorize(engine, case) if case["requests"] else []
    reqs = []
    for i, (r, o) in enumerate(zip(case["requests"], ores)):
        s = sres[i] if isinstance(sres, list) and i < len(sres) else None
        desc = "fuzz seed %s, mismatch %s; swift answered %s" % (
            case.get("seed"), kind,
            "n/a" if s is None else json.dumps({"decision": s["decision"], "reason": sorted(s["reasons"]),
                                                 "errors": sorted(s["errors"]), "request_error": s["request_error"],
                                                 "message": s["message"][:300]}, ensure_ascii=False))
        entry = {"description": desc, "principal": r["principal"], "action": r["action"], "resource": r["resource"],
                 "context": r.get("context", {}), "decision": o["decision"], "reason": sorted(o["reasons"]),
                 "errors": sorted(o["errors"])}
        if o["request_error"]:
            # not expressible in the upstream format: cedarpy answered NoDecision (request/entities rejected)
            entry["requestError"] = True
            entry["oracleMessage"] = o["message"][:500]
        reqs.append(entry)
    test["requests"] = reqs
    test["fuzz"] = {"kind": kind, "seed": case.get("seed"),
                    "detail": _jsonable(detail)}
    with open(base + ".json", "w", encoding="utf-8") as f:
        json.dump(test, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return h


def _jsonable(x):
    if isinstance(x, (set, frozenset)):
        return sorted(x)
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    return x


# ------------------------------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--requests", type=int, default=20000, help="request budget (default 20000)")
    ap.add_argument("--per-case", type=int, default=20, help="requests per generated case (default 20)")
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/debug/coordinator"))
    ap.add_argument("--out", default=os.path.join(ROOT, "Tests/Fixtures/cedar-regressions"))
    ap.add_argument("--no-save", action="store_true", help="report mismatches without shrinking or saving")
    ap.add_argument("--max-shrinks", type=int, default=10, help="shrink and save at most this many mismatches")
    ap.add_argument("--per-signature", type=int, default=1,
                    help="shrink at most this many mismatches with the same signature (kind + message shape)")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()

    if not os.access(args.bin, os.X_OK):
        print("no executable at %s (swift build --product coordinator)" % args.bin, file=sys.stderr)
        return 2
    engine = SwiftEngine(args.bin)
    t0 = time.time()
    cases = requests = validations = 0
    kinds = {}
    sigs = {}
    examples = {}
    saved = []
    shrunk_per_sig = {}
    oracle_stats = {"allow": 0, "deny": 0, "request_error": 0, "with_errors": 0, "validated_ok": 0}
    i = 0
    while requests < args.requests:
        seed = args.seed * 1000003 + i
        i += 1
        n = min(args.per_case, args.requests - requests)
        case = G.generate(seed, n)
        case["seed"] = seed
        found = check_case(engine, case)
        cases += 1
        requests += len(case["requests"])
        if case["schema"] is not None:
            validations += 1
        for k, idx, detail in found:
            kinds[k] = kinds.get(k, 0) + 1
            examples.setdefault(k, (seed, idx, detail))
            sig = signature(k, detail)
            sigs[sig] = sigs.get(sig, 0) + 1
        # a few oracle statistics, to show the generator reaches interesting ground (cheap: re-run is avoided)
        if not args.no_save:
            done_here = set()
            for k, idx, detail in found:
                sig = signature(k, detail)
                if sig in done_here or len(saved) >= args.max_shrinks or shrunk_per_sig.get(sig, 0) >= args.per_signature:
                    continue
                done_here.add(sig)
                shrunk_per_sig[sig] = shrunk_per_sig.get(sig, 0) + 1
                sh = Shrinker(engine, k, sig=sig)
                COUNTING[0] = False
                small = sh.shrink(case, idx)
                h = save_regression(small, k, detail, args.out, engine)
                COUNTING[0] = True
                saved.append((h, k, seed))
                print("saved %s (%s, seed %d, %d shrink evals)" % (h, k, seed, sh.evals), flush=True)
        if args.verbose and cases % 50 == 0:
            print("%d cases, %d requests, %.1fs, mismatches %s" % (cases, requests, time.time() - t0, kinds), flush=True)
    engine.close()
    dt = time.time() - t0
    print("cedar fuzz: seed %d, %d cases, %d requests, %d validations, %.1f s, swift restarts %d" % (
        args.seed, cases, requests, validations, dt, engine.restarts))
    print("oracle answers: " + ", ".join("%s=%d" % kv for kv in sorted(STATS.items())))
    if kinds:
        print("mismatches by kind: " + ", ".join("%s=%d" % kv for kv in sorted(kinds.items())))
        for k, (seed, idx, detail) in sorted(examples.items()):
            print("  first %s: seed %d request %s: %s" % (k, seed, idx, json.dumps(_jsonable(detail), ensure_ascii=False)[:600]))
        print("mismatch signatures:")
        for s, n in sorted(sigs.items(), key=lambda kv: -kv[1]):
            print("  %6d  %s" % (n, s))
    else:
        print("mismatches: none")
    for h, k, seed in saved:
        print("regression %s: %s (seed %d)" % (h, k, seed))
    return 1 if kinds else 0


if __name__ == "__main__":
    sys.exit(main())
