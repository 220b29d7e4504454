extension Wire {
    /// `pawnshop.v1.Buy`: The value of the `buy-actions` topic: the shop buys from a client.
    public struct Buy: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.Buy" }

        /// The client (an id or a name). (Field 1.)
        public var clientId: String = ""
        /// The id of the item the event is about. (Field 2.)
        public var itemId: String = ""
        /// What the shop pays, in minor units. (Field 3.)
        public var price: Int64 = 0
        /// When, as an ISO-8601 date (`YYYY-MM-DD`). (Field 4.)
        public var date: String = ""
        /// The event's id, unique per event. (Field 5.)
        public var eventId: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(
            clientId: String = "", itemId: String = "", price: Int64 = 0, date: String = "",
            eventId: String = ""
        ) {
            self.clientId = clientId
            self.itemId = itemId
            self.price = price
            self.date = date
            self.eventId = eventId
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, clientId)
            size &+= ProtoSize.string(2, itemId)
            size &+= ProtoSize.int64(3, price)
            size &+= ProtoSize.string(4, date)
            size &+= ProtoSize.string(5, eventId)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, clientId)
            writer.writeString(2, itemId)
            writer.writeInt64(3, price)
            writer.writeString(4, date)
            writer.writeString(5, eventId)
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
            case 5: eventId = try reader.string(tag, "eventId")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
