/// A day of the proleptic Gregorian calendar, from 0001-01-01 to 9999-12-31, in UTC.
///
/// Events carry dates; loans fall due a whole number of days after they start. The type
/// parses ISO-8601 dates (`2024-02-29`) and date-times with a UTC offset
/// (`2024-02-29T23:30:00-01:00`, which is the UTC day 2024-03-01), formats as
/// `YYYY-MM-DD`, and does day arithmetic. It needs no Foundation.
public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public let daysSinceEpoch: Int

    /// The earliest representable day, 0001-01-01.
    public static let min = CalendarDate(uncheckedDays: daysFromCivil(year: 1, month: 1, day: 1))
    /// The latest representable day, 9999-12-31.
    public static let max = CalendarDate(uncheckedDays: daysFromCivil(year: 9999, month: 12, day: 31))

    private init(uncheckedDays: Int) { daysSinceEpoch = uncheckedDays }

    /// The day `daysSinceEpoch` days after 1970-01-01, or `nil` outside 0001…9999.
    public init?(daysSinceEpoch: Int) {
        guard daysSinceEpoch >= Self.min.daysSinceEpoch, daysSinceEpoch <= Self.max.daysSinceEpoch
        else { return nil }
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// The given day, or `nil` when it does not exist (2023-02-29) or is out of range.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        daysSinceEpoch = Self.daysFromCivil(year: year, month: month, day: day)
    }

    /// Parses `YYYY-MM-DD`, or an RFC 3339 date-time `YYYY-MM-DDThh:mm[:ss[.fff]]` followed
    /// by `Z` or `±hh:mm` (no suffix means UTC). A date-time becomes the UTC day it falls in.
    /// Returns `nil` for anything else.
    public init?(iso8601 text: String) {
        guard let days = ISO8601Scanner.parse(Array(text.utf8)) else { return nil }
        self.init(daysSinceEpoch: days)
    }

    /// The year, month (1–12) and day (1–31).
    public var components: (year: Int, month: Int, day: Int) {
        Self.civilFromDays(daysSinceEpoch)
    }

    /// The day `days` days later (earlier when negative), or `nil` past 0001…9999.
    public func adding(days: Int) -> CalendarDate? {
        let (sum, overflow) = daysSinceEpoch.addingReportingOverflow(days)
        return overflow ? nil : CalendarDate(daysSinceEpoch: sum)
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(to other: CalendarDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        lhs.daysSinceEpoch < rhs.daysSinceEpoch
    }

    /// `YYYY-MM-DD`.
    public var iso8601: String {
        let (y, m, d) = components
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    public var description: String { iso8601 }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CalendarDate(iso8601: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected an ISO-8601 date (YYYY-MM-DD) or date-time, got \"\(text)\"")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }

    // MARK: - Calendar arithmetic (H. Hinnant's days-from-civil algorithms)

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = (month + 9) % 12
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// A strict scanner for the ISO-8601 / RFC 3339 subset that ``CalendarDate`` accepts.
private struct ISO8601Scanner {
    private let bytes: [UInt8]
    private var index = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Days since the epoch of the UTC day the text names, or `nil`.
    static func parse(_ bytes: [UInt8]) -> Int? {
        var scanner = ISO8601Scanner(bytes)
        return scanner.scan()
    }

    private mutating func scan() -> Int? {
        guard let year = digits(4), literal(UInt8(ascii: "-")), let month = digits(2),
            literal(UInt8(ascii: "-")), let day = digits(2),
            (1...12).contains(month), year >= 1,
            (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        let date = CalendarDate.daysFromCivil(year: year, month: month, day: day)
        if index == bytes.count { return date }

        guard literal(UInt8(ascii: "T")) || literal(UInt8(ascii: "t")),
            let hour = digits(2), hour < 24, literal(UInt8(ascii: ":")),
            let minute = digits(2), minute < 60
        else { return nil }
        if literal(UInt8(ascii: ":")) {
            // A leap second (60) is a valid RFC 3339 value; it does not change the day.
            guard let second = digits(2), second <= 60 else { return nil }
            if literal(UInt8(ascii: ".")) {
                let start = index
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
                guard index > start, index - start <= 9 else { return nil }
            }
        }
        var offsetMinutes = 0
        if literal(UInt8(ascii: "Z")) || literal(UInt8(ascii: "z")) || index == bytes.count {
            offsetMinutes = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
        {
            let negative = bytes[index] == UInt8(ascii: "-")
            index += 1
            guard let offsetHours = digits(2), offsetHours < 24, literal(UInt8(ascii: ":")),
                let offsetMins = digits(2), offsetMins < 60
            else { return nil }
            offsetMinutes = (offsetHours * 60 + offsetMins) * (negative ? -1 : 1)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        // Local time minus the offset is UTC; floor-divide to find the UTC day.
        let utcMinutes = hour * 60 + minute - offsetMinutes
        let dayShift = utcMinutes < 0 ? -1 : (utcMinutes >= 1440 ? 1 : 0)
        return date + dayShift
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func literal(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func digits(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<count {
            let byte = bytes[index + offset]
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        index += count
        return value
    }
}
