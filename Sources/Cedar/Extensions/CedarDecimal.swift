/// Cedar's `decimal`: a fixed-point number with four fractional digits, stored as a 64-bit integer scaled by 10⁴.
/// (Not Foundation's `Decimal`.) Range: -922337203685477.5808 … 922337203685477.5807.
///
/// Compared with the methods `lessThan`, `lessThanOrEqual`, `greaterThan`, `greaterThanOrEqual`; Cedar's `<` does not
/// accept decimals.
public struct CedarDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value times 10 000.
    public let scaled: Int64

    public init(scaled: Int64) { self.scaled = scaled }

    /// Parses `-?D+.D{1,4}`. Errors, worded as Cedar words them: not well-formed, too many fractional digits, overflow.
    ///
    /// As in the reference engine, the digit classes accept any Unicode decimal digit for the well-formedness check, but
    /// only ASCII digits convert, so `"١.0"` fails with the overflow message (verified with cedarpy 4.12.2).
    public init(parsing text: CedarString) throws(EvaluationError) {
        let scalars = text.scalars
        func fail(_ message: String) -> EvaluationError { .extensionError(function: "decimal", message: message) }
        func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.numericType == .decimal }
        var index = 0
        let negative = scalars.first == "-"
        if negative { index = 1 }
        let integerStart = index
        while index < scalars.count, isDigit(scalars[index]) { index += 1 }
        let integerDigits = scalars[integerStart..<index]
        guard !integerDigits.isEmpty, index < scalars.count, scalars[index] == "." else {
            throw fail("`\(text)` is not a well-formed decimal value")
        }
        index += 1
        let fractionDigits = scalars[index...]
        guard !fractionDigits.isEmpty, fractionDigits.allSatisfy(isDigit) else {
            throw fail("`\(text)` is not a well-formed decimal value")
        }
        guard fractionDigits.count <= 4 else { throw fail("too many digits after the decimal in `\(text)`") }
        let overflow = fail("overflow when converting to decimal")
        // Integer part, accumulated with its sign so that the most negative value is reachable.
        var integer: Int64 = 0
        for scalar in integerDigits {
            guard scalar.isASCII, let digit = ExtensionText.digit(UInt8(scalar.value)) else { throw overflow }
            let (times10, o1) = integer.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative
                ? times10.subtractingReportingOverflow(Int64(digit)) : times10.addingReportingOverflow(Int64(digit))
            if o1 || o2 { throw overflow }
            integer = next
        }
        var fraction: Int64 = 0
        for scalar in fractionDigits {
            guard scalar.isASCII, let digit = ExtensionText.digit(UInt8(scalar.value)) else { throw overflow }
            fraction = fraction * 10 + Int64(digit)
        }
        for _ in fractionDigits.count..<4 { fraction *= 10 }
        let (shifted, o1) = integer.multipliedReportingOverflow(by: 10_000)
        let (total, o2) = negative
            ? shifted.subtractingReportingOverflow(fraction) : shifted.addingReportingOverflow(fraction)
        if o1 || o2 { throw overflow }
        scaled = total
    }

    public init(parsing text: String) throws(EvaluationError) { try self.init(parsing: CedarString(text)) }

    public static func < (left: CedarDecimal, right: CedarDecimal) -> Bool { left.scaled < right.scaled }

    public func lessThan(_ other: CedarDecimal) -> Bool { scaled < other.scaled }
    public func lessThanOrEqual(_ other: CedarDecimal) -> Bool { scaled <= other.scaled }
    public func greaterThan(_ other: CedarDecimal) -> Bool { scaled > other.scaled }
    public func greaterThanOrEqual(_ other: CedarDecimal) -> Bool { scaled >= other.scaled }

    /// The number as text, with 1 to 4 fractional digits (`1.5`, `-0.0001`, `3.0`).
    public var decimalText: String {
        let magnitude = scaled.magnitude
        var fraction = String(magnitude % 10_000)
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        while fraction.count > 1, fraction.hasSuffix("0") { fraction.removeLast() }
        return (scaled < 0 ? "-" : "") + String(magnitude / 10_000) + "." + fraction
    }

    /// `decimal("1.5")`.
    public var description: String { "decimal(\"\(decimalText)\")" }
}
