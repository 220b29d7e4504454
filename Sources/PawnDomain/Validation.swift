/// The field rules of SPEC §2, each a function that returns the normalised value or
/// throws a ``ValidationError`` naming the field.
public enum Validation {
    /// The longest identifier (`id`, `itemId`, `eventId`).
    public static let maxIdentifierLength = 128
    /// The longest item name, after trimming.
    public static let maxNameLength = 256
    /// The longest client id, after trimming.
    public static let maxClientIdLength = 256
    /// The allowed interest percentages.
    public static let interestPercentRange: ClosedRange<Int32> = 0...100
    /// The allowed loan lengths, in days.
    public static let limitDaysRange: ClosedRange<Int32> = 1...3650

    /// An identifier: 1–128 characters of `[A-Za-z0-9._:-]`, taken as is.
    public static func identifier(_ value: String, field: String) throws(ValidationError) -> String {
        var count = 0
        for byte in value.utf8 {
            count += 1
            guard isIdentifierByte(byte) else {
                throw ValidationError(
                    field: field, code: .invalidCharacters,
                    message: "must contain only letters, digits, '.', '_', ':' and '-'")
            }
        }
        if count == 0 { throw ValidationError(field: field, code: .empty, message: "must not be empty") }
        if count > maxIdentifierLength {
            throw ValidationError(
                field: field, code: .tooLong, message: "must be at most \(maxIdentifierLength) characters")
        }
        return value
    }

    /// Free text such as a name: trimmed of white space, then 1–`maxLength` characters with
    /// no control characters.
    public static func text(_ value: String, field: String, maxLength: Int) throws(ValidationError) -> String
    {
        let trimmed = trimmingWhitespace(value)
        if trimmed.isEmpty { throw ValidationError(field: field, code: .empty, message: "must not be empty") }
        if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw ValidationError(
                field: field, code: .invalidCharacters, message: "must not contain control characters")
        }
        if trimmed.count > maxLength {
            throw ValidationError(
                field: field, code: .tooLong, message: "must be at most \(maxLength) characters")
        }
        return trimmed
    }

    /// An item name: trimmed, 1–256 characters.
    public static func name(_ value: String, field: String = "name") throws(ValidationError) -> String {
        try text(value, field: field, maxLength: maxNameLength)
    }

    /// A client id (or a client's name): trimmed, 1–256 characters.
    public static func clientId(_ value: String, field: String = "clientId") throws(ValidationError) -> String
    {
        try text(value, field: field, maxLength: maxClientIdLength)
    }

    /// An amount that must not be negative.
    public static func nonNegative(_ value: Money, field: String) throws(ValidationError) -> Money {
        guard value.minorUnits >= 0 else {
            throw ValidationError(field: field, code: .outOfRange, message: "must not be negative")
        }
        return value
    }

    /// An amount that must be greater than zero.
    public static func positive(_ value: Money, field: String) throws(ValidationError) -> Money {
        guard value.minorUnits > 0 else {
            throw ValidationError(field: field, code: .outOfRange, message: "must be greater than zero")
        }
        return value
    }

    /// An integer within `range`.
    public static func within(_ value: Int32, _ range: ClosedRange<Int32>, field: String)
        throws(ValidationError)
        -> Int32
    {
        guard range.contains(value) else {
            throw ValidationError(
                field: field, code: .outOfRange,
                message: "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    /// `value` with leading and trailing white space (Unicode's definition) removed.
    public static func trimmingWhitespace(_ value: String) -> String {
        guard let first = value.firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = value.lastIndex(where: { !$0.isWhitespace })!
        return String(value[first...last])
    }

    @inline(__always)
    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: ":"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
