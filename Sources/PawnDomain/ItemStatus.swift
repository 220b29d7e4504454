/// Where an item is in its lifecycle: who holds it and on what terms.
///
/// | status | who holds the item |
/// |---|---|
/// | ``inStock`` | the shop owns it |
/// | ``withClient`` | a client owns it |
/// | ``pawned`` | the shop holds it as collateral for a client's loan |
public enum ItemStatus: String, CaseIterable, Hashable, Sendable, Codable {
    /// The shop owns the item.
    case inStock
    /// A client owns the item.
    case withClient
    /// The shop holds the item as collateral for a client's loan.
    case pawned

    /// The name used in JSON (`"inStock"`).
    public var name: String { rawValue }

    /// Parses a name exactly as the API spells it; `nil` for anything else (never a default).
    public init?(name: String) { self.init(rawValue: name) }
}
