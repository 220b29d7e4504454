/// The `sell` action: the shop sells an item it owns to a client.
public struct Sell: Hashable, Sendable, Codable {
    /// The buyer, who becomes the owner.
    public var clientId: String
    /// What the client pays, ≥ 0.
    public var price: Money
    /// When.
    public var date: CalendarDate
    /// The shop's profit; when omitted, ``apply(_:_:)`` records price − cost basis.
    public var profit: Money?

    /// A `sell` action.
    public init(clientId: String, price: Money, date: CalendarDate, profit: Money? = nil) {
        self.clientId = clientId
        self.price = price
        self.date = date
        self.profit = profit
    }

    /// The action with its text trimmed, or the first field that breaks a rule.
    public func validated() throws(ValidationError) -> Sell {
        Sell(
            clientId: try Validation.clientId(clientId),
            price: try Validation.nonNegative(price, field: "price"), date: date, profit: profit)
    }
}
