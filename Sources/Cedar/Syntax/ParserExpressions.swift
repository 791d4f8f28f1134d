/// What a sub-expression parsed to, before it is known how it is used (Cedar's `ExprOrSpecial`): names, variables
/// and string literals can also be attribute names, patterns, types or function names.
enum Operand {
    case expr(Expr)
    case variable(Variable)
    /// A bare (possibly qualified) name that is not a variable: only valid as a type, function or attribute name.
    case name([String], start: Int, end: Int)
    /// A string literal, not yet unescaped (it may be a pattern).
    case string(Token)
}

extension Parser {
    /// Placeholder for an expression that failed to convert (an error has been recorded).
    static let invalid = Expr.bool(false)

    mutating func toExpr(_ operand: Operand) -> Expr {
        switch operand {
        case .expr(let e): return e
        case .variable(let v): return .variable(v)
        case .name(let components, let start, let end):
            error("invalid variable: \(components.joined(separator: "::"))", start, end)
            return Parser.invalid
        case .string(let token): return .string(unescapeString(token))
        }
    }

    func relationalOperator(_ token: Token) -> String? {
        switch token.kind {
        case .punct(.equalEqual), .punct(.notEqual), .punct(.less), .punct(.lessEqual), .punct(.greater),
            .punct(.greaterEqual), .punct(.equal):
            return text(token)
        case .identifier where isWord(token, "in"): return "in"
        default: return nil
        }
    }

    /// Tokens that, after a name or string, show it is part of a larger expression.
    func continuesOperand(_ token: Token) -> Bool {
        switch token.kind {
        case .punct(.dot), .punct(.leftParen), .punct(.leftBracket), .punct(.plus), .punct(.minus), .punct(.star),
            .punct(.slash), .punct(.percent), .punct(.colonColon):
            true
        default: false
        }
    }

    // MARK: Expression levels

    /// Deepest nesting of parenthesised, bracketed or `if` sub-expressions accepted (recursion guard; Cedar itself
    /// accepts at least 500 but crashes somewhere below 1000).
    static let maximumNesting = 200

    mutating func parseExpr() throws(SyntaxFailure) -> Operand {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Parser.maximumNesting {
            error("expression is nested too deeply (more than \(Parser.maximumNesting) levels)", current.start, current.end)
            throw SyntaxFailure()
        }
        if atWord("if") {
            advance()
            let condition = toExpr(try parseExpr())
            guard atWord("then") else { throw unexpected() }
            advance()
            let then = toExpr(try parseExpr())
            guard atWord("else") else { throw unexpected() }
            advance()
            let otherwise = toExpr(try parseExpr())
            return .expr(.ifThenElse(condition, then: then, else: otherwise))
        }
        return try parseOr()
    }

    mutating func parseOr() throws(SyntaxFailure) -> Operand {
        var left = try parseAnd()
        while at(.orOr) {
            advance()
            let right = try parseAnd()
            left = .expr(.or(toExpr(left), toExpr(right)))
        }
        return left
    }

    mutating func parseAnd() throws(SyntaxFailure) -> Operand {
        var left = try parseRelation()
        while at(.andAnd) {
            advance()
            let right = try parseRelation()
            left = .expr(.and(toExpr(left), toExpr(right)))
        }
        return left
    }

    mutating func parseRelation() throws(SyntaxFailure) -> Operand {
        let start = current.start
        let left = try parseAdd()
        if let op = relationalOperator(current) {
            let opToken = advance()
            let right = try parseAdd()
            var result: Expr
            let (l, r) = (toExpr(left), toExpr(right))
            switch op {
            case "=":
                error("'=' is not a valid operator in Cedar", opToken.start, opToken.end)
                result = Parser.invalid
            case "in": result = .binary(.in, l, r)
            default: result = .binary(BinaryOp(rawValue: op)!, l, r)
            }
            if relationalOperator(current) != nil {
                while relationalOperator(current) != nil {
                    advance()
                    _ = try parseAdd()
                }
                error(
                    "multiple relational operators (>, ==, in, etc.) must be used with parentheses to make ordering explicit",
                    start, lastEnd)
                result = Parser.invalid
            }
            return .expr(result)
        }
        if atWord("has") {
            advance()
            let target = toExpr(left)
            guard let path = try parseHasPath(), !path.isEmpty else { return .expr(Parser.invalid) }
            var result = Expr.hasAttr(target, path[0])
            var reached = target
            for k in 1..<path.count {
                reached = .getAttr(reached, path[k - 1])
                result = .and(result, .hasAttr(reached, path[k]))
            }
            return .expr(result)
        }
        if atWord("like") {
            advance()
            let target = toExpr(left)
            if current.kind == .string, !continuesOperand(peek(1)) {
                return .expr(.like(target, unescapePattern(advance())))
            }
            let patternStart = current.start
            try skipAdd()
            error(
                "right hand side of a `like` expression must be a pattern literal, but got `\(text(patternStart, lastEnd))`",
                patternStart, lastEnd)
            return .expr(Parser.invalid)
        }
        if atWord("is") {
            advance()
            let target = toExpr(left)
            guard let type = try parseIsTypeName() else {
                if atWord("in") {
                    advance()
                    _ = try parseAdd()
                }
                return .expr(Parser.invalid)
            }
            if atWord("in") {
                advance()
                let container = toExpr(try parseAdd())
                return .expr(.isType(target, type, in: container))
            }
            return .expr(.isType(target, type, in: nil))
        }
        return left
    }

    /// `A::B` (identifiers, any of them, joined by `::`); returns the components and the span.
    mutating func parseNamePath() throws(SyntaxFailure) -> [String] {
        var components = [text(try expectIdentifier())]
        while at(.colonColon), peek(1).kind == .identifier {
            advance()
            components.append(text(advance()))
        }
        return components
    }

    /// The right-hand side of `is`: an entity type name. On anything else, consumes an `Add` and records an error.
    mutating func parseIsTypeName() throws(SyntaxFailure) -> EntityType? {
        let save = pos
        let start = current.start
        if current.kind == .identifier, !isWord(current, "if"), !isWord(current, "true"), !isWord(current, "false") {
            let components = try parseNamePath()
            if !continuesOperand(current) {
                guard checkName(components, start, lastEnd) else { return nil }
                return Name(components.last!, namespace: Array(components.dropLast()))
            }
        }
        pos = save
        try skipAdd()
        error(
            "right hand side of an `is` expression must be an entity type name, but got `\(text(start, lastEnd))`",
            start, lastEnd)
        return nil
    }

    /// The right-hand side of `has`: a string literal, or identifiers joined by `.` (`has a.b.c`). Returns nil after
    /// recording an error.
    mutating func parseHasPath() throws(SyntaxFailure) -> [CedarString]? {
        let save = pos
        let start = current.start
        if current.kind == .string, !continuesOperand(peek(1)) {
            return [unescapeString(advance())]
        }
        if current.kind == .identifier {
            var words: [(String, Int, Int)] = []
            let first = advance()
            words.append((text(first), first.start, first.end))
            var namespaced = false
            while at(.colonColon), peek(1).kind == .identifier {
                advance()
                advance()
                namespaced = true
            }
            while at(.dot), peek(1).kind == .identifier, !isPunct(peek(2), .leftParen) {
                advance()
                let word = advance()
                words.append((text(word), word.start, word.end))
            }
            if !continuesOperand(current) {
                if namespaced {
                    error(
                        "`\(text(start, lastEnd))` cannot be used as an attribute as it contains a namespace", start,
                        lastEnd)
                    return nil
                }
                var ok = true
                for (word, s, e) in words where !checkIdentifier(word, s, e) { ok = false }
                return ok ? words.map { CedarString($0.0) } : nil
            }
        }
        pos = save
        try skipAdd()
        error("invalid RHS of a `has` operation: \(text(start, lastEnd))", start, lastEnd)
        return nil
    }

    /// Parses an `Add` only to get past it, dropping conversion errors inside it (the caller reports one error for
    /// the whole operand); syntax errors still stop the policy.
    mutating func skipAdd() throws(SyntaxFailure) {
        let before = diagnostics.count
        _ = try parseAdd()
        diagnostics.removeSubrange(before...)
    }

    mutating func parseAdd() throws(SyntaxFailure) -> Operand {
        var left = try parseMult()
        while at(.plus) || at(.minus) {
            let op: BinaryOp = at(.plus) ? .add : .subtract
            advance()
            let right = try parseMult()
            left = .expr(.binary(op, toExpr(left), toExpr(right)))
        }
        return left
    }

    mutating func parseMult() throws(SyntaxFailure) -> Operand {
        var left = try parseUnary()
        while at(.star) || at(.slash) || at(.percent) {
            let op = advance()
            let right = try parseUnary()
            switch op.kind {
            case .punct(.slash):
                error("division is not supported", op.start, op.end)
                left = .expr(Parser.invalid)
            case .punct(.percent):
                error("remainder/modulo is not supported", op.start, op.end)
                left = .expr(Parser.invalid)
            default:
                left = .expr(.binary(.multiply, toExpr(left), toExpr(right)))
            }
        }
        return left
    }

    mutating func parseUnary() throws(SyntaxFailure) -> Operand {
        guard at(.bang) || at(.minus) else { return try parseMember() }
        let start = current.start
        let opKind = current.kind
        var count = 0
        while current.kind == opKind {
            advance()
            count += 1
        }
        let symbol = opKind == .punct(.bang) ? "!" : "-"
        if count > 4 {
            error("too many occurrences of `\(symbol)`", start, lastEnd)
        }
        var expr: Expr
        var remaining = count
        if opKind == .punct(.minus), current.kind == .number, !isPunct(peek(1), .dot), !isPunct(peek(1), .leftParen),
            !isPunct(peek(1), .leftBracket)
        {
            // `-N` is the literal -N, so that `-9223372036854775808` is expressible.
            let number = advance()
            let digits = text(number)
            if let magnitude = UInt64(digits) {
                if magnitude <= UInt64(Int64.max) {
                    expr = .long(-Int64(magnitude))
                } else if magnitude == UInt64(Int64.max) + 1 {
                    expr = .long(Int64.min)
                } else {
                    error("integer literal `\(digits)` is too large", number.start, number.end)
                    expr = Parser.invalid
                }
            } else {
                error("integer parse error: number too large to fit in target type", number.start, number.end)
                expr = Parser.invalid
            }
            remaining -= 1
        } else {
            expr = toExpr(try parseMember())
        }
        let op: UnaryOp = opKind == .punct(.bang) ? .not : .neg
        for _ in 0..<remaining { expr = .unary(op, expr) }
        return .expr(expr)
    }

    // MARK: Member access

    mutating func parseMember() throws(SyntaxFailure) -> Operand {
        let start = current.start
        var operand = try parsePrimary()
        var accesses = 0
        while true {
            if at(.dot) {
                advance()
                let nameToken = try expectIdentifier()
                let name = text(nameToken)
                if at(.leftParen) {
                    let args = try parseArguments()
                    operand = .expr(makeMethodCall(name, receiver: toExpr(operand), args, start, lastEnd))
                } else {
                    let receiver = toExpr(operand)
                    operand =
                        .expr(
                            checkIdentifier(name, nameToken.start, nameToken.end)
                                ? .getAttr(receiver, CedarString(name)) : Parser.invalid)
                }
            } else if at(.leftParen) {
                let args = try parseArguments()
                switch operand {
                case .name(let components, let s, let e) where accesses == 0:
                    operand = .expr(makeFunctionCall(components, args, s, e))
                case .variable(let v) where accesses == 0:
                    error("`\(v)(...)` is not a valid function call", start, lastEnd)
                    operand = .expr(Parser.invalid)
                default:
                    error("function calls must be of the form `<name>(arg1, arg2, ...)`", start, lastEnd)
                    operand = .expr(Parser.invalid)
                }
            } else if at(.leftBracket) {
                advance()
                let receiver = toExpr(operand)
                if current.kind == .string, isPunct(peek(1), .rightBracket) {
                    let key = unescapeString(advance())
                    advance()
                    operand = .expr(.getAttr(receiver, key))
                } else {
                    let keyStart = current.start
                    let key = try parseExpr()
                    let keyEnd = lastEnd
                    try expect(.rightBracket)
                    if case .string(let token) = key {
                        operand = .expr(.getAttr(receiver, unescapeString(token)))
                    } else {
                        error("invalid string literal: \(text(keyStart, keyEnd))", keyStart, keyEnd)
                        operand = .expr(Parser.invalid)
                    }
                }
            } else {
                return operand
            }
            accesses += 1
        }
    }

    mutating func parseArguments() throws(SyntaxFailure) -> [Expr] {
        try expect(.leftParen)
        var args: [Expr] = []
        while !at(.rightParen) {
            args.append(toExpr(try parseExpr()))
            if at(.comma) { advance() } else { break }
        }
        try expect(.rightParen)
        return args
    }

    mutating func makeMethodCall(_ name: String, receiver: Expr, _ args: [Expr], _ start: Int, _ end: Int) -> Expr {
        func arity(_ n: Int) -> Bool {
            guard args.count == n else {
                let plural = n == 1 ? "argument" : "arguments"
                let gotPlural = args.count == 1 ? "argument" : "arguments"
                error("call to `\(name)` requires exactly \(n) \(plural), but got \(args.count) \(gotPlural)", start, end)
                return false
            }
            return true
        }
        switch name {
        case "contains", "containsAll", "containsAny", "getTag", "hasTag":
            guard arity(1) else { return Parser.invalid }
            return .binary(BinaryOp(rawValue: name)!, receiver, args[0])
        case "isEmpty":
            guard arity(0) else { return Parser.invalid }
            return .unary(.isEmpty, receiver)
        default:
            if let function = ExtensionFunction(rawValue: name) {
                if function.isMethod { return .call(function, [receiver] + args) }
                error("`\(name)` is a function, not a method", start, end)
            } else {
                error("`\(name)` is not a valid method", start, end)
            }
            return Parser.invalid
        }
    }

    mutating func makeFunctionCall(_ components: [String], _ args: [Expr], _ start: Int, _ end: Int) -> Expr {
        guard checkName(components, start, end) else { return Parser.invalid }
        let name = components.joined(separator: "::")
        if components.count == 1, let function = ExtensionFunction(rawValue: name) {
            if !function.isMethod { return .call(function, args) }
            error("`\(name)` is a method, not a function", start, end)
        } else {
            error("`\(name)` is not a valid function", start, end)
        }
        return Parser.invalid
    }

    // MARK: Primaries

    mutating func parsePrimary() throws(SyntaxFailure) -> Operand {
        let token = current
        switch token.kind {
        case .number:
            advance()
            let digits = text(token)
            guard let magnitude = UInt64(digits) else {
                error("integer parse error: number too large to fit in target type", token.start, token.end)
                return .expr(Parser.invalid)
            }
            guard magnitude <= UInt64(Int64.max) else {
                error("integer literal `\(digits)` is too large", token.start, token.end)
                return .expr(Parser.invalid)
            }
            return .expr(.long(Int64(magnitude)))
        case .string:
            advance()
            return .string(token)
        case .slot:
            advance()
            if let slot = SlotID(rawValue: text(token)) { return .expr(.slot(slot)) }
            error("`\(text(token))` is not a valid template slot", token.start, token.end)
            return .expr(Parser.invalid)
        case .identifier:
            if isWord(token, "true") || isWord(token, "false") {
                advance()
                return .expr(.bool(isWord(token, "true")))
            }
            if isWord(token, "if") { throw unexpected() }
            advance()
            var components = [text(token)]
            while at(.colonColon) {
                let next = peek(1)
                if next.kind == .identifier {
                    advance()
                    components.append(text(advance()))
                } else if next.kind == .string {
                    advance()
                    let idToken = advance()
                    guard checkName(components, token.start, idToken.end) else { return .expr(Parser.invalid) }
                    let type = Name(components.last!, namespace: Array(components.dropLast()))
                    return .expr(.entity(EntityUID(type: type, id: unescapeString(idToken))))
                } else if isPunct(next, .leftBrace) {
                    advance()
                    let braceStart = current.start
                    var depth = 0
                    repeat {
                        if at(.leftBrace) { depth += 1 } else if at(.rightBrace) { depth -= 1 }
                        if current.kind == .end { throw unexpected() }
                        advance()
                    } while depth > 0
                    _ = braceStart
                    error("invalid entity literal: \(text(token.start, lastEnd))", token.start, lastEnd)
                    return .expr(Parser.invalid)
                } else {
                    advance()
                    throw unexpected()
                }
            }
            if components.count == 1, let variable = Variable(rawValue: components[0]) { return .variable(variable) }
            return .name(components, start: token.start, end: lastEnd)
        case .punct(.leftParen):
            advance()
            let inner = toExpr(try parseExpr())
            try expect(.rightParen)
            return .expr(inner)
        case .punct(.leftBracket):
            advance()
            var items: [Expr] = []
            while !at(.rightBracket) {
                items.append(toExpr(try parseExpr()))
                if at(.comma) { advance() } else { break }
            }
            try expect(.rightBracket)
            return .expr(.set(items))
        case .punct(.leftBrace):
            advance()
            var entries: [RecordEntry] = []
            var failed = false
            while !at(.rightBrace) {
                let keyStart = current.start
                var key: CedarString?
                if current.kind == .identifier, isPunct(peek(1), .colon) {
                    let word = text(advance())
                    if checkIdentifier(word, keyStart, lastEnd) { key = CedarString(word) }
                } else if current.kind == .string, isPunct(peek(1), .colon) {
                    key = unescapeString(advance())
                } else {
                    let before = diagnostics.count
                    _ = try parseExpr()
                    diagnostics.removeSubrange(before...)
                    error("invalid attribute name: \(text(keyStart, lastEnd))", keyStart, lastEnd)
                }
                let keyEnd = lastEnd
                try expect(.colon)
                let value = toExpr(try parseExpr())
                if let key {
                    if entries.contains(where: { $0.key == key }) {
                        error("duplicate key `\(key)` in record literal", keyStart, keyEnd)
                        failed = true
                    } else {
                        entries.append(RecordEntry(key, value))
                    }
                } else {
                    failed = true
                }
                if at(.comma) { advance() } else { break }
            }
            try expect(.rightBrace)
            return .expr(failed ? Parser.invalid : .record(entries))
        default:
            throw unexpected()
        }
    }
}
