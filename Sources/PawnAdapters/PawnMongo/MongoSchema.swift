import PawnBSON
import PawnDomain

/// The collections and indexes of SPEC §5.
///
/// SPEC names one collection per action but none for `add` events; they go to
/// `addActions`, beside the others, so that an item's whole history (its add included)
/// is found the same way.
enum MongoSchema {
    /// The items, one document per item, keyed by `id`.
    static let items = "items"

    /// The collection that holds events of `kind`.
    static func collection(for kind: Action.Kind) -> String {
        switch kind {
        case .add: "addActions"
        case .buy: "buyActions"
        case .sell: "sellActions"
        case .pawn: "pawnActions"
        case .redeem: "redeemActions"
        case .forfeit: "forfeitActions"
        }
    }

    /// Every action collection, in `Action.Kind` order.
    static let actionCollections: [String] = Action.Kind.allCases.map(collection(for:))

    /// The `createIndexes` commands that make the indexes, one per collection. Index names
    /// are given so that running them again is a no-op.
    static var indexCommands: [BSONDocument] {
        let itemIndexes: [BSONValue] = [
            index(["id"], unique: true), index(["name"]), index(["category"]), index(["state"]),
            index(["status"]),
        ]
        var commands: [BSONDocument] = [["createIndexes": .string(items), "indexes": .array(itemIndexes)]]
        for collection in actionCollections {
            // itemId then sequence: the history query filters on the one and sorts on the other.
            let indexes: [BSONValue] = [index(["eventId"], unique: true), index(["itemId", "sequence"])]
            commands.append(["createIndexes": .string(collection), "indexes": .array(indexes)])
        }
        return commands
    }

    private static func index(_ fields: [String], unique: Bool = false) -> BSONValue {
        var key = BSONDocument()
        for field in fields { key.append(field, .int32(1)) }
        var spec: BSONDocument = [
            "key": .document(key), "name": .string(fields.map { "\($0)_1" }.joined(separator: "_")),
        ]
        if unique { spec["unique"] = .bool(true) }
        return .document(spec)
    }
}
