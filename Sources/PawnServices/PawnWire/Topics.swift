import PawnDomain

/// The event log's topics (SPEC §5) and the header names records carry.
public enum Topics {
    /// Adds (`AddItem`).
    public static let items = "items"
    /// Buys.
    public static let buyActions = "buy-actions"
    /// Sales.
    public static let sellActions = "sell-actions"
    /// Pawns.
    public static let pawnActions = "pawn-actions"
    /// Redeems.
    public static let redeemActions = "redeem-actions"
    /// Forfeits.
    public static let forfeitActions = "forfeit-actions"
    /// The audit record of every accepted request.
    public static let longTermStorage = "long_term_storage"

    /// The topics the workers consume: every action's.
    public static let actionTopics = [
        items, buyActions, sellActions, pawnActions, redeemActions, forfeitActions,
    ]

    /// The topic an action is published to.
    public static func topic(for kind: Action.Kind) -> String {
        switch kind {
        case .add: items
        case .buy: buyActions
        case .sell: sellActions
        case .pawn: pawnActions
        case .redeem: redeemActions
        case .forfeit: forfeitActions
        }
    }

    /// The header with the event's id.
    public static let eventIdHeader = "eventId"
}
