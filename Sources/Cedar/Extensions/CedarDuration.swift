/// Cedar's `duration`: a signed number of milliseconds (64-bit).
///
/// Text form: an optional `-`, then quantity–unit pairs in the order `d`, `h`, `m`, `s`, `ms`, each at most once and
/// at least one in all (`1d2h`, `-90m`, `1s500ms`). The sign applies to the whole: `-1d2h` is minus 26 hours.
public struct CedarDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public init(parsing text: CedarString) throws(EvaluationError) {
        let invalid = EvaluationError.extensionError(function: "duration", message: "invalid duration pattern")
        let overflow = EvaluationError.extensionError(
            function: "duration", message: "Duration overflows internal representation")
        let bytes = text.utf8
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { index = 1 }
        guard index < bytes.count else { throw invalid }
        // Units in the order they must appear, with their size in milliseconds.
        let units: [(name: [UInt8], size: Int64)] = [
            (Array("d".utf8), 86_400_000), (Array("h".utf8), 3_600_000), (Array("m".utf8), 60_000),
            (Array("s".utf8), 1_000), (Array("ms".utf8), 1),
        ]
        var nextUnit = 0
        // Quantities per unit (d, h, m, s, ms); nil where a quantity does not fit in 64 bits.
        var quantities: [UInt64?] = [0, 0, 0, 0, 0]
        while index < bytes.count {
            let start = index
            var quantity: UInt64? = 0
            while index < bytes.count, let digit = ExtensionText.digit(bytes[index]) {
                if let current = quantity {
                    let (times10, o1) = current.multipliedReportingOverflow(by: 10)
                    let (next, o2) = times10.addingReportingOverflow(UInt64(digit))
                    quantity = o1 || o2 ? nil : next
                }
                index += 1
            }
            guard index > start, index < bytes.count else { throw invalid }
            let unit: Int
            if bytes[index] == UInt8(ascii: "m"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "s") {
                unit = 4
            } else if let found = units[0..<4].firstIndex(where: { $0.name[0] == bytes[index] }) {
                unit = found
            } else {
                throw invalid
            }
            guard unit >= nextUnit else { throw invalid }
            index += units[unit].name.count
            nextUnit = unit + 1
            quantities[unit] = quantity
        }
        // The reference engine's order: milliseconds first (so `-9223372036854775808ms` is representable), then
        // seconds, minutes, hours and days, each checked.
        guard let ms = quantities[4] else { throw overflow }
        var total: Int64
        if negative {
            guard ms <= UInt64(Int64.max) + 1 else { throw overflow }
            total = ms == UInt64(Int64.max) + 1 ? .min : -Int64(ms)
        } else {
            guard ms <= UInt64(Int64.max) else { throw overflow }
            total = Int64(ms)
        }
        for unit in [3, 2, 1, 0] {
            guard let quantity = quantities[unit], quantity <= UInt64(Int64.max) else { throw overflow }
            let (amount, o1) = Int64(quantity).multipliedReportingOverflow(by: units[unit].size)
            let (next, o2) = negative ? total.subtractingReportingOverflow(amount) : total.addingReportingOverflow(amount)
            if o1 || o2 { throw overflow }
            total = next
        }
        milliseconds = total
    }

    public init(parsing text: String) throws(EvaluationError) { try self.init(parsing: CedarString(text)) }

    public static func < (left: CedarDuration, right: CedarDuration) -> Bool { left.milliseconds < right.milliseconds }

    /// Whole units, truncated toward zero (`duration("-1999ms").toSeconds() == -1`).
    public var toMilliseconds: Int64 { milliseconds }
    public var toSeconds: Int64 { milliseconds / 1_000 }
    public var toMinutes: Int64 { toSeconds / 60 }
    public var toHours: Int64 { toMinutes / 60 }
    public var toDays: Int64 { toHours / 24 }

    /// The text form with the largest units first: `1d2h`, `-90s`, `0ms`.
    public var durationText: String {
        if milliseconds == 0 { return "0ms" }
        var rest = milliseconds.magnitude
        var text = milliseconds < 0 ? "-" : ""
        for (name, size) in [("d", UInt64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] {
            let count = rest / size
            rest %= size
            if count > 0 { text += "\(count)\(name)" }
        }
        return text
    }

    /// `duration("1d2h")`.
    public var description: String { "duration(\"\(durationText)\")" }
}
