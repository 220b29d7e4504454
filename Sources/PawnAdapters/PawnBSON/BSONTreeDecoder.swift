/// The `Decoder` that ``BSONDecoder`` hands to `init(from:)`: it reads one ``BSONValue``.
struct BSONTreeDecoder: Decoder {
    let value: BSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .document(let document) = value else {
            throw BSONTreeDecoder.mismatch(BSONDocument.self, value, codingPath)
        }
        return KeyedDecodingContainer(
            BSONKeyedDecodingContainer<Key>(document: document, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw BSONTreeDecoder.mismatch([BSONValue].self, value, codingPath)
        }
        return BSONUnkeyedDecodingContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// `T` from this decoder's value, reading primitives directly.
    func unbox<T: Decodable>(_ type: T.Type) throws -> T {
        if type == BSONValue.self { return value as! T }
        if type == BSONDocument.self {
            guard case .document(let document) = value else { throw Self.mismatch(type, value, codingPath) }
            return document as! T
        }
        return try T(from: self)
    }

    static func mismatch(_ type: Any.Type, _ value: BSONValue, _ codingPath: [any CodingKey]) -> DecodingError
    {
        .typeMismatch(
            type,
            DecodingError.Context(
                codingPath: codingPath, debugDescription: "expected \(type), found BSON \(value.typeName)"))
    }

    static func integer<T: FixedWidthInteger>(
        _ type: T.Type, _ value: BSONValue, _ codingPath: [any CodingKey]
    )
        throws -> T
    {
        let exact: T?
        switch value {
        case .int32(let number): exact = T(exactly: number)
        case .int64(let number): exact = T(exactly: number)
        case .double(let number): exact = T(exactly: number)
        default: throw mismatch(type, value, codingPath)
        }
        guard let exact else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: codingPath,
                    debugDescription: "BSON \(value.typeName) \(describe(value)) is not exactly a \(type)"))
        }
        return exact
    }

    static func double(_ value: BSONValue, _ codingPath: [any CodingKey]) throws -> Double {
        switch value {
        case .double(let number): return number
        case .int32(let number): return Double(number)
        case .int64(let number):
            guard let exact = Double(exactly: number) else {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(
                        codingPath: codingPath, debugDescription: "int64 \(number) is not exactly a Double"))
            }
            return exact
        default: throw mismatch(Double.self, value, codingPath)
        }
    }

    private static func describe(_ value: BSONValue) -> String {
        switch value {
        case .int32(let number): "\(number)"
        case .int64(let number): "\(number)"
        case .double(let number): "\(number)"
        default: ""
        }
    }
}

extension BSONTreeDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool {
        switch value {
        case .null, .undefined: true
        default: false
        }
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let flag) = value else { throw Self.mismatch(type, value, codingPath) }
        return flag
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let text) = value else { throw Self.mismatch(type, value, codingPath) }
        return text
    }

    func decode(_ type: Double.Type) throws -> Double { try Self.double(value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { Float(try Self.double(value, codingPath)) }
    func decode(_ type: Int.Type) throws -> Int { try Self.integer(type, value, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try Self.integer(type, value, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try Self.integer(type, value, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try Self.integer(type, value, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try Self.integer(type, value, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try Self.integer(type, value, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try Self.integer(type, value, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try Self.integer(type, value, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try Self.integer(type, value, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try Self.integer(type, value, codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try unbox(type) }
}

struct BSONKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let codingPath: [any CodingKey]
    /// The first value of each key: a repeated key in a document read from the wire does
    /// not change what the first one says.
    private let values: [String: BSONValue]
    private let order: [String]

    init(document: BSONDocument, codingPath: [any CodingKey]) {
        var values: [String: BSONValue] = [:]
        for (key, value) in zip(document.keys, document.values) where values[key] == nil {
            values[key] = value
        }
        self.values = values
        self.order = document.keys
        self.codingPath = codingPath
    }

    var allKeys: [Key] { order.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { values[key.stringValue] != nil }

    private func decoder(_ key: Key) throws -> BSONTreeDecoder {
        guard let value = values[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key,
                DecodingError.Context(
                    codingPath: codingPath, debugDescription: "no field \"\(key.stringValue)\""))
        }
        return BSONTreeDecoder(value: value, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool { try decoder(key).decodeNil() }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder(key).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder(key).decode(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder(key).decode(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decoder(key).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder(key).decode(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder(key).decode(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder(key).decode(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder(key).decode(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder(key).decode(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decoder(key).decode(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder(key).decode(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder(key).decode(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder(key).decode(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder(key).decode(type) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decoder(key).unbox(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try decoder(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        BSONTreeDecoder(
            value: values[BSONCodingKey.superKey.stringValue] ?? .null,
            codingPath: codingPath + [BSONCodingKey.superKey])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        BSONTreeDecoder(value: values[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

struct BSONUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let elements: [BSONValue]
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(elements: [BSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next<T>(_ type: T.Type) throws -> BSONTreeDecoder {
        let key = BSONCodingKey(index: currentIndex)
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                DecodingError.Context(
                    codingPath: codingPath + [key],
                    debugDescription: "the array has only \(elements.count) elements"))
        }
        currentIndex += 1
        return BSONTreeDecoder(value: elements[currentIndex - 1], codingPath: codingPath + [key])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if BSONTreeDecoder(value: elements[currentIndex], codingPath: codingPath).decodeNil() {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type).decode(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next(type).decode(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type).decode(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type).decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type).decode(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type).decode(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type).decode(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type).decode(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type).decode(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type).decode(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type).decode(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type).decode(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type).decode(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type).decode(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type).unbox(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try next(BSONDocument.self).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next([BSONValue].self).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try next(BSONValue.self) }
}
