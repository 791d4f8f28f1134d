/// A recursive-descent parser for Cedar policies, following Cedar 4.12's grammar (`grammar.lalrpop`) and the checks
/// its CST→AST conversion makes (reserved identifiers, unknown functions and methods, `/` and `%`, chained relations,
/// more than four unary operators, scope shapes, duplicate annotations and record keys, slots in conditions …).
///
/// Syntax errors stop the current policy (parsing resumes after its `;`); conversion errors are recorded and parsing
/// continues, so one run reports as many errors as it can.
struct Parser {
    let source: [UInt8]
    let tokens: [Token]
    var pos = 0
    var diagnostics: [CedarParseError.Diagnostic] = []
    /// Current depth of nested `parseExpr` calls.
    var nesting = 0
    private let lineStarts: [Int]

    /// Thrown after a syntax error has been recorded.
    struct SyntaxFailure: Error {}

    init(_ text: String) {
        source = Array(text.utf8)
        tokens = Lexer(source).tokenize()
        var starts = [0]
        for (i, b) in source.enumerated() where b == 0x0a { starts.append(i + 1) }
        lineStarts = starts
    }

    // MARK: Positions and diagnostics

    func position(_ offset: Int) -> SourcePosition {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        var column = 1
        var i = lineStarts[low]
        while i < offset, i < source.count {
            if source[i] & 0xc0 != 0x80 { column += 1 }
            i += 1
        }
        return SourcePosition(offset: offset, line: low + 1, column: column)
    }

    func range(_ start: Int, _ end: Int) -> SourceRange {
        SourceRange(start: position(start), end: position(end))
    }

    func text(_ start: Int, _ end: Int) -> String { String(decoding: source[start..<end], as: UTF8.self) }

    func text(_ token: Token) -> String { text(token.start, token.end) }

    mutating func error(_ message: String, _ start: Int, _ end: Int) {
        diagnostics.append(.init(message: message, range: range(start, end), token: text(start, end)))
    }

    /// Records "unexpected token" for the current token and returns the failure to throw.
    mutating func unexpected() -> SyntaxFailure {
        let token = tokens[pos]
        switch token.kind {
        case .end:
            diagnostics.append(.init(message: "unexpected end of input", range: range(token.start, token.end)))
        case .invalid:
            error("invalid token", token.start, token.end)
        default:
            error("unexpected token `\(text(token))`", token.start, token.end)
        }
        return SyntaxFailure()
    }

    // MARK: Token helpers

    var current: Token { tokens[pos] }

    func peek(_ k: Int) -> Token { tokens[min(pos + k, tokens.count - 1)] }

    func isPunct(_ token: Token, _ p: Punct) -> Bool { token.kind == .punct(p) }

    func at(_ p: Punct) -> Bool { current.kind == .punct(p) }

    func isWord(_ token: Token, _ word: StaticString) -> Bool {
        guard token.kind == .identifier, token.end - token.start == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for k in 0..<word.utf8CodeUnitCount where source[token.start + k] != w[k] { return false }
        return true
    }

    func atWord(_ word: StaticString) -> Bool { isWord(current, word) }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[pos]
        if pos < tokens.count - 1 { pos += 1 }
        return token
    }

    @discardableResult
    mutating func expect(_ p: Punct) throws(SyntaxFailure) -> Token {
        guard at(p) else { throw unexpected() }
        return advance()
    }

    mutating func expectIdentifier() throws(SyntaxFailure) -> Token {
        guard current.kind == .identifier else { throw unexpected() }
        return advance()
    }

    /// End offset of the previous token.
    var lastEnd: Int { pos > 0 ? tokens[pos - 1].end : 0 }

    // MARK: Identifiers

    static let reserved: Set<String> = ["true", "false", "if", "then", "else", "in", "has", "like", "is"]

    /// Checks one identifier used as an attribute, record key or annotation-free name component.
    mutating func checkIdentifier(_ name: String, _ start: Int, _ end: Int) -> Bool {
        if Parser.reserved.contains(name) {
            error("this identifier is reserved and cannot be used: \(name)", start, end)
            return false
        }
        if name == "__cedar" {
            error("The name `__cedar` contains `__cedar`, which is reserved", start, end)
            return false
        }
        return true
    }

    /// Checks the components of a (possibly qualified) name used as an entity type or function name.
    mutating func checkName(_ components: [String], _ start: Int, _ end: Int) -> Bool {
        for component in components where Parser.reserved.contains(component) {
            error("this identifier is reserved and cannot be used: \(component)", start, end)
            return false
        }
        if components.contains("__cedar") {
            error("The name `\(components.joined(separator: "::"))` contains `__cedar`, which is reserved", start, end)
            return false
        }
        return true
    }

    // MARK: Strings

    mutating func unescapeString(_ token: Token) -> CedarString {
        switch Unescaper.string(source[(token.start + 1)..<(token.end - 1)]) {
        case .success(let scalars): return CedarString(scalars: scalars)
        case .failure(let failures):
            for failure in failures.list {
                let at = token.start + 1 + failure.offset
                error("the input `\(failure.text)` is not a valid escape", at, at + failure.text.utf8.count)
            }
            return CedarString("")
        }
    }

    mutating func unescapePattern(_ token: Token) -> Pattern {
        switch Unescaper.pattern(source[(token.start + 1)..<(token.end - 1)]) {
        case .success(let pattern): return pattern
        case .failure(let failures):
            for failure in failures.list {
                let at = token.start + 1 + failure.offset
                error("the input `\(failure.text)` is not a valid escape", at, at + failure.text.utf8.count)
            }
            return Pattern([])
        }
    }

    // MARK: Entry points

    /// Parses a whole policy set; ids are positional (`policy0`, …) counting templates too, as Cedar does.
    mutating func parsePolicies() -> [Policy] {
        var result: [Policy] = []
        var index = 0
        while current.kind != .end {
            let startPos = pos
            let errorsBefore = diagnostics.count
            do {
                let policy = try parsePolicy(id: "policy\(index)")
                if diagnostics.count == errorsBefore { result.append(policy) }
            } catch {
                while current.kind != .end, !at(.semicolon) { advance() }
                if at(.semicolon) { advance() }
                if pos == startPos { advance() }
            }
            index += 1
        }
        return result
    }

    mutating func parseExpressionOnly() -> Expr? {
        do {
            let operand = try parseExpr()
            let expr = toExpr(operand)
            if current.kind != .end { throw unexpected() }
            return expr
        } catch {
            return nil
        }
    }

    mutating func parseEntityUIDOnly() -> EntityUID? {
        do {
            let start = current.start
            let operand = try parsePrimary()
            if current.kind != .end { throw unexpected() }
            guard case .expr(.entity(let uid)) = operand else {
                error("expected an entity uid such as `User::\"alice\"`", start, lastEnd)
                return nil
            }
            return uid
        } catch {
            return nil
        }
    }

    // MARK: Policies

    mutating func parsePolicy(id: String) throws(SyntaxFailure) -> Policy {
        let start = current.start
        var annotations: [Annotation] = []
        while at(.at) {
            let atToken = advance()
            let key = try expectIdentifier()
            var value: CedarString?
            if at(.leftParen) {
                advance()
                guard current.kind == .string else { throw unexpected() }
                value = unescapeString(advance())
                try expect(.rightParen)
            }
            let keyText = text(key)
            if annotations.contains(where: { $0.key == keyText }) {
                error("duplicate annotation: @\(keyText)", atToken.start, lastEnd)
            } else {
                annotations.append(Annotation(key: keyText, value: value))
            }
        }
        let effectToken = try expectIdentifier()
        var effect = Effect.permit
        if let e = Effect(rawValue: text(effectToken)) {
            effect = e
        } else {
            error("invalid policy effect: \(text(effectToken))", effectToken.start, effectToken.end)
        }
        try expect(.leftParen)
        var defs: [ScopeDef] = []
        while !at(.rightParen) {
            defs.append(try parseScopeDef())
            if at(.comma) { advance() } else { break }
        }
        let closing = try expect(.rightParen)
        var principal = ScopeConstraint.any, action = ActionConstraint.any, resource = ScopeConstraint.any
        let order: [Variable] = [.principal, .action, .resource]
        for (index, variable) in order.enumerated() {
            guard index < defs.count else {
                error("this policy is missing the `\(variable)` variable in the scope", closing.start, closing.end)
                continue
            }
            let def = defs[index]
            switch variable {
            case .principal: principal = convertScope(def, expected: .principal)
            case .resource: resource = convertScope(def, expected: .resource)
            default: action = convertActionScope(def)
            }
        }
        if defs.count > 3 {
            let extra = defs[3]
            error("this policy has an extra element in the scope: \(text(extra.start, extra.end))", extra.start, extra.end)
        }
        var conditions: [Condition] = []
        while current.kind == .identifier {
            let kindToken = advance()
            let kind = Condition.Kind(rawValue: text(kindToken))
            if kind == nil { error("invalid policy condition: \(text(kindToken))", kindToken.start, kindToken.end) }
            try expect(.leftBrace)
            if at(.rightBrace) {
                let close = advance()
                error("`\(text(kindToken))` condition clause cannot be empty", kindToken.start, close.end)
                continue
            }
            let body = toExpr(try parseExpr())
            let close = try expect(.rightBrace)
            for slot in body.slots {
                error("found template slot \(slot) in a `\(text(kindToken))` clause", kindToken.start, close.end)
            }
            if let kind { conditions.append(Condition(kind, body, range: range(kindToken.start, close.end))) }
        }
        let end = try expect(.semicolon)
        return Policy(
            id: id, effect: effect, annotations: annotations, principal: principal, action: action, resource: resource,
            conditions: conditions, range: range(start, end.end))
    }

    /// One element of the scope as written, before it is checked against its position.
    struct ScopeDef {
        var variable: Token
        var isType: (name: EntityType, start: Int, end: Int)?
        var op: Token?
        var target: Operand?
        var targetStart = 0
        var targetEnd = 0
        var start: Int
        var end: Int
    }

    mutating func parseScopeDef() throws(SyntaxFailure) -> ScopeDef {
        let variable = try expectIdentifier()
        var def = ScopeDef(variable: variable, start: variable.start, end: variable.end)
        if at(.colon) {
            let colon = advance()
            _ = try parseNamePath()
            error("type constraints using `:` are not supported", colon.start, lastEnd)
        }
        if atWord("is") {
            advance()
            let typeStart = current.start
            if let name = try parseIsTypeName() { def.isType = (name, typeStart, lastEnd) }
        }
        if relationalOperator(current) != nil {
            def.op = advance()
            def.targetStart = current.start
            def.target = try parseExpr()
            def.targetEnd = lastEnd
        }
        def.end = lastEnd
        return def
    }

    mutating func checkScopeVariable(_ def: ScopeDef, expected: Variable) -> Bool {
        let name = text(def.variable)
        if name == expected.rawValue { return true }
        if let found = Variable(rawValue: name), found != .context {
            error(
                "found the variable `\(found)` where the variable `\(expected)` must be used", def.variable.start,
                def.variable.end)
        } else {
            error("expected a variable that is valid in the policy scope; found: `\(name)`", def.variable.start, def.variable.end)
        }
        return false
    }

    mutating func convertScope(_ def: ScopeDef, expected: Variable) -> ScopeConstraint {
        guard checkScopeVariable(def, expected: expected) else { return .any }
        guard let op = def.op, let target = def.target else {
            if let isType = def.isType { return .isType(isType.name) }
            return .any
        }
        let opText = text(op)
        guard opText == "==" || opText == "in" else {
            error("invalid operator in the policy scope: \(opText)", op.start, op.end)
            return .any
        }
        if opText == "==", def.isType != nil {
            error("`is` cannot be used together with `==`", def.start, def.end)
            return .any
        }
        let expectedSlot: SlotID = expected == .principal ? .principal : .resource
        let reference: EntityReference
        let found = text(def.targetStart, def.targetEnd)
        switch target {
        case .expr(.entity(let uid)): reference = .entity(uid)
        case .expr(.slot(let slot)):
            guard slot == expectedSlot else {
                error(
                    "expected an entity uid or matching template slot, found \(slot) instead of \(expectedSlot)",
                    def.targetStart, def.targetEnd)
                return .any
            }
            reference = .slot(slot)
        case .expr(.set):
            error(
                "expected single entity uid or template slot, found set of entity uids", def.targetStart,
                def.targetEnd)
            return .any
        case .name:
            error(
                "expected an entity uid or matching template slot, found name `\(found)`", def.targetStart,
                def.targetEnd)
            return .any
        case .string, .expr(.bool), .expr(.long):
            error(
                "expected an entity uid or matching template slot, found literal `\(found)`", def.targetStart,
                def.targetEnd)
            return .any
        default:
            error(
                "expected an entity uid or matching template slot, found `\(found)`", def.targetStart, def.targetEnd)
            return .any
        }
        if opText == "==" { return .equal(reference) }
        if let isType = def.isType { return .isTypeIn(isType.name, reference) }
        return .in(reference)
    }

    mutating func checkActionType(_ uid: EntityUID, _ start: Int, _ end: Int) -> Bool {
        guard uid.type.isActionType else {
            error("expected an entity uid with type `Action` but got `\(uid)`", start, end)
            return false
        }
        return true
    }

    mutating func convertActionScope(_ def: ScopeDef) -> ActionConstraint {
        guard checkScopeVariable(def, expected: .action) else { return .any }
        if def.isType != nil {
            error("`is` cannot appear in the action scope", def.start, def.end)
            return .any
        }
        guard let op = def.op, let target = def.target else { return .any }
        let opText = text(op)
        guard opText == "==" || opText == "in" else {
            error("invalid operator in the policy scope: \(opText)", op.start, op.end)
            return .any
        }
        let (s, e) = (def.targetStart, def.targetEnd)
        switch target {
        case .expr(.entity(let uid)):
            guard checkActionType(uid, s, e) else { return .any }
            return opText == "==" ? .equal(uid) : .in([uid])
        case .expr(.set(let items)) where opText == "in":
            var uids: [EntityUID] = []
            var ok = true
            for item in items {
                switch item {
                case .entity(let uid): if checkActionType(uid, s, e) { uids.append(uid) } else { ok = false }
                case .slot:
                    error("expected single entity uid, found template slot", s, e)
                    ok = false
                default:
                    error("expected an entity uid, found `\(PolicyFormatter.format(item))`", s, e)
                    ok = false
                }
            }
            return ok ? .in(uids) : .any
        case .expr(.set):
            error("expected single entity uid, found set of entity uids", s, e)
        case .expr(.slot):
            error(
                opText == "==" ? "expected single entity uid, found template slot"
                    : "expected single entity uid or set of entity uids, found template slot", s, e)
        default:
            error("expected an entity uid or set of entity uids, found `\(text(s, e))`", s, e)
        }
        return .any
    }
}
