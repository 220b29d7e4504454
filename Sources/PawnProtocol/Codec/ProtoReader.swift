/// Reads fields from an encoded message without copying it.
///
/// The reader checks every length against the end of the enclosing message, every varint
/// against the 10-byte limit, and nesting against ``ProtoDecodingOptions/maxDepth``; any
/// violation throws a ``ProtoDecodingError`` naming the field being read.
public struct ProtoReader {
    @usableFromInline let base: UnsafePointer<UInt8>
    /// The current offset from the start of the outermost input.
    public private(set) var position: Int
    /// The end of the message (or packed field) being read.
    @usableFromInline var limit: Int
    @usableFromInline var depth: Int
    @usableFromInline let maxDepth: Int
    @usableFromInline var tagStart: Int = 0
    @usableFromInline var messageName: StaticString
    @usableFromInline var fieldName: StaticString?

    /// A reader over `buffer`, which holds one message of type `messageName` (depth 1).
    public init(buffer: UnsafeRawBufferPointer, options: ProtoDecodingOptions, messageName: StaticString) {
        // An empty buffer may have no base address; nothing is ever read from it.
        base =
            buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
            ?? UnsafePointer(bitPattern: 0x1)!
        position = 0
        limit = buffer.count
        depth = 1
        maxDepth = options.maxDepth
        self.messageName = messageName
    }

    // MARK: - Errors

    @usableFromInline
    func error(_ reason: ProtoDecodingError.Reason, at offset: Int? = nil) -> ProtoDecodingError {
        let field = fieldName.map { "\(messageName).\($0)" }
        return ProtoDecodingError(reason, offset: offset ?? tagStart, field: field ?? "\(messageName)")
    }

    // MARK: - Primitives

    /// Reads a varint of at most 10 bytes.
    @inline(__always)
    public mutating func readVarint() throws(ProtoDecodingError) -> UInt64 {
        if position < limit {
            let first = base[position]
            if first < 0x80 {
                position &+= 1
                return UInt64(first)
            }
        }
        return try readVarintSlow()
    }

    @usableFromInline
    mutating func readVarintSlow() throws(ProtoDecodingError) -> UInt64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < limit else { throw error(.truncated, at: start) }
            let byte = base[position]
            position &+= 1
            if shift == 63 && byte > 1 { throw error(.overlongVarint, at: start) }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift &+= 7
        }
    }

    /// Reads 4 little-endian bytes.
    @inline(__always)
    public mutating func readFixed32() throws(ProtoDecodingError) -> UInt32 {
        guard limit &- position >= 4 else { throw error(.truncated) }
        let value = UnsafeRawPointer(base + position).loadUnaligned(as: UInt32.self)
        position &+= 4
        return UInt32(littleEndian: value)
    }

    /// Reads 8 little-endian bytes.
    @inline(__always)
    public mutating func readFixed64() throws(ProtoDecodingError) -> UInt64 {
        guard limit &- position >= 8 else { throw error(.truncated) }
        let value = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
        position &+= 8
        return UInt64(littleEndian: value)
    }

    /// Reads a length prefix and checks that many bytes remain.
    @inline(__always)
    mutating func readLength() throws(ProtoDecodingError) -> Int {
        let length = try readVarint()
        guard length <= UInt64(limit &- position) else { throw error(.lengthPastEnd(length: length)) }
        return Int(length)
    }

    // MARK: - Tags

    /// The next field's tag, or `nil` at the end of the current message.
    @inline(__always)
    public mutating func nextTag() throws(ProtoDecodingError) -> FieldTag? {
        guard position < limit else { return nil }
        tagStart = position
        fieldName = nil
        return try readTagAfterCheck()
    }

    @inline(__always)
    mutating func readTagAfterCheck() throws(ProtoDecodingError) -> FieldTag {
        let raw = try readVarint()
        guard raw <= UInt64(UInt32.max), raw >> 3 != 0 else { throw error(.invalidFieldNumber(raw >> 3)) }
        guard let wireType = WireType(rawValue: UInt8(raw & 7)) else {
            throw error(.invalidWireType(UInt8(raw & 7)))
        }
        if wireType == .endGroup { throw error(.unmatchedEndGroup) }
        return FieldTag(number: Int(raw >> 3), wireType: wireType)
    }

    @inline(__always)
    mutating func expect(_ tag: FieldTag, _ wireType: WireType, _ field: StaticString)
        throws(ProtoDecodingError)
    {
        fieldName = field
        guard tag.wireType == wireType else {
            throw error(.wireTypeMismatch(expected: wireType, actual: tag.wireType))
        }
    }

    // MARK: - Known fields

    /// An `int64` field.
    @inline(__always)
    public mutating func int64(_ tag: FieldTag, _ field: StaticString) throws(ProtoDecodingError) -> Int64 {
        try expect(tag, .varint, field)
        return Int64(bitPattern: try readVarint())
    }

    /// An `int32` field: the low 32 bits of the varint, as protobuf specifies.
    @inline(__always)
    public mutating func int32(_ tag: FieldTag, _ field: StaticString) throws(ProtoDecodingError) -> Int32 {
        try expect(tag, .varint, field)
        return Int32(truncatingIfNeeded: try readVarint())
    }

    /// A `uint64` field.
    @inline(__always)
    public mutating func uint64(_ tag: FieldTag, _ field: StaticString) throws(ProtoDecodingError) -> UInt64 {
        try expect(tag, .varint, field)
        return try readVarint()
    }

    /// A `uint32` field.
    @inline(__always)
    public mutating func uint32(_ tag: FieldTag, _ field: StaticString) throws(ProtoDecodingError) -> UInt32 {
        try expect(tag, .varint, field)
        return UInt32(truncatingIfNeeded: try readVarint())
    }

    /// A `sint32` field.
    @inline(__always)
    public mutating func sint32(_ tag: FieldTag, _ field: StaticString) throws(ProtoDecodingError) -> Int32 {
        try expect(tag, .varint, field)
        return ZigZag.decode32(UInt32(truncatingIfNeeded: try readVarint()))
    }

    /// A `sint64` field.
    @inline(__always)
    public mutating func sint64(_ tag: FieldTag, _ field: StaticString) throws(ProtoDecodingError) -> Int64 {
        try expect(tag, .varint, field)
        return ZigZag.decode64(try readVarint())
    }

    /// A `bool` field: any non-zero varint is true.
    @inline(__always)
    public mutating func bool(_ tag: FieldTag, _ field: StaticString) throws(ProtoDecodingError) -> Bool {
        try expect(tag, .varint, field)
        return try readVarint() != 0
    }

    /// An enum field; unknown numbers are kept.
    @inline(__always)
    public mutating func `enum`<E: ProtoEnum>(_ tag: FieldTag, _ field: StaticString)
        throws(ProtoDecodingError) -> E
    {
        E(protoValue: try int32(tag, field))
    }

    /// A `fixed32`, `sfixed32` or `float` field, as its bits.
    @inline(__always)
    public mutating func fixed32(_ tag: FieldTag, _ field: StaticString) throws(ProtoDecodingError) -> UInt32
    {
        try expect(tag, .fixed32, field)
        return try readFixed32()
    }

    /// A `fixed64`, `sfixed64` or `double` field, as its bits.
    @inline(__always)
    public mutating func fixed64(_ tag: FieldTag, _ field: StaticString) throws(ProtoDecodingError) -> UInt64
    {
        try expect(tag, .fixed64, field)
        return try readFixed64()
    }

    /// A `string` field; its bytes must be valid UTF-8.
    @inline(__always)
    public mutating func string(_ tag: FieldTag, _ field: StaticString) throws(ProtoDecodingError) -> String {
        try expect(tag, .lengthDelimited, field)
        let length = try readLength()
        let bytes = UnsafeBufferPointer(start: base + position, count: length)
        guard let value = Self.makeString(bytes) else { throw error(.invalidUTF8) }
        position &+= length
        return value
    }

    @inline(__always)
    static func makeString(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        // ASCII, the common case, needs no validation beyond the high bit.
        var isASCII = true
        for byte in bytes where byte >= 0x80 {
            isASCII = false
            break
        }
        if isASCII {
            return String(unsafeUninitializedCapacity: bytes.count) { target in
                _ = target.initialize(fromContentsOf: bytes)
                return bytes.count
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// A `bytes` field.
    @inline(__always)
    public mutating func bytes(_ tag: FieldTag, _ field: StaticString) throws(ProtoDecodingError) -> [UInt8] {
        try expect(tag, .lengthDelimited, field)
        let length = try readLength()
        let value = [UInt8](UnsafeBufferPointer(start: base + position, count: length))
        position &+= length
        return value
    }

    /// An embedded message field, merged into `existing` when the field occurs again (as
    /// protobuf specifies for a repeated occurrence of a singular message field).
    @inline(__always)
    public mutating func message<M: ProtoMessage>(
        _ tag: FieldTag, _ field: StaticString, mergingInto existing: M? = nil
    ) throws(ProtoDecodingError) -> M {
        try expect(tag, .lengthDelimited, field)
        let length = try readLength()
        guard depth < maxDepth else { throw error(.nestingTooDeep(limit: maxDepth)) }
        let (savedLimit, savedName, savedField) = (limit, messageName, fieldName)
        limit = position &+ length
        depth &+= 1
        messageName = M.protoMessageName
        var value = existing ?? M()
        try value.decodeFields(from: &self)
        depth &-= 1
        (limit, messageName, fieldName) = (savedLimit, savedName, savedField)
        return value
    }

    /// A repeated varint-encoded field, packed (length-delimited) or not: parsers must
    /// accept both, whichever the schema says.
    @inline(__always)
    public mutating func repeatedVarint<T>(
        _ tag: FieldTag, _ field: StaticString, into values: inout [T], _ transform: (UInt64) -> T
    ) throws(ProtoDecodingError) {
        fieldName = field
        switch tag.wireType {
        case .varint:
            values.append(transform(try readVarint()))
        case .lengthDelimited:
            let length = try readLength()
            let savedLimit = limit
            limit = position &+ length
            while position < limit { values.append(transform(try readVarint())) }
            limit = savedLimit
        default:
            throw error(.wireTypeMismatch(expected: .varint, actual: tag.wireType))
        }
    }

    /// A repeated 4-byte field (`fixed32`, `sfixed32`, `float`), packed or not.
    @inline(__always)
    public mutating func repeatedFixed32<T>(
        _ tag: FieldTag, _ field: StaticString, into values: inout [T], _ transform: (UInt32) -> T
    ) throws(ProtoDecodingError) {
        try repeatedFixed(tag, field, .fixed32, into: &values) { reader throws(ProtoDecodingError) in
            transform(try reader.readFixed32())
        }
    }

    /// A repeated 8-byte field (`fixed64`, `sfixed64`, `double`), packed or not.
    @inline(__always)
    public mutating func repeatedFixed64<T>(
        _ tag: FieldTag, _ field: StaticString, into values: inout [T], _ transform: (UInt64) -> T
    ) throws(ProtoDecodingError) {
        try repeatedFixed(tag, field, .fixed64, into: &values) { reader throws(ProtoDecodingError) in
            transform(try reader.readFixed64())
        }
    }

    @inline(__always)
    mutating func repeatedFixed<T>(
        _ tag: FieldTag, _ field: StaticString, _ wireType: WireType, into values: inout [T],
        _ readOne: (inout ProtoReader) throws(ProtoDecodingError) -> T
    ) throws(ProtoDecodingError) {
        fieldName = field
        let width = wireType == .fixed32 ? 4 : 8
        switch tag.wireType {
        case wireType:
            values.append(try readOne(&self))
        case .lengthDelimited:
            let length = try readLength()
            guard length % width == 0 else { throw error(.truncated) }
            values.reserveCapacity(values.count + length / width)
            let end = position &+ length
            while position < end { values.append(try readOne(&self)) }
        default:
            throw error(.wireTypeMismatch(expected: wireType, actual: tag.wireType))
        }
    }

    // MARK: - Unknown fields

    /// Skips the field whose tag was just read and appends its exact bytes, tag included,
    /// to `unknown`.
    public mutating func skip(_ tag: FieldTag, into unknown: inout UnknownFields) throws(ProtoDecodingError) {
        let start = tagStart
        try skipValue(tag)
        unknown.bytes.append(contentsOf: UnsafeBufferPointer(start: base + start, count: position &- start))
    }

    mutating func skipValue(_ tag: FieldTag) throws(ProtoDecodingError) {
        switch tag.wireType {
        case .varint: _ = try readVarint()
        case .fixed32: _ = try readFixed32()
        case .fixed64: _ = try readFixed64()
        case .lengthDelimited: position &+= try readLength()
        case .startGroup: try skipGroup(tag.number)
        case .endGroup: throw error(.unmatchedEndGroup)
        }
    }

    /// Skips a group's fields up to its end tag; groups nest, and count toward the depth.
    mutating func skipGroup(_ number: Int) throws(ProtoDecodingError) {
        guard depth < maxDepth else { throw error(.nestingTooDeep(limit: maxDepth)) }
        depth &+= 1
        while true {
            guard position < limit else { throw error(.truncated) }
            let start = position
            let raw = try readVarint()
            guard raw <= UInt64(UInt32.max), raw >> 3 != 0 else {
                throw error(.invalidFieldNumber(raw >> 3), at: start)
            }
            guard let wireType = WireType(rawValue: UInt8(raw & 7)) else {
                throw error(.invalidWireType(UInt8(raw & 7)), at: start)
            }
            if wireType == .endGroup {
                guard Int(raw >> 3) == number else { throw error(.unmatchedEndGroup, at: start) }
                depth &-= 1
                return
            }
            try skipValue(FieldTag(number: Int(raw >> 3), wireType: wireType))
        }
    }
}
