#!/usr/bin/env python3
"""Writes the EST (cedarpy==4.12.2 policies_to_json_str) of every corpus policy as JSON lines {"name", "est"|"error"}.

Usage: corpus_est.py EXTRACTED_CORPUS_DIR OUTPUT.jsonl
The Swift corpus test compares against OUTPUT when CEDAR_CORPUS_EST=OUTPUT is set.
"""
import glob, json, os, sys
import cedarpy

directory, output = sys.argv[1], sys.argv[2]
with open(output, "w", encoding="utf-8") as out:
    for path in sorted(glob.glob(os.path.join(directory, "**", "*.cedar"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        record = {"name": os.path.basename(path)}
        try:
            record["est"] = json.loads(cedarpy.policies_to_json_str(text))
        except Exception as e:
            record["error"] = str(e)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
