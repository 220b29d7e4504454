extension Wire {
    /// `pawnshop.v1.ItemWithHistory`: An item and every event applied to it or refused, each list in event order.
    public struct ItemWithHistory: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.ItemWithHistory" }

        /// The item as it is now. (Field 1.)
        public var item: Item? = nil
        /// The shop's purchases of the item, in event order. (Field 2.)
        public var buys: [Buy] = []
        /// The item's sales, in event order. (Field 3.)
        public var sells: [Sell] = []
        /// The item's pawns, in event order. (Field 4.)
        public var pawns: [Pawn] = []
        /// The item's redeems, in event order. (Field 5.)
        public var redeems: [Redeem] = []
        /// The item's forfeits, in event order. (Field 6.)
        public var forfeits: [Forfeit] = []
        /// The events refused by the state machine, in event order. (Field 7.)
        public var rejected: [RejectedEvent] = []
        /// Every event id of the history in event order, the add's included, so that the
        /// lists above merge into one timeline. (Field 8.)
        public var order: [String] = []
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(
            item: Item? = nil, buys: [Buy] = [], sells: [Sell] = [], pawns: [Pawn] = [],
            redeems: [Redeem] = [], forfeits: [Forfeit] = [], rejected: [RejectedEvent] = [],
            order: [String] = []
        ) {
            self.order = order
            self.item = item
            self.buys = buys
            self.sells = sells
            self.pawns = pawns
            self.redeems = redeems
            self.forfeits = forfeits
            self.rejected = rejected
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.message(1, item)
            size &+= ProtoSize.repeatedMessage(2, buys)
            size &+= ProtoSize.repeatedMessage(3, sells)
            size &+= ProtoSize.repeatedMessage(4, pawns)
            size &+= ProtoSize.repeatedMessage(5, redeems)
            size &+= ProtoSize.repeatedMessage(6, forfeits)
            size &+= ProtoSize.repeatedMessage(7, rejected)
            size &+= ProtoSize.repeatedString(8, order)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeMessage(1, item)
            writer.writeRepeatedMessage(2, buys)
            writer.writeRepeatedMessage(3, sells)
            writer.writeRepeatedMessage(4, pawns)
            writer.writeRepeatedMessage(5, redeems)
            writer.writeRepeatedMessage(6, forfeits)
            writer.writeRepeatedMessage(7, rejected)
            writer.writeRepeatedString(8, order)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: item = try reader.message(tag, "item", mergingInto: item)
            case 2: buys.append(try reader.message(tag, "buys"))
            case 3: sells.append(try reader.message(tag, "sells"))
            case 4: pawns.append(try reader.message(tag, "pawns"))
            case 5: redeems.append(try reader.message(tag, "redeems"))
            case 6: forfeits.append(try reader.message(tag, "forfeits"))
            case 7: rejected.append(try reader.message(tag, "rejected"))
            case 8: order.append(try reader.string(tag, "order"))
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
