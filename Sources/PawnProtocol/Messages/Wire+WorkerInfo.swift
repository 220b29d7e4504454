extension Wire {
    /// `pawnshop.v1.WorkerInfo`: Where a worker serves gRPC.
    public struct WorkerInfo: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.WorkerInfo" }

        /// The worker's id. (Field 1.)
        public var workerId: String = ""
        /// The worker's gRPC host. (Field 2.)
        public var host: String = ""
        /// The worker's gRPC port. (Field 3.)
        public var port: Int32 = 0
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(workerId: String = "", host: String = "", port: Int32 = 0) {
            self.workerId = workerId
            self.host = host
            self.port = port
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, workerId)
            size &+= ProtoSize.string(2, host)
            size &+= ProtoSize.int32(3, port)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, workerId)
            writer.writeString(2, host)
            writer.writeInt32(3, port)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: workerId = try reader.string(tag, "workerId")
            case 2: host = try reader.string(tag, "host")
            case 3: port = try reader.int32(tag, "port")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
