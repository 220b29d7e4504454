/// The `add` action: a new item enters the books, in stock or already with a client.
/// The item's id is the event's ``Event/itemId``.
public struct AddItem: Hashable, Sendable, Codable {
    /// 1–256 characters, trimmed.
    public var name: String
    /// What kind of thing it is.
    public var category: Category
    /// The appraised value, ≥ 0; also the item's first cost basis.
    public var price: Money
    /// The physical condition (`state` in JSON).
    public var condition: Condition
    /// Age in months, ≥ 0.
    public var ageInMonths: Int32
    /// ``ItemStatus/inStock`` (the default) or ``ItemStatus/withClient``; never pawned.
    public var status: ItemStatus
    /// The client who holds it; only with ``ItemStatus/withClient``, and optional there.
    public var owner: String?
    /// When the item was added, if known.
    public var date: CalendarDate?

    /// An `add` action.
    public init(
        name: String, category: Category, price: Money, condition: Condition, ageInMonths: Int32 = 0,
        status: ItemStatus = .inStock, owner: String? = nil, date: CalendarDate? = nil
    ) {
        self.name = name
        self.category = category
        self.price = price
        self.condition = condition
        self.ageInMonths = ageInMonths
        self.status = status
        self.owner = owner
        self.date = date
    }

    enum CodingKeys: String, CodingKey {
        case name, category, price
        case condition = "state"
        case ageInMonths, status, owner, date
    }

    /// The action with its text trimmed, or the first field that breaks a rule.
    public func validated() throws(ValidationError) -> AddItem {
        var copy = self
        copy.name = try Validation.name(name)
        copy.price = try Validation.nonNegative(price, field: "price")
        guard ageInMonths >= 0 else {
            throw ValidationError(field: "ageInMonths", code: .outOfRange, message: "must not be negative")
        }
        switch status {
        case .inStock:
            if owner != nil {
                throw ValidationError(
                    field: "owner", code: .notAllowed, message: "an item in stock has no owner")
            }
        case .withClient:
            if let owner { copy.owner = try Validation.clientId(owner, field: "owner") }
        case .pawned:
            throw ValidationError(
                field: "status", code: .notAllowed,
                message: "a new item is inStock or withClient; pawn it with a pawn action")
        }
        return copy
    }
}
