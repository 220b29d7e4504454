/// The `buy` action: the shop buys an item from the client who holds it.
public struct Buy: Hashable, Sendable, Codable {
    /// The seller; must be the owner when the owner is known.
    public var clientId: String
    /// What the shop pays, ≥ 0; becomes the item's cost basis.
    public var price: Money
    /// When.
    public var date: CalendarDate

    /// A `buy` action.
    public init(clientId: String, price: Money, date: CalendarDate) {
        self.clientId = clientId
        self.price = price
        self.date = date
    }

    /// The action with its text trimmed, or the first field that breaks a rule.
    public func validated() throws(ValidationError) -> Buy {
        Buy(
            clientId: try Validation.clientId(clientId),
            price: try Validation.nonNegative(price, field: "price"), date: date)
    }
}
