/// The OpenTelemetry protocol's trace messages that PawnShop's exporter writes
/// (`Protos/opentelemetry/proto/…`, the upstream packages and field numbers): the body of an
/// OTLP/HTTP POST to `/v1/traces` and its answer.
public enum OTLP {
    /// `opentelemetry.proto.common.v1.AnyValue`: one of a string, a bool, an integer or a double.
    public struct AnyValue: ProtoMessage {
        public static var protoMessageName: StaticString { "opentelemetry.proto.common.v1.AnyValue" }

        /// The `value` oneof.
        public enum Value: Hashable, Sendable {
            /// `string_value` (field 1).
            case string(String)
            /// `bool_value` (field 2).
            case bool(Bool)
            /// `int_value` (field 3).
            case int(Int64)
            /// `double_value` (field 4).
            case double(Double)
        }

        /// The value, when one is set (a oneof member is written even at its default).
        public var value: Value? = nil
        public var unknownFields = UnknownFields()

        /// A message with no value.
        public init() {}

        /// A message holding `value`.
        public init(_ value: Value?) { self.value = value }

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            switch value {
            case .string(let text)?: size &+= ProtoSize.string(1, text, always: true)
            case .bool(let flag)?: size &+= ProtoSize.bool(2, flag, always: true)
            case .int(let number)?: size &+= ProtoSize.int64(3, number, always: true)
            case .double(let number)?: size &+= ProtoSize.fixed64(4, number.bitPattern, always: true)
            case nil: break
            }
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            switch value {
            case .string(let text)?: writer.writeString(1, text, always: true)
            case .bool(let flag)?: writer.writeBool(2, flag, always: true)
            case .int(let number)?: writer.writeInt64(3, number, always: true)
            case .double(let number)?: writer.writeFixed64Field(4, number.bitPattern, always: true)
            case nil: break
            }
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: value = .string(try reader.string(tag, "string_value"))
            case 2: value = .bool(try reader.bool(tag, "bool_value"))
            case 3: value = .int(try reader.int64(tag, "int_value"))
            case 4: value = .double(Double(bitPattern: try reader.fixed64(tag, "double_value")))
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    /// `opentelemetry.proto.common.v1.KeyValue`: an attribute.
    public struct KeyValue: ProtoMessage {
        public static var protoMessageName: StaticString { "opentelemetry.proto.common.v1.KeyValue" }

        /// The attribute's name (`http.route`). (Field 1.)
        public var key: String = ""
        /// Its value. (Field 2.)
        public var value: AnyValue? = nil
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// An attribute.
        public init(_ key: String, _ value: AnyValue.Value) {
            self.key = key
            self.value = AnyValue(value)
        }

        public func encodedSize() -> Int {
            unknownFields.bytes.count &+ ProtoSize.string(1, key) &+ ProtoSize.message(2, value)
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, key)
            writer.writeMessage(2, value)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: key = try reader.string(tag, "key")
            case 2: value = try reader.message(tag, "value", mergingInto: value)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    /// `opentelemetry.proto.common.v1.InstrumentationScope`: what produced the spans.
    public struct InstrumentationScope: ProtoMessage {
        public static var protoMessageName: StaticString {
            "opentelemetry.proto.common.v1.InstrumentationScope"
        }

        /// The instrumentation's name. (Field 1.)
        public var name: String = ""
        /// Its version. (Field 2.)
        public var version: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A scope.
        public init(name: String, version: String = "") {
            self.name = name
            self.version = version
        }

        public func encodedSize() -> Int {
            unknownFields.bytes.count &+ ProtoSize.string(1, name) &+ ProtoSize.string(2, version)
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(1, name)
            writer.writeString(2, version)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: name = try reader.string(tag, "name")
            case 2: version = try reader.string(tag, "version")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    /// `opentelemetry.proto.resource.v1.Resource`: the service that produced the spans.
    public struct Resource: ProtoMessage {
        public static var protoMessageName: StaticString { "opentelemetry.proto.resource.v1.Resource" }

        /// `service.name` and the other resource attributes. (Field 1.)
        public var attributes: [KeyValue] = []
        /// Attributes left out. (Field 2.)
        public var droppedAttributesCount: UInt32 = 0
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A resource of `attributes`.
        public init(attributes: [KeyValue]) { self.attributes = attributes }

        public func encodedSize() -> Int {
            unknownFields.bytes.count &+ ProtoSize.repeatedMessage(1, attributes)
                &+ ProtoSize.uint32(2, droppedAttributesCount)
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeRepeatedMessage(1, attributes)
            writer.writeUInt32(2, droppedAttributesCount)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: attributes.append(try reader.message(tag, "attributes"))
            case 2: droppedAttributesCount = try reader.uint32(tag, "dropped_attributes_count")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    /// `opentelemetry.proto.trace.v1.Status`: whether the operation succeeded.
    public struct Status: ProtoMessage {
        public static var protoMessageName: StaticString { "opentelemetry.proto.trace.v1.Status" }

        /// `Status.StatusCode`.
        public enum Code: ProtoEnum {
            /// `STATUS_CODE_UNSET` = 0.
            case unset
            /// `STATUS_CODE_OK` = 1.
            case ok
            /// `STATUS_CODE_ERROR` = 2.
            case error
            /// A number this code does not know, kept as it arrived.
            case unrecognized(Int32)

            public init(protoValue: Int32) {
                switch protoValue {
                case 0: self = .unset
                case 1: self = .ok
                case 2: self = .error
                default: self = .unrecognized(protoValue)
                }
            }

            public var protoValue: Int32 {
                switch self {
                case .unset: 0
                case .ok: 1
                case .error: 2
                case .unrecognized(let value): value
                }
            }
        }

        /// What went wrong, for an error. (Field 2.)
        public var message: String = ""
        /// Unset, ok or error. (Field 3.)
        public var code: Code = .unset
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A status.
        public init(code: Code, message: String = "") {
            self.code = code
            self.message = message
        }

        public func encodedSize() -> Int {
            unknownFields.bytes.count &+ ProtoSize.string(2, message) &+ ProtoSize.enum(3, code)
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeString(2, message)
            writer.writeEnum(3, code)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 2: message = try reader.string(tag, "message")
            case 3: code = try reader.enum(tag, "code")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    /// `opentelemetry.proto.trace.v1.Span`: one operation.
    public struct Span: ProtoMessage {
        public static var protoMessageName: StaticString { "opentelemetry.proto.trace.v1.Span" }

        /// `Span.SpanKind`.
        public enum Kind: ProtoEnum {
            /// `SPAN_KIND_UNSPECIFIED` = 0.
            case unspecified
            /// `SPAN_KIND_INTERNAL` = 1.
            case `internal`
            /// `SPAN_KIND_SERVER` = 2.
            case server
            /// `SPAN_KIND_CLIENT` = 3.
            case client
            /// `SPAN_KIND_PRODUCER` = 4.
            case producer
            /// `SPAN_KIND_CONSUMER` = 5.
            case consumer
            /// A number this code does not know, kept as it arrived.
            case unrecognized(Int32)

            public init(protoValue: Int32) {
                switch protoValue {
                case 0: self = .unspecified
                case 1: self = .internal
                case 2: self = .server
                case 3: self = .client
                case 4: self = .producer
                case 5: self = .consumer
                default: self = .unrecognized(protoValue)
                }
            }

            public var protoValue: Int32 {
                switch self {
                case .unspecified: 0
                case .internal: 1
                case .server: 2
                case .client: 3
                case .producer: 4
                case .consumer: 5
                case .unrecognized(let value): value
                }
            }
        }

        /// The trace's 16 bytes. (Field 1.)
        public var traceId: [UInt8] = []
        /// The span's 8 bytes. (Field 2.)
        public var spanId: [UInt8] = []
        /// The W3C `tracestate` of the span's context. (Field 3.)
        public var traceState: String = ""
        /// The parent span's 8 bytes; empty for a root span. (Field 4.)
        public var parentSpanId: [UInt8] = []
        /// The operation's name (`POST /item/add`). (Field 5.)
        public var name: String = ""
        /// Server, client, producer, consumer or internal. (Field 6.)
        public var kind: Kind = .unspecified
        /// Start, nanoseconds since the Unix epoch. (Field 7.)
        public var startTimeUnixNano: UInt64 = 0
        /// End, nanoseconds since the Unix epoch. (Field 8.)
        public var endTimeUnixNano: UInt64 = 0
        /// What the operation was about. (Field 9.)
        public var attributes: [KeyValue] = []
        /// Attributes left out. (Field 10.)
        public var droppedAttributesCount: UInt32 = 0
        /// Whether it succeeded. (Field 15.)
        public var status: Status? = nil
        /// The W3C trace flags in the low byte. (Field 16.)
        public var flags: UInt32 = 0
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        public func encodedSize() -> Int {
            var size = unknownFields.bytes.count
            size &+= ProtoSize.bytes(1, traceId)
            size &+= ProtoSize.bytes(2, spanId)
            size &+= ProtoSize.string(3, traceState)
            size &+= ProtoSize.bytes(4, parentSpanId)
            size &+= ProtoSize.string(5, name)
            size &+= ProtoSize.enum(6, kind)
            size &+= ProtoSize.fixed64(7, startTimeUnixNano)
            size &+= ProtoSize.fixed64(8, endTimeUnixNano)
            size &+= ProtoSize.repeatedMessage(9, attributes)
            size &+= ProtoSize.uint32(10, droppedAttributesCount)
            size &+= ProtoSize.message(15, status)
            size &+= ProtoSize.fixed32(16, flags)
            return size
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeBytes(1, traceId)
            writer.writeBytes(2, spanId)
            writer.writeString(3, traceState)
            writer.writeBytes(4, parentSpanId)
            writer.writeString(5, name)
            writer.writeEnum(6, kind)
            writer.writeFixed64Field(7, startTimeUnixNano)
            writer.writeFixed64Field(8, endTimeUnixNano)
            writer.writeRepeatedMessage(9, attributes)
            writer.writeUInt32(10, droppedAttributesCount)
            writer.writeMessage(15, status)
            writer.writeFixed32Field(16, flags)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: traceId = try reader.bytes(tag, "trace_id")
            case 2: spanId = try reader.bytes(tag, "span_id")
            case 3: traceState = try reader.string(tag, "trace_state")
            case 4: parentSpanId = try reader.bytes(tag, "parent_span_id")
            case 5: name = try reader.string(tag, "name")
            case 6: kind = try reader.enum(tag, "kind")
            case 7: startTimeUnixNano = try reader.fixed64(tag, "start_time_unix_nano")
            case 8: endTimeUnixNano = try reader.fixed64(tag, "end_time_unix_nano")
            case 9: attributes.append(try reader.message(tag, "attributes"))
            case 10: droppedAttributesCount = try reader.uint32(tag, "dropped_attributes_count")
            case 15: status = try reader.message(tag, "status", mergingInto: status)
            case 16: flags = try reader.fixed32(tag, "flags")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    /// `opentelemetry.proto.trace.v1.ScopeSpans`: the spans of one instrumentation scope.
    public struct ScopeSpans: ProtoMessage {
        public static var protoMessageName: StaticString { "opentelemetry.proto.trace.v1.ScopeSpans" }

        /// The instrumentation. (Field 1.)
        public var scope: InstrumentationScope? = nil
        /// Its spans. (Field 2.)
        public var spans: [Span] = []
        /// The semantic conventions' schema URL. (Field 3.)
        public var schemaUrl: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// The spans of `scope`.
        public init(scope: InstrumentationScope?, spans: [Span], schemaUrl: String = "") {
            self.scope = scope
            self.spans = spans
            self.schemaUrl = schemaUrl
        }

        public func encodedSize() -> Int {
            unknownFields.bytes.count &+ ProtoSize.message(1, scope) &+ ProtoSize.repeatedMessage(2, spans)
                &+ ProtoSize.string(3, schemaUrl)
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeMessage(1, scope)
            writer.writeRepeatedMessage(2, spans)
            writer.writeString(3, schemaUrl)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: scope = try reader.message(tag, "scope", mergingInto: scope)
            case 2: spans.append(try reader.message(tag, "spans"))
            case 3: schemaUrl = try reader.string(tag, "schema_url")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    /// `opentelemetry.proto.trace.v1.ResourceSpans`: the spans of one resource.
    public struct ResourceSpans: ProtoMessage {
        public static var protoMessageName: StaticString { "opentelemetry.proto.trace.v1.ResourceSpans" }

        /// The service. (Field 1.)
        public var resource: Resource? = nil
        /// Its spans, by scope. (Field 2.)
        public var scopeSpans: [ScopeSpans] = []
        /// The semantic conventions' schema URL. (Field 3.)
        public var schemaUrl: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// The spans of `resource`.
        public init(resource: Resource?, scopeSpans: [ScopeSpans], schemaUrl: String = "") {
            self.resource = resource
            self.scopeSpans = scopeSpans
            self.schemaUrl = schemaUrl
        }

        public func encodedSize() -> Int {
            unknownFields.bytes.count &+ ProtoSize.message(1, resource)
                &+ ProtoSize.repeatedMessage(2, scopeSpans) &+ ProtoSize.string(3, schemaUrl)
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeMessage(1, resource)
            writer.writeRepeatedMessage(2, scopeSpans)
            writer.writeString(3, schemaUrl)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: resource = try reader.message(tag, "resource", mergingInto: resource)
            case 2: scopeSpans.append(try reader.message(tag, "scope_spans"))
            case 3: schemaUrl = try reader.string(tag, "schema_url")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    /// `opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest`: an OTLP/HTTP body.
    public struct ExportTraceServiceRequest: ProtoMessage {
        public static var protoMessageName: StaticString {
            "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest"
        }

        /// The spans, by resource. (Field 1.)
        public var resourceSpans: [ResourceSpans] = []
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A request of `resourceSpans`.
        public init(resourceSpans: [ResourceSpans]) { self.resourceSpans = resourceSpans }

        public func encodedSize() -> Int {
            unknownFields.bytes.count &+ ProtoSize.repeatedMessage(1, resourceSpans)
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeRepeatedMessage(1, resourceSpans)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: resourceSpans.append(try reader.message(tag, "resource_spans"))
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    /// `opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess`: spans a receiver refused.
    public struct ExportTracePartialSuccess: ProtoMessage {
        public static var protoMessageName: StaticString {
            "opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess"
        }

        /// How many spans were refused. (Field 1.)
        public var rejectedSpans: Int64 = 0
        /// Why. (Field 2.)
        public var errorMessage: String = ""
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// A partial success.
        public init(rejectedSpans: Int64, errorMessage: String = "") {
            self.rejectedSpans = rejectedSpans
            self.errorMessage = errorMessage
        }

        public func encodedSize() -> Int {
            unknownFields.bytes.count &+ ProtoSize.int64(1, rejectedSpans)
                &+ ProtoSize.string(2, errorMessage)
        }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeInt64(1, rejectedSpans)
            writer.writeString(2, errorMessage)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: rejectedSpans = try reader.int64(tag, "rejected_spans")
            case 2: errorMessage = try reader.string(tag, "error_message")
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    /// `opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse`: a receiver's answer.
    public struct ExportTraceServiceResponse: ProtoMessage {
        public static var protoMessageName: StaticString {
            "opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse"
        }

        /// Set when some spans were refused. (Field 1.)
        public var partialSuccess: ExportTracePartialSuccess? = nil
        public var unknownFields = UnknownFields()

        /// A message with every field at its default.
        public init() {}

        /// An answer.
        public init(partialSuccess: ExportTracePartialSuccess?) { self.partialSuccess = partialSuccess }

        public func encodedSize() -> Int { unknownFields.bytes.count &+ ProtoSize.message(1, partialSuccess) }

        public func encode(to writer: inout ProtoWriter) {
            writer.writeMessage(1, partialSuccess)
            writer.writeUnknown(unknownFields)
        }

        public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader)
            throws(ProtoDecodingError)
        {
            switch tag.number {
            case 1: partialSuccess = try reader.message(tag, "partial_success", mergingInto: partialSuccess)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
