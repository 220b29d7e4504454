/// Encodes `Encodable` values to BSON documents.
///
/// `Int` and `Int64` become int64, `Int32` (and the smaller integers) int32, floating
/// point numbers double, `nil` from `encodeNil` null (while `encodeIfPresent` leaves the
/// key out), and ``BSONValue`` / ``BSONDocument`` values pass through unchanged. Errors
/// are `EncodingError`s whose context names the coding path.
public struct BSONEncoder: Sendable {
    /// An encoder.
    public init() {}

    /// `value` as a document; it must encode as a keyed container.
    public func encode<T: Encodable>(_ value: T) throws -> BSONDocument {
        let encoded = try encodeValue(value)
        guard case .document(let document) = encoded else {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(
                    codingPath: [],
                    debugDescription: "a top-level value must encode as a document, not \(encoded.typeName)"))
        }
        return document
    }

    /// `value` as a BSON value of any type (a filter's operand, an array element).
    public func encodeValue<T: Encodable>(_ value: T) throws -> BSONValue {
        let node = try BSONEncodingNode.box(value, codingPath: [])
        return try node.resolve(codingPath: [])
    }
}
