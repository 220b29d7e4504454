extension Wire {
    /// `pawnshop.v1.PartitionLag`: how far a worker is behind on one event-log partition.
    public struct PartitionLag: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.PartitionLag" }

        /// The topic. (Field 1.)
        public var topic: String = ""
        /// The partition's number. (Field 2.)
        public var partition: Int32 = 0
        /// Records on the log the worker has not applied yet. (Field 3.)
        public var lag: Int64 = 0
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(topic: String = "", partition: Int32 = 0, lag: Int64 = 0) {
            self.topic = topic
            self.partition = partition
            self.lag = lag
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, topic)
            size &+= ProtoSize.int32(2, partition)
            size &+= ProtoSize.int64(3, lag)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, topic)
            writer.writeInt32(2, partition)
            writer.writeInt64(3, lag)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: topic = try reader.string(tag, "topic")
            case 2: partition = try reader.int32(tag, "partition")
            case 3: lag = try reader.int64(tag, "lag")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
