extension Wire {
    /// `pawnshop.v1.RejectedEvent`: An event the state machine refused, kept in the item's history.
    public struct RejectedEvent: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.RejectedEvent" }

        /// The event's id, unique per event. (Field 1.)
        public var eventId: String = ""
        /// The id of the item the event is about. (Field 2.)
        public var itemId: String = ""
        /// Which action the event carried. (Field 3.)
        public var action: ActionKind = .add
        /// A machine-readable reason (`Rejection.Code` of PawnDomain). (Field 4.)
        public var code: String = ""
        /// Why it was refused, in a sentence. (Field 5.)
        public var reason: String = ""
        /// The client who asked, when the action has one. (Field 6.)
        public var clientId: String? = nil
        /// When, as an ISO-8601 date (`YYYY-MM-DD`). (Field 7.)
        public var date: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(
            eventId: String = "", itemId: String = "", action: ActionKind = .add, code: String = "",
            reason: String = "", clientId: String? = nil, date: String = ""
        ) {
            self.eventId = eventId
            self.itemId = itemId
            self.action = action
            self.code = code
            self.reason = reason
            self.clientId = clientId
            self.date = date
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, eventId)
            size &+= ProtoSize.string(2, itemId)
            size &+= ProtoSize.enum(3, action)
            size &+= ProtoSize.string(4, code)
            size &+= ProtoSize.string(5, reason)
            size &+= (clientId.map { ProtoSize.string(6, $0, always: true) } ?? 0)
            size &+= ProtoSize.string(7, date)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, eventId)
            writer.writeString(2, itemId)
            writer.writeEnum(3, action)
            writer.writeString(4, code)
            writer.writeString(5, reason)
            if let clientId { writer.writeString(6, clientId, always: true) }
            writer.writeString(7, date)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: eventId = try reader.string(tag, "eventId")
            case 2: itemId = try reader.string(tag, "itemId")
            case 3: action = try reader.enum(tag, "action")
            case 4: code = try reader.string(tag, "code")
            case 5: reason = try reader.string(tag, "reason")
            case 6: clientId = try reader.string(tag, "clientId")
            case 7: date = try reader.string(tag, "date")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
