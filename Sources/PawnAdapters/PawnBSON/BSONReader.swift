/// Parses BSON bytes without trusting them: every length is checked against what is left
/// of its enclosing document before anything is read, and nesting stops at
/// ``BSONReader/maximumDepth``, so that no input can trap or exhaust the stack.
struct BSONReader {
    /// The deepest nesting accepted (the top-level document is depth 1).
    static let maximumDepth = 100

    private let bytes: [UInt8]
    private var path: [String] = []

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The document that fills `bytes` exactly.
    static func document(_ bytes: [UInt8]) throws(BSONError) -> BSONDocument {
        var reader = BSONReader(bytes)
        let (document, end) = try reader.readDocument(at: 0, limit: bytes.count, depth: 1)
        guard end == bytes.count else { throw BSONError(.trailingBytes(bytes.count - end), offset: end) }
        return document
    }

    private func error(_ reason: BSONError.Reason, _ offset: Int) -> BSONError {
        BSONError(reason, offset: offset, path: path.joined(separator: "."))
    }

    /// Reads a document starting at `offset` that must end at or before `limit`; returns it
    /// and the offset just past it.
    private mutating func readDocument(at offset: Int, limit: Int, depth: Int) throws(BSONError) -> (
        BSONDocument, Int
    ) {
        guard depth <= Self.maximumDepth else { throw error(.tooDeep(limit: Self.maximumDepth), offset) }
        let length = Int(try readInt32(at: offset, limit: limit))
        guard length >= 5 else { throw error(.invalidLength(length), offset) }
        guard length <= limit - offset else {
            throw error(
                offset + length > bytes.count ? .truncated(needed: length) : .invalidLength(length), offset)
        }
        let end = offset + length
        guard bytes[end - 1] == 0 else { throw error(.missingTerminator, end - 1) }
        var document = BSONDocument()
        var cursor = offset + 4
        while cursor < end - 1 {
            let type = bytes[cursor]
            let (key, afterKey) = try readCString(at: cursor + 1, limit: end - 1)
            path.append(key)
            let (value, next) = try readValue(
                type: type, typeOffset: cursor, at: afterKey, limit: end - 1, depth: depth)
            path.removeLast()
            document.append(key, value)
            cursor = next
        }
        guard cursor == end - 1 else { throw error(.elementOverrun, cursor) }
        return (document, end)
    }

    private mutating func readValue(type: UInt8, typeOffset: Int, at offset: Int, limit: Int, depth: Int)
        throws(BSONError) -> (BSONValue, Int)
    {
        switch type {
        case 0x01:
            let bits = try readUInt64(at: offset, limit: limit)
            return (.double(Double(bitPattern: bits)), offset + 8)
        case 0x02:
            let (text, next) = try readString(at: offset, limit: limit)
            return (.string(text), next)
        case 0x03:
            let (document, next) = try readDocument(at: offset, limit: limit, depth: depth + 1)
            return (.document(document), next)
        case 0x04:
            let (document, next) = try readDocument(at: offset, limit: limit, depth: depth + 1)
            return (.array(document.values), next)
        case 0x05:
            let length = Int(try readInt32(at: offset, limit: limit))
            guard length >= 0 else { throw error(.invalidLength(length), offset) }
            let start = offset + 5
            try need(start, length, limit: limit, from: offset)
            return (
                .binary(subtype: bytes[offset + 4], bytes: Array(bytes[start..<start + length])),
                start + length
            )
        case 0x06: return (.undefined, offset)
        case 0x07:
            try need(offset, 12, limit: limit, from: offset)
            return (.objectId(BSONObjectID(bytes: Array(bytes[offset..<offset + 12]))!), offset + 12)
        case 0x08:
            try need(offset, 1, limit: limit, from: offset)
            switch bytes[offset] {
            case 0: return (.bool(false), offset + 1)
            case 1: return (.bool(true), offset + 1)
            case let other: throw error(.invalidBoolean(other), offset)
            }
        case 0x09:
            return (.datetime(Int64(bitPattern: try readUInt64(at: offset, limit: limit))), offset + 8)
        case 0x0A: return (.null, offset)
        case 0x0B:
            let (pattern, afterPattern) = try readCString(at: offset, limit: limit)
            let (options, next) = try readCString(at: afterPattern, limit: limit)
            return (.regex(pattern: pattern, options: options), next)
        case 0x0C:
            let (namespace, afterNamespace) = try readString(at: offset, limit: limit)
            try need(afterNamespace, 12, limit: limit, from: afterNamespace)
            let id = BSONObjectID(bytes: Array(bytes[afterNamespace..<afterNamespace + 12]))!
            return (.dbPointer(namespace: namespace, id: id), afterNamespace + 12)
        case 0x0D:
            let (code, next) = try readString(at: offset, limit: limit)
            return (.javascript(code), next)
        case 0x0E:
            let (symbol, next) = try readString(at: offset, limit: limit)
            return (.symbol(symbol), next)
        case 0x0F:
            let total = Int(try readInt32(at: offset, limit: limit))
            // int32 total + the shortest string (5) + the smallest document (5)
            guard total >= 14 else { throw error(.invalidLength(total), offset) }
            try need(offset, total, limit: limit, from: offset)
            let end = offset + total
            let (code, afterCode) = try readString(at: offset + 4, limit: end)
            let (scope, next) = try readDocument(at: afterCode, limit: end, depth: depth + 1)
            guard next == end else { throw error(.invalidLength(total), offset) }
            return (.javascriptWithScope(code: code, scope: scope), next)
        case 0x10: return (.int32(try readInt32(at: offset, limit: limit)), offset + 4)
        case 0x11:
            let bits = try readUInt64(at: offset, limit: limit)
            return (
                .timestamp(
                    increment: UInt32(truncatingIfNeeded: bits),
                    seconds: UInt32(truncatingIfNeeded: bits >> 32)),
                offset + 8
            )
        case 0x12: return (.int64(Int64(bitPattern: try readUInt64(at: offset, limit: limit))), offset + 8)
        case 0x13:
            try need(offset, 16, limit: limit, from: offset)
            return (.decimal128(BSONDecimal128(bytes: Array(bytes[offset..<offset + 16]))!), offset + 16)
        case 0xFF: return (.minKey, offset)
        case 0x7F: return (.maxKey, offset)
        default: throw error(.unknownType(type), typeOffset)
        }
    }

    /// Checks that `count` bytes from `offset` lie within `limit` (the end of the enclosing
    /// document, before its NUL).
    private func need(_ offset: Int, _ count: Int, limit: Int, from start: Int) throws(BSONError) {
        guard count >= 0, offset <= limit, count <= limit - offset else {
            throw error(offset + count > bytes.count ? .truncated(needed: count) : .elementOverrun, start)
        }
    }

    private func readInt32(at offset: Int, limit: Int) throws(BSONError) -> Int32 {
        try need(offset, 4, limit: limit, from: offset)
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(bytes[offset + index]) << (8 * index) }
        return Int32(bitPattern: value)
    }

    private func readUInt64(at offset: Int, limit: Int) throws(BSONError) -> UInt64 {
        try need(offset, 8, limit: limit, from: offset)
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * index) }
        return value
    }

    /// A length-prefixed string; the length counts the trailing NUL.
    private func readString(at offset: Int, limit: Int) throws(BSONError) -> (String, Int) {
        let length = Int(try readInt32(at: offset, limit: limit))
        guard length >= 1 else { throw error(.invalidLength(length), offset) }
        let start = offset + 4
        try need(start, length, limit: limit, from: offset)
        guard bytes[start + length - 1] == 0 else { throw error(.missingTerminator, start + length - 1) }
        guard let text = String(validating: bytes[start..<start + length - 1], as: UTF8.self) else {
            throw error(.invalidUTF8, start)
        }
        return (text, start + length)
    }

    /// A NUL-terminated string that must end before `limit`.
    private func readCString(at offset: Int, limit: Int) throws(BSONError) -> (String, Int) {
        guard offset <= limit else { throw error(.elementOverrun, offset) }
        guard let nul = bytes[offset..<limit].firstIndex(of: 0) else {
            throw error(.missingTerminator, offset)
        }
        guard let text = String(validating: bytes[offset..<nul], as: UTF8.self) else {
            throw error(.invalidUTF8, offset)
        }
        return (text, nul + 1)
    }
}
