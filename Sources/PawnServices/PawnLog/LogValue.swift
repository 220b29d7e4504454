/// A field's value: text, or a number or a flag, which JSON lines write unquoted.
public enum LogValue: Sendable, Equatable, ExpressibleByStringInterpolation, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral
{
    /// Text, quoted and escaped as the format needs.
    case string(String)
    /// An integer.
    case int(Int)
    /// A number, with at most six decimals and no exponent (a duration in milliseconds).
    case double(Double)
    /// A flag.
    case bool(Bool)

    /// A string literal as ``string(_:)``.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer literal as ``int(_:)``.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// `true` or `false` as ``bool(_:)``.
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// The value as logfmt writes it, before quoting.
    var text: String {
        switch self {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): number.isFinite ? Self.decimal(number) : String(number)
        case .bool(let flag): flag ? "true" : "false"
        }
    }

    /// A number with at most six decimals and no exponent (durations in seconds).
    private static func decimal(_ number: Double) -> String {
        guard abs(number) < 1e15 else { return String(number) }
        let micros = (number * 1_000_000).rounded()
        let negative = micros < 0
        let whole = Int(abs(micros)) / 1_000_000
        var fraction = String(Int(abs(micros)) % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        return (negative ? "-" : "") + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }
}
