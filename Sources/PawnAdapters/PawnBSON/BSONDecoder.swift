/// Decodes BSON documents to `Decodable` values.
///
/// Integers are read from int32, int64 or a double that holds the integer exactly, and
/// must fit the target type; floating point numbers from double, int32 or int64 (when
/// exact). Unknown keys (such as MongoDB's `_id`) are ignored. Errors are
/// `DecodingError`s whose context names the coding path; bytes that are not BSON throw
/// ``BSONError``.
public struct BSONDecoder: Sendable {
    /// A decoder.
    public init() {}

    /// `T` from `document`.
    public func decode<T: Decodable>(_ type: T.Type, from document: BSONDocument) throws -> T {
        try decode(type, fromValue: .document(document))
    }

    /// `T` from the BSON bytes of a document.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decode(type, from: try BSONDocument(bytes: bytes))
    }

    /// `T` from a single BSON value.
    public func decode<T: Decodable>(_ type: T.Type, fromValue value: BSONValue) throws -> T {
        try BSONTreeDecoder(value: value, codingPath: []).unbox(type)
    }
}
