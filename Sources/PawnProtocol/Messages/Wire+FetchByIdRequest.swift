extension Wire {
    /// `pawnshop.v1.FetchByIdRequest`: Worker.FetchItemById's request.
    public struct FetchByIdRequest: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.FetchByIdRequest" }

        /// The id of the item wanted. (Field 1.)
        public var id: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(id: String = "") {
            self.id = id
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, id)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, id)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: id = try reader.string(tag, "id")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
