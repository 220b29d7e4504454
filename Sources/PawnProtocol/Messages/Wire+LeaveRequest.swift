extension Wire {
    /// `pawnshop.v1.LeaveRequest`: Dispatcher.Leave's request.
    public struct LeaveRequest: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.LeaveRequest" }

        /// The worker's id. (Field 1.)
        public var workerId: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(workerId: String = "") {
            self.workerId = workerId
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, workerId)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, workerId)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: workerId = try reader.string(tag, "workerId")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
