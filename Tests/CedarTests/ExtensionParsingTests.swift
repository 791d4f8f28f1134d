import Cedar
import Testing

/// Accept/reject tables for the four extension constructors. Every expectation (value or the exact error message)
/// was checked against cedarpy 4.12.2 (Cedar 4.12.0) by evaluating `ext("…") == ext("…")` in a policy condition.
@Suite("Extension constructors accept and reject what Cedar 4.12 does")
struct ExtensionParsingTests {
    private func message(_ body: () throws(EvaluationError) -> Void) -> String { evaluationOutcome(body) }

    // MARK: decimal

    static let decimalCases: [(String, String)] = [
        ("1.2", "ok"), ("1.0", "ok"), ("-0.1", "ok"), ("00001.5", "ok"), ("-0.0", "ok"),
        ("922337203685477.5807", "ok"), ("-922337203685477.5808", "ok"),
        ("1.23456", "too many digits after the decimal in `1.23456`"),
        ("1.23450", "too many digits after the decimal in `1.23450`"),
        ("922337203685477.5808", "overflow when converting to decimal"),
        ("-922337203685477.5809", "overflow when converting to decimal"),
        ("99999999999999999999.0", "overflow when converting to decimal"),
        ("\u{661}.0", "overflow when converting to decimal"),  // Arabic-Indic digit: "well-formed", does not convert
        ("+1.0", "`+1.0` is not a well-formed decimal value"), ("1.", "`1.` is not a well-formed decimal value"),
        (".5", "`.5` is not a well-formed decimal value"), ("1", "`1` is not a well-formed decimal value"),
        (" 1.0", "` 1.0` is not a well-formed decimal value"), ("1.0 ", "`1.0 ` is not a well-formed decimal value"),
        ("1.-0", "`1.-0` is not a well-formed decimal value"), ("--1.0", "`--1.0` is not a well-formed decimal value"),
        ("1_0.0", "`1_0.0` is not a well-formed decimal value"),
    ]

    @Test(arguments: decimalCases)
    func decimalParsing(text: String, expected: String) {
        let result = message { () throws(EvaluationError) in _ = try CedarDecimal(parsing: text) }
        let wanted = expected == "ok" ? "ok" : "error while evaluating `decimal` extension function: \(expected)"
        #expect(result == wanted, "decimal(\"\(text)\")")
    }

    @Test func decimalValuesAndMethods() throws {
        #expect(try CedarDecimal(parsing: "1.2") == CedarDecimal(parsing: "1.20"))
        #expect(try CedarDecimal(parsing: "-0.0") == CedarDecimal(parsing: "0.0"))
        #expect(try CedarDecimal(parsing: "-0.1").scaled == -1000)
        #expect(try CedarDecimal(parsing: "-0.0001").lessThan(CedarDecimal(parsing: "0.0")))
        #expect(try CedarDecimal(parsing: "-922337203685477.5808").scaled == .min)
        let one = try CedarDecimal(parsing: "1.0")
        #expect(!one.lessThan(one) && one.lessThanOrEqual(one))
        #expect(try one.greaterThan(CedarDecimal(parsing: "-1.0")))
        #expect(try !one.greaterThanOrEqual(CedarDecimal(parsing: "1.0001")))
        #expect(try CedarDecimal(parsing: "12.3400").description == #"decimal("12.34")"#)
        #expect(try CedarDecimal(parsing: "-0.5").description == #"decimal("-0.5")"#)
        #expect(one.description == #"decimal("1.0")"#)
    }

    // MARK: ip

    static let ipCases: [(String, String)] = [
        ("1.2.3.4", "ok"), ("0.0.0.0", "ok"), ("255.255.255.255", "ok"), ("1.2.3.4/0", "ok"), ("1.2.3.4/32", "ok"),
        ("::", "ok"), ("::1", "ok"), ("::1/128", "ok"), ("::/0", "ok"), ("1::", "ok"), ("1:2:3:4:5:6:7:8", "ok"),
        ("1:2:3:4:5:6:7::", "ok"), ("::2:3:4:5:6:7:8", "ok"), ("FFFF::1", "ok"), ("0001::1", "ok"),
        ("1:2:3:4:5:6:7:8/64", "ok"), ("ABCD:EF01:2345:6789:ABCD:EF01:2345:6789/128", "ok"),
        ("127.0.0.01", "invalid IP address: 127.0.0.01"), ("01.2.3.4", "invalid IP address: 01.2.3.4"),
        ("0.0.0.00", "invalid IP address: 0.0.0.00"), ("256.0.0.1", "invalid IP address: 256.0.0.1"),
        ("1.2.3", "invalid IP address: 1.2.3"), ("1.2.3.4.5", "invalid IP address: 1.2.3.4.5"),
        ("1.2.3.0001", "invalid IP address: 1.2.3.0001"),
        ("1:2:3:4:5:6:7:8:9", "invalid IP address: 1:2:3:4:5:6:7:8:9"), ("1::2::3", "invalid IP address: 1::2::3"),
        ("1:2:3:4::5:6:7:8", "invalid IP address: 1:2:3:4::5:6:7:8"),
        ("1:2:3:4:5:6:7:8::", "invalid IP address: 1:2:3:4:5:6:7:8::"),
        ("::1:2:3:4:5:6:7:8", "invalid IP address: ::1:2:3:4:5:6:7:8"),
        ("00001::1", "invalid IP address: 00001::1"), ("12345::", "invalid IP address: 12345::"),
        ("::g", "invalid IP address: ::g"), ("[::1]", "invalid IP address: [::1]"),
        ("fe80::1%eth0", "invalid IP address: fe80::1%eth0"), (" 1.2.3.4", "invalid IP address:  1.2.3.4"),
        ("", "invalid IP address: "), (":", "invalid IP address: :"), (":::", "invalid IP address: :::"),
        ("1:::2", "invalid IP address: 1:::2"), ("1.2.3.4:80", "invalid IP address: 1.2.3.4:80"),
        ("::1.2", "invalid IP address: ::1.2"), ("1:1.2.3.4", "invalid IP address: 1:1.2.3.4"),
        ("::ffff:1.2.3.4", "error parsing IP address from string: We do not accept IPv4 embedded in IPv6 (e.g., ::ffff:127.0.0.1). Found: `::ffff:1.2.3.4`"),
        ("1::2.3.4.5", "error parsing IP address from string: We do not accept IPv4 embedded in IPv6 (e.g., ::ffff:127.0.0.1). Found: `1::2.3.4.5`"),
        ("1.2.3.4/33", "error parsing prefix: 33 is larger than the limit 32"),
        ("::1/129", "error parsing prefix: 129 is larger than the limit 128"),
        ("1.2.3.4/08", "error parsing prefix `08`: leading zero(s)"), ("::/00", "error parsing prefix `00`: leading zero(s)"),
        ("1.2.3.4/-1", "error parsing prefix `-1`: encountered non-digit"),
        ("1.2.3.4/+8", "error parsing prefix `+8`: encountered non-digit"),
        ("1.2.3.4/8 ", "error parsing prefix `8 `: encountered non-digit"),
        ("1.2.3.4//8", "error parsing prefix `/8`: encountered non-digit"),
        ("1.2.3.4/", "error parsing prefix from the string ``: cannot parse integer from empty string"),
        ("1.2.3.4/032", "error parsing prefix: string length 3 is too large"),
        ("1.2.3.4/100", "error parsing prefix: string length 3 is too large"),
        ("1.2.3.4/8/8", "error parsing prefix: string length 3 is too large"),
        ("::1/0128", "error parsing prefix: string length 4 is too large"),
        ("256.0.0.1/8", "error parsing IP address from the string `256.0.0.1`: invalid IP address syntax"),
        ("/8", "error parsing IP address from the string ``: invalid IP address syntax"),
        ("ABCD:EF01:2345:6789:ABCD:EF01:2345:06789/128", "error parsing IP address from string `ABCD:EF01:2345:6789:ABCD:EF01:2345:06789/128`: string length is too large"),
    ]

    @Test(arguments: ipCases)
    func ipParsing(text: String, expected: String) {
        let result = message { () throws(EvaluationError) in _ = try CedarIPAddr(parsing: text) }
        let wanted = expected == "ok" ? "ok" : "error while evaluating `ipaddr` extension function: \(expected)"
        #expect(result == wanted, "ip(\"\(text)\")")
    }

    @Test func ipSemantics() throws {
        func ip(_ text: String) throws -> CedarIPAddr { try CedarIPAddr(parsing: text) }
        #expect(try ip("10.0.0.1/24") != ip("10.0.0.0/24"))  // host bits kept
        #expect(try ip("10.0.0.1") == ip("10.0.0.1/32"))
        #expect(try ip("::1") == ip("0:0:0:0:0:0:0:1") && ip("::1") == ip("::0001"))
        #expect(try ip("1.2.3.4") != ip("::ffff:102:304"))
        let inRange: [(String, String, Bool)] = [
            ("10.0.0.1/24", "10.0.0.0/24", true), ("10.0.0.0/24", "10.0.0.1/32", false),
            ("10.0.0.0/24", "10.0.0.0/25", false), ("10.0.0.0/25", "10.0.0.0/24", true),
            ("10.0.0.1", "10.0.0.1", true), ("0.0.0.0/0", "0.0.0.0/0", true),
            ("1.2.3.4", "::/0", false), ("::", "0.0.0.0/0", false),
        ]
        for (child, parent, expected) in inRange {
            #expect(try ip(child).isInRange(ip(parent)) == expected, "\(child) in \(parent)")
        }
        let loopback: [(String, Bool)] = [
            ("127.0.0.1", true), ("127.0.0.1/7", false), ("127.0.0.1/8", true), ("127.255.0.1/9", true),
            ("::1", true), ("::1/127", false), ("::ffff:7f00:1", false), ("::", false),
        ]
        for (text, expected) in loopback { #expect(try ip(text).isLoopback == expected, "\(text)") }
        let multicast: [(String, Bool)] = [
            ("224.0.0.1", true), ("239.255.255.255", true), ("224.0.0.0/4", true), ("224.0.0.0/3", false),
            ("ff00::", true), ("ff00::/8", true), ("ff00::/7", false),
        ]
        for (text, expected) in multicast { #expect(try ip(text).isMulticast == expected, "\(text)") }
        #expect(try ip("::1").isIPv6 && !ip("::1").isIPv4 && ip("1.2.3.4/8").isIPv4)
        #expect(try ip("10.0.0.1/24").description == #"ip("10.0.0.1/24")"#)
        #expect(try ip("2001:DB8:0:0:1:0:0:1").description == #"ip("2001:db8::1:0:0:1")"#)
        #expect(try ip("::").description == #"ip("::")"#)
        #expect(try ip("1:0:0:0:0:0:0:0/64").description == #"ip("1::/64")"#)
    }

    // MARK: datetime

    static let datetimeCases: [(String, String)] = [
        ("2024-01-01", "ok"), ("2024-01-01T00:00:00Z", "ok"), ("2024-01-01T00:00:00.123Z", "ok"),
        ("2024-01-01T00:00:00+0100", "ok"), ("2024-01-01T00:00:00.123-0130", "ok"), ("2024-02-29", "ok"),
        ("2000-02-29", "ok"), ("2024-01-01T23:59:59Z", "ok"), ("2024-01-01T00:00:00+2359", "ok"),
        ("2024-01-01T00:00:00-2359", "ok"), ("0000-01-01", "ok"), ("9999-12-31T23:59:59.999Z", "ok"),
        ("2024-01-01T00:00:00-0000", "ok"), ("0000-01-01T00:00:00+2359", "ok"), ("9999-12-31T23:59:59-2359", "ok"),
        ("2024-02-30", "invalid date: 2024-02-30"), ("2023-02-29", "invalid date: 2023-02-29"),
        ("1900-02-29", "invalid date: 1900-02-29"), ("2024-04-31", "invalid date: 2024-04-31"),
        ("2024-13-01", "invalid date: 2024-13-01"), ("2024-00-01", "invalid date: 2024-00-01"),
        ("2024-01-00", "invalid date: 2024-01-00"),
        ("2024-01-01T24:00:00Z", "invalid hour/minute/second: 24:00:00"),
        ("2024-01-01T23:60:00Z", "invalid hour/minute/second: 23:60:00"),
        ("2024-01-01T23:59:60Z", "invalid hour/minute/second: 23:59:60"),  // leap second
        ("2024-01-01T00:00:00+2400", "invalid offset range: 240"), ("2024-01-01T00:00:00+0060", "invalid offset range: 060"),
        ("2024-01-01T00:00:00+9999", "invalid offset range: 9999"),
        ("2024-01-01T00:00:00", "invalid millisecond and/or offset pattern"),
        ("2024-01-01T00:00:00.1Z", "invalid millisecond and/or offset pattern"),
        ("2024-01-01T00:00:00.1234Z", "invalid millisecond and/or offset pattern"),
        ("2024-01-01T00:00:00z", "invalid millisecond and/or offset pattern"),
        ("2024-01-01T00:00:00+01:00", "invalid millisecond and/or offset pattern"),
        ("2024-01-01T00:00:00+01", "invalid millisecond and/or offset pattern"),
        ("2024-01-01T00:00:00.123", "invalid millisecond and/or offset pattern"),
        ("2024-01-01T00:00Z", "invalid hour/minute/second pattern"),
        ("2024-01-01t00:00:00Z", "invalid hour/minute/second pattern"),
        ("2024-01-01 00:00:00Z", "invalid hour/minute/second pattern"),
        ("2024-01-01Z", "invalid hour/minute/second pattern"),
        ("24-01-01", "invalid date pattern"), ("02024-01-01", "invalid date pattern"), ("-2024-01-01", "invalid date pattern"),
        ("+2024-01-01", "invalid date pattern"), ("2024-1-01", "invalid date pattern"),
        ("\u{661}\u{662}\u{663}\u{664}-01-01", "invalid date pattern"),
    ]

    @Test(arguments: datetimeCases)
    func datetimeParsing(text: String, expected: String) {
        let result = message { () throws(EvaluationError) in _ = try CedarDatetime(parsing: text) }
        let wanted = expected == "ok" ? "ok" : "error while evaluating `datetime` extension function: \(expected)"
        #expect(result == wanted, "datetime(\"\(text)\")")
    }

    @Test func datetimeValuesAndMethods() throws {
        func dt(_ text: String) throws(EvaluationError) -> CedarDatetime { try CedarDatetime(parsing: text) }
        func dur(_ text: String) throws(EvaluationError) -> CedarDuration { try CedarDuration(parsing: text) }
        #expect(try dt("2024-01-01T00:00:00+0100") == dt("2023-12-31T23:00:00Z"))
        #expect(try dt("1970-01-01") == dt("1970-01-01T00:00:00.000+0000"))
        #expect(try dt("1970-01-01").millisecondsSinceEpoch == 0)
        #expect(try dt("2024-10-15T11:38:02.101+1134") == dt("2024-10-15T00:04:02.101Z"))
        #expect(try dt("1969-12-31T23:59:59.999Z").millisecondsSinceEpoch == -1)
        #expect(try dt("2024-01-01") < dt("2024-01-02"))
        #expect(try dt("2024-01-01").offset(by: dur("1d")) == dt("2024-01-02"))
        #expect(try dt("2024-01-02").durationSince(dt("2024-01-01")) == dur("1d"))
        #expect(try dt("2024-01-01").durationSince(dt("2024-01-02")) == dur("-1d"))
        #expect(try dt("1969-12-31T23:00:00Z").toDate() == dt("1969-12-31"))
        #expect(try dt("1969-12-31T23:00:00Z").toTime() == dur("23h"))
        #expect(try dt("1969-12-31").toTime() == dur("0ms"))
        #expect(try dt("2024-01-01").toDate() == dt("2024-01-01"))
        // Overflow is an error (messages as cedarpy prints them).
        #expect(message { () throws(EvaluationError) in _ = try dt("2024-01-01").offset(by: dur("9223372036854775807ms")) }
            == "error while evaluating `offset` extension function: overflows when adding an offset: "
            + #"(datetime("1970-01-01")).offset(duration("1704067200000ms"))+(9223372036854775807ms)"#)
        let farPast = try dt("0000-01-01").offset(by: dur("-9223300000000000000ms"))
        #expect(try farPast.toDate() != dt("2024-01-01"))
        #expect(farPast.toTime() != CedarDuration(milliseconds: 0))
        #expect(message { () throws(EvaluationError) in _ = try dt("9999-12-31").durationSince(farPast) }
            == "error while evaluating `durationSince` extension function: overflows when computing the duration between "
            + #"(datetime("1970-01-01")).offset(duration("253402214400000ms")) and "#
            + #"(datetime("1970-01-01")).offset(duration("-9223362167219200000ms"))"#)
        #expect(message { () throws(EvaluationError) in
            _ = try CedarDatetime(millisecondsSinceEpoch: .min).toDate()
        }.hasPrefix("error while evaluating `toDate` extension function: overflows when computing the date of"))
        #expect(try dt("2024-03-05T06:07:08.009+0000").description == #"datetime("2024-03-05T06:07:08.009Z")"#)
        #expect(farPast.description.hasPrefix(#"datetime("1970-01-01").offset(duration("#))
    }

    // MARK: duration

    static let durationCases: [(String, String)] = [
        ("1d2h3m4s5ms", "ok"), ("1h", "ok"), ("60m", "ok"), ("-1d2h", "ok"), ("0s", "ok"), ("0ms", "ok"),
        ("1s1ms", "ok"), ("1m1ms", "ok"), ("007d", "ok"), ("106751991167d", "ok"), ("9223372036854775807ms", "ok"),
        ("-9223372036854775808ms", "ok"),
        ("", "invalid duration pattern"), ("-", "invalid duration pattern"), ("1", "invalid duration pattern"),
        ("1x", "invalid duration pattern"), ("1h1d", "invalid duration pattern"), ("1d1d", "invalid duration pattern"),
        ("1ms1s", "invalid duration pattern"), ("1dh", "invalid duration pattern"), ("d", "invalid duration pattern"),
        ("+1d", "invalid duration pattern"), ("- 1d", "invalid duration pattern"), ("1D", "invalid duration pattern"),
        ("--1d", "invalid duration pattern"), ("1.5h", "invalid duration pattern"), ("1d ", "invalid duration pattern"),
        ("1mm", "invalid duration pattern"), ("1msms", "invalid duration pattern"), ("1m1m", "invalid duration pattern"),
        ("106751991168d", "Duration overflows internal representation"),
        ("9223372036854775808ms", "Duration overflows internal representation"),
        ("-9223372036854775809ms", "Duration overflows internal representation"),
        ("99999999999999999999ms", "Duration overflows internal representation"),
    ]

    @Test(arguments: durationCases)
    func durationParsing(text: String, expected: String) {
        let result = message { () throws(EvaluationError) in _ = try CedarDuration(parsing: text) }
        let wanted = expected == "ok" ? "ok" : "error while evaluating `duration` extension function: \(expected)"
        #expect(result == wanted, "duration(\"\(text)\")")
    }

    @Test func durationValuesAndConversions() throws {
        func dur(_ text: String) throws -> CedarDuration { try CedarDuration(parsing: text) }
        #expect(try dur("1h") == dur("60m"))
        #expect(try dur("-1d2h") == dur("-26h") && dur("-1d2h") < dur("0s"))
        #expect(try dur("1d2h3m4s5ms").milliseconds == 93_784_005)
        #expect(try dur("-9223372036854775808ms").milliseconds == .min)
        // Truncation toward zero (cedarpy: -1ms → 0 s, -1999ms → -1 s, -25h → -1 d, -59s → 0 min, -61m → -1 h).
        #expect(try dur("-1ms").toSeconds == 0 && dur("-1999ms").toSeconds == -1)
        #expect(try dur("-25h").toDays == -1 && dur("-59s").toMinutes == 0 && dur("-61m").toHours == -1)
        #expect(try dur("1d").toMilliseconds == 86_400_000)
        #expect(try dur("90m").description == #"duration("1h30m")"#)
        #expect(try dur("-1d2h").description == #"duration("-1d2h")"#)
        #expect(CedarDuration(milliseconds: .min).description == #"duration("-106751991167d7h12m55s808ms")"#)
        #expect(try CedarDuration(parsing: "-106751991167d7h12m55s808ms").milliseconds == .min)
    }

    // MARK: the function table

    @Test func extensionFunctionTable() throws {
        #expect(try ExtensionFunctions.call("ip", ["10.0.0.1"]) == .ipaddr(CedarIPAddr(parsing: "10.0.0.1")))
        #expect(try ExtensionFunctions.call("isInRange", [
            ExtensionFunctions.call("ip", ["10.0.0.1"]), ExtensionFunctions.call("ip", ["10.0.0.0/8"]),
        ]) == true)
        #expect(try ExtensionFunctions.call("toDays", [ExtensionFunctions.call("duration", ["3d"])]) == 3)
        let failures: [(String, [Value], String)] = [
            ("ip", [1], "type error: expected string, got long"),
            ("isIpv4", ["1.2.3.4"], "type error: expected ipaddr, got string"),
            ("lessThan", ["1.0", "1.0"], "type error: expected decimal, got string"),
            ("toDate", ["2024-01-01"], "type error: expected datetime, got string"),
            ("toHours", ["1h"], "type error: expected duration, got string"),
            ("ip", [], "wrong number of arguments provided to extension function `ip`: expected 1, got 0"),
            ("decimal", ["1.0", "2.0"], "wrong number of arguments provided to extension function `decimal`: expected 1, got 2"),
            ("foo", ["1"], "extension function `foo` does not exist"),
        ]
        for (name, arguments, expected) in failures {
            #expect(message { () throws(EvaluationError) in _ = try ExtensionFunctions.call(name, arguments) } == expected)
        }
    }
}
