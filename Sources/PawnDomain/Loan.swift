/// The loan an item secures while it is ``ItemStatus/pawned``.
public struct Loan: Hashable, Sendable, Codable {
    /// The client who pawned the item and alone may redeem it.
    public var clientId: String
    /// The amount lent.
    public var principal: Money
    /// Interest, as a whole percentage of the principal (0–100).
    public var interestPercent: Int32
    /// The day the loan was made.
    public var startDate: CalendarDate
    /// The last day on which the item may be redeemed: `startDate + limitDays`.
    public var dueDate: CalendarDate

    /// A loan with the given terms.
    public init(
        clientId: String, principal: Money, interestPercent: Int32, startDate: CalendarDate,
        dueDate: CalendarDate
    ) {
        self.clientId = clientId
        self.principal = principal
        self.interestPercent = interestPercent
        self.startDate = startDate
        self.dueDate = dueDate
    }

    /// What the client owes to redeem: the principal plus its interest, rounded down to a
    /// minor unit; `nil` only when that does not fit in 64 bits.
    public var amountDue: Money? {
        let (product, overflow) = principal.minorUnits.multipliedReportingOverflow(by: Int64(interestPercent))
        guard !overflow else { return nil }
        return principal.adding(Money(minorUnits: product / 100))
    }
}
