/// An error raised while evaluating a Cedar expression. Messages follow the reference engine's wording
/// (`type error: expected long, got string`), without the "error while evaluating policy" prefix.
public enum EvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An operand had the wrong type. `expected` lists the accepted types (one, or several for `<` and `.`).
    case typeError(expected: [CedarType], got: CedarType)
    /// 64-bit integer overflow in `+`, `-`, `*` or unary `-`.
    case integerOverflow(ArithmeticOperation, operands: [Int64])
    /// `e.attr` or `record.attr` on a missing attribute; `entity` is nil for a record.
    case attributeNotFound(in: EntityUID?, attribute: CedarString)
    /// Attribute or tag access on an entity that is not in the store.
    case entityDoesNotExist(EntityUID)
    /// `e.getTag(t)` with the tag absent.
    case tagNotFound(EntityUID, tag: CedarString)
    /// An extension function failed (a constructor got a malformed string, or a datetime computation overflowed).
    /// `function` is the name Cedar reports: `decimal`, `ipaddr`, `datetime`, `duration`, `offset`, `durationSince`,
    /// `toDate`.
    case extensionError(function: String, message: String)
    /// An extension function was called with the wrong number of arguments.
    case wrongArity(function: String, expected: Int, got: Int)
    /// No extension function has this name.
    case unknownExtensionFunction(String)
    /// Any other failure, with its message.
    case other(String)

    public enum ArithmeticOperation: String, Sendable, Hashable {
        case add, subtract, multiply, negate
    }

    public var description: String {
        switch self {
        case .typeError(let expected, let got):
            if expected.count == 1 { return "type error: expected \(expected[0]), got \(got)" }
            return "type error: expected one of [\(expected.map(\.description).joined(separator: ", "))], got \(got)"
        case .integerOverflow(let operation, let operands):
            if operation == .negate || operands.count == 1 {
                return "integer overflow while attempting to negate the value `\(operands.first ?? 0)`"
            }
            return "integer overflow while attempting to \(operation.rawValue) the values "
                + "`\(operands[0])` and `\(operands[operands.count - 1])`"
        case .attributeNotFound(let entity, let attribute):
            if let entity { return "`\(entity)` does not have the attribute `\(attribute)`" }
            return "record does not have the attribute `\(attribute)`"
        case .entityDoesNotExist(let uid):
            return "entity `\(uid)` does not exist"
        case .tagNotFound(let uid, let tag):
            return "`\(uid)` does not have the tag `\(tag)`"
        case .extensionError(let function, let message):
            return "error while evaluating `\(function)` extension function: \(message)"
        case .wrongArity(let function, let expected, let got):
            return "wrong number of arguments provided to extension function `\(function)`: expected \(expected), got \(got)"
        case .unknownExtensionFunction(let name):
            return "extension function `\(name)` does not exist"
        case .other(let message):
            return message
        }
    }
}

/// Cedar's 64-bit arithmetic: every operation is checked and overflow is an evaluation error.
public enum CedarArithmetic {
    public static func add(_ a: Int64, _ b: Int64) throws(EvaluationError) -> Int64 {
        let (result, overflow) = a.addingReportingOverflow(b)
        if overflow { throw .integerOverflow(.add, operands: [a, b]) }
        return result
    }

    public static func subtract(_ a: Int64, _ b: Int64) throws(EvaluationError) -> Int64 {
        let (result, overflow) = a.subtractingReportingOverflow(b)
        if overflow { throw .integerOverflow(.subtract, operands: [a, b]) }
        return result
    }

    public static func multiply(_ a: Int64, _ b: Int64) throws(EvaluationError) -> Int64 {
        let (result, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw .integerOverflow(.multiply, operands: [a, b]) }
        return result
    }

    public static func negate(_ a: Int64) throws(EvaluationError) -> Int64 {
        if a == .min { throw .integerOverflow(.negate, operands: [a]) }
        return -a
    }
}
