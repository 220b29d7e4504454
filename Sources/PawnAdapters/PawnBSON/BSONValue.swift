/// One BSON value, of any type a MongoDB server may return.
///
/// The deprecated types (`undefined`, `dbPointer`, `symbol`, `javascriptWithScope`) are
/// kept so that a document read from an old database survives a read and a write
/// unchanged instead of failing to decode.
public enum BSONValue: Sendable, Hashable {
    /// A 64-bit IEEE 754 number (type 0x01).
    case double(Double)
    /// UTF-8 text (0x02).
    case string(String)
    /// An embedded document (0x03).
    case document(BSONDocument)
    /// An array (0x04), stored as a document keyed `"0"`, `"1"`, … on the wire.
    case array([BSONValue])
    /// Bytes with a subtype (0x05): 0 generic, 4 UUID, 0x80… user defined.
    case binary(subtype: UInt8, bytes: [UInt8])
    /// The deprecated `undefined` (0x06).
    case undefined
    /// A 12-byte object id (0x07).
    case objectId(BSONObjectID)
    /// `true` or `false` (0x08).
    case bool(Bool)
    /// Milliseconds since the Unix epoch, UTC (0x09).
    case datetime(Int64)
    /// `null` (0x0A).
    case null
    /// A regular expression and its option letters (0x0B).
    case regex(pattern: String, options: String)
    /// The deprecated DBPointer (0x0C): a namespace and an object id.
    case dbPointer(namespace: String, id: BSONObjectID)
    /// JavaScript code (0x0D).
    case javascript(String)
    /// The deprecated symbol (0x0E).
    case symbol(String)
    /// The deprecated JavaScript code with a scope document (0x0F).
    case javascriptWithScope(code: String, scope: BSONDocument)
    /// A 32-bit integer (0x10).
    case int32(Int32)
    /// A replication timestamp (0x11): seconds since the epoch and an ordinal within the second.
    case timestamp(increment: UInt32, seconds: UInt32)
    /// A 64-bit integer (0x12).
    case int64(Int64)
    /// An IEEE 754-2008 decimal, kept as its 16 raw bytes (0x13).
    case decimal128(BSONDecimal128)
    /// The value that sorts before every other (0xFF).
    case minKey
    /// The value that sorts after every other (0x7F).
    case maxKey

    /// The type byte that precedes the value on the wire.
    public var typeByte: UInt8 {
        switch self {
        case .double: 0x01
        case .string: 0x02
        case .document: 0x03
        case .array: 0x04
        case .binary: 0x05
        case .undefined: 0x06
        case .objectId: 0x07
        case .bool: 0x08
        case .datetime: 0x09
        case .null: 0x0A
        case .regex: 0x0B
        case .dbPointer: 0x0C
        case .javascript: 0x0D
        case .symbol: 0x0E
        case .javascriptWithScope: 0x0F
        case .int32: 0x10
        case .timestamp: 0x11
        case .int64: 0x12
        case .decimal128: 0x13
        case .minKey: 0xFF
        case .maxKey: 0x7F
        }
    }

    /// The type's name, for error messages (`"int32"`, `"string"`).
    public var typeName: String {
        switch self {
        case .double: "double"
        case .string: "string"
        case .document: "document"
        case .array: "array"
        case .binary: "binary"
        case .undefined: "undefined"
        case .objectId: "objectId"
        case .bool: "bool"
        case .datetime: "datetime"
        case .null: "null"
        case .regex: "regex"
        case .dbPointer: "dbPointer"
        case .javascript: "javascript"
        case .symbol: "symbol"
        case .javascriptWithScope: "javascriptWithScope"
        case .int32: "int32"
        case .timestamp: "timestamp"
        case .int64: "int64"
        case .decimal128: "decimal128"
        case .minKey: "minKey"
        case .maxKey: "maxKey"
        }
    }

    /// The text of a string value; `nil` for any other type.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The embedded document; `nil` for any other type.
    public var documentValue: BSONDocument? {
        if case .document(let document) = self { return document }
        return nil
    }

    /// The array's elements; `nil` for any other type.
    public var arrayValue: [BSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The value as a 64-bit integer when it is an int32, an int64, or a double that holds
    /// an integer exactly (servers return counts in any of the three).
    public var int64Value: Int64? {
        switch self {
        case .int32(let value): Int64(value)
        case .int64(let value): value
        case .double(let value): Int64(exactly: value)
        default: nil
        }
    }
}

/// A value passes through ``BSONEncoder`` and ``BSONDecoder`` unchanged, so that a
/// `Codable` type can hold a field of any BSON type. Other coders cannot represent it.
extension BSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        guard let tree = decoder as? BSONTreeDecoder else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "BSONValue decodes only with BSONDecoder"))
        }
        self = tree.value
    }

    public func encode(to encoder: any Encoder) throws {
        guard let tree = encoder as? BSONTreeEncoder else {
            throw EncodingError.invalidValue(
                self,
                EncodingError.Context(
                    codingPath: encoder.codingPath,
                    debugDescription: "BSONValue encodes only with BSONEncoder"))
        }
        tree.node.content = .value(self)
    }
}
