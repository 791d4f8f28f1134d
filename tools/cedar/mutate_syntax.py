#!/usr/bin/env python3
"""Random token-level mutations of the syntax fixtures, labelled by cedarpy==4.12.2 (accept + EST, or reject).

Usage: mutate_syntax.py OUTPUT.json [COUNT] [SEED]
The Swift test SyntaxESTTests.mutationsMatchCedarpy compares against OUTPUT when CEDAR_SYNTAX_MUTATIONS=OUTPUT is set.
"""
import json, os, random, re, sys
import cedarpy

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
with open(os.path.join(root, "Tests", "Fixtures", "cedar-syntax", "est-cases.json"), encoding="utf-8") as f:
    seeds = [c["text"] for c in json.load(f)]
output = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
random.seed(int(sys.argv[3]) if len(sys.argv) > 3 else 1)

TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|\?[A-Za-z_]\w*|[A-Za-z_]\w*|\d+|::|==|!=|<=|>=|&&|\|\||\s+|.', re.S)
INSERTS = ["(", ")", "[", "]", "{", "}", ",", ".", "::", "!", "-", "+", "*", "/", "==", "<", "in", "has", "like", "is",
           "if", "then", "else", "true", "principal", "resource", "context", "action", "User", "Action", "a", "\"s\"",
           "\"a*\"", "0", "9223372036854775808", "?principal", "?resource", "@x", ";", ":", "contains", "ip", "isEmpty",
           "&&", "||", "when", "unless", "__cedar", "\"\\x7f\"", "\"\\u{1F600}\""]
out = []
seen = set()
while len(out) < count:
    tokens = TOKEN.findall(random.choice(seeds))
    for _ in range(random.randint(1, 3)):
        kind = random.random()
        i = random.randrange(len(tokens) + 1)
        if kind < 0.35 and tokens and i < len(tokens):
            del tokens[i]
        elif kind < 0.7:
            tokens.insert(i, " " + random.choice(INSERTS) + " ")
        elif tokens and i < len(tokens):
            j = random.randrange(len(tokens))
            tokens[i], tokens[j] = tokens[j], tokens[i]
    text = "".join(tokens)
    if text in seen:
        continue
    seen.add(text)
    try:
        out.append({"text": text, "est": json.loads(cedarpy.policies_to_json_str(text)), "error": None})
    except Exception as e:
        out.append({"text": text, "est": None, "error": str(e)})
with open(output, "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False)
print(f"{len(out)} mutations, {sum(1 for c in out if c['est'] is not None)} accepted", file=sys.stderr)
