/// An amount of money in minor units (cents), as a signed 64-bit integer.
///
/// Prices are never negative (validation enforces it); a profit may be. Arithmetic
/// that would overflow reports it instead of trapping.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    /// The amount in minor units: `1999` is 19.99.
    public var minorUnits: Int64

    /// An amount of `minorUnits` cents.
    public init(minorUnits: Int64) { self.minorUnits = minorUnits }

    public init(integerLiteral value: Int64) { self.minorUnits = value }

    /// Zero.
    public static let zero = Money(minorUnits: 0)

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minorUnits < rhs.minorUnits }

    /// `self − other`, or `nil` when the result does not fit in 64 bits.
    public func subtracting(_ other: Money) -> Money? {
        let (value, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        return overflow ? nil : Money(minorUnits: value)
    }

    /// `self + other`, or `nil` when the result does not fit in 64 bits.
    public func adding(_ other: Money) -> Money? {
        let (value, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        return overflow ? nil : Money(minorUnits: value)
    }

    /// `12.34`, `-0.05`: the amount with two decimals, for people (not for parsing).
    public var description: String {
        let sign = minorUnits < 0 ? "-" : ""
        let magnitude = minorUnits.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    public init(from decoder: any Decoder) throws {
        minorUnits = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(minorUnits)
    }
}
