extension Wire {
    /// `grpc.health.v1.HealthCheckRequest`: `grpc.health.v1.Health/Check`'s request; an empty service asks about the server.
    public struct HealthCheckRequest: ProtoMessage {
        public static var protoMessageName: StaticString { "grpc.health.v1.HealthCheckRequest" }

        /// The service asked about; empty for the server as a whole. (Field 1.)
        public var service: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(service: String = "") {
            self.service = service
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, service)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, service)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: service = try reader.string(tag, "service")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
