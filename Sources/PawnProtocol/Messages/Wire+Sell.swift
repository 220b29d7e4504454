extension Wire {
    /// `pawnshop.v1.Sell`: The value of the `sell-actions` topic: the shop sells to a client.
    public struct Sell: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.Sell" }

        /// The client (an id or a name). (Field 1.)
        public var clientId: String = ""
        /// The id of the item the event is about. (Field 2.)
        public var itemId: String = ""
        /// What the client pays, in minor units. (Field 3.)
        public var price: Int64 = 0
        /// When, as an ISO-8601 date (`YYYY-MM-DD`). (Field 4.)
        public var date: String = ""
        /// The shop's profit on the sale (present when known). (Field 5.)
        public var profit: Int64? = nil
        /// The event's id, unique per event. (Field 6.)
        public var eventId: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(
            clientId: String = "", itemId: String = "", price: Int64 = 0, date: String = "",
            profit: Int64? = nil, eventId: String = ""
        ) {
            self.clientId = clientId
            self.itemId = itemId
            self.price = price
            self.date = date
            self.profit = profit
            self.eventId = eventId
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, clientId)
            size &+= ProtoSize.string(2, itemId)
            size &+= ProtoSize.int64(3, price)
            size &+= ProtoSize.string(4, date)
            size &+= (profit.map { ProtoSize.int64(5, $0, always: true) } ?? 0)
            size &+= ProtoSize.string(6, eventId)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, clientId)
            writer.writeString(2, itemId)
            writer.writeInt64(3, price)
            writer.writeString(4, date)
            if let profit { writer.writeInt64(5, profit, always: true) }
            writer.writeString(6, eventId)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: clientId = try reader.string(tag, "clientId")
            case 2: itemId = try reader.string(tag, "itemId")
            case 3: price = try reader.int64(tag, "price")
            case 4: date = try reader.string(tag, "date")
            case 5: profit = try reader.int64(tag, "profit")
            case 6: eventId = try reader.string(tag, "eventId")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
