/// The `forfeit` action: a loan was not repaid in time and the shop keeps the item.
public struct Forfeit: Hashable, Sendable, Codable {
    /// When; strictly after the loan's due date.
    public var date: CalendarDate

    /// A `forfeit` action.
    public init(date: CalendarDate) { self.date = date }

    /// The action itself: a date is its only field and the type keeps it valid.
    public func validated() throws(ValidationError) -> Forfeit { self }
}
