/// The messages and enums of `Protos/pawnshop.proto` (package `pawnshop.v1`) and of the
/// standard `grpc.health.v1` health check, with their hand-written codecs.
public enum Wire {}

extension Wire {
    /// An item's category; the original's numbers.
    public enum Category: ProtoEnum {
        /// `Reading` = 0.
        case reading
        /// `Collection` = 1.
        case collection
        /// `Decoration` = 2.
        case decoration
        /// `Clothing` = 3.
        case clothing
        /// `Jewelry` = 4.
        case jewelry
        /// `Motor` = 5.
        case motor
        /// `Electronics` = 6.
        case electronics
        /// A number this code does not know, kept as it arrived.
        case unrecognized(Int32)

        /// The values the schema names, in number order.
        public static let known: [Category] = [
            .reading, .collection, .decoration, .clothing, .jewelry, .motor, .electronics,
        ]

        public init(protoValue: Int32) {
            switch protoValue {
            case 0: self = .reading
            case 1: self = .collection
            case 2: self = .decoration
            case 3: self = .clothing
            case 4: self = .jewelry
            case 5: self = .motor
            case 6: self = .electronics
            default: self = .unrecognized(protoValue)
            }
        }

        public var protoValue: Int32 {
            switch self {
            case .reading: 0
            case .collection: 1
            case .decoration: 2
            case .clothing: 3
            case .jewelry: 4
            case .motor: 5
            case .electronics: 6
            case .unrecognized(let value): value
            }
        }
    }

    /// An item's physical condition (`state` on the wire).
    public enum State: ProtoEnum {
        /// `New` = 0.
        case new
        /// `Good` = 1.
        case good
        /// `Bad` = 2.
        case bad
        /// `Fatal` = 3.
        case fatal
        /// A number this code does not know, kept as it arrived.
        case unrecognized(Int32)

        /// The values the schema names, in number order.
        public static let known: [State] = [.new, .good, .bad, .fatal]

        public init(protoValue: Int32) {
            switch protoValue {
            case 0: self = .new
            case 1: self = .good
            case 2: self = .bad
            case 3: self = .fatal
            default: self = .unrecognized(protoValue)
            }
        }

        public var protoValue: Int32 {
            switch self {
            case .new: 0
            case .good: 1
            case .bad: 2
            case .fatal: 3
            case .unrecognized(let value): value
            }
        }
    }

    /// Where an item is in its lifecycle.
    public enum ItemStatus: ProtoEnum {
        /// `ITEM_STATUS_IN_STOCK` = 0.
        case inStock
        /// `ITEM_STATUS_WITH_CLIENT` = 1.
        case withClient
        /// `ITEM_STATUS_PAWNED` = 2.
        case pawned
        /// A number this code does not know, kept as it arrived.
        case unrecognized(Int32)

        /// The values the schema names, in number order.
        public static let known: [ItemStatus] = [.inStock, .withClient, .pawned]

        public init(protoValue: Int32) {
            switch protoValue {
            case 0: self = .inStock
            case 1: self = .withClient
            case 2: self = .pawned
            default: self = .unrecognized(protoValue)
            }
        }

        public var protoValue: Int32 {
            switch self {
            case .inStock: 0
            case .withClient: 1
            case .pawned: 2
            case .unrecognized(let value): value
            }
        }
    }

    /// The dispatcher's answer to a worker's join.
    public enum JoinResponse: ProtoEnum {
        /// `JOINED` = 0.
        case joined
        /// `REJECTED` = 1.
        case rejected
        /// A number this code does not know, kept as it arrived.
        case unrecognized(Int32)

        /// The values the schema names, in number order.
        public static let known: [JoinResponse] = [.joined, .rejected]

        public init(protoValue: Int32) {
            switch protoValue {
            case 0: self = .joined
            case 1: self = .rejected
            default: self = .unrecognized(protoValue)
            }
        }

        public var protoValue: Int32 {
            switch self {
            case .joined: 0
            case .rejected: 1
            case .unrecognized(let value): value
            }
        }
    }

    /// What became of an event.
    public enum EventStatus: ProtoEnum {
        /// `EVENT_STATUS_PENDING` = 0.
        case pending
        /// `EVENT_STATUS_APPLIED` = 1.
        case applied
        /// `EVENT_STATUS_REJECTED` = 2.
        case rejected
        /// A number this code does not know, kept as it arrived.
        case unrecognized(Int32)

        /// The values the schema names, in number order.
        public static let known: [EventStatus] = [.pending, .applied, .rejected]

        public init(protoValue: Int32) {
            switch protoValue {
            case 0: self = .pending
            case 1: self = .applied
            case 2: self = .rejected
            default: self = .unrecognized(protoValue)
            }
        }

        public var protoValue: Int32 {
            switch self {
            case .pending: 0
            case .applied: 1
            case .rejected: 2
            case .unrecognized(let value): value
            }
        }
    }

    /// Which action an event carries.
    public enum ActionKind: ProtoEnum {
        /// `ACTION_KIND_ADD` = 0.
        case add
        /// `ACTION_KIND_BUY` = 1.
        case buy
        /// `ACTION_KIND_SELL` = 2.
        case sell
        /// `ACTION_KIND_PAWN` = 3.
        case pawn
        /// `ACTION_KIND_REDEEM` = 4.
        case redeem
        /// `ACTION_KIND_FORFEIT` = 5.
        case forfeit
        /// A number this code does not know, kept as it arrived.
        case unrecognized(Int32)

        /// The values the schema names, in number order.
        public static let known: [ActionKind] = [.add, .buy, .sell, .pawn, .redeem, .forfeit]

        public init(protoValue: Int32) {
            switch protoValue {
            case 0: self = .add
            case 1: self = .buy
            case 2: self = .sell
            case 3: self = .pawn
            case 4: self = .redeem
            case 5: self = .forfeit
            default: self = .unrecognized(protoValue)
            }
        }

        public var protoValue: Int32 {
            switch self {
            case .add: 0
            case .buy: 1
            case .sell: 2
            case .pawn: 3
            case .redeem: 4
            case .forfeit: 5
            case .unrecognized(let value): value
            }
        }
    }
}
