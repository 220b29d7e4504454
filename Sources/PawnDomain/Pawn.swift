/// The `pawn` action: the client who holds an item leaves it as collateral for a loan.
public struct Pawn: Hashable, Sendable, Codable {
    /// The borrower; must be the owner when the owner is known.
    public var clientId: String
    /// The amount lent, > 0 (`price` on the wire and in the API).
    public var principal: Money
    /// Interest as a whole percentage, 0–100 (`tax` on the wire and in the API).
    public var interestPercent: Int32
    /// How many days the client has to redeem, 1–3650.
    public var limitDays: Int32
    /// When the loan is made; it falls due `limitDays` days later.
    public var date: CalendarDate

    /// A `pawn` action.
    public init(
        clientId: String, principal: Money, interestPercent: Int32, limitDays: Int32, date: CalendarDate
    ) {
        self.clientId = clientId
        self.principal = principal
        self.interestPercent = interestPercent
        self.limitDays = limitDays
        self.date = date
    }

    enum CodingKeys: String, CodingKey {
        case clientId
        case principal = "price"
        case interestPercent = "tax"
        case limitDays, date
    }

    /// The last day on which the item may be redeemed, or `nil` past 9999-12-31.
    public var dueDate: CalendarDate? { date.adding(days: Int(limitDays)) }

    /// The action with its text trimmed, or the first field that breaks a rule.
    public func validated() throws(ValidationError) -> Pawn {
        let copy = Pawn(
            clientId: try Validation.clientId(clientId),
            principal: try Validation.positive(principal, field: "price"),
            interestPercent: try Validation.within(
                interestPercent, Validation.interestPercentRange, field: "tax"),
            limitDays: try Validation.within(limitDays, Validation.limitDaysRange, field: "limitDays"),
            date: date)
        guard copy.dueDate != nil else {
            throw ValidationError(
                field: "limitDays", code: .outOfRange, message: "the loan would fall due after 9999-12-31")
        }
        return copy
    }
}
