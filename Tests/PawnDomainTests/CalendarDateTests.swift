import PawnDomain
import Testing

@Suite("CalendarDate")
struct CalendarDateTests {
    @Test(
        "parses and formats plain dates",
        arguments: [
            ("1970-01-01", 0), ("1970-01-02", 1), ("1969-12-31", -1), ("2000-02-29", 11_016),
            ("2024-03-01", 19_783), ("0001-01-01", -719_162), ("9999-12-31", 2_932_896),
        ])
    func plainDates(text: String, days: Int) throws {
        let date = try #require(CalendarDate(iso8601: text))
        #expect(date.daysSinceEpoch == days)
        #expect(date.iso8601 == text)
        #expect(CalendarDate(daysSinceEpoch: days) == date)
    }

    @Test(
        "date-times become the UTC day they fall in",
        arguments: [
            ("2024-02-29T23:30:00Z", "2024-02-29"),
            ("2024-02-29T23:30:00-01:00", "2024-03-01"),
            ("2024-03-01T00:30:00+01:00", "2024-02-29"),
            ("2024-12-31T22:00:00.123456-02:00", "2025-01-01"),
            ("2024-06-15T12:00", "2024-06-15"),
            ("2024-06-15t12:00:00z", "2024-06-15"),
            ("2016-12-31T23:59:60Z", "2016-12-31"),
            ("0001-01-01T00:00:00+00:00", "0001-01-01"),
        ])
    func dateTimes(text: String, expected: String) throws {
        #expect(try #require(CalendarDate(iso8601: text)).iso8601 == expected)
    }

    @Test(
        "rejects what is not ISO-8601",
        arguments: [
            "", "2024", "2024-1-01", "2024-01-1", "24-01-01", "2023-02-29", "2024-13-01", "2024-00-10",
            "2024-04-31", "0000-01-01", "2024-01-01T", "2024-01-01T24:00:00Z", "2024-01-01T12:60Z",
            "2024-01-01T12:00:61Z", "2024-01-01T12:00:00+0100", "2024-01-01T12:00:00+24:00",
            "2024-01-01 12:00",
            "2024-01-01T12:00:00.Z", "2024-01-01T12:00:00Zjunk", " 2024-01-01", "２０２４-01-01",
            "2024-01-01T12:00:00.1234567890Z", "0001-01-01T00:00:00+00:01",
        ])
    func rejects(text: String) {
        #expect(CalendarDate(iso8601: text) == nil)
    }

    @Test func componentsAndArithmetic() throws {
        let leap = try #require(CalendarDate(year: 2024, month: 2, day: 28))
        #expect(leap.adding(days: 1)?.iso8601 == "2024-02-29")
        #expect(leap.adding(days: 2)?.iso8601 == "2024-03-01")
        #expect(leap.adding(days: 366)?.iso8601 == "2025-02-28")
        #expect(leap.adding(days: -59)?.iso8601 == "2023-12-31")
        #expect(CalendarDate.max.adding(days: 1) == nil)
        #expect(CalendarDate.min.adding(days: -1) == nil)
        #expect(leap.adding(days: Int.max) == nil)
        #expect(CalendarDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2000, month: 2, day: 29) != nil)
        #expect(leap.days(to: try #require(CalendarDate(iso8601: "2024-03-10"))) == 11)
        #expect(CalendarDate(daysSinceEpoch: CalendarDate.max.daysSinceEpoch + 1) == nil)
    }

    @Test("every day from 1900 to 2100 round-trips through its components and text")
    func roundTripsEveryDay() throws {
        var date = try #require(CalendarDate(year: 1900, month: 1, day: 1))
        let end = try #require(CalendarDate(year: 2100, month: 12, day: 31))
        var previous: (year: Int, month: Int, day: Int)? = nil
        while date <= end {
            let c = date.components
            #expect(CalendarDate(year: c.year, month: c.month, day: c.day) == date)
            #expect(CalendarDate(iso8601: date.iso8601) == date)
            if let p = previous {
                // Consecutive days: the day increments, or the month/year rolls over to day 1.
                #expect(c.day == p.day + 1 || (c.day == 1 && (c.month == p.month % 12 + 1)))
            }
            previous = c
            date = try #require(date.adding(days: 1))
        }
    }
}
