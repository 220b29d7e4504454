extension Wire {
    /// `pawnshop.v1.FetchByStatusRequest`: Worker.FetchItemsByStatus's request.
    public struct FetchByStatusRequest: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.FetchByStatusRequest" }

        /// The lifecycle status to match. (Field 1.)
        public var status: ItemStatus = .inStock
        /// The largest page wanted, 1–1000 (0 means the default, 10). (Field 2.)
        public var limit: Int32 = 0
        /// The `next` cursor of the previous page; empty for the first page. (Field 3.)
        public var after: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(status: ItemStatus = .inStock, limit: Int32 = 0, after: String = "") {
            self.status = status
            self.limit = limit
            self.after = after
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.enum(1, status)
            size &+= ProtoSize.int32(2, limit)
            size &+= ProtoSize.string(3, after)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeEnum(1, status)
            writer.writeInt32(2, limit)
            writer.writeString(3, after)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: status = try reader.enum(tag, "status")
            case 2: limit = try reader.int32(tag, "limit")
            case 3: after = try reader.string(tag, "after")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
