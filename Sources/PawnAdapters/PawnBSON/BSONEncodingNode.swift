/// The tree an encoding builds: each node becomes a value, a document or an array once the
/// whole value has been encoded. Containers hold a reference to their node so that
/// nested containers (and an enum that asks twice for the same keyed container, as
/// `Action` does) write into the same place.
final class BSONEncodingNode {
    enum Content {
        case unset
        case value(BSONValue)
        case document(keys: [String], children: [String: BSONEncodingNode])
        case array([BSONEncodingNode])
    }

    var content: Content = .unset

    init() {}

    init(_ value: BSONValue) { content = .value(value) }

    /// Encodes `value` into a new node; primitives and BSON values are stored directly.
    static func box<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws -> BSONEncodingNode {
        if let bson = value as? BSONValue { return BSONEncodingNode(bson) }
        if let document = value as? BSONDocument { return BSONEncodingNode(.document(document)) }
        let node = BSONEncodingNode()
        try value.encode(to: BSONTreeEncoder(node: node, codingPath: codingPath))
        return node
    }

    /// Makes the node a document (keeping its keys when it already is one).
    func makeDocument() {
        if case .document = content { return }
        content = .document(keys: [], children: [:])
    }

    /// Makes the node an array (keeping its elements when it already is one).
    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    func set(_ child: BSONEncodingNode, forKey key: String) {
        makeDocument()
        guard case .document(var keys, var children) = content else { return }
        content = .unset  // drop the reference so that the dictionary is mutated in place
        if children.updateValue(child, forKey: key) == nil { keys.append(key) }
        content = .document(keys: keys, children: children)
    }

    func append(_ child: BSONEncodingNode) {
        makeArray()
        guard case .array(var elements) = content else { return }
        content = .unset
        elements.append(child)
        content = .array(elements)
    }

    var count: Int {
        switch content {
        case .array(let elements): elements.count
        case .document(let keys, _): keys.count
        default: 0
        }
    }

    /// The finished value. A node nothing was written to is an empty document, as an empty
    /// struct would be in JSON.
    func resolve(codingPath: [any CodingKey]) throws -> BSONValue {
        switch content {
        case .unset: return .document(BSONDocument())
        case .value(let value): return value
        case .array(let elements):
            var values: [BSONValue] = []
            values.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                values.append(try element.resolve(codingPath: codingPath + [BSONCodingKey(index: index)]))
            }
            return .array(values)
        case .document(let keys, let children):
            var document = BSONDocument()
            for key in keys {
                let path = codingPath + [BSONCodingKey(key)]
                guard !key.utf8.contains(0) else {
                    throw EncodingError.invalidValue(
                        key,
                        EncodingError.Context(
                            codingPath: path, debugDescription: "a BSON key must not contain a NUL byte"))
                }
                document.append(key, try children[key]!.resolve(codingPath: path))
            }
            return .document(document)
        }
    }
}

/// A coding key for paths: a document key or an array index.
struct BSONCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    init(index: Int) {
        stringValue = String(index)
        intValue = index
    }

    init?(stringValue: String) { self.init(stringValue) }

    init?(intValue: Int) { self.init(index: intValue) }

    static let superKey = BSONCodingKey("super")
}
