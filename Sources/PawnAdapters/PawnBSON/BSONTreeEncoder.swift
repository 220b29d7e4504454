/// The `Encoder` that ``BSONEncoder`` hands to `encode(to:)`: it writes into a
/// ``BSONEncodingNode``.
struct BSONTreeEncoder: Encoder {
    let node: BSONEncodingNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeDocument()
        return KeyedEncodingContainer(BSONKeyedEncodingContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return BSONUnkeyedEncodingContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        BSONSingleValueEncodingContainer(node: node, codingPath: codingPath)
    }
}

/// Conversions of Swift's primitive values, shared by the three containers.
enum BSONPrimitive {
    /// An unsigned integer that may not fit in an int64.
    static func integer<T: BinaryInteger>(_ value: T, codingPath: [any CodingKey]) throws -> BSONValue {
        guard let wide = Int64(exactly: value) else {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(
                    codingPath: codingPath, debugDescription: "\(value) does not fit in a BSON int64"))
        }
        return .int64(wide)
    }
}

struct BSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: BSONEncodingNode
    let codingPath: [any CodingKey]

    private func put(_ value: BSONValue, _ key: Key) {
        node.set(BSONEncodingNode(value), forKey: key.stringValue)
    }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(.double(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(.double(Double(value)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(.int64(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(.int32(Int32(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(.int32(Int32(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(.int32(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(.int64(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        put(try BSONPrimitive.integer(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.int32(Int32(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.int32(Int32(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.int64(Int64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        put(try BSONPrimitive.integer(value, codingPath: codingPath + [key]), key)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.set(try BSONEncodingNode.box(value, codingPath: codingPath + [key]), forKey: key.stringValue)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = BSONEncodingNode()
        child.makeDocument()
        node.set(child, forKey: key.stringValue)
        return KeyedEncodingContainer(
            BSONKeyedEncodingContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = BSONEncodingNode()
        child.makeArray()
        node.set(child, forKey: key.stringValue)
        return BSONUnkeyedEncodingContainer(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        let child = BSONEncodingNode()
        node.set(child, forKey: BSONCodingKey.superKey.stringValue)
        return BSONTreeEncoder(node: child, codingPath: codingPath + [BSONCodingKey.superKey])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = BSONEncodingNode()
        node.set(child, forKey: key.stringValue)
        return BSONTreeEncoder(node: child, codingPath: codingPath + [key])
    }
}

struct BSONUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let node: BSONEncodingNode
    let codingPath: [any CodingKey]
    var count: Int { node.count }

    private var nextKey: BSONCodingKey { BSONCodingKey(index: count) }
    private func put(_ value: BSONValue) { node.append(BSONEncodingNode(value)) }

    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(.double(value)) }
    mutating func encode(_ value: Float) throws { put(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { put(.int64(Int64(value))) }
    mutating func encode(_ value: Int8) throws { put(.int32(Int32(value))) }
    mutating func encode(_ value: Int16) throws { put(.int32(Int32(value))) }
    mutating func encode(_ value: Int32) throws { put(.int32(value)) }
    mutating func encode(_ value: Int64) throws { put(.int64(value)) }
    mutating func encode(_ value: UInt) throws {
        put(try BSONPrimitive.integer(value, codingPath: codingPath + [nextKey]))
    }
    mutating func encode(_ value: UInt8) throws { put(.int32(Int32(value))) }
    mutating func encode(_ value: UInt16) throws { put(.int32(Int32(value))) }
    mutating func encode(_ value: UInt32) throws { put(.int64(Int64(value))) }
    mutating func encode(_ value: UInt64) throws {
        put(try BSONPrimitive.integer(value, codingPath: codingPath + [nextKey]))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        node.append(try BSONEncodingNode.box(value, codingPath: codingPath + [nextKey]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let key = nextKey
        let child = BSONEncodingNode()
        child.makeDocument()
        node.append(child)
        return KeyedEncodingContainer(
            BSONKeyedEncodingContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let key = nextKey
        let child = BSONEncodingNode()
        child.makeArray()
        node.append(child)
        return BSONUnkeyedEncodingContainer(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        let key = nextKey
        let child = BSONEncodingNode()
        node.append(child)
        return BSONTreeEncoder(node: child, codingPath: codingPath + [key])
    }
}

struct BSONSingleValueEncodingContainer: SingleValueEncodingContainer {
    let node: BSONEncodingNode
    let codingPath: [any CodingKey]

    private func put(_ value: BSONValue) { node.content = .value(value) }

    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(.double(value)) }
    mutating func encode(_ value: Float) throws { put(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { put(.int64(Int64(value))) }
    mutating func encode(_ value: Int8) throws { put(.int32(Int32(value))) }
    mutating func encode(_ value: Int16) throws { put(.int32(Int32(value))) }
    mutating func encode(_ value: Int32) throws { put(.int32(value)) }
    mutating func encode(_ value: Int64) throws { put(.int64(value)) }
    mutating func encode(_ value: UInt) throws {
        put(try BSONPrimitive.integer(value, codingPath: codingPath))
    }
    mutating func encode(_ value: UInt8) throws { put(.int32(Int32(value))) }
    mutating func encode(_ value: UInt16) throws { put(.int32(Int32(value))) }
    mutating func encode(_ value: UInt32) throws { put(.int64(Int64(value))) }
    mutating func encode(_ value: UInt64) throws {
        put(try BSONPrimitive.integer(value, codingPath: codingPath))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let boxed = try BSONEncodingNode.box(value, codingPath: codingPath)
        node.content = boxed.content
    }
}
