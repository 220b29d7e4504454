extension Wire {
    /// `pawnshop.v1.Loan`: The loan an item secures while pawned; dates are `YYYY-MM-DD`.
    public struct Loan: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.Loan" }

        /// The client who pawned the item. (Field 1.)
        public var clientId: String = ""
        /// The amount lent, in minor units. (Field 2.)
        public var principal: Int64 = 0
        /// Interest as a whole percentage of the principal. (Field 3.)
        public var interestPercent: Int32 = 0
        /// The day the loan was made (`YYYY-MM-DD`). (Field 4.)
        public var startDate: String = ""
        /// The last day on which the item may be redeemed (`YYYY-MM-DD`). (Field 5.)
        public var dueDate: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(
            clientId: String = "", principal: Int64 = 0, interestPercent: Int32 = 0, startDate: String = "",
            dueDate: String = ""
        ) {
            self.clientId = clientId
            self.principal = principal
            self.interestPercent = interestPercent
            self.startDate = startDate
            self.dueDate = dueDate
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, clientId)
            size &+= ProtoSize.int64(2, principal)
            size &+= ProtoSize.int32(3, interestPercent)
            size &+= ProtoSize.string(4, startDate)
            size &+= ProtoSize.string(5, dueDate)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, clientId)
            writer.writeInt64(2, principal)
            writer.writeInt32(3, interestPercent)
            writer.writeString(4, startDate)
            writer.writeString(5, dueDate)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: clientId = try reader.string(tag, "clientId")
            case 2: principal = try reader.int64(tag, "principal")
            case 3: interestPercent = try reader.int32(tag, "interestPercent")
            case 4: startDate = try reader.string(tag, "startDate")
            case 5: dueDate = try reader.string(tag, "dueDate")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
