extension Wire {
    /// `grpc.health.v1.HealthCheckResponse`: `grpc.health.v1.Health/Check`'s response.
    public struct HealthCheckResponse: ProtoMessage {
        public static var protoMessageName: StaticString { "grpc.health.v1.HealthCheckResponse" }

        /// Whether the service is serving. (Field 1.)
        public var status: HealthCheckResponse.ServingStatus = .unknown
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields.
        public init(status: HealthCheckResponse.ServingStatus = .unknown) {
            self.status = status
        }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.enum(1, status)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeEnum(1, status)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: status = try reader.enum(tag, "status")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }

        /// A service's health.
        public enum ServingStatus: ProtoEnum {
            /// `UNKNOWN` = 0.
            case unknown
            /// `SERVING` = 1.
            case serving
            /// `NOT_SERVING` = 2.
            case notServing
            /// `SERVICE_UNKNOWN` = 3.
            case serviceUnknown
            /// A number this code does not know, kept as it arrived.
            case unrecognized(Int32)

            /// The values the schema names, in number order.
            public static let known: [ServingStatus] = [.unknown, .serving, .notServing, .serviceUnknown]

            public init(protoValue: Int32) {
                switch protoValue {
                case 0: self = .unknown
                case 1: self = .serving
                case 2: self = .notServing
                case 3: self = .serviceUnknown
                default: self = .unrecognized(protoValue)
                }
            }

            public var protoValue: Int32 {
                switch self {
                case .unknown: 0
                case .serving: 1
                case .notServing: 2
                case .serviceUnknown: 3
                case .unrecognized(let value): value
                }
            }
        }
    }
}
