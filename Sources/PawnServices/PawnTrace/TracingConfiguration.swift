import PawnProtocol

/// Where and how spans are exported, from OpenTelemetry's standard environment variables:
/// `OTEL_SDK_DISABLED`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as given) or
/// `OTEL_EXPORTER_OTLP_ENDPOINT` (with `/v1/traces` appended), `OTEL_SERVICE_NAME`,
/// `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`.
/// Tracing is off when no endpoint is set.
public struct TracingConfiguration: Sendable, Hashable {
    /// The OTLP/HTTP URL spans are POSTed to (`http://collector:4318/v1/traces`), `nil`: off.
    public var endpoint: String?
    /// The resource's `service.name`.
    public var serviceName: String
    /// The resource's other attributes, in the order given.
    public var resourceAttributes: [String: String]
    /// Which traces are recorded.
    public var sampler: Sampler

    /// Whether spans are recorded and exported at all.
    public var enabled: Bool { endpoint != nil }

    /// A configuration.
    public init(
        endpoint: String?, serviceName: String, resourceAttributes: [String: String] = [:],
        sampler: Sampler = .parentBased(root: .alwaysOn)
    ) {
        self.endpoint = endpoint
        self.serviceName = serviceName
        self.resourceAttributes = resourceAttributes
        self.sampler = sampler
    }

    /// A variable that cannot be used, named with why.
    public struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        /// The variable (`OTEL_TRACES_SAMPLER`).
        public var variable: String
        /// What is wrong with its value.
        public var message: String
        public var description: String { "\(variable): \(message)" }
    }

    /// The configuration `environment` names for a process whose own service name is
    /// `defaultService` (`OTEL_SERVICE_NAME`, then `service.name` in
    /// `OTEL_RESOURCE_ATTRIBUTES`, win over it).
    public static func fromEnvironment(_ environment: [String: String], defaultService: String)
        throws(Problem)
        -> TracingConfiguration
    {
        let attributes = try resourceAttributes(environment["OTEL_RESOURCE_ATTRIBUTES"])
        let service =
            nonEmpty(environment["OTEL_SERVICE_NAME"]) ?? attributes["service.name"] ?? defaultService
        var rest = attributes
        rest["service.name"] = nil
        guard
            let sampler = Sampler(
                name: nonEmpty(environment["OTEL_TRACES_SAMPLER"]),
                argument: environment["OTEL_TRACES_SAMPLER_ARG"])
        else {
            throw Problem(
                variable: "OTEL_TRACES_SAMPLER",
                message:
                    "\"\(environment["OTEL_TRACES_SAMPLER"] ?? "")\" with argument \"\(environment["OTEL_TRACES_SAMPLER_ARG"] ?? "")\" is not always_on, always_off, traceidratio or parentbased_* with a ratio from 0 to 1"
            )
        }
        var endpoint: String?
        if let traces = nonEmpty(environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]) {
            endpoint = traces
        } else if let base = nonEmpty(environment["OTEL_EXPORTER_OTLP_ENDPOINT"]) {
            endpoint = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/v1/traces"
        }
        if let url = endpoint, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw Problem(
                variable: "OTEL_EXPORTER_OTLP_ENDPOINT", message: "\"\(url)\" is not an http or https URL")
        }
        if let protocolName = nonEmpty(
            environment["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] ?? environment["OTEL_EXPORTER_OTLP_PROTOCOL"]),
            protocolName != "http/protobuf"
        {
            throw Problem(
                variable: "OTEL_EXPORTER_OTLP_PROTOCOL",
                message: "\"\(protocolName)\" is not supported: PawnShop exports OTLP over http/protobuf")
        }
        if environment["OTEL_SDK_DISABLED"]?.lowercased() == "true" { endpoint = nil }
        return TracingConfiguration(
            endpoint: endpoint, serviceName: service, resourceAttributes: rest, sampler: sampler)
    }

    /// `key1=value1,key2=value2`, keys and values percent-decoded (W3C Baggage's encoding).
    static func resourceAttributes(_ text: String?) throws(Problem) -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        var attributes: [String: String] = [:]
        for member in text.split(separator: ",") {
            let pair = member.split(separator: "=", maxSplits: 1)
            guard pair.count == 2,
                let key = percentDecoded(pair[0].trimmingSpaces()), !key.isEmpty,
                let value = percentDecoded(pair[1].trimmingSpaces())
            else {
                throw Problem(variable: "OTEL_RESOURCE_ATTRIBUTES", message: "\"\(member)\" is not key=value")
            }
            attributes[key] = value
        }
        return attributes
    }

    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexDigit), let low = iterator.next().flatMap(hexDigit)
            else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// The OTLP body of `spans`, from this configuration's resource.
    public func exportRequest(_ spans: [FinishedSpan]) -> OTLP.ExportTraceServiceRequest {
        let resource = OTLP.Resource(
            attributes: [OTLP.KeyValue("service.name", .string(serviceName))]
                + resourceAttributes.sorted { $0.key < $1.key }.map {
                    OTLP.KeyValue($0.key, .string($0.value))
                })
        return OTLP.ExportTraceServiceRequest(resourceSpans: [
            OTLP.ResourceSpans(
                resource: resource,
                scopeSpans: [
                    OTLP.ScopeSpans(
                        scope: OTLP.InstrumentationScope(name: "pawnshop"), spans: spans.map(Self.otlp))
                ])
        ])
    }

    /// One span as OTLP writes it.
    static func otlp(_ span: FinishedSpan) -> OTLP.Span {
        var message = OTLP.Span()
        message.traceId = span.context.traceID.bytes
        message.spanId = span.context.spanID.bytes
        message.traceState = span.context.traceState
        message.parentSpanId = span.parentSpanID?.bytes ?? []
        message.name = span.name
        message.kind =
            switch span.kind {
            case .internal: .internal
            case .server: .server
            case .client: .client
            case .producer: .producer
            case .consumer: .consumer
            }
        message.startTimeUnixNano = span.startNanoseconds
        message.endTimeUnixNano = span.endNanoseconds
        message.attributes = span.attributes.map { key, value in
            switch value {
            case .string(let text): OTLP.KeyValue(key, .string(text))
            case .int(let number): OTLP.KeyValue(key, .int(number))
            case .double(let number): OTLP.KeyValue(key, .double(number))
            case .bool(let flag): OTLP.KeyValue(key, .bool(flag))
            }
        }
        switch span.status {
        case .unset: message.status = nil
        case .ok: message.status = OTLP.Status(code: .ok)
        case .error(let why): message.status = OTLP.Status(code: .error, message: why)
        }
        // The W3C flags, and bit 8 (the parent is known): whether the parent is remote is
        // not tracked, so bit 9 stays clear.
        message.flags = UInt32(span.context.flags) | 0x100
        return message
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return text
    }
}
