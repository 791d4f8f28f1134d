#!/usr/bin/env python3
"""Write the two Cedar benchmark scenarios into a folder (default: tools/cedar/bench/sets).

    python tools/cedar/bench/make_sets.py OUT_DIR [--requests 10000] [--seed 1]

Each scenario is OUT_DIR/<name>/{policies.cedar, schema.cedarschema, entities.json, requests.jsonl}:

* coordinator: a 29-policy set and 24-action schema of the shape of the original coordinator's
  default_policies.cedar / schema.cedarschema (docs: /work/shared/spec/cedar.md §4.1-§4.2), written from that
  description (not copied); requests over agents with trust 0-4 and every action, resource typed as the
  coordinator does it (network_access -> Domain, lock/push/branch -> File, the rest -> Task).
* 1000: 1,000 generated policies (scope ==/in/is, when/unless with attribute comparisons, like, contains,
  containsAny, in, context) over a small schema with a few dozen entities.

Both sets are validated with cedarpy.validate_policies and every request is decided by cedarpy with the schema;
the script fails if any validation error, NoDecision or evaluation error shows up.
"""
import argparse
import json
import os
import random
import sys

import cedarpy

# --------------------------------------------------------------------------------------------- coordinator

READ = ["check_locks", "get_work", "read_handoff", "query_memory", "check_messages", "list_agents",
        "discover_agents", "check_approval"]
WRITE1 = ["acquire_lock", "release_lock", "complete_work", "write_handoff", "remember", "send_message"]
WRITE2 = ["submit_work", "push_branch", "create_branch", "register_feature", "deregister_feature"]
ADMIN3 = ["request_approval", "list_policy_versions", "rollback_policy", "request_permission"]
NETWORK = "network_access"
ACTIONS = READ + WRITE1 + WRITE2 + ADMIN3 + [NETWORK]
assert len(ACTIONS) == 24
ALLOWED_DOMAINS = ["github.com", "pypi.org", "registry.npmjs.org", "api.anthropic.com", "crates.io"]


def coordinator_schema():
    lines = [
        "// Coordinator-shaped schema (after agent-coordinator/cedar/schema.cedarschema, cedar.md §4.1).",
        "entity AgentType;",
        "entity DelegatingUser;",
        "entity Agent in [AgentType] = {",
        "  trust_level: Long,",
        "  agent_type: String,",
        "  session_id: String,",
        "  max_file_modifications: Long,",
        "  max_execution_time_seconds: Long,",
        "  delegated_by: String,",
        "  session_grants: Set<String>,",
        "};",
        "entity File = { path: String };",
        "entity Domain = { name: String };",
        "entity Task = { task_type: String, priority: Long };",
        "",
    ]
    for action in ACTIONS:
        lines.append(f'action "{action}" appliesTo {{ principal: Agent, resource: [File, Task, Domain] }};')
    return "\n".join(lines) + "\n"


def coordinator_policies():
    out = ["// Coordinator-shaped default policies (cedar.md §4.2): 29 policies.", "",
           "// Read operations: any agent."]
    for a in READ:
        out.append(f'permit(principal, action == Action::"{a}", resource);')
    out += ["", "// Write operations: trust level 1 and up."]
    for a in WRITE1:
        out.append(f'permit(principal, action == Action::"{a}", resource)\nwhen {{ principal.trust_level >= 1 }};')
    out += ["", "// Branches, pushes and features: trust level 2 and up."]
    for a in WRITE2:
        out.append(f'permit(principal, action == Action::"{a}", resource)\nwhen {{ principal.trust_level >= 2 }};')
    out += ["", "// Approvals and policy administration: trust level 3 and up."]
    for a in ADMIN3:
        out.append(f'permit(principal, action == Action::"{a}", resource)\nwhen {{ principal.trust_level >= 3 }};')
    out += ["", "// Suspended agents can do nothing.",
            "forbid(principal, action, resource)\nwhen { principal.trust_level == 0 };", "",
            "// Network access to allowed domains."]
    for d in ALLOWED_DOMAINS:
        out.append(f'permit(principal, action == Action::"{NETWORK}", resource == Domain::"{d}");')
    text = "\n".join(out) + "\n"
    return text


def uid(t, i):
    return {"type": t, "id": i}


def coordinator_entities(rng):
    types = ["claude_code", "codex", "gemini_cli"]
    ents = [{"uid": uid("AgentType", t), "attrs": {}, "parents": []} for t in types]
    agents = []
    for n in range(15):
        t = types[n % 3]
        trust = n % 5
        name = f"agent-{n}"
        agents.append(name)
        ents.append({
            "uid": uid("Agent", name),
            "attrs": {"trust_level": trust, "agent_type": t, "session_id": f"s-{n}",
                      "max_file_modifications": 100, "max_execution_time_seconds": 3600,
                      "delegated_by": "", "session_grants": ["read"] if n % 2 else []},
            "parents": [uid("AgentType", t)],
        })
    files = [f"src/module_{i}.py" for i in range(6)]
    for f in files:
        ents.append({"uid": uid("File", f), "attrs": {"path": f}, "parents": []})
    domains = ALLOWED_DOMAINS + ["example.org", "evil.test"]
    for d in domains:
        ents.append({"uid": uid("Domain", d), "attrs": {"name": d}, "parents": []})
    tasks = ["default", "task-1", "task-2"]
    for t in tasks:
        ents.append({"uid": uid("Task", t), "attrs": {"task_type": "general", "priority": 5}, "parents": []})
    return ents, agents, files, domains, tasks


def coordinator_requests(rng, n, agents, files, domains, tasks):
    reqs = []
    for i in range(n):
        action = ACTIONS[i % len(ACTIONS)]  # every action, evenly
        agent = rng.choice(agents)
        if action == NETWORK:
            res = uid("Domain", rng.choice(domains))
        elif "lock" in action or "push" in action or "branch" in action:
            res = uid("File", rng.choice(files))
        else:
            res = uid("Task", rng.choice(tasks))
        reqs.append({"principal": uid("Agent", agent), "action": uid("Action", action), "resource": res,
                     "context": {}})
    rng.shuffle(reqs)
    return reqs

# --------------------------------------------------------------------------------------------- 1000

SMALL_ACTIONS = ["view", "edit", "delete", "share", "comment"]
DEPTS = ["eng", "sales", "legal", "ops"]
TAGS = ["alpha", "beta", "gamma", "delta", "oncall"]
LABELS = ["public", "internal", "secret", "draft", "final"]
WORDS = ["report", "plan", "notes", "budget", "design", "review"]


def small_schema():
    acts = "\n".join(
        f'action "{a}" appliesTo {{ principal: User, resource: Doc, context: {{ authenticated: Bool, hour: Long }} }};'
        for a in SMALL_ACTIONS)
    return ("entity Group in [Group];\n"
            "entity User in [Group] = { dept: String, level: Long, tags: Set<String>, email: String };\n"
            "entity Folder in [Folder];\n"
            "entity Doc in [Folder] = { owner: User, classification: Long, title: String, labels: Set<String> };\n\n"
            + acts + "\n")


def small_entities(rng):
    groups = [f"g{i}" for i in range(5)]
    ents = []
    for i, g in enumerate(groups):
        parents = [uid("Group", groups[i + 1])] if i + 1 < len(groups) and i % 2 == 0 else []
        ents.append({"uid": uid("Group", g), "attrs": {}, "parents": parents})
    users = [f"u{i}" for i in range(14)]
    for i, u in enumerate(users):
        ents.append({"uid": uid("User", u),
                     "attrs": {"dept": DEPTS[i % 4], "level": i % 6,
                               "tags": rng.sample(TAGS, rng.randint(0, 3)),
                               "email": f"{u}@{'example.com' if i % 3 else 'contractor.net'}"},
                     "parents": [uid("Group", g) for g in rng.sample(groups, rng.randint(1, 2))]})
    folders = [f"f{i}" for i in range(5)]
    for i, f in enumerate(folders):
        ents.append({"uid": uid("Folder", f), "attrs": {},
                     "parents": [uid("Folder", folders[i - 1])] if i > 0 and i != 3 else []})
    docs = [f"d{i}" for i in range(18)]
    for i, d in enumerate(docs):
        ents.append({"uid": uid("Doc", d),
                     "attrs": {"owner": {"__entity": uid("User", rng.choice(users))},
                               "classification": rng.randint(0, 5),
                               "title": f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}",
                               "labels": rng.sample(LABELS, rng.randint(0, 3))},
                     "parents": [uid("Folder", rng.choice(folders))]})
    return ents, groups, users, folders, docs


def cedar_uid(t, i):
    return f'{t}::"{i}"'


def gen_policy(rng, groups, users, folders, docs):
    r = rng.random()
    if r < 0.25:
        p = "principal"
    elif r < 0.45:
        p = f"principal == {cedar_uid('User', rng.choice(users))}"
    elif r < 0.75:
        p = f"principal in {cedar_uid('Group', rng.choice(groups))}"
    elif r < 0.9:
        p = "principal is User"
    else:
        p = f"principal is User in {cedar_uid('Group', rng.choice(groups))}"
    r = rng.random()
    if r < 0.2:
        a = "action"
    elif r < 0.75:
        a = f"action == {cedar_uid('Action', rng.choice(SMALL_ACTIONS))}"
    else:
        a = "action in [" + ", ".join(cedar_uid("Action", x) for x in rng.sample(SMALL_ACTIONS, 2)) + "]"
    r = rng.random()
    if r < 0.3:
        res = "resource"
    elif r < 0.5:
        res = f"resource == {cedar_uid('Doc', rng.choice(docs))}"
    elif r < 0.8:
        res = f"resource in {cedar_uid('Folder', rng.choice(folders))}"
    elif r < 0.9:
        res = "resource is Doc"
    else:
        res = f"resource is Doc in {cedar_uid('Folder', rng.choice(folders))}"
    conds = [
        lambda: f"principal.level >= {rng.randint(0, 5)}",
        lambda: "resource.classification <= principal.level",
        lambda: f'principal.dept == "{rng.choice(DEPTS)}"',
        lambda: f'resource.title like "*{rng.choice(WORDS)}*"',
        lambda: f'principal.email like "*@example.com"',
        lambda: f'resource.labels.contains("{rng.choice(LABELS)}")',
        lambda: "principal.tags.containsAny([" + ", ".join(f'"{t}"' for t in rng.sample(TAGS, 2)) + "])",
        lambda: "resource.owner == principal",
        lambda: f"principal in {cedar_uid('Group', rng.choice(groups))}",
        lambda: f"resource in {cedar_uid('Folder', rng.choice(folders))}",
        lambda: "context.authenticated",
        lambda: f"context.hour < {rng.randint(8, 20)}",
        lambda: f"[{', '.join(cedar_uid('Group', g) for g in rng.sample(groups, 2))}].contains(Group::\"{rng.choice(groups)}\")",
        lambda: f'principal has email && principal.email like "u1*"',
    ]
    clauses = []
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        kw = "when" if rng.random() < 0.75 else "unless"
        parts = [rng.choice(conds)() for _ in range(rng.choice([1, 1, 2]))]
        clauses.append(f"{kw} {{ {' && '.join(parts)} }}")
    effect = "permit"
    if rng.random() < 0.04:
        # Forbids are few and narrow (a named principal or document, plus a condition), so some requests are allowed.
        effect = "forbid"
        if rng.random() < 0.5:
            p = f"principal == {cedar_uid('User', rng.choice(users))}"
        else:
            res = f"resource == {cedar_uid('Doc', rng.choice(docs))}"
        if not clauses:
            clauses.append(f"when {{ {rng.choice(conds)()} }}")
    return f"{effect}(\n  {p},\n  {a},\n  {res}\n){(' ' + ' '.join(clauses)) if clauses else ''};"


def small_requests(rng, n, users, docs):
    return [{"principal": uid("User", rng.choice(users)), "action": uid("Action", rng.choice(SMALL_ACTIONS)),
             "resource": uid("Doc", rng.choice(docs)),
             "context": {"authenticated": rng.random() < 0.8, "hour": rng.randint(0, 23)}} for _ in range(n)]

# --------------------------------------------------------------------------------------------- output


def check(name, policies, schema, entities, requests):
    result = cedarpy.validate_policies(policies, schema)
    if not result.validation_passed:
        sys.exit(f"{name}: validation failed: {[str(e) for e in result.errors][:5]}")
    ps = cedarpy.PolicySet.from_str(policies)
    sc = cedarpy.Schema.from_str(schema)
    es = cedarpy.Entities.from_json_str(json.dumps(entities), sc)
    allow = 0
    for r in requests:
        res = cedarpy.is_authorized(r, ps, es, sc)
        d = res.decision.value if hasattr(res.decision, "value") else str(res.decision)
        if d == "NoDecision" or res.diagnostics.errors:
            sys.exit(f"{name}: cedarpy could not decide {r}: {d} {res.diagnostics.errors}")
        allow += res.allowed
    print(f"{name}: {len(requests)} requests validated and decided by cedarpy, allow {allow}", file=sys.stderr)


def write(folder, policies, schema, entities, requests):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "policies.cedar"), "w") as f:
        f.write(policies)
    with open(os.path.join(folder, "schema.cedarschema"), "w") as f:
        f.write(schema)
    with open(os.path.join(folder, "entities.json"), "w") as f:
        json.dump(entities, f, indent=1)
    with open(os.path.join(folder, "requests.jsonl"), "w") as f:
        for r in requests:
            f.write(json.dumps(r, separators=(",", ":")) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "sets"))
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-check", action="store_true", help="skip the cedarpy validation and decision check")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    schema = coordinator_schema()
    policies = coordinator_policies()
    ents, agents, files, domains, tasks = coordinator_entities(rng)
    reqs = coordinator_requests(rng, args.requests, agents, files, domains, tasks)
    assert policies.count("permit(") + policies.count("forbid(") == 29
    if not args.no_check:
        check("coordinator", policies, schema, ents, reqs)
    write(os.path.join(args.out, "coordinator"), policies, schema, ents, reqs)

    rng = random.Random(args.seed + 1)
    schema = small_schema()
    ents, groups, users, folders, docs = small_entities(rng)
    sc = cedarpy.Schema.from_str(schema)
    chosen = []
    while len(chosen) < 1000:
        p = gen_policy(rng, groups, users, folders, docs)
        if cedarpy.validate_policies(p, sc).validation_passed:  # drop the (rare) policies strict validation rejects
            chosen.append(p)
    policies = "\n\n".join(chosen) + "\n"
    reqs = small_requests(rng, args.requests, users, docs)
    if not args.no_check:
        check("1000", policies, schema, ents, reqs)
    write(os.path.join(args.out, "1000"), policies, schema, ents, reqs)
    print(f"wrote {args.out}/coordinator and {args.out}/1000", file=sys.stderr)


if __name__ == "__main__":
    main()
