extension Wire {
    /// `pawnshop.v1.LeaveReply`: Dispatcher.Leave's reply (no fields).
    public struct LeaveReply: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.LeaveReply" }

        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        public func encodedSize() -> Int {
            unknownFields.bytes.count
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
