extension Wire {
    /// `pawnshop.v1.FetchItemsResponse`: A page of items; `next`, when set, fetches the following page.
    public struct FetchItemsResponse: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.FetchItemsResponse" }

        /// The items of the page, in id order. (Field 1.)
        public var items: [Item] = []
        /// The cursor for the following page; absent on the last page. (Field 2.)
        public var next: String? = nil
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(items: [Item] = [], next: String? = nil) {
            self.items = items
            self.next = next
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.repeatedMessage(1, items)
            size &+= (next.map { ProtoSize.string(2, $0, always: true) } ?? 0)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeRepeatedMessage(1, items)
            if let next { writer.writeString(2, next, always: true) }
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: items.append(try reader.message(tag, "items"))
            case 2: next = try reader.string(tag, "next")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
