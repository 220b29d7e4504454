/// W3C Trace Context (https://www.w3.org/TR/trace-context/): the trace a request belongs to
/// and the span that is its parent, as the `traceparent` and `tracestate` fields carry them
/// from a client to the dispatcher, in Kafka record headers to the worker, and in gRPC
/// metadata from the dispatcher to a worker.
///
/// Pure: the standard library only.
public struct TraceContext: Sendable, Hashable, CustomStringConvertible {
    /// The trace's 16 bytes, never all zero.
    public let traceID: TraceID
    /// The parent span's 8 bytes, never all zero.
    public let spanID: SpanID
    /// The trace flags; bit 0 is `sampled`.
    public let flags: UInt8
    /// The vendors' `tracestate` list, passed on unchanged when it is well-formed, else empty.
    public let traceState: String

    /// The name of the header, record header and metadata key that carries the context.
    public static let traceparentName = "traceparent"
    /// The name of the one that carries the vendors' state.
    public static let tracestateName = "tracestate"

    /// A context of the given ids.
    public init(traceID: TraceID, spanID: SpanID, flags: UInt8 = 0x01, traceState: String = "") {
        self.traceID = traceID
        self.spanID = spanID
        self.flags = flags
        self.traceState = traceState
    }

    /// Whether the caller recorded its span (the `sampled` flag).
    public var sampled: Bool { flags & 0x01 != 0 }

    /// `traceparent` as version 00 writes it: `00-<trace id>-<span id>-<flags>`, lowercase hex.
    public var traceparent: String {
        "00-\(traceID.hex)-\(spanID.hex)-\(Hex.byte(flags))"
    }

    public var description: String { traceparent }

    /// A new trace: random ids (a random trace id is what the spec's `random` flag, bit 1,
    /// promises; it is set).
    public static func newTrace(sampled: Bool = true) -> TraceContext {
        TraceContext(traceID: .random(), spanID: .random(), flags: (sampled ? 0x01 : 0x00) | 0x02)
    }

    /// The same trace and state with a new span id: the context a span of this process
    /// passes on as the parent of what it calls.
    public func child() -> TraceContext {
        TraceContext(traceID: traceID, spanID: .random(), flags: flags, traceState: traceState)
    }

    /// The context of a `traceparent` field and the `tracestate` field beside it, or `nil`
    /// when `traceparent` is missing or malformed (the receiver then starts a new trace). A
    /// malformed `tracestate` is dropped, and the `traceparent` kept.
    ///
    /// Follows the spec's parsing rules: two hex digits of version, `ff` invalid; version 00
    /// is exactly 55 characters; a later version may be longer, with a `-` after the 55th,
    /// and is read as 00; ids are lowercase hex and not all zero.
    public init?(traceparent: String?, tracestate: String? = nil) {
        guard let traceparent else { return nil }
        let bytes = Array(traceparent.utf8)
        guard bytes.count >= 55, bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"),
            bytes[52] == UInt8(ascii: "-"), let version = Hex.parse(bytes[0..<2]), version != 0xFF
        else { return nil }
        if version == 0 {
            guard bytes.count == 55 else { return nil }
        } else if bytes.count > 55 {
            guard bytes[55] == UInt8(ascii: "-") else { return nil }
        }
        guard let trace = TraceID(hex: bytes[3..<35]), let span = SpanID(hex: bytes[36..<52]),
            let flags = Hex.parse(bytes[53..<55])
        else { return nil }
        self.init(
            traceID: trace, spanID: span, flags: version == 0 ? flags : flags & 0x03,
            traceState: tracestate.flatMap(Self.wellFormedState) ?? "")
    }

    /// `value` when it is a well-formed `tracestate` list (at most 32 members of `key=value`,
    /// keys and values as the spec's grammar has them, 512 characters at most), else `nil`.
    static func wellFormedState(_ value: String) -> String? {
        guard value.utf8.count <= 512 else { return nil }
        var members: [Substring] = []
        for member in value.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = member.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }
            let text = Substring(String(trimmed.reversed()))
            if text.isEmpty { continue }  // empty list members are allowed and ignored
            members.append(text)
        }
        guard !members.isEmpty, members.count <= 32 else { return nil }
        var keys = Set<Substring>()
        for member in members {
            guard let equals = member.firstIndex(of: "=") else { return nil }
            let key = member[..<equals]
            let text = member[member.index(after: equals)...]
            guard isKey(key), isValue(text), keys.insert(key).inserted else { return nil }
        }
        return value
    }

    /// `key = simple-key / multi-tenant-key`: lowercase letters, digits, `_ - * /`, and one
    /// `@` between a tenant (up to 241 characters) and a system (up to 14) id.
    private static func isKey(_ key: Substring) -> Bool {
        let parts = key.split(separator: "@", omittingEmptySubsequences: false)
        func simple(_ part: Substring, first: (UInt8) -> Bool, max: Int) -> Bool {
            let bytes = Array(part.utf8)
            guard !bytes.isEmpty, bytes.count <= max, first(bytes[0]) else { return false }
            return bytes.allSatisfy { byte in
                (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                    || [UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/")].contains(
                        byte)
            }
        }
        let lower: (UInt8) -> Bool = { (0x61...0x7A).contains($0) }
        let lowerOrDigit: (UInt8) -> Bool = { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
        switch parts.count {
        case 1: return simple(parts[0], first: lower, max: 256)
        case 2:
            return simple(parts[0], first: lowerOrDigit, max: 241) && simple(parts[1], first: lower, max: 14)
        default: return false
        }
    }

    /// `value`: 1–256 printable ASCII characters other than `,` and `=`, not ending in a space.
    private static func isValue(_ value: Substring) -> Bool {
        let bytes = Array(value.utf8)
        guard !bytes.isEmpty, bytes.count <= 256, bytes.last != 0x20 else { return false }
        return bytes.allSatisfy {
            (0x20...0x7E).contains($0) && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: "=")
        }
    }
}

/// A trace's 16-byte id.
public struct TraceID: Sendable, Hashable, CustomStringConvertible {
    /// The first 8 bytes, big-endian.
    public let high: UInt64
    /// The last 8 bytes, big-endian.
    public let low: UInt64

    /// An id of two halves; `nil` when both are zero (the invalid id).
    public init?(high: UInt64, low: UInt64) {
        guard high != 0 || low != 0 else { return nil }
        self.high = high
        self.low = low
    }

    /// A random id.
    public static func random() -> TraceID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// A random id drawn from `generator`.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> TraceID {
        while true {
            if let id = TraceID(high: generator.next(), low: generator.next()) { return id }
        }
    }

    /// 32 lowercase hex digits; `nil` when malformed or all zero.
    public init?<Bytes: Collection>(hex: Bytes) where Bytes.Element == UInt8 {
        guard hex.count == 32, let high = Hex.parse64(hex.prefix(16)),
            let low = Hex.parse64(hex.dropFirst(16))
        else { return nil }
        self.init(high: high, low: low)
    }

    /// 32 lowercase hex digits.
    public var hex: String { Hex.string(high) + Hex.string(low) }

    /// The 16 bytes, big-endian (as OTLP carries them).
    public var bytes: [UInt8] { Hex.bigEndian(high) + Hex.bigEndian(low) }

    public var description: String { hex }
}

/// A span's 8-byte id.
public struct SpanID: Sendable, Hashable, CustomStringConvertible {
    /// The id, big-endian.
    public let value: UInt64

    /// An id; `nil` when zero (the invalid id).
    public init?(_ value: UInt64) {
        guard value != 0 else { return nil }
        self.value = value
    }

    /// A random id.
    public static func random() -> SpanID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// A random id drawn from `generator`.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> SpanID {
        while true {
            if let id = SpanID(generator.next()) { return id }
        }
    }

    /// 16 lowercase hex digits; `nil` when malformed or zero.
    public init?<Bytes: Collection>(hex: Bytes) where Bytes.Element == UInt8 {
        guard hex.count == 16, let value = Hex.parse64(hex) else { return nil }
        self.init(value)
    }

    /// 16 lowercase hex digits.
    public var hex: String { Hex.string(value) }

    /// The 8 bytes, big-endian (as OTLP carries them).
    public var bytes: [UInt8] { Hex.bigEndian(value) }

    public var description: String { hex }
}

/// Lowercase hex, as trace context writes it (uppercase is invalid there).
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func value(_ byte: UInt8) -> UInt64? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt64(byte - UInt8(ascii: "a") + 10)
        default: nil
        }
    }

    static func parse<Bytes: Collection>(_ bytes: Bytes) -> UInt8? where Bytes.Element == UInt8 {
        guard bytes.count == 2, let value = parse64(bytes) else { return nil }
        return UInt8(value)
    }

    static func parse64<Bytes: Collection>(_ bytes: Bytes) -> UInt64? where Bytes.Element == UInt8 {
        guard !bytes.isEmpty, bytes.count <= 16 else { return nil }
        var result: UInt64 = 0
        for byte in bytes {
            guard let digit = value(byte) else { return nil }
            result = result << 4 | digit
        }
        return result
    }

    static func byte(_ value: UInt8) -> String {
        String(decoding: [digits[Int(value >> 4)], digits[Int(value & 0x0F)]], as: UTF8.self)
    }

    static func string(_ value: UInt64) -> String {
        var out = [UInt8](repeating: 0, count: 16)
        var rest = value
        for index in (0..<16).reversed() {
            out[index] = digits[Int(rest & 0x0F)]
            rest >>= 4
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }
}

extension TraceContext {
    /// The context of the work the current task does for a request: set by the dispatcher
    /// around a request's handler and by a worker around an event's apply, read where the
    /// context leaves the process (a Kafka record's headers, a gRPC call's metadata) and by
    /// log lines that name the trace.
    @TaskLocal public static var current: TraceContext?
}
