/// An item's physical condition. The API and the wire call this field `state`, as the
/// original platform did; the domain gives it a name that does not clash with the
/// item's lifecycle ``ItemStatus``.
public enum Condition: String, CaseIterable, Hashable, Sendable, Codable {
    /// Unused.
    case new = "New"
    /// Used, working, little wear.
    case good = "Good"
    /// Worn or partly broken.
    case bad = "Bad"
    /// Broken beyond use; kept for parts or materials.
    case fatal = "Fatal"

    /// The name used in JSON and in the original API (`"Good"`).
    public var name: String { rawValue }

    /// Parses a name exactly as the API spells it; `nil` for anything else (never a default).
    public init?(name: String) { self.init(rawValue: name) }
}
