extension Wire {
    /// `pawnshop.v1.AddItem`: The value of the `items` topic: a new item.
    public struct AddItem: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.AddItem" }

        /// The new item: id, name, category, price, state, age. (Field 1.)
        public var item: Item? = nil
        /// The event's id, unique per event. (Field 2.)
        public var eventId: String = ""
        /// In stock, or with a client. (Field 3.)
        public var status: ItemStatus = .inStock
        /// The client holding the item, when it is added with one. (Field 4.)
        public var owner: String? = nil
        /// When the item was added (`YYYY-MM-DD`); empty when unknown. (Field 5.)
        public var date: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(
            item: Item? = nil, eventId: String = "", status: ItemStatus = .inStock, owner: String? = nil,
            date: String = ""
        ) {
            self.item = item
            self.eventId = eventId
            self.status = status
            self.owner = owner
            self.date = date
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.message(1, item)
            size &+= ProtoSize.string(2, eventId)
            size &+= ProtoSize.enum(3, status)
            size &+= (owner.map { ProtoSize.string(4, $0, always: true) } ?? 0)
            size &+= ProtoSize.string(5, date)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeMessage(1, item)
            writer.writeString(2, eventId)
            writer.writeEnum(3, status)
            if let owner { writer.writeString(4, owner, always: true) }
            writer.writeString(5, date)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: item = try reader.message(tag, "item", mergingInto: item)
            case 2: eventId = try reader.string(tag, "eventId")
            case 3: status = try reader.enum(tag, "status")
            case 4: owner = try reader.string(tag, "owner")
            case 5: date = try reader.string(tag, "date")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
