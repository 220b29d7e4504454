/// One of the six things that can happen to an item.
public enum Action: Hashable, Sendable {
    /// A new item enters the books.
    case add(AddItem)
    /// The shop buys the item from a client.
    case buy(Buy)
    /// The shop sells the item to a client.
    case sell(Sell)
    /// A client pawns the item for a loan.
    case pawn(Pawn)
    /// The client repays the loan and takes the item back.
    case redeem(Redeem)
    /// The loan was not repaid in time; the shop keeps the item.
    case forfeit(Forfeit)

    /// The name of an action, as used in routes (`/item/action/buy`) and JSON (`"buy"`).
    public enum Kind: String, CaseIterable, Hashable, Sendable, Codable {
        /// A new item.
        case add
        /// The shop buys from a client.
        case buy
        /// The shop sells to a client.
        case sell
        /// A client pawns an item for a loan.
        case pawn
        /// A client repays the loan and takes the item back.
        case redeem
        /// The loan was not repaid in time; the shop keeps the item.
        case forfeit
    }

    /// Which action this is.
    public var kind: Kind {
        switch self {
        case .add: .add
        case .buy: .buy
        case .sell: .sell
        case .pawn: .pawn
        case .redeem: .redeem
        case .forfeit: .forfeit
        }
    }

    /// The client who asked for the action, if the action has one (forfeit has none; an
    /// add has one when it names an owner).
    public var clientId: String? {
        switch self {
        case .add(let add): add.owner
        case .buy(let buy): buy.clientId
        case .sell(let sell): sell.clientId
        case .pawn(let pawn): pawn.clientId
        case .redeem(let redeem): redeem.clientId
        case .forfeit: nil
        }
    }

    /// The day the action happened, if it has one.
    public var date: CalendarDate? {
        switch self {
        case .add(let add): add.date
        case .buy(let buy): buy.date
        case .sell(let sell): sell.date
        case .pawn(let pawn): pawn.date
        case .redeem(let redeem): redeem.date
        case .forfeit(let forfeit): forfeit.date
        }
    }

    /// The action with its text trimmed, or the first field that breaks a rule.
    public func validated() throws(ValidationError) -> Action {
        switch self {
        case .add(let add): .add(try add.validated())
        case .buy(let buy): .buy(try buy.validated())
        case .sell(let sell): .sell(try sell.validated())
        case .pawn(let pawn): .pawn(try pawn.validated())
        case .redeem(let redeem): .redeem(try redeem.validated())
        case .forfeit(let forfeit): .forfeit(try forfeit.validated())
        }
    }
}

/// JSON shape: `{"action": "buy", "clientId": …, "price": …, "date": …}`, the action's
/// fields beside its kind.
extension Action: Codable {
    private enum KindKey: String, CodingKey { case action }

    public init(from decoder: any Decoder) throws {
        let kind = try decoder.container(keyedBy: KindKey.self).decode(Kind.self, forKey: .action)
        switch kind {
        case .add: self = .add(try AddItem(from: decoder))
        case .buy: self = .buy(try Buy(from: decoder))
        case .sell: self = .sell(try Sell(from: decoder))
        case .pawn: self = .pawn(try Pawn(from: decoder))
        case .redeem: self = .redeem(try Redeem(from: decoder))
        case .forfeit: self = .forfeit(try Forfeit(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: KindKey.self)
        try container.encode(kind, forKey: .action)
        switch self {
        case .add(let add): try add.encode(to: encoder)
        case .buy(let buy): try buy.encode(to: encoder)
        case .sell(let sell): try sell.encode(to: encoder)
        case .pawn(let pawn): try pawn.encode(to: encoder)
        case .redeem(let redeem): try redeem.encode(to: encoder)
        case .forfeit(let forfeit): try forfeit.encode(to: encoder)
        }
    }
}
