/// Encoded sizes, computed before writing so that a message encodes into one allocation
/// of exactly the right size. Each field function returns 0 for a proto3 default value
/// that is omitted from the wire.
public enum ProtoSize {
    /// Bytes taken by `value` as a varint (1–10).
    @inline(__always)
    public static func varint(_ value: UInt64) -> Int {
        (UInt64.bitWidth &- (value | 1).leadingZeroBitCount &+ 6) / 7
    }

    /// Bytes taken by the tag of `field`.
    @inline(__always)
    public static func tag(_ field: Int) -> Int { varint(UInt64(truncatingIfNeeded: field) << 3) }

    /// A varint field, omitted when zero (unless `always`).
    @inline(__always)
    public static func varintField(_ field: Int, _ value: UInt64, always: Bool = false) -> Int {
        value == 0 && !always ? 0 : tag(field) &+ varint(value)
    }

    /// An `int64` field.
    @inline(__always)
    public static func int64(_ field: Int, _ value: Int64, always: Bool = false) -> Int {
        varintField(field, UInt64(bitPattern: value), always: always)
    }

    /// An `int32` or enum field (negative values take 10 bytes, sign-extended).
    @inline(__always)
    public static func int32(_ field: Int, _ value: Int32, always: Bool = false) -> Int {
        varintField(field, UInt64(bitPattern: Int64(value)), always: always)
    }

    /// A `uint64` field.
    @inline(__always)
    public static func uint64(_ field: Int, _ value: UInt64, always: Bool = false) -> Int {
        varintField(field, value, always: always)
    }

    /// A `uint32` field.
    @inline(__always)
    public static func uint32(_ field: Int, _ value: UInt32, always: Bool = false) -> Int {
        varintField(field, UInt64(value), always: always)
    }

    /// A `sint32` field (zigzag).
    @inline(__always)
    public static func sint32(_ field: Int, _ value: Int32, always: Bool = false) -> Int {
        varintField(field, UInt64(ZigZag.encode32(value)), always: always)
    }

    /// A `sint64` field (zigzag).
    @inline(__always)
    public static func sint64(_ field: Int, _ value: Int64, always: Bool = false) -> Int {
        varintField(field, ZigZag.encode64(value), always: always)
    }

    /// A `bool` field.
    @inline(__always)
    public static func bool(_ field: Int, _ value: Bool, always: Bool = false) -> Int {
        value || always ? tag(field) &+ 1 : 0
    }

    /// An enum field.
    @inline(__always)
    public static func `enum`<E: ProtoEnum>(_ field: Int, _ value: E, always: Bool = false) -> Int {
        int32(field, value.protoValue, always: always)
    }

    /// A `fixed32`, `sfixed32` or `float` field, omitted when its bits are all zero.
    @inline(__always)
    public static func fixed32(_ field: Int, _ bits: UInt32, always: Bool = false) -> Int {
        bits == 0 && !always ? 0 : tag(field) &+ 4
    }

    /// A `fixed64`, `sfixed64` or `double` field, omitted when its bits are all zero.
    @inline(__always)
    public static func fixed64(_ field: Int, _ bits: UInt64, always: Bool = false) -> Int {
        bits == 0 && !always ? 0 : tag(field) &+ 8
    }

    /// A length-delimited field of `length` bytes (always present).
    @inline(__always)
    public static func lengthDelimited(_ field: Int, length: Int) -> Int {
        tag(field) &+ varint(UInt64(length)) &+ length
    }

    /// A `string` field, omitted when empty (unless `always`).
    @inline(__always)
    public static func string(_ field: Int, _ value: String, always: Bool = false) -> Int {
        let length = value.utf8.count
        return length == 0 && !always ? 0 : lengthDelimited(field, length: length)
    }

    /// A `bytes` field, omitted when empty (unless `always`).
    @inline(__always)
    public static func bytes(_ field: Int, _ value: [UInt8], always: Bool = false) -> Int {
        value.isEmpty && !always ? 0 : lengthDelimited(field, length: value.count)
    }

    /// An embedded message field, present when non-nil.
    @inline(__always)
    public static func message<M: ProtoMessage>(_ field: Int, _ value: M?) -> Int {
        guard let value else { return 0 }
        return lengthDelimited(field, length: value.encodedSize())
    }

    /// A repeated message field.
    @inline(__always)
    public static func repeatedMessage<M: ProtoMessage>(_ field: Int, _ values: [M]) -> Int {
        var total = 0
        let tagSize = tag(field)
        // Through the buffer: iterating or subscripting the array copies each element.
        values.withUnsafeBufferPointer { elements in
            for index in elements.indices {
                let length = elements[index].encodedSize()
                total &+= tagSize &+ varint(UInt64(length)) &+ length
            }
        }
        return total
    }

    /// A repeated `string` field.
    @inline(__always)
    public static func repeatedString(_ field: Int, _ values: [String]) -> Int {
        var total = 0
        for index in values.indices { total &+= lengthDelimited(field, length: values[index].utf8.count) }
        return total
    }

    /// The payload of a packed repeated varint field (without tag and length).
    @inline(__always)
    public static func packedVarintPayload<S: Sequence>(_ values: S, _ transform: (S.Element) -> UInt64)
        -> Int
    {
        var total = 0
        for value in values { total &+= varint(transform(value)) }
        return total
    }

    /// A packed repeated `int32` field, omitted when empty.
    @inline(__always)
    public static func packedInt32(_ field: Int, _ values: [Int32]) -> Int {
        packed(field, payload: packedVarintPayload(values) { UInt64(bitPattern: Int64($0)) })
    }

    /// A packed repeated 4-byte field (`fixed32`, `sfixed32`, `float`), omitted when empty.
    @inline(__always)
    public static func packedFixed32(_ field: Int, count: Int) -> Int { packed(field, payload: count &* 4) }

    /// A packed repeated 8-byte field (`fixed64`, `sfixed64`, `double`), omitted when empty.
    @inline(__always)
    public static func packedFixed64(_ field: Int, count: Int) -> Int { packed(field, payload: count &* 8) }

    /// A packed repeated varint field, omitted when empty.
    @inline(__always)
    public static func packed(_ field: Int, payload: Int) -> Int {
        payload == 0 ? 0 : lengthDelimited(field, length: payload)
    }
}

/// ZigZag encoding for `sint32`/`sint64`: small magnitudes, either sign, stay small.
public enum ZigZag {
    /// `n` → `(n << 1) ^ (n >> 31)`.
    @inline(__always)
    public static func encode32(_ value: Int32) -> UInt32 { UInt32(bitPattern: (value << 1) ^ (value >> 31)) }
    /// `n` → `(n << 1) ^ (n >> 63)`.
    @inline(__always)
    public static func encode64(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }
    /// The inverse of ``encode32(_:)``.
    @inline(__always)
    public static func decode32(_ value: UInt32) -> Int32 {
        Int32(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }
    /// The inverse of ``encode64(_:)``.
    @inline(__always)
    public static func decode64(_ value: UInt64) -> Int64 {
        Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }
}
