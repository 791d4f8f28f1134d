/// Prints policies and expressions as Cedar text. The output is canonical and round-trips:
/// `Policy.parse(PolicyFormatter.format(p)) == p` (with the same id), and likewise for expressions and policy sets.
///
/// Layout follows Cedar's formatter for the policy head (one scope element per line) but keeps each condition on one
/// line; byte-for-byte agreement with `cedar format` is not a goal.
public enum PolicyFormatter {
    public static func format(_ set: PolicySet) -> String {
        set.policiesAndTemplates.map { format($0) }.joined(separator: "\n\n") + (set.isEmpty ? "" : "\n")
    }

    public static func format(_ policy: Policy) -> String {
        var out = ""
        for annotation in policy.annotations {
            out += "@\(annotation.key)"
            if let value = annotation.value { out += "(\"\(CedarEscaping.escape(value))\")" }
            out += "\n"
        }
        out += "\(policy.effect) (\n"
        out += "  \(scope("principal", policy.principal)),\n"
        out += "  \(actionScope(policy.action)),\n"
        out += "  \(scope("resource", policy.resource))\n)"
        for condition in policy.conditions {
            out += "\n\(condition.kind.rawValue) { \(format(condition.body)) }"
        }
        return out + ";"
    }

    static func scope(_ variable: String, _ constraint: ScopeConstraint) -> String {
        switch constraint {
        case .any: variable
        case .equal(let r): "\(variable) == \(r)"
        case .in(let r): "\(variable) in \(r)"
        case .isType(let t): "\(variable) is \(t)"
        case .isTypeIn(let t, let r): "\(variable) is \(t) in \(r)"
        }
    }

    static func actionScope(_ constraint: ActionConstraint) -> String {
        switch constraint {
        case .any: "action"
        case .equal(let uid): "action == \(uid)"
        case .in(let uids) where uids.count == 1: "action in \(uids[0])"
        case .in(let uids): "action in [\(uids.map(\.description).joined(separator: ", "))]"
        }
    }

    public static func format(_ expr: Expr) -> String {
        var out = ""
        write(expr, into: &out)
        return out
    }

    // MARK: Precedence

    /// Binding strength: 0 if-then-else, 1 `||`, 2 `&&`, 3 relations, 4 `+ -`, 5 `*`, 6 unary, 7 member access and
    /// primaries.
    static func level(_ e: Expr) -> Int {
        switch e {
        case .ifThenElse: 0
        case .or: 1
        case .and: 2
        case .binary(let op, _, _):
            switch op {
            case .add, .subtract: 4
            case .multiply: 5
            case .contains, .containsAll, .containsAny, .getTag, .hasTag: 7
            default: 3
            }
        case .hasAttr, .like, .isType: 3
        case .unary(.isEmpty, _): 7
        case .unary: 6
        case .long(let v) where v < 0: 6
        default: 7
        }
    }

    static func write(_ e: Expr, atLeast minimum: Int, into out: inout String) {
        if level(e) < minimum {
            out += "("
            write(e, into: &out)
            out += ")"
        } else {
            write(e, into: &out)
        }
    }

    static func isIdentifier(_ key: CedarString) -> Bool {
        let bytes = key.utf8
        guard let first = bytes.first, Lexer.isIdentStart(first), bytes.allSatisfy(Lexer.isIdentContinue) else {
            return false
        }
        let s = key.string
        return !Parser.reserved.contains(s) && s != "__cedar"
    }

    static func quoted(_ s: CedarString) -> String { "\"\(CedarEscaping.escape(s))\"" }

    static func attribute(_ key: CedarString) -> String { isIdentifier(key) ? key.string : quoted(key) }

    static func write(_ e: Expr, into out: inout String) {
        switch e {
        case .bool(let b): out += b ? "true" : "false"
        case .long(let v): out += String(v)
        case .string(let s): out += quoted(s)
        case .entity(let uid): out += uid.description
        case .variable(let v): out += v.rawValue
        case .slot(let s): out += s.rawValue
        case .ifThenElse(let c, let t, let f):
            out += "if "
            write(c, into: &out)
            out += " then "
            write(t, into: &out)
            out += " else "
            write(f, into: &out)
        case .or(let a, let b):
            write(a, atLeast: 1, into: &out)
            out += " || "
            write(b, atLeast: 2, into: &out)
        case .and(let a, let b):
            write(a, atLeast: 2, into: &out)
            out += " && "
            write(b, atLeast: 3, into: &out)
        case .binary(let op, let a, let b):
            switch op {
            case .contains, .containsAll, .containsAny, .getTag, .hasTag:
                write(a, atLeast: 7, into: &out)
                out += ".\(op.rawValue)("
                write(b, into: &out)
                out += ")"
            case .add, .subtract:
                write(a, atLeast: 4, into: &out)
                out += " \(op.rawValue) "
                write(b, atLeast: 5, into: &out)
            case .multiply:
                write(a, atLeast: 5, into: &out)
                out += " * "
                write(b, atLeast: 6, into: &out)
            default:
                write(a, atLeast: 4, into: &out)
                out += " \(op.rawValue) "
                write(b, atLeast: 4, into: &out)
            }
        case .unary(.isEmpty, let a):
            write(a, atLeast: 7, into: &out)
            out += ".isEmpty()"
        case .unary(let op, _):
            writeUnaryChain(e, op: op, into: &out)
        case .getAttr(let a, let key):
            write(a, atLeast: 7, into: &out)
            out += isIdentifier(key) ? ".\(key.string)" : "[\(quoted(key))]"
        case .hasAttr(let a, let key):
            write(a, atLeast: 4, into: &out)
            out += " has \(attribute(key))"
        case .like(let a, let pattern):
            write(a, atLeast: 4, into: &out)
            out += " like \(pattern)"
        case .isType(let a, let type, let container):
            write(a, atLeast: 4, into: &out)
            out += " is \(type)"
            if let container {
                out += " in "
                write(container, atLeast: 4, into: &out)
            }
        case .set(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                write(item, into: &out)
            }
            out += "]"
        case .record(let entries):
            out += "{"
            for (i, entry) in entries.enumerated() {
                out += i > 0 ? ", " : " "
                out += attribute(entry.key) + ": "
                write(entry.value, into: &out)
            }
            out += entries.isEmpty ? "}" : " }"
        case .call(let function, let args):
            if function.isMethod, let receiver = args.first {
                write(receiver, atLeast: 7, into: &out)
                out += ".\(function.rawValue)("
                writeList(args.dropFirst(), into: &out)
            } else {
                out += "\(function.rawValue)("
                writeList(args[...], into: &out)
            }
            out += ")"
        }
    }

    static func writeList(_ items: ArraySlice<Expr>, into out: inout String) {
        for (i, item) in items.enumerated() {
            if i > 0 { out += ", " }
            write(item, into: &out)
        }
    }

    /// `!`/`-` chains: at most four in a row, and a `-` directly before a number literal would be folded into it, so
    /// the literal is parenthesised (`-(5)`) unless it is already negative (`--5` is `-(-5)`).
    static func writeUnaryChain(_ e: Expr, op: UnaryOp, into out: inout String) {
        var count = 0
        var inner = e
        while case .unary(op, let next) = inner, count < 4 {
            count += 1
            inner = next
        }
        let symbol = op == .not ? "!" : "-"
        out += String(repeating: symbol, count: count)
        switch inner {
        case .long(let v) where op == .neg:
            if v < 0, count < 4 { out += String(v) } else { out += "(\(v))" }
        case .unary(op, _):
            out += "("
            write(inner, into: &out)
            out += ")"
        default:
            write(inner, atLeast: 7, into: &out)
        }
    }
}
