/// A thing the shop has seen: its description, where it is in its lifecycle, and how many
/// events have shaped it.
///
/// Items are values; they change only through ``apply(_:_:)``, which keeps the
/// invariants below true:
/// - ``loan`` is set exactly when ``status`` is ``ItemStatus/pawned``;
/// - ``owner`` is set only when ``status`` is ``ItemStatus/withClient``;
/// - ``version`` is the number of events applied, and ``appliedEventIds`` holds their ids.
public struct Item: Hashable, Sendable, Codable {
    /// Chosen by the client: 1–128 characters of `[A-Za-z0-9._:-]`.
    public var id: String
    /// 1–256 characters, trimmed.
    public var name: String
    /// What kind of thing it is.
    public var category: Category
    /// The appraised value.
    public var price: Money
    /// The physical condition (`state` in JSON and on the wire).
    public var condition: Condition
    /// Age in months, ≥ 0.
    public var ageInMonths: Int32
    /// Where the item is in its lifecycle.
    public var status: ItemStatus
    /// The client who holds the item, when it is with a client and the client is known.
    public var owner: String?
    /// The loan the item secures, while pawned.
    public var loan: Loan?
    /// What the shop paid for the item: the appraised price when added, the price of the
    /// last buy, or the principal of a forfeited loan. A sale's profit is measured from it.
    public var costBasis: Money
    /// The number of events applied; stores use it for optimistic concurrency.
    public var version: Int64
    /// The ids of the events applied, so that a redelivered event is a no-op.
    public var appliedEventIds: Set<String>

    /// An item with every field given; ``apply(_:_:)`` is the usual way to make one.
    public init(
        id: String, name: String, category: Category, price: Money, condition: Condition,
        ageInMonths: Int32, status: ItemStatus = .inStock, owner: String? = nil, loan: Loan? = nil,
        costBasis: Money? = nil, version: Int64 = 0, appliedEventIds: Set<String> = []
    ) {
        self.id = id
        self.name = name
        self.category = category
        self.price = price
        self.condition = condition
        self.ageInMonths = ageInMonths
        self.status = status
        self.owner = owner
        self.loan = loan
        self.costBasis = costBasis ?? price
        self.version = version
        self.appliedEventIds = appliedEventIds
    }

    enum CodingKeys: String, CodingKey {
        case id, name, category, price
        case condition = "state"
        case ageInMonths, status, owner, loan, costBasis, version, appliedEventIds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        category = try c.decode(Category.self, forKey: .category)
        price = try c.decode(Money.self, forKey: .price)
        condition = try c.decode(Condition.self, forKey: .condition)
        ageInMonths = try c.decode(Int32.self, forKey: .ageInMonths)
        status = try c.decode(ItemStatus.self, forKey: .status)
        owner = try c.decodeIfPresent(String.self, forKey: .owner)
        loan = try c.decodeIfPresent(Loan.self, forKey: .loan)
        costBasis = try c.decodeIfPresent(Money.self, forKey: .costBasis) ?? price
        version = try c.decodeIfPresent(Int64.self, forKey: .version) ?? 0
        appliedEventIds = Set(try c.decodeIfPresent([String].self, forKey: .appliedEventIds) ?? [])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(category, forKey: .category)
        try c.encode(price, forKey: .price)
        try c.encode(condition, forKey: .condition)
        try c.encode(ageInMonths, forKey: .ageInMonths)
        try c.encode(status, forKey: .status)
        try c.encodeIfPresent(owner, forKey: .owner)
        try c.encodeIfPresent(loan, forKey: .loan)
        try c.encode(costBasis, forKey: .costBasis)
        try c.encode(version, forKey: .version)
        // Sorted, so that equal items always encode to equal bytes.
        try c.encode(appliedEventIds.sorted(), forKey: .appliedEventIds)
    }
}
