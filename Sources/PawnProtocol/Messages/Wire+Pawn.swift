extension Wire {
    /// `pawnshop.v1.Pawn`: The value of the `pawn-actions` topic: a client pawns an item (`price` is the principal, `tax` the interest percent).
    public struct Pawn: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.Pawn" }

        /// The client (an id or a name). (Field 1.)
        public var clientId: String = ""
        /// The id of the item the event is about. (Field 3.)
        public var itemId: String = ""
        /// The loan's principal, in minor units. (Field 4.)
        public var price: Int64 = 0
        /// The loan's interest in percent, 0–100. (Field 5.)
        public var tax: Int32 = 0
        /// When, as an ISO-8601 date (`YYYY-MM-DD`). (Field 6.)
        public var date: String = ""
        /// Days the client has to redeem, 1–3650. (Field 7.)
        public var limitDays: Int32 = 0
        /// The event's id, unique per event. (Field 8.)
        public var eventId: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(
            clientId: String = "", itemId: String = "", price: Int64 = 0, tax: Int32 = 0, date: String = "",
            limitDays: Int32 = 0, eventId: String = ""
        ) {
            self.clientId = clientId
            self.itemId = itemId
            self.price = price
            self.tax = tax
            self.date = date
            self.limitDays = limitDays
            self.eventId = eventId
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, clientId)
            size &+= ProtoSize.string(3, itemId)
            size &+= ProtoSize.int64(4, price)
            size &+= ProtoSize.int32(5, tax)
            size &+= ProtoSize.string(6, date)
            size &+= ProtoSize.int32(7, limitDays)
            size &+= ProtoSize.string(8, eventId)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, clientId)
            writer.writeString(3, itemId)
            writer.writeInt64(4, price)
            writer.writeInt32(5, tax)
            writer.writeString(6, date)
            writer.writeInt32(7, limitDays)
            writer.writeString(8, eventId)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: clientId = try reader.string(tag, "clientId")
            case 3: itemId = try reader.string(tag, "itemId")
            case 4: price = try reader.int64(tag, "price")
            case 5: tax = try reader.int32(tag, "tax")
            case 6: date = try reader.string(tag, "date")
            case 7: limitDays = try reader.int32(tag, "limitDays")
            case 8: eventId = try reader.string(tag, "eventId")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
