extension Wire {
    /// `pawnshop.v1.HeartbeatRequest`: Dispatcher.Heartbeat's request; `partitions` (packed) are the event-log partitions the worker consumes.
    public struct HeartbeatRequest: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.HeartbeatRequest" }

        /// The worker's id. (Field 1.)
        public var workerId: String = ""
        /// Calls the worker is serving now. (Field 2.)
        public var inFlight: Int32 = 0
        /// The event-log partitions the worker consumes (packed). (Field 3.)
        public var partitions: [Int32] = []
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(workerId: String = "", inFlight: Int32 = 0, partitions: [Int32] = []) {
            self.workerId = workerId
            self.inFlight = inFlight
            self.partitions = partitions
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, workerId)
            size &+= ProtoSize.int32(2, inFlight)
            size &+= ProtoSize.packedInt32(3, partitions)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, workerId)
            writer.writeInt32(2, inFlight)
            writer.writePackedInt32(3, partitions)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: workerId = try reader.string(tag, "workerId")
            case 2: inFlight = try reader.int32(tag, "inFlight")
            case 3:
                try reader.repeatedVarint(tag, "partitions", into: &partitions) {
                    Int32(truncatingIfNeeded: $0)
                }
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
