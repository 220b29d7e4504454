extension Wire {
    /// `pawnshop.v1.HeartbeatReply`: Dispatcher.Heartbeat's reply; `known == false` tells the worker to join again.
    public struct HeartbeatReply: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.HeartbeatReply" }

        /// Whether the dispatcher knows the worker; `false` means join again. (Field 1.)
        public var known: Bool = false
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(known: Bool = false) {
            self.known = known
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.bool(1, known)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeBool(1, known)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: known = try reader.bool(tag, "known")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
