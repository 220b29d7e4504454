extension Wire {
    /// `pawnshop.v1.GetEventRequest`: Worker.GetEvent's request.
    public struct GetEventRequest: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.GetEventRequest" }

        /// The event's id, unique per event. (Field 1.)
        public var eventId: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(eventId: String = "") {
            self.eventId = eventId
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, eventId)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, eventId)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: eventId = try reader.string(tag, "eventId")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
