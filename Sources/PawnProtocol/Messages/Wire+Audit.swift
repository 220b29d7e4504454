extension Wire {
    /// `pawnshop.v1.AuditOutcome`: what became of a write request.
    public enum AuditOutcome: ProtoEnum {
        /// `AUDIT_OUTCOME_ACCEPTED` = 0: published; answered 202.
        case accepted
        /// `AUDIT_OUTCOME_PARKED` = 1: parked in Redis; answered 202.
        case parked
        /// `AUDIT_OUTCOME_REFUSED` = 2: the client is on the fraud list; answered 403.
        case refused
        /// A number this code does not know, kept as it arrived.
        case unrecognized(Int32)

        public init(protoValue: Int32) {
            switch protoValue {
            case 0: self = .accepted
            case 1: self = .parked
            case 2: self = .refused
            default: self = .unrecognized(protoValue)
            }
        }

        public var protoValue: Int32 {
            switch self {
            case .accepted: 0
            case .parked: 1
            case .refused: 2
            case .unrecognized(let value): value
            }
        }
    }

    /// `pawnshop.v1.AuditRecord`: the audit record of a write request, on `long_term_storage`.
    public struct AuditRecord: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.AuditRecord" }

        /// The request's id (the `X-Request-Id` header, or one the dispatcher made). (Field 1.)
        public var requestId: String = ""
        /// The route (`/item/action/buy`). (Field 2.)
        public var route: String = ""
        /// The acting client, when the action has one. (Field 3.)
        public var clientId: String = ""
        /// The event's id. (Field 4.)
        public var eventId: String = ""
        /// The item's id. (Field 5.)
        public var itemId: String = ""
        /// What became of the request. (Field 6.)
        public var outcome: AuditOutcome = .accepted
        /// The HTTP status answered. (Field 7.)
        public var status: Int32 = 0
        /// When the request arrived, in microseconds since 1970 (UTC). (Field 8.)
        public var receivedAtMicros: Int64 = 0
        /// When it was answered, in microseconds since 1970 (UTC). (Field 9.)
        public var answeredAtMicros: Int64 = 0
        /// The topic the event went to. (Field 10.)
        public var topic: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, requestId)
            size &+= ProtoSize.string(2, route)
            size &+= ProtoSize.string(3, clientId)
            size &+= ProtoSize.string(4, eventId)
            size &+= ProtoSize.string(5, itemId)
            size &+= ProtoSize.enum(6, outcome)
            size &+= ProtoSize.int32(7, status)
            size &+= ProtoSize.int64(8, receivedAtMicros)
            size &+= ProtoSize.int64(9, answeredAtMicros)
            size &+= ProtoSize.string(10, topic)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, requestId)
            writer.writeString(2, route)
            writer.writeString(3, clientId)
            writer.writeString(4, eventId)
            writer.writeString(5, itemId)
            writer.writeEnum(6, outcome)
            writer.writeInt32(7, status)
            writer.writeInt64(8, receivedAtMicros)
            writer.writeInt64(9, answeredAtMicros)
            writer.writeString(10, topic)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: requestId = try reader.string(tag, "requestId")
            case 2: route = try reader.string(tag, "route")
            case 3: clientId = try reader.string(tag, "clientId")
            case 4: eventId = try reader.string(tag, "eventId")
            case 5: itemId = try reader.string(tag, "itemId")
            case 6: outcome = try reader.enum(tag, "outcome")
            case 7: status = try reader.int32(tag, "status")
            case 8: receivedAtMicros = try reader.int64(tag, "receivedAtMicros")
            case 9: answeredAtMicros = try reader.int64(tag, "answeredAtMicros")
            case 10: topic = try reader.string(tag, "topic")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    /// `pawnshop.v1.RecordHeader`: a header of a parked record.
    public struct RecordHeader: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.RecordHeader" }

        /// The header's name. (Field 1.)
        public var name: String = ""
        /// Its value. (Field 2.)
        public var value: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A header.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }

        public func encodedSize() -> Int {
            unknownFields.bytes.count &+ ProtoSize.string(1, name) &+ ProtoSize.string(2, value)
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, name)
            writer.writeString(2, value)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: name = try reader.string(tag, "name")
            case 2: value = try reader.string(tag, "value")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    /// `pawnshop.v1.ParkedRecord`: a write event waiting in Redis until Kafka takes it.
    public struct ParkedRecord: ProtoMessage {
        public static var protoMessageName: StaticString { "pawnshop.v1.ParkedRecord" }

        /// The topic it is for. (Field 1.)
        public var topic: String = ""
        /// Its key (the item id). (Field 2.)
        public var key: String = ""
        /// Its value (the protobuf event). (Field 3.)
        public var value: [UInt8] = []
        /// Its headers, in name order. (Field 4.)
        public var headers: [RecordHeader] = []
        /// When it was parked, in microseconds since 1970 (UTC). (Field 5.)
        public var parkedAtMicros: Int64 = 0
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.string(1, topic)
            size &+= ProtoSize.string(2, key)
            size &+= ProtoSize.bytes(3, value)
            size &+= ProtoSize.repeatedMessage(4, headers)
            size &+= ProtoSize.int64(5, parkedAtMicros)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, topic)
            writer.writeString(2, key)
            writer.writeBytes(3, value)
            writer.writeRepeatedMessage(4, headers)
            writer.writeInt64(5, parkedAtMicros)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: topic = try reader.string(tag, "topic")
            case 2: key = try reader.string(tag, "key")
            case 3: value = try reader.bytes(tag, "value")
            case 4: headers.append(try reader.message(tag, "headers"))
            case 5: parkedAtMicros = try reader.int64(tag, "parkedAtMicros")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
