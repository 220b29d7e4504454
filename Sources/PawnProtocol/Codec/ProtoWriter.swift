/// Writes a message's fields into a buffer whose size ``ProtoSize`` computed beforehand.
///
/// Each field function mirrors the ``ProtoSize`` function of the same name and omits a
/// proto3 default unless `always` is set (fields with presence). Writing past the buffer
/// means a size function disagrees with its writer: that is a bug in this module, and
/// the writer stops the process rather than corrupt memory.
public struct ProtoWriter {
    @usableFromInline let base: UnsafeMutablePointer<UInt8>
    @usableFromInline let capacity: Int
    /// Bytes written so far.
    public private(set) var count: Int

    /// A writer into `buffer`, from its start.
    public init(buffer: UnsafeMutableBufferPointer<UInt8>) {
        // A zero-sized buffer may have no base address; nothing is ever written to it.
        base = buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: 0x1)!
        capacity = buffer.count
        count = 0
    }

    @inline(__always)
    private func ensure(_ bytes: Int) {
        precondition(count &+ bytes <= capacity, "ProtoWriter: encodedSize() disagrees with encode(to:)")
    }

    // MARK: - Raw

    /// Writes `value` as a varint.
    @inline(__always)
    public mutating func writeVarint(_ value: UInt64) {
        ensure(ProtoSize.varint(value))
        var value = value
        while value >= 0x80 {
            base[count] = UInt8(truncatingIfNeeded: value) | 0x80
            count &+= 1
            value >>= 7
        }
        base[count] = UInt8(truncatingIfNeeded: value)
        count &+= 1
    }

    /// Writes a field key.
    @inline(__always)
    public mutating func writeTag(_ field: Int, _ wireType: WireType) {
        writeVarint(FieldTag(number: field, wireType: wireType).rawValue)
    }

    /// Writes 4 bytes, little-endian.
    @inline(__always)
    public mutating func writeFixed32(_ value: UInt32) {
        ensure(4)
        UnsafeMutableRawPointer(base + count).storeBytes(of: value.littleEndian, as: UInt32.self)
        count &+= 4
    }

    /// Writes 8 bytes, little-endian.
    @inline(__always)
    public mutating func writeFixed64(_ value: UInt64) {
        ensure(8)
        UnsafeMutableRawPointer(base + count).storeBytes(of: value.littleEndian, as: UInt64.self)
        count &+= 8
    }

    /// Copies raw bytes.
    @inline(__always)
    public mutating func writeRaw(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        ensure(bytes.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count &+= bytes.count
    }

    /// Copies raw bytes.
    @inline(__always)
    public mutating func writeRaw(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeRaw($0) }
    }

    // MARK: - Scalar fields

    /// A varint field, omitted when zero unless `always`.
    @inline(__always)
    public mutating func writeVarintField(_ field: Int, _ value: UInt64, always: Bool = false) {
        guard value != 0 || always else { return }
        writeTag(field, .varint)
        writeVarint(value)
    }

    /// An `int64` field.
    @inline(__always)
    public mutating func writeInt64(_ field: Int, _ value: Int64, always: Bool = false) {
        writeVarintField(field, UInt64(bitPattern: value), always: always)
    }

    /// An `int32` field (negative values are sign-extended to 10 bytes).
    @inline(__always)
    public mutating func writeInt32(_ field: Int, _ value: Int32, always: Bool = false) {
        writeVarintField(field, UInt64(bitPattern: Int64(value)), always: always)
    }

    /// A `uint64` field.
    @inline(__always)
    public mutating func writeUInt64(_ field: Int, _ value: UInt64, always: Bool = false) {
        writeVarintField(field, value, always: always)
    }

    /// A `uint32` field.
    @inline(__always)
    public mutating func writeUInt32(_ field: Int, _ value: UInt32, always: Bool = false) {
        writeVarintField(field, UInt64(value), always: always)
    }

    /// A `sint32` field.
    @inline(__always)
    public mutating func writeSInt32(_ field: Int, _ value: Int32, always: Bool = false) {
        writeVarintField(field, UInt64(ZigZag.encode32(value)), always: always)
    }

    /// A `sint64` field.
    @inline(__always)
    public mutating func writeSInt64(_ field: Int, _ value: Int64, always: Bool = false) {
        writeVarintField(field, ZigZag.encode64(value), always: always)
    }

    /// A `bool` field.
    @inline(__always)
    public mutating func writeBool(_ field: Int, _ value: Bool, always: Bool = false) {
        writeVarintField(field, value ? 1 : 0, always: always)
    }

    /// An enum field.
    @inline(__always)
    public mutating func writeEnum<E: ProtoEnum>(_ field: Int, _ value: E, always: Bool = false) {
        writeInt32(field, value.protoValue, always: always)
    }

    /// A `fixed32`, `sfixed32` or `float` field given as its bits.
    @inline(__always)
    public mutating func writeFixed32Field(_ field: Int, _ bits: UInt32, always: Bool = false) {
        guard bits != 0 || always else { return }
        writeTag(field, .fixed32)
        writeFixed32(bits)
    }

    /// A `fixed64`, `sfixed64` or `double` field given as its bits.
    @inline(__always)
    public mutating func writeFixed64Field(_ field: Int, _ bits: UInt64, always: Bool = false) {
        guard bits != 0 || always else { return }
        writeTag(field, .fixed64)
        writeFixed64(bits)
    }

    // MARK: - Length-delimited fields

    /// A `string` field, omitted when empty unless `always`.
    @inline(__always)
    public mutating func writeString(_ field: Int, _ value: String, always: Bool = false) {
        // A native string lends its bytes without a copy (`withUTF8` needs a mutable copy of
        // the string, a retain and a release per field); a bridged one is copied.
        let lent: Void? = value.utf8.withContiguousStorageIfAvailable {
            writeLengthDelimited(field, UnsafeRawBufferPointer($0), always: always)
        }
        if lent == nil {
            Array(value.utf8).withUnsafeBytes { writeLengthDelimited(field, $0, always: always) }
        }
    }

    /// Tag, length and `bytes`; nothing when `bytes` is empty unless `always`.
    @inline(__always)
    private mutating func writeLengthDelimited(_ field: Int, _ bytes: UnsafeRawBufferPointer, always: Bool) {
        guard bytes.count > 0 || always else { return }
        writeTag(field, .lengthDelimited)
        writeVarint(UInt64(bytes.count))
        writeRaw(bytes)
    }

    /// A `bytes` field, omitted when empty unless `always`.
    @inline(__always)
    public mutating func writeBytes(_ field: Int, _ value: [UInt8], always: Bool = false) {
        guard !value.isEmpty || always else { return }
        writeTag(field, .lengthDelimited)
        writeVarint(UInt64(value.count))
        writeRaw(value)
    }

    /// An embedded message field, written when non-nil.
    @inline(__always)
    public mutating func writeMessage<M: ProtoMessage>(_ field: Int, _ value: M?) {
        guard let value else { return }
        writeNested(field, value)
    }

    /// A repeated message field.
    @inline(__always)
    public mutating func writeRepeatedMessage<M: ProtoMessage>(_ field: Int, _ values: [M]) {
        // Through the buffer, not `for value in values` (nor `values[index]`): those hand out
        // copies, a retain and a release of every string in every element (a third of the
        // encoding's time); the buffer's elements are lent in place.
        values.withUnsafeBufferPointer { elements in
            for index in elements.indices { writeNested(field, elements[index]) }
        }
    }

    /// An embedded message, its length prefix written after it: the message goes one byte
    /// after its tag, and when it turns out 128 bytes or longer it moves up by the length's
    /// extra bytes. Asking the message its size first would walk it a second time (the
    /// whole message's size, computed before the buffer was made, walked it once), and at
    /// every level of nesting once more.
    ///
    /// Safe against the buffer's end: the body is written `extra` bytes before where it
    /// ends up, and the whole message's exact size includes those bytes.
    @inline(__always)
    mutating func writeNested<M: ProtoMessage>(_ field: Int, _ value: borrowing M) {
        writeTag(field, .lengthDelimited)
        ensure(1)
        let lengthAt = count
        count &+= 1
        value.encode(to: &self)
        let length = count &- lengthAt &- 1
        if length < 0x80 {
            base[lengthAt] = UInt8(truncatingIfNeeded: length)
            return
        }
        let extra = ProtoSize.varint(UInt64(length)) &- 1
        ensure(extra)
        (base + lengthAt + 1 + extra).update(from: base + lengthAt + 1, count: length)
        count = lengthAt
        writeVarint(UInt64(length))
        count &+= length
    }

    /// A repeated `string` field.
    @inline(__always)
    public mutating func writeRepeatedString(_ field: Int, _ values: [String]) {
        for index in values.indices { writeString(field, values[index], always: true) }
    }

    /// A packed repeated varint field, omitted when empty; `payload` is its
    /// ``ProtoSize/packedVarintPayload(_:_:)``.
    @inline(__always)
    public mutating func writePacked<S: Sequence>(
        _ field: Int, _ values: S, payload: Int, _ transform: (S.Element) -> UInt64
    ) {
        guard payload > 0 else { return }
        writeTag(field, .lengthDelimited)
        writeVarint(UInt64(payload))
        for value in values { writeVarint(transform(value)) }
    }

    /// A packed repeated `int32` field, omitted when empty.
    @inline(__always)
    public mutating func writePackedInt32(_ field: Int, _ values: [Int32]) {
        let payload = ProtoSize.packedVarintPayload(values) { UInt64(bitPattern: Int64($0)) }
        writePacked(field, values, payload: payload) { UInt64(bitPattern: Int64($0)) }
    }

    /// A packed repeated 4-byte field given as bits, omitted when empty.
    @inline(__always)
    public mutating func writePackedFixed32(_ field: Int, _ values: [UInt32]) {
        guard !values.isEmpty else { return }
        writeTag(field, .lengthDelimited)
        writeVarint(UInt64(values.count &* 4))
        for value in values { writeFixed32(value) }
    }

    /// A packed repeated 8-byte field given as bits, omitted when empty.
    @inline(__always)
    public mutating func writePackedFixed64(_ field: Int, _ values: [UInt64]) {
        guard !values.isEmpty else { return }
        writeTag(field, .lengthDelimited)
        writeVarint(UInt64(values.count &* 8))
        for value in values { writeFixed64(value) }
    }

    /// Unknown fields, exactly as they arrived.
    @inline(__always)
    public mutating func writeUnknown(_ fields: UnknownFields) {
        writeRaw(fields.bytes)
    }
}
