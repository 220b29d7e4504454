extension Wire {
    /// `pawnshop.v1.HeartbeatRequest`: Dispatcher.Heartbeat's request: the worker's load, its partitions (packed), whether its pipeline is stalled, and the join token.
    public struct HeartbeatRequest: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.HeartbeatRequest" }

        /// The worker's id. (Field 1.)
        public var workerId: String = ""
        /// Calls the worker is serving now. (Field 2.)
        public var inFlight: Int32 = 0
        /// The event-log partitions the worker consumes (packed). (Field 3.)
        public var partitions: [Int32] = []
        /// Records are waiting but the worker has applied none for longer than its stall
        /// threshold. (Field 4.)
        public var stalled: Bool = false
        /// How far behind the worker is, per partition it consumes. (Field 5.)
        public var lag: [PartitionLag] = []
        /// How long the oldest record the worker fetched but has not applied has waited, in
        /// milliseconds; 0 when it holds none. (Field 6.)
        public var oldestUnappliedMs: Int64 = 0
        /// The join token: the dispatcher refuses a heartbeat without it. (Field 7.)
        public var token: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(
            workerId: String = "", inFlight: Int32 = 0, partitions: [Int32] = [], stalled: Bool = false,
            lag: [PartitionLag] = [], oldestUnappliedMs: Int64 = 0, token: String = ""
        ) {
            self.workerId = workerId
            self.inFlight = inFlight
            self.partitions = partitions
            self.stalled = stalled
            self.lag = lag
            self.oldestUnappliedMs = oldestUnappliedMs
            self.token = token
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, workerId)
            size &+= ProtoSize.int32(2, inFlight)
            size &+= ProtoSize.packedInt32(3, partitions)
            size &+= ProtoSize.bool(4, stalled)
            size &+= ProtoSize.repeatedMessage(5, lag)
            size &+= ProtoSize.int64(6, oldestUnappliedMs)
            size &+= ProtoSize.string(7, token)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, workerId)
            writer.writeInt32(2, inFlight)
            writer.writePackedInt32(3, partitions)
            writer.writeBool(4, stalled)
            writer.writeRepeatedMessage(5, lag)
            writer.writeInt64(6, oldestUnappliedMs)
            writer.writeString(7, token)
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
            case 4: stalled = try reader.bool(tag, "stalled")
            case 5: lag.append(try reader.message(tag, "lag"))
            case 6: oldestUnappliedMs = try reader.int64(tag, "oldestUnappliedMs")
            case 7: token = try reader.string(tag, "token")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
