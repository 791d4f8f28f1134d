/// Cedar's extension functions, by name: the four constructors (`decimal`, `ip`, `datetime`, `duration`, called
/// function-style) and the methods (`x.lessThan(y)` is the call `lessThan(x, y)`).
///
/// The evaluator and the entity-JSON `__extn` escape both call through here, so argument checks and error messages
/// are the same everywhere.
public enum ExtensionFunctions {
    /// How a function is written in policy text.
    public enum Style: Sendable {
        /// `ip("1.2.3.4")`.
        case function
        /// `a.isInRange(b)`: the receiver is the first argument.
        case method
    }

    public struct Signature: Sendable {
        public let style: Style
        /// Number of arguments, counting a method's receiver.
        public let arity: Int
    }

    /// Every extension function Cedar defines.
    public static let signatures: [String: Signature] = {
        var table: [String: Signature] = [:]
        for name in ["decimal", "ip", "datetime", "duration"] { table[name] = Signature(style: .function, arity: 1) }
        for name in ["lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual", "isInRange", "offset",
            "durationSince"]
        {
            table[name] = Signature(style: .method, arity: 2)
        }
        for name in ["isIpv4", "isIpv6", "isLoopback", "isMulticast", "toDate", "toTime", "toMilliseconds", "toSeconds",
            "toMinutes", "toHours", "toDays"]
        {
            table[name] = Signature(style: .method, arity: 1)
        }
        return table
    }()

    /// Calls the function `name` on `arguments` (a method's receiver first).
    public static func call(_ name: String, _ arguments: [Value]) throws(EvaluationError) -> Value {
        guard let signature = signatures[name] else { throw .unknownExtensionFunction(name) }
        guard arguments.count == signature.arity else {
            throw .wrongArity(function: name, expected: signature.arity, got: arguments.count)
        }
        let first = arguments[0]
        switch name {
        case "decimal": return .decimal(try CedarDecimal(parsing: first.expectString()))
        case "ip": return .ipaddr(try CedarIPAddr(parsing: first.expectString()))
        case "datetime": return .datetime(try CedarDatetime(parsing: first.expectString()))
        case "duration": return .duration(try CedarDuration(parsing: first.expectString()))
        case "lessThan": return .bool(try first.expectDecimal().lessThan(arguments[1].expectDecimal()))
        case "lessThanOrEqual": return .bool(try first.expectDecimal().lessThanOrEqual(arguments[1].expectDecimal()))
        case "greaterThan": return .bool(try first.expectDecimal().greaterThan(arguments[1].expectDecimal()))
        case "greaterThanOrEqual":
            return .bool(try first.expectDecimal().greaterThanOrEqual(arguments[1].expectDecimal()))
        case "isIpv4": return .bool(try first.expectIPAddr().isIPv4)
        case "isIpv6": return .bool(try first.expectIPAddr().isIPv6)
        case "isLoopback": return .bool(try first.expectIPAddr().isLoopback)
        case "isMulticast": return .bool(try first.expectIPAddr().isMulticast)
        case "isInRange": return .bool(try first.expectIPAddr().isInRange(arguments[1].expectIPAddr()))
        case "offset": return .datetime(try first.expectDatetime().offset(by: arguments[1].expectDuration()))
        case "durationSince":
            return .duration(try first.expectDatetime().durationSince(arguments[1].expectDatetime()))
        case "toDate": return .datetime(try first.expectDatetime().toDate())
        case "toTime": return .duration(try first.expectDatetime().toTime())
        case "toMilliseconds": return .long(try first.expectDuration().toMilliseconds)
        case "toSeconds": return .long(try first.expectDuration().toSeconds)
        case "toMinutes": return .long(try first.expectDuration().toMinutes)
        case "toHours": return .long(try first.expectDuration().toHours)
        case "toDays": return .long(try first.expectDuration().toDays)
        default: throw .unknownExtensionFunction(name)
        }
    }

    /// The extension type a constructor builds (`ip` → ipaddr), for schema-directed parsing of implicit strings.
    public static func constructor(for type: CedarType) -> String? {
        switch type {
        case .decimal: "decimal"
        case .ipaddr: "ip"
        case .datetime: "datetime"
        case .duration: "duration"
        default: nil
        }
    }
}
