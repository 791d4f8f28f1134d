"""Seeded random generation of Cedar test cases: schema, entities, policy set, requests.

Everything is driven by one `random.Random(seed)`, so a seed names a case exactly.

Values are Python objects:
  Long -> int, String -> str, Bool -> bool, ('set', [v...]), ('rec', [(k, v)...]),
  ('ent', type, id), ('ext', fn, arg).
Types are tuples:
  ('Long',), ('String',), ('Bool',), ('Set', t), ('Record', [(name, t, required)...]),
  ('Entity', full_type_name), ('Ext', 'decimal'|'ipaddr'|'datetime'|'duration').
Policy expressions are small ASTs (tuples, see `render`), so the shrinker can replace sub-expressions.
"""

import json
import random
import unicodedata

I64_MIN = -(2 ** 63)
I64_MAX = 2 ** 63 - 1

LONG = ('Long',)
STRING = ('String',)
BOOL = ('Bool',)

TYPE_NAMES = ["User", "Group", "Team", "Doc", "Folder", "Photo", "Album", "Org", "Device", "Role",
              "Account", "Repo", "File", "Host", "Zone", "Color", "Level", "Kind", "Node", "Ticket"]
NAMESPACES = ["App", "Acme::Core", "Ns", "Z"]
ATTR_NAMES = ["name", "age", "level", "owner", "tags", "ip", "when", "ttl", "score", "flags", "info",
              "manager", "members", "meta", "kind", "count", "deep", "a", "b", "c",
              "a b", "ümlaut", "e\u0301", "\u00e9", "if", "in", "has", "_x1", "zz"]
ACTION_NAMES = ["view", "edit", "delete", "read", "write", "share", "list", "admin", "run", "Ünïcode act", "a\"q"]
ACTION_GROUPS = ["readOnly", "writeAll", "all"]
ID_POOL = ["alice", "bob", "carol", "dave", "0", "", " ", "x y", "\u00e9", "e\u0301", "\u00c5", "A\u030a",
           'quo"te', "back\\slash", "tab\there", "new\nline", "\u65e5\u672c", "\U0001F642", "*", "a*b", "\\*",
           "Group::\"x\"", "\u0000nul"]
DECIMALS = ["0.0", "1.5", "-2.25", "-0.5", "-0.0", "007.10", "12345.6789", "922337203685477.5807", "-922337203685477.5808", "1.2300",
            "0.0001", "-0.0001", "3.0"]
BAD_DECIMALS = ["1.23456", "1", "1.", ".5", "abc", "922337203685477.5808", "1e3", ""]
IPS = ["127.0.0.1", "10.0.0.0/8", "192.168.1.10/24", "::1", "ffff::/16", "0.0.0.0", "224.0.0.1",
       "10.1.2.3", "255.255.255.255/32", "::", "fe80::1/64", "ff02::1", "127.0.0.0/8", "::1/128", "1:2::3:4/64"]
BAD_IPS = ["::ffff:127.0.0.1", "127.0.0.01", "256.0.0.1", "1.2.3", "::g", "10.0.0.0/33", "", "1.2.3.4/", "::1/129"]
DATETIMES = ["2024-01-01", "2024-01-01T10:00:00Z", "2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00+0100",
             "2023-12-31T23:00:00-0130", "1969-12-31", "2000-06-15T12:30:45.123+0000", "9999-12-31T23:59:59Z",
             "1969-12-31T23:59:59.999Z", "1960-01-01T12:00:00Z", "2024-06-30T00:30:00+2359", "0000-01-01"]
BAD_DATETIMES = ["2023-02-29", "2024-01-01T10:00:00+2400", "2024-01-01T10:00:60Z", "2024-13-01", "2024-02-30", "2024-01-01T25:00:00Z", "2024-1-1", "2024-01-01T10:00:00",
                 "2024-01-01 10:00:00Z", "", "2024-01-01T10:00:00+01:00"]
DURATIONS = ["1h", "-1d2h", "0ms", "90m", "1d2h3m4s5ms", "-5s", "60m", "3600000ms", "7d", "1ms", "-1ms",
             "9223372036854775807ms", "-9223372036854775808ms", "106751991167d", "-25h"]
BAD_DURATIONS = ["1x", "", "h", "1h1d", "--1h", "1.5h", "9223372036854775807d", "1 h"]
EXT_VALUES = {"decimal": DECIMALS, "ipaddr": IPS, "datetime": DATETIMES, "duration": DURATIONS}
EXT_BAD = {"decimal": BAD_DECIMALS, "ipaddr": BAD_IPS, "datetime": BAD_DATETIMES, "duration": BAD_DURATIONS}
EXT_CTOR = {"decimal": "decimal", "ipaddr": "ip", "datetime": "datetime", "duration": "duration"}
STRINGS = ["", "a", "abc", "hello world", "\u00e9", "e\u0301", "*", "a*", "\\", "\"", "x\ny", "\u65e5\u672c\u8a9e",
           "\U0001F642", "alice", "ABC", "a\u0000b", "\t"]
LONG_EDGES = [0, 1, -1, 2, 7, 100, I64_MAX, I64_MIN, I64_MAX - 1, I64_MIN + 1, 2 ** 62, -(2 ** 62), 4294967296, 3037000500]


# Hand-picked edge conditions; one may be added as an extra policy `when { ... }` (some are parse errors, which
# make the whole policy set fail, some are evaluation errors, some validator rejections).
EDGE_CONDITIONS = [
    '9223372036854775808 == 0',
    '-9223372036854775808 == -9223372036854775807 - 1',
    '{a: 1, a: 2} == {a: 1}',
    '!!!!!true',
    '!!!!true',
    '----1 == 1',
    '-!1 == 1',
    '!-true',
    '"\\*" == "*"',
    '"a*b" like "a\\*b"',
    '"a\\*b" like "a\\*b"',
    '"ab" like "a\\*b"',
    'principal.foo()',
    'nope(1)',
    '[1,2,3].contains(2, 3)',
    '1 < 2 < 3',
    'if true then 1 else 2 == 1',
    '-(-9223372036854775808) == 0',
    '"\\u{110000}" == ""',
    '"\\u{D800}" == ""',
    '"\\u{1F642}" == "\U0001F642"',
    '1 - -9223372036854775808 == 0',
    'action.foo == 1',
    '[].isEmpty()',
    'decimal("1.0") < decimal("2.0")',
    'datetime("2024-01-01") < datetime("2024-01-02")',
    'duration("1h") + duration("1h") == duration("2h")',
    'principal.getTag(1) == 1',
    '"e\\u{301}" like "\\u{e9}"',
    '"abc" like "a**c"',
    '"" like "*"',
    '"" like ""',
    '[1, "a"].contains("a")',
    '{"": 1}[""] == 1',
    'resource in resource',
    'true || (1 + "a")',
    'false && (1 + "a")',
    'if false then 1 + "a" else 2 == 2',
    'principal == principal',
    '[principal, resource].containsAll([resource])',
    '1 == 1 == true',
    '!1',
    '-"a" == 1',
    '5 * -9223372036854775808 == 0',
    '-9223372036854775808 * -1 == 0',
    '(-9223372036854775807 - 1) == -9223372036854775808',
    '9223372036854775807 * 1 == 9223372036854775807',
    '3037000500 * 3037000500 > 0',
    'datetime("9999-12-31T23:59:59Z").offset(duration("9223372036854775807ms")) == datetime("2024-01-01")',
    'datetime("1969-12-31T23:59:59.999Z").toDate() == datetime("1969-12-31")',
    'datetime("1969-12-31T23:59:59.999Z").toTime() == duration("86399999ms")',
    'duration("-25h").toDays() == -1',
    'duration("-1ms").toSeconds() == 0',
    'datetime("2024-01-01").durationSince(datetime("2024-01-02")) == duration("-1d")',
    'ip("::1").isInRange(ip("::/0"))',
    'ip("127.0.0.1").isInRange(ip("::/0"))',
    'ip("10.0.0.1/8").isInRange(ip("10.0.0.0/8"))',
    'ip("0.0.0.0/0").isInRange(ip("10.0.0.0/8"))',
    'ip("127.255.255.255").isLoopback() && ip("::1").isLoopback() && !ip("::2").isLoopback()',
    'ip("ff00::/8").isMulticast() && ip("224.0.0.0/4").isMulticast()',
    'decimal("-0.0") == decimal("0.0")',
    'decimal("922337203685477.5807").greaterThan(decimal("-922337203685477.5808"))',
    'decimal("1.0").lessThan(1)',
    'context == {}',
    'context has "a b"',
    'principal has ""',
    'principal is __cedar::Long',
    'if principal then 1 else 2',
    '[[1], [1, 1]].contains([1])',
    '{a: [1, 2]} == {a: [2, 1, 1]}',
    'ip("10.0.0.1") == ip("10.0.0.1/32")',
    'ip("::ffff:1.2.3.4") == ip("::ffff:102:304")',
    '"\\0" == "\\u{0}"',
    '"\\\'" == "\'"',
    '"\\r\\t\\n\\\\" like "*"',
    'principal in []',
    'principal in [principal, 1]',
    'principal.isEmpty()',
    '[1].containsAny(1)',
    'datetime("2024-01-01T00:00:00.1Z") == datetime("2024-01-01")',
    'duration("1d1d") == duration("2d")',
    'duration("") == duration("0ms")',
    'datetime("2024-02-29T00:00:00+0000").toDate() == datetime("2024-02-29")',
]

# ----------------------------------------------------------------------------------------------------------------
# Rendering helpers

def cedar_string(s, rng=None):
    """A Cedar string literal for s (escapes chosen at random when rng is given)."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == '\\':
            out.append('\\\\')
        elif ch == '\n':
            out.append('\\n')
        elif ch == '\t':
            out.append('\\t')
        elif o < 0x20 or o == 0x7f:
            out.append('\\u{%x}' % o)
        elif o > 0x7f and rng is not None and rng.random() < 0.3:
            out.append('\\u{%x}' % o)
        else:
            out.append(ch)
    out.append('"')
    return ''.join(out)


def is_ident(name):
    if not name or not (name[0].isascii() and (name[0].isalpha() or name[0] == '_')):
        return False
    return all(c.isascii() and (c.isalnum() or c == '_') for c in name)


RESERVED = {"true", "false", "if", "then", "else", "in", "like", "has", "is", "__cedar", "principal", "action",
            "resource", "context", "permit", "forbid", "when", "unless"}


def attr_ok_as_ident(name):
    return is_ident(name) and name not in ("true", "false", "if", "then", "else", "in", "like", "has", "is", "__cedar")


def schema_attr_name(name):
    return name if is_ident(name) and name not in RESERVED else json.dumps(name, ensure_ascii=False)


def uid_text(t, i, rng=None):
    return "%s::%s" % (t, cedar_string(i, rng))


def value_to_json(v):
    if v is None or isinstance(v, (bool, int, str, float, dict)):
        return v
    k = v[0]
    if k == 'set':
        return [value_to_json(x) for x in v[1]]
    if k == 'rec':
        return {a: value_to_json(x) for a, x in v[1]}
    if k == 'ent':
        return {"__entity": {"type": v[1], "id": v[2]}}
    if k == 'ext':
        return {"__extn": {"fn": EXT_CTOR.get(v[1], v[1]), "arg": v[2]}}
    raise ValueError(v)


def value_to_json_var(v, rng):
    """Like value_to_json, but sometimes in the forms only schema-based parsing understands (bare entity
    {type,id}, bare extension argument string, {"fn","arg"})."""
    if isinstance(v, bool) or isinstance(v, int) or isinstance(v, str):
        return v
    k = v[0]
    if k == 'set':
        return [value_to_json_var(x, rng) for x in v[1]]
    if k == 'rec':
        return {a: value_to_json_var(x, rng) for a, x in v[1]}
    if k == 'ent':
        c = rng.random()
        if c < 0.15:
            return {"type": v[1], "id": v[2]}
        if c < 0.2:
            return {"__entity": {"type": v[1], "id": v[2]}, }
        return {"__entity": {"type": v[1], "id": v[2]}}
    if k == 'ext':
        c = rng.random()
        if c < 0.15:
            return v[2]
        if c < 0.2:
            return {"fn": EXT_CTOR.get(v[1], v[1]), "arg": v[2]}
        return {"__extn": {"fn": EXT_CTOR.get(v[1], v[1]), "arg": v[2]}}
    raise ValueError(v)


def value_to_ast(v):
    if isinstance(v, bool):
        return ('lit', 'true' if v else 'false')
    if isinstance(v, int):
        return ('long', v)
    if isinstance(v, str):
        return ('str', v)
    k = v[0]
    if k == 'set':
        return ('set', [value_to_ast(x) for x in v[1]])
    if k == 'rec':
        return ('rec', [(a, value_to_ast(x)) for a, x in v[1]])
    if k == 'ent':
        return ('uid', v[1], v[2])
    if k == 'ext':
        return ('fn', EXT_CTOR[v[1]], [('str', v[2])])
    raise ValueError(v)


# ----------------------------------------------------------------------------------------------------------------
# Expression AST rendering
#   ('lit', text) ('long', n) ('str', s) ('var', name) ('uid', type, id)
#   ('attr', e, name) ('idx', e, name) ('has', e, [names]) ('bin', op, a, b) ('un', op, a) ('if', c, t, e)
#   ('call', e, method, [args]) ('fn', name, [args]) ('set', [items]) ('rec', [(k, e)]) ('like', e, pattern)
#   ('is', e, type, in_expr|None)
# A like pattern is a list of ('*',) or ('c', char).

def render_pattern(pat):
    out = ['"']
    for p in pat:
        if p[0] == '*':
            out.append('*')
        else:
            ch = p[1]
            if ch == '*':
                out.append('\\*')
            elif ch == '"':
                out.append('\\"')
            elif ch == '\\':
                out.append('\\\\')
            elif ch == '\n':
                out.append('\\n')
            elif ord(ch) < 0x20:
                out.append('\\u{%x}' % ord(ch))
            else:
                out.append(ch)
    out.append('"')
    return ''.join(out)


def render(e):
    k = e[0]
    if k == 'lit':
        return e[1]
    if k == 'long':
        n = e[1]
        if n < 0:
            # `-N` is a literal; parenthesise so `a - -1` and `x.m()` receivers stay unambiguous
            return "(%d)" % n
        return str(n)
    if k == 'str':
        return cedar_string(e[1])
    if k == 'var':
        return e[1]
    if k == 'uid':
        return uid_text(e[1], e[2])
    if k == 'attr':
        name = e[2]
        if attr_ok_as_ident(name):
            return "%s.%s" % (render_recv(e[1]), name)
        return "%s[%s]" % (render_recv(e[1]), cedar_string(name))
    if k == 'idx':
        return "%s[%s]" % (render_recv(e[1]), cedar_string(e[2]))
    if k == 'has':
        names = e[2]
        if len(names) == 1 and not attr_ok_as_ident(names[0]):
            return "(%s has %s)" % (render_recv(e[1]), cedar_string(names[0]))
        return "(%s has %s)" % (render_recv(e[1]), ".".join(names))
    if k == 'bin':
        return "(%s %s %s)" % (render(e[2]), e[1], render(e[3]))
    if k == 'un':
        inner = render(e[2])
        return "(%s%s)" % (e[1], inner if inner.startswith("(") else "(" + inner + ")")
    if k == 'if':
        return "(if %s then %s else %s)" % (render(e[1]), render(e[2]), render(e[3]))
    if k == 'chain':
        # ('chain', ops, e): unary operators without parentheses, e.g. `!!!x`, `--5` (5 or more is a parse error)
        inner = render(e[2])
        return "(%s%s)" % (e[1], inner)
    if k == 'raw':
        return e[1]
    if k == 'call':
        return "%s.%s(%s)" % (render_recv(e[1]), e[2], ", ".join(render(a) for a in e[3]))
    if k == 'fn':
        return "%s(%s)" % (e[1], ", ".join(render(a) for a in e[2]))
    if k == 'set':
        return "[%s]" % ", ".join(render(a) for a in e[1])
    if k == 'rec':
        return "{%s}" % ", ".join("%s: %s" % (a if attr_ok_as_ident(a) else cedar_string(a), render(x)) for a, x in e[1])
    if k == 'like':
        return "(%s like %s)" % (render_recv(e[1]), render_pattern(e[2]))
    if k == 'is':
        if e[3] is None:
            return "(%s is %s)" % (render_recv(e[1]), e[2])
        return "(%s is %s in %s)" % (render_recv(e[1]), e[2], render_recv(e[3]))
    raise ValueError(e)


def render_recv(e):
    s = render(e)
    if e[0] in ('var', 'uid', 'attr', 'idx', 'call', 'fn', 'set', 'rec', 'str', 'lit') or s.startswith("("):
        if e[0] == 'long':
            return s
        return s
    return "(" + s + ")"


def children(e):
    """(index, child) pairs of sub-expressions, for the shrinker."""
    k = e[0]
    out = []
    if k in ('attr', 'idx', 'has', 'like'):
        out.append((1, e[1]))
    elif k == 'bin':
        out += [(2, e[2]), (3, e[3])]
    elif k in ('un', 'chain'):
        out.append((2, e[2]))
    elif k == 'if':
        out += [(1, e[1]), (2, e[2]), (3, e[3])]
    elif k == 'call':
        out.append((1, e[1]))
        out += [((3, i), a) for i, a in enumerate(e[3])]
    elif k == 'fn':
        out += [((2, i), a) for i, a in enumerate(e[2])]
    elif k == 'set':
        out += [((1, i), a) for i, a in enumerate(e[1])]
    elif k == 'rec':
        out += [((1, i), a[1]) for i, a in enumerate(e[1])]
    elif k == 'is':
        out.append((1, e[1]))
        if e[3] is not None:
            out.append((3, e[3]))
    return out


def replace_child(e, idx, new):
    lst = list(e)
    if isinstance(idx, tuple):
        pos, i = idx
        items = list(lst[pos])
        if e[0] == 'rec':
            items[i] = (items[i][0], new)
        else:
            items[i] = new
        lst[pos] = items
    else:
        lst[idx] = new
    return tuple(lst)


# ----------------------------------------------------------------------------------------------------------------
# Schema model

class EntityType:
    def __init__(self, name, ns):
        self.name = name          # full name, e.g. App::User
        self.ns = ns
        self.attrs = []           # [(name, type, required)]
        self.parents = []         # full names
        self.enum = None          # list of ids or None
        self.tags = None          # type or None
        self.ids = []


class Action:
    def __init__(self, ns, aid):
        self.ns = ns
        self.id = aid
        self.type = (ns + "::Action") if ns else "Action"
        self.groups = []          # ids of action groups (same namespace)
        self.principals = []
        self.resources = []
        self.context = []         # record fields
        self.is_group = False


class Schema:
    def __init__(self):
        self.namespaces = []      # list of ns names ('' = empty namespace)
        self.types = {}           # full name -> EntityType
        self.actions = []         # list of Action
        self.common = {}          # (ns, name) -> type   (only used in rendering)

    def action(self, atype, aid):
        for a in self.actions:
            if a.type == atype and a.id == aid:
                return a
        return None


def type_to_schema(t, rng):
    k = t[0]
    if k in ('Long', 'String', 'Bool'):
        return k if rng.random() < 0.85 else "__cedar::" + k
    if k == 'Set':
        return "Set<%s>" % type_to_schema(t[1], rng)
    if k == 'Record':
        return record_to_schema(t[1], rng)
    if k == 'Entity':
        return t[1]
    if k == 'Ext':
        return t[1] if rng.random() < 0.8 else "__cedar::" + t[1]
    raise ValueError(t)


def record_to_schema(fields, rng):
    if not fields:
        return "{}"
    return "{ " + ", ".join("%s%s: %s" % (schema_attr_name(n), "" if req else "?", type_to_schema(t, rng))
                            for n, t, req in fields) + " }"


def render_schema(s, rng):
    """Cedar schema text. Uses a separate rng so text variations don't disturb the model."""
    out = []
    for ns in s.namespaces:
        lines = []
        for t in s.types.values():
            if t.ns != ns:
                continue
            short = t.name.split("::")[-1]
            if t.enum is not None:
                lines.append("entity %s enum [%s];" % (short, ", ".join(json.dumps(x, ensure_ascii=False) for x in t.enum)))
                continue
            txt = "entity " + short
            if t.parents:
                txt += " in [%s]" % ", ".join(t.parents) if len(t.parents) > 1 or rng.random() < 0.5 else " in %s" % t.parents[0]
            if t.attrs or rng.random() < 0.3:
                txt += (" = " if rng.random() < 0.3 else " ") + record_to_schema(t.attrs, rng)
            if t.tags is not None:
                txt += " tags " + type_to_schema(t.tags, rng)
            lines.append(txt + ";")
        for a in s.actions:
            if a.ns != ns:
                continue
            txt = "action " + (a.id if is_ident(a.id) and a.id not in RESERVED else json.dumps(a.id, ensure_ascii=False))
            if a.groups:
                txt += " in [%s]" % ", ".join(json.dumps(g, ensure_ascii=False) for g in a.groups)
            if a.principals or a.resources or a.context:
                parts = ["principal: [%s]" % ", ".join(a.principals), "resource: [%s]" % ", ".join(a.resources)]
                if a.context or rng.random() < 0.3:
                    parts.append("context: " + record_to_schema(a.context, rng))
                txt += " appliesTo { %s }" % ", ".join(parts)
            lines.append(txt + ";")
        if ns:
            out.append("namespace %s {\n  %s\n}" % (ns, "\n  ".join(lines)))
        else:
            out.append("\n".join(lines))
    return "\n".join(out) + "\n"


class Gen:
    """One generated case: schema, entities, policies, requests."""

    def __init__(self, seed, n_requests=20):
        self.seed = seed
        self.rng = random.Random(seed)
        self.n_requests = n_requests

    # ---------------- schema ----------------
    def gen_type(self, depth, allow_entity=True):
        r = self.rng
        choices = ['Long', 'String', 'Bool', 'Long', 'String', 'Ext']
        if depth > 0:
            choices += ['Set', 'Record']
        if allow_entity and self.schema.types:
            choices += ['Entity', 'Entity']
        c = r.choice(choices)
        if c in ('Long', 'String', 'Bool'):
            return (c,)
        if c == 'Ext':
            return ('Ext', r.choice(['decimal', 'ipaddr', 'datetime', 'duration']))
        if c == 'Set':
            return ('Set', self.gen_type(depth - 1, allow_entity))
        if c == 'Record':
            return ('Record', self.gen_fields(depth - 1, r.randint(0, 3)))
        return ('Entity', r.choice(list(self.schema.types)))

    def gen_fields(self, depth, n):
        names = self.rng.sample(ATTR_NAMES, n)
        return [(nm, self.gen_type(depth), self.rng.random() < 0.7) for nm in names]

    def gen_schema(self):
        r = self.rng
        s = Schema()
        self.schema = s
        mode = r.random()
        if mode < 0.35:
            s.namespaces = [""]
        elif mode < 0.8:
            s.namespaces = [r.choice(NAMESPACES)]
        else:
            s.namespaces = r.sample(NAMESPACES, 2) if r.random() < 0.5 else ["", r.choice(NAMESPACES)]
        names = r.sample(TYPE_NAMES, r.randint(2, 6))
        order = []
        for nm in names:
            ns = r.choice(s.namespaces)
            full = (ns + "::" + nm) if ns else nm
            t = EntityType(full, ns)
            s.types[full] = t
            order.append(t)
        # enums: some types (not the first) become enumerations
        for t in order[1:]:
            if r.random() < 0.15:
                t.enum = r.sample(["red", "green", "blue", "\u00e9", "e\u0301", "a b", "x\"y"], r.randint(1, 3))
        # memberOf DAG over the order (later types may be parents of earlier), plus self-loops for deep chains
        for i, t in enumerate(order):
            if t.enum is not None:
                continue
            for j in range(i + 1, len(order)):
                if r.random() < 0.35:
                    t.parents.append(order[j].name)
            if r.random() < 0.25:
                t.parents.append(t.name)
        for t in order:
            if t.enum is not None:
                continue
            t.attrs = self.gen_fields(2, r.randint(0, 5))
            if r.random() < 0.25:
                t.tags = self.gen_type(1)
        # ids
        for t in order:
            if t.enum is not None:
                t.ids = list(t.enum)
            else:
                t.ids = r.sample(ID_POOL, r.randint(2, 6))
                if r.random() < 0.3:  # an NFC/NFD pair in the same type
                    t.ids += ["\u00e9t\u00e9", unicodedata.normalize("NFD", "\u00e9t\u00e9")]
        # actions
        ns_for_actions = r.choice(s.namespaces)
        act_ids = r.sample(ACTION_NAMES, r.randint(1, 4))
        groups = r.sample(ACTION_GROUPS, r.randint(0, 2))
        type_names = list(s.types)
        for g in groups:
            a = Action(ns_for_actions, g)
            a.is_group = True
            s.actions.append(a)
        for aid in act_ids:
            a = Action(ns_for_actions, aid)
            a.groups = [g for g in groups if r.random() < 0.5]
            if r.random() < 0.95:
                a.principals = r.sample(type_names, r.randint(1, min(2, len(type_names))))
                a.resources = r.sample(type_names, r.randint(1, min(2, len(type_names))))
                a.context = self.gen_fields(2, r.randint(0, 5))
            s.actions.append(a)
        # a group may have a parent group
        if len(groups) == 2 and r.random() < 0.5:
            s.actions[0].groups = [groups[1]]
        return s

    # ---------------- values ----------------
    def gen_value(self, t, depth=2):
        r = self.rng
        k = t[0]
        if k == 'Long':
            return r.choice(LONG_EDGES) if r.random() < 0.3 else r.randint(-10, 10)
        if k == 'String':
            return r.choice(STRINGS)
        if k == 'Bool':
            return r.random() < 0.5
        if k == 'Set':
            return ('set', [self.gen_value(t[1], depth - 1) for _ in range(r.randint(0, 3))])
        if k == 'Record':
            items = []
            for n, ft, req in t[1]:
                if req or r.random() < 0.6:
                    items.append((n, self.gen_value(ft, depth - 1)))
            return ('rec', items)
        if k == 'Entity':
            et = self.schema.types[t[1]]
            p_missing = 0.01 if et.enum is not None else 0.15
            return ('ent', t[1], r.choice(et.ids + ["missing"]) if r.random() < p_missing else r.choice(et.ids))
        if k == 'Ext':
            return ('ext', t[1], r.choice(EXT_VALUES[t[1]]))
        raise ValueError(t)

    def break_value(self, t):
        """A value that does not conform to t."""
        r = self.rng
        k = t[0]
        if k == 'Long':
            return r.choice(["1", True, ('set', []), 1.0])
        if k == 'String':
            return r.choice([1, False])
        if k == 'Bool':
            return r.choice([0, "true"])
        if k == 'Set':
            return r.choice([1, ('set', [self.break_value(t[1])])])
        if k == 'Record':
            return r.choice([1, ('rec', [("undeclared_zz", 1)])])
        if k == 'Entity':
            return r.choice(["x", ('ent', "NoSuchType", "x")])
        return r.choice([('ext', t[1], r.choice(EXT_BAD[t[1]])), 5])

    # ---------------- entities ----------------
    def gen_entities(self):
        r = self.rng
        s = self.schema
        ents = []
        for t in s.types.values():
            if t.enum is not None:
                if r.random() < 0.2:
                    ents.append({"uid": {"type": t.name, "id": r.choice(t.ids)}, "attrs": {}, "parents": []})
                continue
            for idx, i in enumerate(t.ids):
                if r.random() < 0.15:
                    continue  # missing entity
                attrs = {}
                for n, ft, req in t.attrs:
                    if req or r.random() < 0.6:
                        attrs[n] = value_to_json_var(self.gen_value(ft), r)
                parents = []
                for pt in t.parents:
                    ptype = s.types[pt]
                    cands = ptype.ids[idx + 1:] if pt == t.name else ptype.ids
                    if pt == t.name and r.random() < 0.005:
                        cands = ptype.ids  # may create a cycle
                    for pid in cands:
                        if r.random() < (0.6 if pt == t.name else 0.4):
                            parents.append({"type": pt, "id": pid})
                            if pt == t.name:
                                break  # deep chains: one step up each
                    if r.random() < (0.1 if ptype.enum is None else 0.005):
                        parents.append({"type": pt, "id": "dangling"})
                e = {"uid": {"type": t.name, "id": i}, "attrs": attrs, "parents": parents}
                if t.tags is not None:
                    e["tags"] = {k: value_to_json_var(self.gen_value(t.tags), r)
                                 for k in r.sample(["t", "k", "a b", "\u00e9", ""], r.randint(0, 3))}
                ents.append(e)
        if r.random() < 0.06 and ents:
            # make one entity non-conforming
            e = r.choice(ents)
            t = s.types[e["uid"]["type"]]
            mut = r.random()
            if t.attrs and mut < 0.4:
                n, ft, req = r.choice(t.attrs)
                e["attrs"][n] = value_to_json(self.break_value(ft))
            elif t.attrs and mut < 0.6:
                e["attrs"].pop(t.attrs[0][0], None)
            elif mut < 0.8:
                e["attrs"]["undeclared_zz"] = 1
            elif mut < 0.85:
                e["parents"].append({"type": r.choice(list(s.types)), "id": "p"})
            elif mut < 0.9:
                e["tags"] = {"t": 1}
            elif mut < 0.95 and t.attrs:
                e["attrs"][t.attrs[0][0]] = r.choice([1.5, None, 2 ** 63, -(2 ** 63) - 1, {"__extn": {"fn": "nope", "arg": "1"}}])
            else:
                d = json.loads(json.dumps(e))
                d["attrs"]["undeclared_zz"] = 2
                ents.append(d)  # conflicting duplicate
        if r.random() < 0.05 and ents:
            ents.append(json.loads(json.dumps(r.choice(ents))))  # exact duplicate
        r.shuffle(ents)
        return ents

    # ---------------- expressions ----------------
    def paths(self, root_ast, root_type, depth, guards, out, hop=1):
        """All (ast, type, guards) reachable from a root by attribute access; guards are `has` checks needed."""
        out.append((root_ast, root_type, guards))
        if depth == 0:
            return
        if root_type[0] == 'Record':
            fields = root_type[1]
        elif root_type[0] == 'Entity':
            et = self.schema.types[root_type[1]]
            fields = et.attrs
            if et.tags is not None:
                for key in ["t", "k", "a b"]:
                    g = guards + [('call', root_ast, 'hasTag', [('str', key)])]
                    out.append((('call', root_ast, 'getTag', [('str', key)]), et.tags, g))
            if hop == 0:
                return
            hop -= 1
        else:
            return
        for n, ft, req in fields:
            g = guards if req else guards + [('has', root_ast, [n])]
            self.paths(('attr', root_ast, n), ft, depth - 1, g, out, hop)

    def env_for(self, action, ptype, rtype, use_context):
        paths = []
        if ptype:
            self.paths(('var', 'principal'), ('Entity', ptype), 3, [], paths)
        if rtype:
            self.paths(('var', 'resource'), ('Entity', rtype), 3, [], paths)
        if use_context and action is not None:
            self.paths(('var', 'context'), ('Record', action.context), 3, [], paths)
        return {"paths": paths, "ptype": ptype, "rtype": rtype, "action": action}

    def guard(self, e, guards, ty):
        if not guards:
            return e
        cond = guards[0]
        for g in guards[1:]:
            cond = ('bin', '&&', cond, g)
        if ty == BOOL:
            return ('bin', '&&', cond, e)
        return ('if', cond, e, self.literal(ty))

    def literal(self, ty):
        return value_to_ast(self.gen_literal_value(ty))

    def gen_literal_value(self, ty):
        v = self.gen_value(ty, 1)
        # set literals in policies must not be empty to validate
        def fix(v, t):
            if isinstance(v, tuple) and v[0] == 'set' and not v[1]:
                return ('set', [self.gen_value(t[1], 0)])
            return v
        return fix(v, ty)

    def leaf(self, env, ty):
        cands = [p for p in env["paths"] if p[1] == ty]
        if cands and self.rng.random() < 0.7:
            e, t, g = self.rng.choice(cands)
            if self.loose and self.rng.random() < 0.3:
                return e  # unguarded
            return self.guard(e, g, ty)
        return self.literal(ty)

    def random_type(self):
        r = self.rng
        c = r.random()
        if c < 0.3:
            return LONG
        if c < 0.45:
            return STRING
        if c < 0.6:
            return BOOL
        if c < 0.7:
            return ('Set', r.choice([LONG, STRING, ('Entity', r.choice(list(self.schema.types)))]))
        if c < 0.85:
            return ('Entity', r.choice(list(self.schema.types)))
        return ('Ext', r.choice(['decimal', 'ipaddr', 'datetime', 'duration']))

    def chaos(self, env, depth):
        """Something of an arbitrary (probably wrong) type, or a bogus access."""
        r = self.rng
        c = r.random()
        root = r.choice([('var', 'principal'), ('var', 'resource'), ('var', 'context'), ('var', 'action')])
        if c < 0.25:
            return ('attr', root, r.choice(ATTR_NAMES))
        if c < 0.35:
            return ('call', root, 'getTag', [('str', r.choice(["t", "k", "zz"]))])
        if c < 0.45:
            t = r.choice(list(EXT_BAD))
            return ('fn', EXT_CTOR[t], [('str', r.choice(EXT_BAD[t] + EXT_VALUES[t]))])
        if c < 0.55:
            return ('long', r.choice([I64_MAX, I64_MIN, 2 ** 62, -(2 ** 62), 3037000500]))
        if c < 0.6:
            return ('set', [])
        if c < 0.65:
            return ('attr', ('uid', r.choice(list(self.schema.types)), "missing"), r.choice(ATTR_NAMES))
        if c < 0.7:
            return ('chain', r.choice("!-") * r.randint(1, 4), self.expr(env, self.random_type(), depth))
        if c < 0.72:
            return ('attr', ('var', 'action'), r.choice(ATTR_NAMES))
        if c < 0.74:
            return ('bin', 'in', self.expr(env, self.random_type(), depth), ('set', [self.expr(env, self.random_type(), depth)]))
        if c < 0.76:
            return ('like', self.expr(env, self.random_type(), depth), self.like_pattern())
        if c < 0.78:
            return ('has', self.expr(env, self.random_type(), depth), [r.choice(ATTR_NAMES)])
        if c < 0.8:
            t = r.choice(list(EXT_CTOR.values()))
            return ('fn', t, [('str', r.choice(EXT_VALUES['decimal'] + EXT_VALUES['ipaddr']))] * r.choice([0, 2]))
        return self.expr(env, self.random_type(), depth)

    def expr(self, env, ty, depth):
        r = self.rng
        if self.loose and r.random() < 0.12:
            return self.chaos(env, max(depth - 1, 0))
        if depth <= 0 or r.random() < 0.25:
            return self.leaf(env, ty)
        k = ty[0]
        d = depth - 1
        if r.random() < 0.06:
            return ('if', self.expr(env, BOOL, d), self.expr(env, ty, d), self.expr(env, ty, d))
        if k == 'Bool':
            return self.bool_expr(env, d)
        if k == 'Long':
            c = r.random()
            if c < 0.5:
                op = r.choice(['+', '-', '*'])
                return ('bin', op, self.expr(env, LONG, d), self.expr(env, LONG, d))
            if c < 0.65:
                return ('un', '-', self.expr(env, LONG, d))
            if c < 0.8:
                return ('call', self.expr(env, ('Ext', 'duration'), d),
                        r.choice(['toMilliseconds', 'toSeconds', 'toMinutes', 'toHours', 'toDays']), [])
            return self.leaf(env, ty)
        if k == 'Set':
            if r.random() < 0.6:
                return ('set', [self.expr(env, ty[1], d) for _ in range(r.randint(1, 3))])
            return self.leaf(env, ty)
        if k == 'Record':
            if r.random() < 0.5:
                return ('rec', [(n, self.expr(env, ft, d)) for n, ft, req in ty[1] if req or r.random() < 0.5])
            return self.leaf(env, ty)
        if k == 'Entity':
            c = r.random()
            if c < 0.3 and env["ptype"] == ty[1]:
                return ('var', 'principal')
            if c < 0.6 and env["rtype"] == ty[1]:
                return ('var', 'resource')
            if c < 0.75:
                return ('uid', ty[1], r.choice(self.schema.types[ty[1]].ids + ["missing"]))
            return self.leaf(env, ty)
        if k == 'Ext':
            ext = ty[1]
            c = r.random()
            if ext == 'datetime' and c < 0.3:
                return ('call', self.expr(env, ty, d), 'offset', [self.expr(env, ('Ext', 'duration'), d)])
            if ext == 'datetime' and c < 0.4:
                return ('call', self.expr(env, ty, d), 'toDate', [])
            if ext == 'duration' and c < 0.25:
                return ('call', self.expr(env, ('Ext', 'datetime'), d), 'durationSince', [self.expr(env, ('Ext', 'datetime'), d)])
            if ext == 'duration' and c < 0.35:
                return ('call', self.expr(env, ('Ext', 'datetime'), d), 'toTime', [])
            return self.leaf(env, ty)
        return self.leaf(env, ty)

    def like_pattern(self):
        r = self.rng
        pat = []
        for _ in range(r.randint(0, 5)):
            c = r.random()
            if c < 0.3:
                pat.append(('*',))
            else:
                s = r.choice(STRINGS + ["*", "\\", "e", "\u0301", "a"])
                for ch in s[:3]:
                    pat.append(('c', ch))
        return pat

    def bool_expr(self, env, d):
        r = self.rng
        c = r.randrange(22)
        if c == 0:
            return ('un', '!', self.expr(env, BOOL, d))
        if c in (1, 2):
            return ('bin', r.choice(['&&', '||']), self.expr(env, BOOL, d), self.expr(env, BOOL, d))
        if c in (3, 4):
            return ('bin', r.choice(['<', '<=', '>', '>=', '==', '!=']), self.expr(env, LONG, d), self.expr(env, LONG, d))
        if c == 5:
            t = r.choice([STRING, BOOL, ('Set', LONG), ('Ext', 'decimal'), ('Ext', 'ipaddr'), ('Ext', 'datetime'),
                          ('Ext', 'duration'), ('Entity', r.choice(list(self.schema.types)))])
            return ('bin', r.choice(['==', '!=']), self.expr(env, t, d), self.expr(env, t, d))
        if c == 6:
            return ('like', self.expr(env, STRING, d), self.like_pattern())
        if c in (7, 8):
            ets = list(self.schema.types)
            lhs_t = r.choice(ets)
            lhs = self.expr(env, ('Entity', lhs_t), d)
            rt = r.choice(ets)
            if r.random() < 0.7:
                return ('bin', 'in', lhs, self.expr(env, ('Entity', rt), d))
            return ('bin', 'in', lhs, self.expr(env, ('Set', ('Entity', rt)), d))
        if c == 9:
            ets = list(self.schema.types)
            lhs = self.expr(env, ('Entity', r.choice(ets)), d)
            if r.random() < 0.6:
                return ('is', lhs, r.choice(ets), None)
            return ('is', lhs, r.choice(ets), self.expr(env, ('Entity', r.choice(ets)), d))
        if c in (10, 11):
            et = r.choice([LONG, STRING, ('Entity', r.choice(list(self.schema.types)))])
            st = ('Set', et)
            m = r.choice(['contains', 'containsAll', 'containsAny', 'isEmpty'])
            if m == 'contains':
                return ('call', self.expr(env, st, d), m, [self.expr(env, et, d)])
            if m == 'isEmpty':
                return ('call', self.expr(env, st, d), m, [])
            return ('call', self.expr(env, st, d), m, [self.expr(env, st, d)])
        if c == 12:
            # has on something with optional attributes
            cands = [p for p in env["paths"] if p[1][0] in ('Entity', 'Record')]
            if cands:
                e, t, g = r.choice(cands)
                if t[0] == 'Record':
                    names = [n for n, _, _ in t[1]]
                else:
                    names = [n for n, _, _ in self.schema.types[t[1]].attrs]
                name = r.choice(names + ["nope"]) if names else "nope"
                return self.guard(('has', e, [name]), g, BOOL)
            return ('has', ('var', 'context'), [r.choice(ATTR_NAMES)])
        if c == 13:
            cands = [p for p in env["paths"] if p[1][0] == 'Entity' and self.schema.types[p[1][1]].tags is not None]
            if cands:
                e, t, g = r.choice(cands)
                return self.guard(('call', e, 'hasTag', [self.expr(env, STRING, d)]), g, BOOL)
            return ('call', ('var', 'principal'), 'hasTag', [('str', 't')])
        if c == 14:
            m = r.choice(['lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual'])
            return ('call', self.expr(env, ('Ext', 'decimal'), d), m, [self.expr(env, ('Ext', 'decimal'), d)])
        if c == 15:
            m = r.choice(['isIpv4', 'isIpv6', 'isLoopback', 'isMulticast', 'isInRange'])
            if m == 'isInRange':
                return ('call', self.expr(env, ('Ext', 'ipaddr'), d), m, [self.expr(env, ('Ext', 'ipaddr'), d)])
            return ('call', self.expr(env, ('Ext', 'ipaddr'), d), m, [])
        if c == 16:
            t = ('Ext', r.choice(['datetime', 'duration']))
            return ('bin', r.choice(['<', '<=', '>', '>=']), self.expr(env, t, d), self.expr(env, t, d))
        if c == 18:
            acts = [a for a in self.schema.actions]
            a = r.choice(acts)
            if r.random() < 0.5:
                return ('bin', 'in', ('var', 'action'), ('uid', a.type, a.id))
            return ('bin', r.choice(['==', '!=']), ('var', 'action'), ('uid', a.type, a.id))
        if c == 19:
            chains = []
            for e, t, g in env["paths"]:
                names = []
                x = e
                while x[0] == 'attr':
                    names.append(x[2])
                    x = x[1]
                if x[0] == 'var' and len(names) >= 2 and all(attr_ok_as_ident(n) for n in names) and not g[1:]:
                    chains.append((x, list(reversed(names)), g))
            if chains:
                root, names, g = r.choice(chains)
                return ('has', root, names)
            return ('chain', r.choice(['!!', '!!!!', '!']), self.expr(env, BOOL, d))
        if c == 17:
            # record equality with a literal / context
            t = ('Record', self.gen_fields(0, r.randint(0, 2)))
            if env["action"] is not None and r.random() < 0.5:
                t = ('Record', env["action"].context)
            return ('bin', '==', self.expr(env, t, d), self.expr(env, t, d))
        return self.leaf(env, BOOL)

    # ---------------- policies ----------------
    def gen_policy(self):
        r = self.rng
        s = self.schema
        self.loose = r.random() < 0.35
        concrete = [a for a in s.actions if a.principals]
        action = r.choice(concrete) if concrete else None
        ptype = rtype = None
        use_context = True
        # principal scope
        scope = []
        if action is not None:
            pt = r.choice(action.principals)
            rt = r.choice(action.resources)
        else:
            pt = r.choice(list(s.types))
            rt = r.choice(list(s.types))
        if self.loose and r.random() < 0.3:
            pt = r.choice(list(s.types))
        c = r.random()
        if c < 0.3:
            scope.append("principal")
            if action is not None and len(action.principals) == 1:
                ptype = pt
        elif c < 0.55:
            scope.append("principal is %s" % pt)
            ptype = pt
        elif c < 0.75:
            scope.append("principal == %s" % uid_text(pt, r.choice(s.types[pt].ids + ["missing"]), r))
            ptype = pt
        elif c < 0.9:
            anc = self.ancestor_types(pt)
            gt = r.choice(anc)
            scope.append("principal in %s" % uid_text(gt, r.choice(s.types[gt].ids), r))
            if action is not None and len(action.principals) == 1:
                ptype = pt
        else:
            anc = self.ancestor_types(pt)
            gt = r.choice(anc)
            scope.append("principal is %s in %s" % (pt, uid_text(gt, r.choice(s.types[gt].ids), r)))
            ptype = pt
        # action scope
        c = r.random()
        if action is None or c < 0.1:
            scope.append("action")
            use_context = False
            if not (scope[0].startswith("principal is") or "==" in scope[0]):
                ptype = None
        elif c < 0.75:
            scope.append("action == %s" % uid_text(action.type, action.id, r))
        elif c < 0.87:
            others = [a for a in s.actions if a is not action]
            lst = [action] + r.sample(others, min(len(others), r.randint(0, 2)))
            scope.append("action in [%s]" % ", ".join(uid_text(a.type, a.id, r) for a in lst))
            use_context = len(lst) == 1
        else:
            grp = [a for a in s.actions if a.is_group]
            if grp:
                g = r.choice(grp)
                scope.append("action in %s" % uid_text(g.type, g.id, r))
            else:
                scope.append("action == %s" % uid_text(action.type, action.id, r))
                use_context = True
            use_context = use_context and not grp
        # resource scope
        c = r.random()
        if c < 0.35:
            scope.append("resource")
            if action is not None and len(action.resources) == 1:
                rtype = rt
        elif c < 0.6:
            scope.append("resource is %s" % rt)
            rtype = rt
        elif c < 0.75:
            scope.append("resource == %s" % uid_text(rt, r.choice(s.types[rt].ids + ["missing"]), r))
            rtype = rt
        elif c < 0.9:
            gt = r.choice(self.ancestor_types(rt))
            scope.append("resource in %s" % uid_text(gt, r.choice(s.types[gt].ids), r))
            if action is not None and len(action.resources) == 1:
                rtype = rt
        else:
            gt = r.choice(self.ancestor_types(rt))
            scope.append("resource is %s in %s" % (rt, uid_text(gt, r.choice(s.types[gt].ids), r)))
            rtype = rt
        if self.loose:
            use_context = use_context or r.random() < 0.5
        env = self.env_for(action, ptype, rtype, use_context)
        conds = []
        for _ in range(r.choice([0, 1, 1, 1, 2, 2, 3])):
            conds.append((r.choice(['when', 'when', 'unless']), self.expr(env, BOOL, r.randint(1, 5))))
        annotations = []
        if r.random() < 0.1:
            annotations.append('@id(%s)' % cedar_string(r.choice(STRINGS)))
        return {"effect": r.choice(['permit', 'permit', 'forbid']), "scope": scope, "conds": conds,
                "annotations": annotations, "loose": self.loose}

    def ancestor_types(self, t):
        seen = [t]
        stack = [t]
        while stack:
            x = stack.pop()
            for p in self.schema.types[x].parents:
                if p not in seen:
                    seen.append(p)
                    stack.append(p)
        return seen

    # ---------------- requests ----------------
    def gen_requests(self, n):
        r = self.rng
        s = self.schema
        concrete = [a for a in s.actions if a.principals]
        reqs = []
        for _ in range(n):
            a = r.choice(concrete) if concrete and r.random() < 0.97 else r.choice(s.actions)
            pts = a.principals or list(s.types)
            rts = a.resources or list(s.types)
            pt, rt = r.choice(pts), r.choice(rts)
            pid = r.choice(s.types[pt].ids + (["missing"] if r.random() < 0.15 else []))
            rid = r.choice(s.types[rt].ids + (["missing"] if r.random() < 0.15 else []))
            ctx = self.gen_value(('Record', a.context), 3)
            req = {"principal": {"type": pt, "id": pid}, "action": {"type": a.type, "id": a.id},
                   "resource": {"type": rt, "id": rid}, "context": value_to_json_var(ctx, r)}
            if r.random() < 0.1:
                self.break_request(req, a)
            reqs.append(req)
        return reqs

    def break_request(self, req, a):
        r = self.rng
        s = self.schema
        c = r.randrange(7)
        if c == 0:
            req["principal"]["type"] = r.choice(list(s.types))
        elif c == 1:
            req["resource"]["type"] = r.choice(list(s.types))
        elif c == 2:
            req["action"]["id"] = "noSuchAction"
        elif c == 3:
            req["context"]["undeclared_zz"] = 1
        elif c == 4 and a.context:
            req["context"].pop(a.context[0][0], None)
        elif c == 5 and a.context:
            n, t, _ = r.choice(a.context)
            req["context"][n] = value_to_json(self.break_value(t))
        else:
            t = s.types[req["principal"]["type"]]
            req["principal"]["id"] = "not-an-enum-value" if t.enum else r.choice(ID_POOL)

    # ---------------- whole case ----------------
    def case(self):
        r = self.rng
        self.gen_schema()
        schema_text = render_schema(self.schema, random.Random(self.seed ^ 0x5A5A))
        entities = self.gen_entities()
        policies = [self.gen_policy() for _ in range(r.randint(1, 10))]
        if r.random() < 0.15:
            policies.insert(r.randrange(len(policies) + 1),
                            {"effect": r.choice(['permit', 'forbid']), "scope": ["principal", "action", "resource"],
                             "conds": [("when", ('raw', r.choice(EDGE_CONDITIONS)))], "annotations": [], "loose": True})
        requests = self.gen_requests(self.n_requests)
        use_schema = r.random() < 0.9
        return {"seed": self.seed, "schema": schema_text if use_schema else None, "entities": entities,
                "policies": policies, "requests": requests}


def render_policy(p):
    txt = "".join(a + "\n" for a in p["annotations"])
    txt += "%s (\n  %s\n)" % (p["effect"], ",\n  ".join(p["scope"]))
    for kind, e in p["conds"]:
        txt += "\n%s { %s }" % (kind, render(e))
    return txt + ";"


def render_policies(policies):
    return "\n\n".join(render_policy(p) for p in policies) + "\n"


def generate(seed, n_requests=20):
    return Gen(seed, n_requests).case()


if __name__ == "__main__":
    import sys
    c = generate(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    print(c["schema"])
    print(render_policies(c["policies"]))
    print(json.dumps(c["entities"], ensure_ascii=False)[:2000])
    print(json.dumps(c["requests"][:3], ensure_ascii=False))
