extension Wire {
    /// `pawnshop.v1.LeaveRequest`: Dispatcher.Leave's request.
    public struct LeaveRequest: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.LeaveRequest" }

        /// The worker's id. (Field 1.)
        public var workerId: String = ""
        /// The join token: the dispatcher refuses a Leave without it. (Field 2.)
        public var token: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(workerId: String = "", token: String = "") {
            self.workerId = workerId
            self.token = token
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, workerId)
            size &+= ProtoSize.string(2, token)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, workerId)
            writer.writeString(2, token)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: workerId = try reader.string(tag, "workerId")
            case 2: token = try reader.string(tag, "token")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
