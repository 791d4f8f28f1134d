import CoordinatorCore
import Foundation
import Testing

@Suite("Timestamps are written canonically and read in every common form")
struct TimestampTests {
    @Test func formatsUTCWithMicroseconds() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_800_000_000.25)) == "2027-01-15T08:00:00.250000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -1.5)) == "1969-12-31T23:59:58.500000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 253_402_300_800)) == "10000-01-01T00:00:00.000000Z")
    }

    @Test(arguments: [
        "2027-01-15T08:00:00Z", "2027-01-15T08:00:00.000000Z", "2027-01-15 08:00:00+00", "2027-01-15T09:30:00+01:30",
        "2027-01-15T03:00:00-05:00", "2027-01-15T03:00:00-0500", "2027-01-15T08:00:00.000000000z",
    ])
    func parsesVariants(_ text: String) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(date.timeIntervalSince1970 == 1_800_000_000)
    }

    @Test(arguments: ["", "tomorrow", "2027-01-15", "2027-01-15T08:00:00", "2027-13-01T00:00:00Z", "2027-02-29T00:00:00Z",
                      "2027-01-15T08:00:00.Z", "2027-01-15T08:00:00Zjunk", "2027-01-15T25:00:00Z"])
    func refusesNonTimestamps(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func canonicalTextSortsInTimeOrder() {
        let dates = (0..<50).map { Date(timeIntervalSince1970: Double($0 * 7_919_317) - 100_000_000 + Double($0) / 7) }
        let texts = dates.map(Timestamp.format)
        #expect(texts.sorted() == texts)
        for (date, text) in zip(dates, texts) {
            #expect(abs(Timestamp.parse(text)!.timeIntervalSince(date)) < 0.000_001)
        }
    }

    @Test func formatMatchesACalendarOracle() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let micros = Int64.random(in: -2_000_000_000_000_000...7_000_000_000_000_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            // The microsecond the date rounds to; dates right next to a whole second are left to the other tests.
            let rounded = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
            let fraction = ((rounded % 1_000_000) + 1_000_000) % 1_000_000
            if fraction < 2 || fraction > 999_997 { continue }
            let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", parts.year!, parts.month!, parts.day!,
                                  parts.hour!, parts.minute!, parts.second!, fraction)
            #expect(Timestamp.format(date) == expected)
        }
    }
}
