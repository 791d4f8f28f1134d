/// The implementations of Cedar's extension functions: the four constructors (`decimal`, `ip`, `datetime`,
/// `duration`, called function-style) and the methods (`x.lessThan(y)` is the call `lessThan(x, y)`). Names, styles
/// and arities come from `ExtensionFunction`.
///
/// The evaluator and the entity-JSON `__extn` escape both call through here, so argument checks and error messages
/// are the same everywhere.
public enum ExtensionFunctions {
    /// Calls the function named `name` (e.g. from an `__extn` escape) on `arguments` (a method's receiver first).
    public static func call(_ name: String, _ arguments: [Value]) throws(EvaluationError) -> Value {
        guard let function = ExtensionFunction(rawValue: name) else { throw .unknownExtensionFunction(name) }
        return try call(function, arguments)
    }

    /// Calls `function` on `arguments` (a method's receiver first).
    public static func call(_ function: ExtensionFunction, _ arguments: [Value]) throws(EvaluationError) -> Value {
        guard arguments.count == function.arity else {
            throw .wrongArity(function: function.rawValue, expected: function.arity, got: arguments.count)
        }
        let first = arguments[0]
        switch function {
        case .decimal: return .decimal(try CedarDecimal(parsing: first.expectString()))
        case .ip: return .ipaddr(try CedarIPAddr(parsing: first.expectString()))
        case .datetime: return .datetime(try CedarDatetime(parsing: first.expectString()))
        case .duration: return .duration(try CedarDuration(parsing: first.expectString()))
        case .lessThan: return .bool(try first.expectDecimal().lessThan(arguments[1].expectDecimal()))
        case .lessThanOrEqual: return .bool(try first.expectDecimal().lessThanOrEqual(arguments[1].expectDecimal()))
        case .greaterThan: return .bool(try first.expectDecimal().greaterThan(arguments[1].expectDecimal()))
        case .greaterThanOrEqual:
            return .bool(try first.expectDecimal().greaterThanOrEqual(arguments[1].expectDecimal()))
        case .isIpv4: return .bool(try first.expectIPAddr().isIPv4)
        case .isIpv6: return .bool(try first.expectIPAddr().isIPv6)
        case .isLoopback: return .bool(try first.expectIPAddr().isLoopback)
        case .isMulticast: return .bool(try first.expectIPAddr().isMulticast)
        case .isInRange: return .bool(try first.expectIPAddr().isInRange(arguments[1].expectIPAddr()))
        case .offset: return .datetime(try first.expectDatetime().offset(by: arguments[1].expectDuration()))
        case .durationSince:
            return .duration(try first.expectDatetime().durationSince(arguments[1].expectDatetime()))
        case .toDate: return .datetime(try first.expectDatetime().toDate())
        case .toTime: return .duration(try first.expectDatetime().toTime())
        case .toMilliseconds: return .long(try first.expectDuration().toMilliseconds)
        case .toSeconds: return .long(try first.expectDuration().toSeconds)
        case .toMinutes: return .long(try first.expectDuration().toMinutes)
        case .toHours: return .long(try first.expectDuration().toHours)
        case .toDays: return .long(try first.expectDuration().toDays)
        }
    }

    /// The constructor of an extension type (ipaddr → `ip`), for schema-directed parsing of implicit strings.
    public static func constructor(for type: CedarType) -> ExtensionFunction? {
        switch type {
        case .decimal: .decimal
        case .ipaddr: .ip
        case .datetime: .datetime
        case .duration: .duration
        default: nil
        }
    }
}
