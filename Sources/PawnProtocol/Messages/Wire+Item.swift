extension Wire {
    /// `pawnshop.v1.Item`: An item; fields 1–6 are the original's.
    public struct Item: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.Item" }

        /// The item's id. (Field 1.)
        public var id: String = ""
        /// The item's name. (Field 2.)
        public var name: String = ""
        /// The item's category. (Field 3.)
        public var category: Category = .reading
        /// The appraised value, in minor units (cents). (Field 4.)
        public var price: Int64 = 0
        /// The item's physical condition. (Field 5.)
        public var state: State = .new
        /// The item's age in months. (Field 6.)
        public var ageInMonths: Int32 = 0
        /// Where the item is in its lifecycle. (Field 7.)
        public var status: ItemStatus = .inStock
        /// The client holding the item, when there is one (presence is meaningful). (Field 8.)
        public var owner: String? = nil
        /// The loan the item secures, while pawned. (Field 9.)
        public var loan: Loan? = nil
        /// The number of events applied to the item. (Field 10.)
        public var version: Int64 = 0
        /// What the shop paid for the item, in minor units. (Field 11.)
        public var costBasis: Int64 = 0
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(
            id: String = "", name: String = "", category: Category = .reading, price: Int64 = 0,
            state: State = .new, ageInMonths: Int32 = 0, status: ItemStatus = .inStock, owner: String? = nil,
            loan: Loan? = nil, version: Int64 = 0, costBasis: Int64 = 0
        ) {
            self.id = id
            self.name = name
            self.category = category
            self.price = price
            self.state = state
            self.ageInMonths = ageInMonths
            self.status = status
            self.owner = owner
            self.loan = loan
            self.version = version
            self.costBasis = costBasis
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, id)
            size &+= ProtoSize.string(2, name)
            size &+= ProtoSize.enum(3, category)
            size &+= ProtoSize.int64(4, price)
            size &+= ProtoSize.enum(5, state)
            size &+= ProtoSize.int32(6, ageInMonths)
            size &+= ProtoSize.enum(7, status)
            size &+= (owner.map { ProtoSize.string(8, $0, always: true) } ?? 0)
            size &+= ProtoSize.message(9, loan)
            size &+= ProtoSize.int64(10, version)
            size &+= ProtoSize.int64(11, costBasis)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, id)
            writer.writeString(2, name)
            writer.writeEnum(3, category)
            writer.writeInt64(4, price)
            writer.writeEnum(5, state)
            writer.writeInt32(6, ageInMonths)
            writer.writeEnum(7, status)
            if let owner { writer.writeString(8, owner, always: true) }
            writer.writeMessage(9, loan)
            writer.writeInt64(10, version)
            writer.writeInt64(11, costBasis)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: id = try reader.string(tag, "id")
            case 2: name = try reader.string(tag, "name")
            case 3: category = try reader.enum(tag, "category")
            case 4: price = try reader.int64(tag, "price")
            case 5: state = try reader.enum(tag, "state")
            case 6: ageInMonths = try reader.int32(tag, "ageInMonths")
            case 7: status = try reader.enum(tag, "status")
            case 8: owner = try reader.string(tag, "owner")
            case 9: loan = try reader.message(tag, "loan", mergingInto: loan)
            case 10: version = try reader.int64(tag, "version")
            case 11: costBasis = try reader.int64(tag, "costBasis")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
