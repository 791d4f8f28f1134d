#!/usr/bin/env python3
"""Generates Tests/Fixtures/cedar-syntax/est-cases.json with cedarpy (pin: cedarpy==4.12.2).

Input: Tests/Fixtures/cedar-syntax/cases.txt (policy texts separated by a line `====`) plus the hand-written
policies under ../shared/cedar/tests. Output: a JSON list of {"text", "est" (or null), "error" (or null)}.
Run: .venv-cedar/bin/python tools/cedar/gen_syntax_fixtures.py
"""
import glob, json, os, sys
import cedarpy

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
fixtures = os.path.join(root, "Tests", "Fixtures", "cedar-syntax")
with open(os.path.join(fixtures, "cases.txt"), encoding="utf-8") as f:
    texts = [t.strip("\n") for t in f.read().split("\n====\n")]
shared = os.path.join(os.path.dirname(root), "shared", "cedar", "tests")
for path in sorted(glob.glob(os.path.join(shared, "**", "*.cedar"), recursive=True)):
    with open(path, encoding="utf-8") as f:
        texts.append(f.read())
out = []
for text in texts:
    if not text.strip():
        continue
    try:
        est = json.loads(cedarpy.policies_to_json_str(text))
        out.append({"text": text, "est": est, "error": None})
    except Exception as e:  # parse error
        out.append({"text": text, "est": None, "error": str(e)})
with open(os.path.join(fixtures, "est-cases.json"), "w", encoding="utf-8") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"{len(out)} cases, {sum(1 for c in out if c['est'] is not None)} accepted", file=sys.stderr)
