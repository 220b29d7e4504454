/// Encodes an `Encodable` value as compact JSON, written straight into bytes as the value's
/// `encode(to:)` runs: keys in the order the value encodes them (a synthesized conformance's
/// declaration order), `nil` optionals left out, `/` not escaped — what Foundation's
/// `JSONEncoder` with `.withoutEscapingSlashes` gives, without its intermediate tree of
/// boxed values (it was a ninth of the read path's time: `perf record` on
/// `pawnshop --seed-demo` under wrk).
///
/// A non-finite floating-point number is an `EncodingError.invalidValue`, as with
/// `JSONEncoder`; it has no other failure.
enum JSONBytesEncoder {
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let sink = JSONSink()
        sink.bytes.reserveCapacity(512)
        try sink.value(value)
        return sink.bytes
    }
}

/// The writer behind ``JSONBytesEncoder``: the bytes so far and the containers still open,
/// innermost last. A container writes only while it is the innermost one; writing through
/// an outer one first closes those opened after it (a nested container the caller dropped).
final class JSONSink: Encoder {
    var bytes: [UInt8] = []
    /// Each open container's closing byte and whether it holds an element yet.
    private var open: [(close: UInt8, filled: Bool)] = []
    /// `open.count` when the value being encoded began: a container asked for again at that
    /// depth is the one the value already opened.
    private var valueDepth = 0

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Encodes a whole value: whatever containers its `encode(to:)` opens are closed after
    /// it, and a value that wrote nothing is `{}` (as `JSONEncoder` writes it).
    func value<T: Encodable>(_ value: T) throws {
        let outer = valueDepth
        let depth = open.count
        let start = bytes.count
        valueDepth = depth
        defer { valueDepth = outer }
        try value.encode(to: self)
        close(to: depth)
        if bytes.count == start { bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")]) }
    }

    /// Closes the containers above `depth`.
    func close(to depth: Int) {
        while open.count > depth { bytes.append(open.removeLast().close) }
    }

    /// Opens a container (`{` or `[`) for the value at `valueDepth`, or returns the depth of
    /// the one it opened already.
    private func openContainer(_ opening: UInt8, _ closing: UInt8) -> Int {
        if open.count > valueDepth { return valueDepth }
        bytes.append(opening)
        open.append((closing, false))
        return open.count - 1
    }

    /// Before an element of the container at `depth`: closes what is above it, then a comma
    /// unless this is its first element.
    func element(at depth: Int) {
        close(to: depth + 1)
        if open[depth].filled { bytes.append(UInt8(ascii: ",")) } else { open[depth].filled = true }
    }

    /// A member's key and colon, after ``element(at:)``.
    func key(_ key: some CodingKey, at depth: Int) {
        element(at: depth)
        string(key.stringValue)
        bytes.append(UInt8(ascii: ":"))
    }

    /// The container for a nested value written right after a key or a comma: it begins at
    /// the current depth.
    func nested(_ opening: UInt8, _ closing: UInt8) -> Int {
        bytes.append(opening)
        open.append((closing, false))
        return open.count - 1
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(
            JSONKeyedContainer<Key>(sink: self, depth: openContainer(UInt8(ascii: "{"), UInt8(ascii: "}"))))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        JSONUnkeyedContainer(sink: self, depth: openContainer(UInt8(ascii: "["), UInt8(ascii: "]")))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { JSONSingleValue(sink: self) }

    // MARK: - Scalars

    func null() { bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }  // null

    func bool(_ value: Bool) {
        if value {
            bytes.append(contentsOf: [0x74, 0x72, 0x75, 0x65])  // true
        } else {
            bytes.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])  // false
        }
    }

    func integer(_ value: some BinaryInteger & FixedWidthInteger) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = UInt64(value.magnitude)
        var count = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            count += 1
        }
        bytes.append(contentsOf: repeatElement(0, count: count))
        var rest = magnitude
        var index = bytes.count
        repeat {
            index -= 1
            bytes[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        } while rest > 0
    }

    func floatingPoint(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(codingPath: [], debugDescription: "\(value) is not a JSON number"))
        }
        if value == value.rounded(), abs(value) < 1e15 {
            integer(Int64(value))
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\n`, `\r`, `\t` or
    /// `\u00XX`, everything else (UTF-8 included) as it is.
    func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { text in
            var plainFrom = 0
            for index in text.indices {
                let byte = text[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
                    continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[plainFrom..<index]))
                plainFrom = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [
                        UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)],
                        hex[Int(byte & 0x0F)],
                    ])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[plainFrom...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

private struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let sink: JSONSink
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws {
        sink.key(key, at: depth)
        sink.null()
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        sink.key(key, at: depth)
        sink.bool(value)
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        sink.key(key, at: depth)
        sink.string(value)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        sink.key(key, at: depth)
        try sink.floatingPoint(value)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        sink.key(key, at: depth)
        try sink.floatingPoint(Double(value))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { integer(value, key) }

    private func integer(_ value: some BinaryInteger & FixedWidthInteger, _ key: Key) {
        sink.key(key, at: depth)
        sink.integer(value)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        sink.key(key, at: depth)
        try sink.value(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        sink.key(key, at: depth)
        return KeyedEncodingContainer(
            JSONKeyedContainer<NestedKey>(
                sink: sink, depth: sink.nested(UInt8(ascii: "{"), UInt8(ascii: "}"))))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        sink.key(key, at: depth)
        return JSONUnkeyedContainer(sink: sink, depth: sink.nested(UInt8(ascii: "["), UInt8(ascii: "]")))
    }

    mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        sink.key(key, at: depth)
        return JSONNestedEncoder(sink: sink)
    }
}

private struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let sink: JSONSink
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var count = 0

    private mutating func next() {
        sink.element(at: depth)
        count += 1
    }

    mutating func encodeNil() throws {
        next()
        sink.null()
    }
    mutating func encode(_ value: Bool) throws {
        next()
        sink.bool(value)
    }
    mutating func encode(_ value: String) throws {
        next()
        sink.string(value)
    }
    mutating func encode(_ value: Double) throws {
        next()
        try sink.floatingPoint(value)
    }
    mutating func encode(_ value: Float) throws {
        next()
        try sink.floatingPoint(Double(value))
    }
    mutating func encode(_ value: Int) throws { integer(value) }
    mutating func encode(_ value: Int8) throws { integer(value) }
    mutating func encode(_ value: Int16) throws { integer(value) }
    mutating func encode(_ value: Int32) throws { integer(value) }
    mutating func encode(_ value: Int64) throws { integer(value) }
    mutating func encode(_ value: UInt) throws { integer(value) }
    mutating func encode(_ value: UInt8) throws { integer(value) }
    mutating func encode(_ value: UInt16) throws { integer(value) }
    mutating func encode(_ value: UInt32) throws { integer(value) }
    mutating func encode(_ value: UInt64) throws { integer(value) }

    private mutating func integer(_ value: some BinaryInteger & FixedWidthInteger) {
        next()
        sink.integer(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        next()
        try sink.value(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        next()
        return KeyedEncodingContainer(
            JSONKeyedContainer<NestedKey>(
                sink: sink, depth: sink.nested(UInt8(ascii: "{"), UInt8(ascii: "}"))))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        next()
        return JSONUnkeyedContainer(sink: sink, depth: sink.nested(UInt8(ascii: "["), UInt8(ascii: "]")))
    }

    mutating func superEncoder() -> any Encoder {
        next()
        return JSONNestedEncoder(sink: sink)
    }
}

private struct JSONSingleValue: SingleValueEncodingContainer {
    let sink: JSONSink
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { sink.null() }
    mutating func encode(_ value: Bool) throws { sink.bool(value) }
    mutating func encode(_ value: String) throws { sink.string(value) }
    mutating func encode(_ value: Double) throws { try sink.floatingPoint(value) }
    mutating func encode(_ value: Float) throws { try sink.floatingPoint(Double(value)) }
    mutating func encode(_ value: Int) throws { sink.integer(value) }
    mutating func encode(_ value: Int8) throws { sink.integer(value) }
    mutating func encode(_ value: Int16) throws { sink.integer(value) }
    mutating func encode(_ value: Int32) throws { sink.integer(value) }
    mutating func encode(_ value: Int64) throws { sink.integer(value) }
    mutating func encode(_ value: UInt) throws { sink.integer(value) }
    mutating func encode(_ value: UInt8) throws { sink.integer(value) }
    mutating func encode(_ value: UInt16) throws { sink.integer(value) }
    mutating func encode(_ value: UInt32) throws { sink.integer(value) }
    mutating func encode(_ value: UInt64) throws { sink.integer(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try sink.value(value) }
}

/// The encoder a `superEncoder` hands out: a value written right after its key.
private struct JSONNestedEncoder: Encoder {
    let sink: JSONSink
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(
            JSONKeyedContainer<Key>(sink: sink, depth: sink.nested(UInt8(ascii: "{"), UInt8(ascii: "}"))))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        JSONUnkeyedContainer(sink: sink, depth: sink.nested(UInt8(ascii: "["), UInt8(ascii: "]")))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { JSONSingleValue(sink: sink) }
}
