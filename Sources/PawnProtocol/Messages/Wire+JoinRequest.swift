extension Wire {
    /// `pawnshop.v1.JoinRequest`: Dispatcher.Join's request.
    public struct JoinRequest: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.JoinRequest" }

        /// Who the worker is and where it serves gRPC. (Field 1.)
        public var workerInfo: WorkerInfo? = nil
        /// The shared secret that lets a worker join. (Field 2.)
        public var token: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(workerInfo: WorkerInfo? = nil, token: String = "") {
            self.workerInfo = workerInfo
            self.token = token
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.message(1, workerInfo)
            size &+= ProtoSize.string(2, token)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeMessage(1, workerInfo)
            writer.writeString(2, token)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: workerInfo = try reader.message(tag, "workerInfo", mergingInto: workerInfo)
            case 2: token = try reader.string(tag, "token")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
