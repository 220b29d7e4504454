extension Wire {
    /// `pawnshop.v1.FetchByNameRequest`: Worker.FetchItemsByName's request; `after` is the previous page's `next`.
    public struct FetchByNameRequest: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.FetchByNameRequest" }

        /// The exact name to match. (Field 1.)
        public var name: String = ""
        /// The largest page wanted, 1–1000 (0 means the default, 10). (Field 2.)
        public var limit: Int32 = 0
        /// The `next` cursor of the previous page; empty for the first page. (Field 3.)
        public var after: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(name: String = "", limit: Int32 = 0, after: String = "") {
            self.name = name
            self.limit = limit
            self.after = after
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, name)
            size &+= ProtoSize.int32(2, limit)
            size &+= ProtoSize.string(3, after)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, name)
            writer.writeInt32(2, limit)
            writer.writeString(3, after)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: name = try reader.string(tag, "name")
            case 2: limit = try reader.int32(tag, "limit")
            case 3: after = try reader.string(tag, "after")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
