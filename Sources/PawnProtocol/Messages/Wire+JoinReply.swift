extension Wire {
    /// `pawnshop.v1.JoinReply`: Dispatcher.Join's reply.
    public struct JoinReply: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.JoinReply" }

        /// Whether the worker joined. (Field 1.)
        public var response: JoinResponse = .joined
        /// Why the worker was refused. (Field 2.)
        public var reason: String = ""
        /// How often to send heartbeats, in milliseconds. (Field 3.)
        public var heartbeatIntervalMs: Int32 = 0
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(response: JoinResponse = .joined, reason: String = "", heartbeatIntervalMs: Int32 = 0) {
            self.response = response
            self.reason = reason
            self.heartbeatIntervalMs = heartbeatIntervalMs
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.enum(1, response)
            size &+= ProtoSize.string(2, reason)
            size &+= ProtoSize.int32(3, heartbeatIntervalMs)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeEnum(1, response)
            writer.writeString(2, reason)
            writer.writeInt32(3, heartbeatIntervalMs)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: response = try reader.enum(tag, "response")
            case 2: reason = try reader.string(tag, "reason")
            case 3: heartbeatIntervalMs = try reader.int32(tag, "heartbeatIntervalMs")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
