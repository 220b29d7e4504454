/// An ordered BSON document: keys and values in the order they are written, as MongoDB
/// keeps them (a sort or an index specification depends on that order).
///
/// Keys must not contain a NUL byte (BSON writes them NUL-terminated); ``BSONEncoder``
/// refuses such keys with an error, and writing a hand-built document with one traps.
public struct BSONDocument: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral,
    CustomStringConvertible
{
    /// The keys, in order. A key may repeat in a document read from the wire.
    public private(set) var keys: [String]
    /// The values, in the order of ``keys``.
    public private(set) var values: [BSONValue]

    /// An empty document.
    public init() {
        keys = []
        values = []
    }

    /// A document of `elements`, in order.
    public init(_ elements: [(key: String, value: BSONValue)]) {
        keys = elements.map(\.key)
        values = elements.map(\.value)
    }

    /// A document written as a literal: `["id": .string("a"), "version": .int64(1)]`.
    public init(dictionaryLiteral elements: (String, BSONValue)...) {
        keys = elements.map(\.0)
        values = elements.map(\.1)
    }

    /// Parses one document that fills `bytes` exactly. Never traps: malformed input
    /// (truncated, wrong lengths, a missing NUL, bad UTF-8, nesting deeper than 100)
    /// throws an error that names the offset and the field.
    public init(bytes: [UInt8]) throws(BSONError) {
        self = try BSONReader.document(bytes)
    }

    /// The document's BSON bytes.
    public var bytes: [UInt8] {
        var writer = BSONWriter()
        writer.write(self)
        return writer.bytes
    }

    /// How many elements the document has.
    public var count: Int { keys.count }

    /// Whether the document has no elements.
    public var isEmpty: Bool { keys.isEmpty }

    /// The elements, in order.
    public var elements: [(key: String, value: BSONValue)] {
        Array(zip(keys, values)).map { (key: $0.0, value: $0.1) }
    }

    /// The value of the first element named `key`; setting replaces it in place (or appends
    /// a new element), and setting `nil` removes every element of that name.
    public subscript(key: String) -> BSONValue? {
        get {
            guard let index = keys.firstIndex(of: key) else { return nil }
            return values[index]
        }
        set {
            if let newValue {
                if let index = keys.firstIndex(of: key) {
                    values[index] = newValue
                } else {
                    append(key, newValue)
                }
            } else {
                while let index = keys.firstIndex(of: key) {
                    keys.remove(at: index)
                    values.remove(at: index)
                }
            }
        }
    }

    /// Appends an element, even when an element of that name exists.
    public mutating func append(_ key: String, _ value: BSONValue) {
        keys.append(key)
        values.append(value)
    }

    /// Iterates the elements in order.
    public func makeIterator() -> IndexingIterator<[(key: String, value: BSONValue)]> {
        elements.makeIterator()
    }

    public var description: String {
        "{" + elements.map { "\"\($0.key)\": \(BSONDocument.describe($0.value))" }.joined(separator: ", ")
            + "}"
    }

    private static func describe(_ value: BSONValue) -> String {
        switch value {
        case .string(let text): "\"\(text)\""
        case .document(let document): document.description
        case .array(let elements): "[" + elements.map(describe).joined(separator: ", ") + "]"
        case .int32(let number): "\(number)"
        case .int64(let number): "NumberLong(\(number))"
        case .double(let number): "\(number)"
        case .bool(let flag): "\(flag)"
        case .null: "null"
        case .objectId(let id): id.description
        default: value.typeName
        }
    }
}

/// A document passes through ``BSONEncoder`` and ``BSONDecoder`` unchanged.
extension BSONDocument: Codable {
    public init(from decoder: any Decoder) throws {
        guard case .document(let document) = try BSONValue(from: decoder) else {
            throw DecodingError.typeMismatch(
                BSONDocument.self,
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "expected a document")
            )
        }
        self = document
    }

    public func encode(to encoder: any Encoder) throws { try BSONValue.document(self).encode(to: encoder) }
}
