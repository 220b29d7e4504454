/// gRPC's length-prefixed messages: a compressed flag byte, a 4-byte big-endian length,
/// then the message (gRPC's PROTOCOL-HTTP2.md, "Length-Prefixed-Message").
public enum GRPCFraming {
    /// `message` with its 5-byte prefix (uncompressed).
    public static func frame(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0]
        out.reserveCapacity(message.count + 5)
        let length = UInt32(message.count)
        out += [
            UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF),
            UInt8(length & 0xFF),
        ]
        out += message
        return out
    }

    /// A protobuf message with its prefix, encoded straight into one buffer.
    public static func frame<M: ProtoMessage>(_ message: M) -> [UInt8] {
        var out: [UInt8] = [0, 0, 0, 0, 0]
        message.serialize(appendingTo: &out)
        let length = UInt32(out.count - 5)
        out[1] = UInt8(length >> 24)
        out[2] = UInt8((length >> 16) & 0xFF)
        out[3] = UInt8((length >> 8) & 0xFF)
        out[4] = UInt8(length & 0xFF)
        return out
    }
}

/// Reassembles length-prefixed messages from DATA frames, however they are split.
public struct GRPCDeframer: Sendable {
    /// Why the bytes are not acceptable messages.
    public enum Failure: Error, Hashable, Sendable {
        /// A message longer than the limit (RESOURCE_EXHAUSTED).
        case tooLarge(length: Int, limit: Int)
        /// The compressed flag is set, but no compression was negotiated (INTERNAL).
        case compressed
    }

    /// The largest message accepted, in bytes.
    public let maxMessageSize: Int
    private var buffer: [UInt8] = []

    /// A deframer that refuses messages over `maxMessageSize` bytes.
    public init(maxMessageSize: Int = 4 * 1024 * 1024) { self.maxMessageSize = maxMessageSize }

    /// Whether a message is partly received.
    public var hasPartialMessage: Bool { !buffer.isEmpty }

    /// Adds bytes; returns the messages now complete.
    public mutating func append(_ bytes: [UInt8]) throws(Failure) -> [[UInt8]] {
        buffer += bytes
        var messages: [[UInt8]] = []
        var offset = 0
        while buffer.count - offset >= 5 {
            let flag = buffer[offset]
            let length =
                Int(buffer[offset + 1]) << 24 | Int(buffer[offset + 2]) << 16 | Int(buffer[offset + 3]) << 8
                | Int(buffer[offset + 4])
            guard flag == 0 else { throw .compressed }
            guard length <= maxMessageSize else { throw .tooLarge(length: length, limit: maxMessageSize) }
            guard buffer.count - offset - 5 >= length else { break }
            messages.append(Array(buffer[(offset + 5)..<(offset + 5 + length)]))
            offset += 5 + length
        }
        if offset > 0 { buffer.removeFirst(offset) }
        return messages
    }
}

/// The `grpc-timeout` header: a positive integer of at most 8 digits and a unit.
public enum GRPCTimeout {
    /// The timeout in nanoseconds, or `nil` when the value is malformed.
    public static func parse(_ value: String) -> Int64? {
        guard let unit = value.last, value.count >= 2, value.count <= 9,
            let amount = Int64(value.dropLast()), amount >= 0
        else { return nil }
        let nanos: Int64
        switch unit {
        case "H": nanos = 3_600_000_000_000
        case "M": nanos = 60_000_000_000
        case "S": nanos = 1_000_000_000
        case "m": nanos = 1_000_000
        case "u": nanos = 1_000
        case "n": nanos = 1
        default: return nil
        }
        let (product, overflow) = amount.multipliedReportingOverflow(by: nanos)
        return overflow ? Int64.max : product
    }

    /// A header value for a timeout, in the finest unit that fits 8 digits.
    public static func format(nanoseconds: Int64) -> String {
        let units: [(Int64, String)] = [
            (1, "n"), (1_000, "u"), (1_000_000, "m"), (1_000_000_000, "S"), (60_000_000_000, "M"),
            (3_600_000_000_000, "H"),
        ]
        for (scale, unit) in units {
            // Rounded up, without the `+ scale - 1` that overflows near Int64.max.
            let value = max(0, nanoseconds)
            let amount = value / scale + (value % scale == 0 ? 0 : 1)
            if amount < 100_000_000 { return "\(amount)\(unit)" }
        }
        return "99999999H"
    }
}
