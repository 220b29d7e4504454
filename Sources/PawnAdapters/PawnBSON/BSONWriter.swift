/// Serialises documents to BSON bytes. Lengths are written as placeholders and patched
/// once the element is complete, so that each document is written in one pass.
struct BSONWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ document: BSONDocument) {
        let start = bytes.count
        appendInt32(0)
        for (key, value) in zip(document.keys, document.values) {
            bytes.append(value.typeByte)
            appendCString(key)
            write(value)
        }
        bytes.append(0)
        patchLength(at: start)
    }

    private mutating func write(_ value: BSONValue) {
        switch value {
        case .double(let number): appendUInt64(number.bitPattern)
        case .string(let text), .javascript(let text), .symbol(let text): appendString(text)
        case .document(let document): write(document)
        case .array(let elements):
            var document = BSONDocument()
            for (index, element) in elements.enumerated() { document.append(String(index), element) }
            write(document)
        case .binary(let subtype, let payload):
            appendInt32(Int32(truncatingIfNeeded: payload.count))
            bytes.append(subtype)
            bytes += payload
        case .undefined, .null, .minKey, .maxKey: break
        case .objectId(let id): bytes += id.bytes
        case .bool(let flag): bytes.append(flag ? 1 : 0)
        case .datetime(let milliseconds): appendUInt64(UInt64(bitPattern: milliseconds))
        case .regex(let pattern, let options):
            appendCString(pattern)
            appendCString(options)
        case .dbPointer(let namespace, let id):
            appendString(namespace)
            bytes += id.bytes
        case .javascriptWithScope(let code, let scope):
            let start = bytes.count
            appendInt32(0)
            appendString(code)
            write(scope)
            patchLength(at: start)
        case .int32(let number): appendInt32(number)
        case .timestamp(let increment, let seconds):
            appendInt32(Int32(bitPattern: increment))
            appendInt32(Int32(bitPattern: seconds))
        case .int64(let number): appendUInt64(UInt64(bitPattern: number))
        case .decimal128(let decimal): bytes += decimal.bytes
        }
    }

    private mutating func appendInt32(_ value: Int32) {
        let bits = UInt32(bitPattern: value)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> shift)) }
    }

    private mutating func appendUInt64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }

    /// A length-prefixed string: int32 length (with the NUL), the UTF-8 bytes, a NUL.
    private mutating func appendString(_ text: String) {
        let utf8 = text.utf8
        appendInt32(Int32(truncatingIfNeeded: utf8.count + 1))
        bytes += utf8
        bytes.append(0)
    }

    /// A NUL-terminated string (keys, regex parts): an embedded NUL would end it early and
    /// shift every following byte, so it is a programming error rather than data.
    private mutating func appendCString(_ text: String) {
        precondition(!text.utf8.contains(0), "a BSON key or regex must not contain a NUL byte: \(text)")
        bytes += text.utf8
        bytes.append(0)
    }

    private mutating func patchLength(at start: Int) {
        let length = UInt32(truncatingIfNeeded: bytes.count - start)
        for index in 0..<4 { bytes[start + index] = UInt8(truncatingIfNeeded: length >> (8 * index)) }
    }
}
