extension Wire {
    /// `pawnshop.v1.Forfeit`: The value of the `forfeit-actions` topic: a loan was not repaid in time.
    public struct Forfeit: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.Forfeit" }

        /// The id of the item the event is about. (Field 1.)
        public var itemId: String = ""
        /// When, as an ISO-8601 date (`YYYY-MM-DD`). (Field 2.)
        public var date: String = ""
        /// The event's id, unique per event. (Field 3.)
        public var eventId: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(itemId: String = "", date: String = "", eventId: String = "") {
            self.itemId = itemId
            self.date = date
            self.eventId = eventId
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, itemId)
            size &+= ProtoSize.string(2, date)
            size &+= ProtoSize.string(3, eventId)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, itemId)
            writer.writeString(2, date)
            writer.writeString(3, eventId)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: itemId = try reader.string(tag, "itemId")
            case 2: date = try reader.string(tag, "date")
            case 3: eventId = try reader.string(tag, "eventId")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
