/// The `redeem` action: the client who pawned an item repays the loan and takes it back.
public struct Redeem: Hashable, Sendable, Codable {
    /// The client repaying; must be the one who pawned the item.
    public var clientId: String
    /// When; on or before the loan's due date.
    public var date: CalendarDate

    /// A `redeem` action.
    public init(clientId: String, date: CalendarDate) {
        self.clientId = clientId
        self.date = date
    }

    /// The action with its text trimmed, or the first field that breaks a rule.
    public func validated() throws(ValidationError) -> Redeem {
        Redeem(clientId: try Validation.clientId(clientId), date: date)
    }
}
