extension Wire {
    /// `pawnshop.v1.FetchItemResponse`: Worker.FetchItemById's response.
    public struct FetchItemResponse: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.FetchItemResponse" }

        /// The item with its history. (Field 1.)
        public var item: ItemWithHistory? = nil
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(item: ItemWithHistory? = nil) {
            self.item = item
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.message(1, item)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeMessage(1, item)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: item = try reader.message(tag, "item", mergingInto: item)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
