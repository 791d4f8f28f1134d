/// Cedar's `datetime`: milliseconds since the Unix epoch (UTC, no leap seconds), 64-bit.
///
/// Accepted text (exactly these five forms): `YYYY-MM-DD`, `YYYY-MM-DDThh:mm:ssZ`, `YYYY-MM-DDThh:mm:ss.SSSZ`,
/// `YYYY-MM-DDThh:mm:ss(+|-)hhmm`, `YYYY-MM-DDThh:mm:ss.SSS(+|-)hhmm`. Second 60 is rejected; an offset's hours must be
/// below 24 and its minutes below 60.
public struct CedarDatetime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) { self.millisecondsSinceEpoch = millisecondsSinceEpoch }

    static let millisecondsPerDay: Int64 = 86_400_000

    public init(parsing text: CedarString) throws(EvaluationError) {
        func fail(_ message: String) -> EvaluationError { .extensionError(function: "datetime", message: message) }
        let bytes = text.utf8
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for index in range {
                guard let digit = ExtensionText.digit(bytes[index]) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        func byte(_ index: Int, is character: Character) -> Bool {
            index < bytes.count && bytes[index] == character.asciiValue!
        }
        // Syntax first, left to right; then the date, the time and the offset are checked in that order.
        guard let year = number(0..<4), byte(4, is: "-"), let month = number(5..<7), byte(7, is: "-"),
            let day = number(8..<10)
        else { throw fail("invalid date pattern") }
        let dateText = CedarString(utf8: Array(bytes[0..<10]))
        var hour = 0, minute = 0, second = 0, millisecond = 0, offsetSeconds = 0
        var offsetCheck: (hours: Int, minutes: Int)?
        var timeText = ""
        if bytes.count > 10 {
            guard byte(10, is: "T"), let h = number(11..<13), byte(13, is: ":"), let m = number(14..<16),
                byte(16, is: ":"), let s = number(17..<19)
            else { throw fail("invalid hour/minute/second pattern") }
            (hour, minute, second) = (h, m, s)
            timeText = String(decoding: bytes[11..<19], as: UTF8.self)
            var index = 19
            if byte(index, is: ".") {
                guard let fraction = number(index + 1..<index + 4) else {
                    throw fail("invalid millisecond and/or offset pattern")
                }
                millisecond = fraction
                index += 4
            }
            if byte(index, is: "Z"), index + 1 == bytes.count {
                // UTC.
            } else if byte(index, is: "+") || byte(index, is: "-"), index + 5 == bytes.count,
                let offsetHours = number(index + 1..<index + 3), let offsetMinutes = number(index + 3..<index + 5)
            {
                offsetCheck = (offsetHours, offsetMinutes)
                let sign = byte(index, is: "+") ? 1 : -1
                offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
            } else {
                throw fail("invalid millisecond and/or offset pattern")
            }
        }
        guard let days = Self.daysSinceEpoch(year: year, month: month, day: day) else {
            throw fail("invalid date: \(dateText)")
        }
        guard hour < 24, minute < 60, second < 60 else { throw fail("invalid hour/minute/second: \(timeText)") }
        if let offsetCheck, offsetCheck.hours >= 24 || offsetCheck.minutes >= 60 {
            throw fail("invalid offset range: \(offsetCheck.hours)\(offsetCheck.minutes)")
        }
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        millisecondsSinceEpoch = seconds * 1000 + Int64(millisecond)
    }

    public init(parsing text: String) throws(EvaluationError) { try self.init(parsing: CedarString(text)) }

    public static func < (left: CedarDatetime, right: CedarDatetime) -> Bool {
        left.millisecondsSinceEpoch < right.millisecondsSinceEpoch
    }

    /// `self + duration`; overflow is an error (of the `offset` function).
    public func offset(by duration: CedarDuration) throws(EvaluationError) -> CedarDatetime {
        let (result, overflow) = millisecondsSinceEpoch.addingReportingOverflow(duration.milliseconds)
        if overflow {
            throw .extensionError(
                function: "offset",
                message: "overflows when adding an offset: \(epochForm)+(\(duration.milliseconds)ms)")
        }
        return CedarDatetime(millisecondsSinceEpoch: result)
    }

    /// `self - other` as a duration; overflow is an error (of `durationSince`).
    public func durationSince(_ other: CedarDatetime) throws(EvaluationError) -> CedarDuration {
        let (result, overflow) = millisecondsSinceEpoch.subtractingReportingOverflow(other.millisecondsSinceEpoch)
        if overflow {
            throw .extensionError(
                function: "durationSince",
                message: "overflows when computing the duration between \(epochForm) and \(other.epochForm)")
        }
        return CedarDuration(milliseconds: result)
    }

    /// Midnight (UTC) at or before this instant; an error only when that falls below the 64-bit range.
    public func toDate() throws(EvaluationError) -> CedarDatetime {
        let remainder = millisecondsSinceEpoch.modulo(Self.millisecondsPerDay)
        let (result, overflow) = millisecondsSinceEpoch.subtractingReportingOverflow(remainder)
        if overflow {
            throw .extensionError(function: "toDate", message: "overflows when computing the date of \(epochForm)")
        }
        return CedarDatetime(millisecondsSinceEpoch: result)
    }

    /// The time since the last UTC midnight (always in 0 ..< 1 day).
    public func toTime() -> CedarDuration {
        CedarDuration(milliseconds: millisecondsSinceEpoch.modulo(Self.millisecondsPerDay))
    }

    /// How the reference engine prints a datetime in its messages: `(datetime("1970-01-01")).offset(duration("…ms"))`.
    var epochForm: String { "(datetime(\"1970-01-01\")).offset(duration(\"\(millisecondsSinceEpoch)ms\"))" }

    /// ISO text `YYYY-MM-DDThh:mm:ss.SSSZ` when the year is 0…9999 (so it parses back), else nil.
    public var isoText: String? {
        let days = millisecondsSinceEpoch.floorDivided(by: Self.millisecondsPerDay)
        let inDay = millisecondsSinceEpoch.modulo(Self.millisecondsPerDay)
        let (year, month, day) = Self.civil(fromDays: days)
        guard (0...9999).contains(year) else { return nil }
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let ms = inDay % 1000, seconds = inDay / 1000
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2))"
            + ":\(pad(seconds % 60, 2)).\(pad(ms, 3))Z"
    }

    /// `datetime("2024-01-01T00:00:00.000Z")`, or `datetime("1970-01-01").offset(duration("…ms"))` outside years 0…9999.
    public var description: String {
        if let isoText { return "datetime(\"\(isoText)\")" }
        return "datetime(\"1970-01-01\").offset(duration(\"\(millisecondsSinceEpoch)ms\"))"
    }

    // MARK: Calendar (proleptic Gregorian)

    /// Days from 1970-01-01 to the date, or nil if the date does not exist.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int? {
        guard (1...12).contains(month), day >= 1 else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= lengths[month - 1] else { return nil }
        // Days-from-civil (Hinnant), with years starting in March.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = (month + 9) % 12
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `daysSinceEpoch`.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

fileprivate extension Int64 {
    /// The non-negative remainder (Euclidean, for a positive divisor).
    func modulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }

    /// Division rounding toward negative infinity (for a positive divisor).
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}
