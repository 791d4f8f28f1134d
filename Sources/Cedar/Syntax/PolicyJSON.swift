/// The JSON policy format (Cedar's "EST"), as produced by `cedar translate-policy` / cedarpy's
/// `policies_to_json_str`.
extension Policy {
    /// The policy in Cedar's JSON policy format.
    public var estJSON: JSONValue {
        var members: [(String, JSONValue)] = [
            ("effect", .string(CedarString(effect.rawValue))),
            ("principal", EST.scope(principal)),
            ("action", EST.action(action)),
            ("resource", EST.scope(resource)),
            (
                "conditions",
                .array(
                    conditions.map {
                        .object([("kind", .string(CedarString($0.kind.rawValue))), ("body", EST.expr($0.body))])
                    })
            ),
        ]
        if !annotations.isEmpty {
            members.append(("annotations", .object(annotations.map { ($0.key, $0.value.map { .string($0) } ?? .null) })))
        }
        return .object(members)
    }
}

extension PolicySet {
    /// The set in Cedar's JSON policy format: `{"staticPolicies": …, "templates": …, "templateLinks": […]}`.
    public var estJSON: JSONValue {
        .object([
            ("staticPolicies", .object(staticPolicies.map { ($0.id, $0.estJSON) })),
            ("templates", .object(templates.map { ($0.id, $0.estJSON) })),
            (
                "templateLinks",
                .array(
                    links.map { link in
                        .object([
                            ("templateId", .string(CedarString(link.templateID))),
                            ("newId", .string(CedarString(link.newID))),
                            (
                                "values",
                                .object(
                                    SlotID.allCases.compactMap { slot in
                                        link.values[slot].map { (slot.rawValue, EST.uid($0)) }
                                    })
                            ),
                        ])
                    })
            ),
        ])
    }
}

extension Expr {
    /// The expression in Cedar's JSON expression format.
    public var estJSON: JSONValue { EST.expr(self) }
}

enum EST {
    static func str(_ s: String) -> JSONValue { .string(CedarString(s)) }

    static func uid(_ uid: EntityUID) -> JSONValue {
        .object([("type", str(uid.type.description)), ("id", .string(uid.id))])
    }

    static func reference(_ r: EntityReference) -> (String, JSONValue) {
        switch r {
        case .entity(let u): ("entity", uid(u))
        case .slot(let s): ("slot", str(s.rawValue))
        }
    }

    static func scope(_ c: ScopeConstraint) -> JSONValue {
        switch c {
        case .any: .object([("op", str("All"))])
        case .equal(let r): .object([("op", str("==")), reference(r)])
        case .in(let r): .object([("op", str("in")), reference(r)])
        case .isType(let t): .object([("op", str("is")), ("entity_type", str(t.description))])
        case .isTypeIn(let t, let r):
            .object([("op", str("is")), ("entity_type", str(t.description)), ("in", .object([reference(r)]))])
        }
    }

    static func action(_ c: ActionConstraint) -> JSONValue {
        switch c {
        case .any: .object([("op", str("All"))])
        case .equal(let u): .object([("op", str("==")), ("entity", uid(u))])
        case .in(let uids) where uids.count == 1: .object([("op", str("in")), ("entity", uid(uids[0]))])
        case .in(let uids): .object([("op", str("in")), ("entities", .array(uids.map(uid)))])
        }
    }

    static func binary(_ name: String, _ a: Expr, _ b: Expr) -> JSONValue {
        .object([(name, .object([("left", expr(a)), ("right", expr(b))]))])
    }

    static func expr(_ e: Expr) -> JSONValue {
        switch e {
        case .bool(let b): return .object([("Value", .bool(b))])
        case .long(let n): return .object([("Value", .number(n))])
        case .string(let s): return .object([("Value", .string(s))])
        case .entity(let u): return .object([("Value", .object([("__entity", uid(u))]))])
        case .variable(let v): return .object([("Var", str(v.rawValue))])
        case .slot(let s): return .object([("Slot", str(s.rawValue))])
        case .ifThenElse(let c, let t, let f):
            return .object([("if-then-else", .object([("if", expr(c)), ("then", expr(t)), ("else", expr(f))]))])
        case .and(let a, let b): return binary("&&", a, b)
        case .or(let a, let b): return binary("||", a, b)
        case .binary(let op, let a, let b): return binary(op.rawValue, a, b)
        case .unary(let op, let a):
            let name =
                switch op {
                case .not: "!"
                case .neg: "neg"
                case .isEmpty: "isEmpty"
                }
            return .object([(name, .object([("arg", expr(a))]))])
        case .getAttr(let a, let k): return .object([(".", .object([("left", expr(a)), ("attr", .string(k))]))])
        case .hasAttr(let a, let k): return .object([("has", .object([("left", expr(a)), ("attr", .string(k))]))])
        case .like(let a, let p):
            let elements: [JSONValue] = p.elements.map {
                switch $0 {
                case .wildcard: str("Wildcard")
                case .literal(let s): .object([("Literal", .string(CedarString(scalars: [s])))])
                }
            }
            return .object([("like", .object([("left", expr(a)), ("pattern", .array(elements))]))])
        case .isType(let a, let t, let container):
            var members: [(String, JSONValue)] = [("left", expr(a)), ("entity_type", str(t.description))]
            if let container { members.append(("in", expr(container))) }
            return .object([("is", .object(members))])
        case .set(let items): return .object([("Set", .array(items.map(expr)))])
        case .record(let entries): return .object([("Record", .object(entries.map { ($0.key, expr($0.value)) }))])
        case .call(let f, let args): return .object([(f.rawValue, .array(args.map(expr)))])
        }
    }
}
