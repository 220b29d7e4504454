/// What a span is, for OTLP (`Span.SpanKind`).
public enum SpanKind: Sendable, Hashable {
    /// Work inside the process.
    case `internal`
    /// A request this process answers (HTTP, a gRPC call).
    case server
    /// A request this process makes (a gRPC call, a MongoDB command).
    case client
    /// A message this process publishes (a Kafka record).
    case producer
    /// A message this process consumes.
    case consumer
}

/// An attribute's value.
public enum AttributeValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// Text.
    case string(String)
    /// An integer.
    case int(Int64)
    /// A number.
    case double(Double)
    /// A flag.
    case bool(Bool)

    /// A string literal as ``string(_:)``.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer literal as ``int(_:)``.
    public init(integerLiteral value: Int64) { self = .int(value) }
}

/// A span's outcome.
public enum SpanStatus: Sendable, Hashable {
    /// Not said (the default for most spans).
    case unset
    /// Succeeded.
    case ok
    /// Failed, with why.
    case error(String)
}

/// A span that has ended, as the exporter sends it.
public struct FinishedSpan: Sendable, Hashable {
    /// The span's own context: its trace, its id, flags and trace state.
    public var context: TraceContext
    /// The parent span's id, `nil` for a root span.
    public var parentSpanID: SpanID?
    /// The operation (`POST /item/add`, `items publish`).
    public var name: String
    /// Server, client, producer, consumer or internal.
    public var kind: SpanKind
    /// Start and end, nanoseconds since the Unix epoch.
    public var startNanoseconds: UInt64
    /// See ``startNanoseconds``.
    public var endNanoseconds: UInt64
    /// What it was about, in OpenTelemetry's semantic conventions' names.
    public var attributes: [(String, AttributeValue)]
    /// Whether it succeeded.
    public var status: SpanStatus

    /// A finished span.
    public init(
        context: TraceContext, parentSpanID: SpanID?, name: String, kind: SpanKind, startNanoseconds: UInt64,
        endNanoseconds: UInt64, attributes: [(String, AttributeValue)] = [], status: SpanStatus = .unset
    ) {
        self.context = context
        self.parentSpanID = parentSpanID
        self.name = name
        self.kind = kind
        self.startNanoseconds = startNanoseconds
        self.endNanoseconds = endNanoseconds
        self.attributes = attributes
        self.status = status
    }

    public static func == (a: FinishedSpan, b: FinishedSpan) -> Bool {
        a.context == b.context && a.parentSpanID == b.parentSpanID && a.name == b.name && a.kind == b.kind
            && a.startNanoseconds == b.startNanoseconds && a.endNanoseconds == b.endNanoseconds
            && a.attributes.map(\.0) == b.attributes.map(\.0)
            && a.attributes.map(\.1) == b.attributes.map(\.1)
            && a.status == b.status
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(context)
        hasher.combine(name)
        hasher.combine(startNanoseconds)
    }
}

/// Which traces are recorded (`OTEL_TRACES_SAMPLER`): every one, none, a share of them by
/// trace id, or, for the `parentbased_*` samplers, what the caller decided when there is a
/// caller and the root sampler's decision when there is not.
public indirect enum Sampler: Sendable, Hashable {
    /// `always_on`.
    case alwaysOn
    /// `always_off`.
    case alwaysOff
    /// `traceidratio`: the traces whose id falls in the first `ratio` of the id space.
    case traceIDRatio(Double)
    /// `parentbased_always_on`, `parentbased_always_off`, `parentbased_traceidratio`.
    case parentBased(root: Sampler)

    /// Whether a span of `traceID` is recorded, `parent` being the caller's context (`nil`
    /// for a new trace).
    public func shouldSample(traceID: TraceID, parent: TraceContext?) -> Bool {
        switch self {
        case .alwaysOn: return true
        case .alwaysOff: return false
        case .traceIDRatio(let ratio):
            // The low 63 bits of the id against the ratio's share of them: the same trace
            // gets the same answer in every process.
            guard ratio > 0 else { return false }
            guard ratio < 1 else { return true }
            let bound = UInt64(ratio * 9_223_372_036_854_775_808.0)
            return traceID.low & 0x7FFF_FFFF_FFFF_FFFF < bound
        case .parentBased(let root):
            if let parent { return parent.sampled }
            return root.shouldSample(traceID: traceID, parent: nil)
        }
    }

    /// The sampler `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG` name (the default,
    /// when unset, is `parentbased_always_on`); `nil` for a name or ratio that is not one.
    public init?(name: String?, argument: String?) {
        let ratio: Double?
        if let argument, !argument.isEmpty {
            guard let value = Double(argument), value >= 0, value <= 1 else { return nil }
            ratio = value
        } else {
            ratio = nil
        }
        switch name ?? "parentbased_always_on" {
        case "always_on": self = .alwaysOn
        case "always_off": self = .alwaysOff
        case "traceidratio": self = .traceIDRatio(ratio ?? 1)
        case "parentbased_always_on": self = .parentBased(root: .alwaysOn)
        case "parentbased_always_off": self = .parentBased(root: .alwaysOff)
        case "parentbased_traceidratio": self = .parentBased(root: .traceIDRatio(ratio ?? 1))
        default: return nil
        }
    }
}
