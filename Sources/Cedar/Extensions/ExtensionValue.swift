/// A value of one of Cedar's four extension types.
public enum ExtensionValue: Sendable, Hashable, CustomStringConvertible {
    case decimal(CedarDecimal)
    case ipaddr(CedarIPAddr)
    case datetime(CedarDatetime)
    case duration(CedarDuration)

    public var type: CedarType {
        switch self {
        case .decimal: .decimal
        case .ipaddr: .ipaddr
        case .datetime: .datetime
        case .duration: .duration
        }
    }

    /// The constructor call that rebuilds the value: `decimal("1.5")`, `ip("10.0.0.0/8")`, `datetime("…")`,
    /// `duration("1h30m")`.
    public var description: String {
        switch self {
        case .decimal(let value): value.description
        case .ipaddr(let value): value.description
        case .datetime(let value): value.description
        case .duration(let value): value.description
        }
    }

    /// A total order for deterministic printing only.
    func canonicallyPrecedes(_ other: ExtensionValue) -> Bool {
        switch (self, other) {
        case (.decimal(let a), .decimal(let b)): return a < b
        case (.ipaddr(let a), .ipaddr(let b)): return a.canonicallyPrecedes(b)
        case (.datetime(let a), .datetime(let b)): return a < b
        case (.duration(let a), .duration(let b)): return a < b
        default: return rank < other.rank
        }
    }

    private var rank: Int {
        switch self {
        case .decimal: 0
        case .ipaddr: 1
        case .datetime: 2
        case .duration: 3
        }
    }
}

/// Helpers shared by the extension parsers.
enum ExtensionText {
    /// ASCII digit value, or nil.
    @inline(__always)
    static func digit(_ byte: UInt8) -> Int? {
        byte >= 0x30 && byte <= 0x39 ? Int(byte - 0x30) : nil
    }
}
