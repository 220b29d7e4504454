extension Wire {
    /// `pawnshop.v1.GetEventResponse`: What became of an event.
    public struct GetEventResponse: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.GetEventResponse" }

        /// Pending, applied or rejected. (Field 1.)
        public var status: EventStatus = .pending
        /// Why it was rejected. (Field 2.)
        public var reason: String = ""
        /// A machine-readable reason (`Rejection.Code` of PawnDomain). (Field 3.)
        public var code: String = ""
        /// The event's item, once known. (Field 4.)
        public var itemId: String = ""
        /// The W3C trace id of the request that published the event, once recorded. (Field 5.)
        public var traceId: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(
            status: EventStatus = .pending, reason: String = "", code: String = "", itemId: String = "",
            traceId: String = ""
        ) {
            self.status = status
            self.reason = reason
            self.code = code
            self.itemId = itemId
            self.traceId = traceId
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.enum(1, status)
            size &+= ProtoSize.string(2, reason)
            size &+= ProtoSize.string(3, code)
            size &+= ProtoSize.string(4, itemId)
            size &+= ProtoSize.string(5, traceId)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeEnum(1, status)
            writer.writeString(2, reason)
            writer.writeString(3, code)
            writer.writeString(4, itemId)
            writer.writeString(5, traceId)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: status = try reader.enum(tag, "status")
            case 2: reason = try reader.string(tag, "reason")
            case 3: code = try reader.string(tag, "code")
            case 4: itemId = try reader.string(tag, "itemId")
            case 5: traceId = try reader.string(tag, "traceId")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
