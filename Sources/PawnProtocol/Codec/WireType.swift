/// How a field's value is laid out on the wire (protobuf encoding guide, "Message
/// Structure"). Values 6 and 7 are not wire types and make a message malformed.
public enum WireType: UInt8, Hashable, Sendable, CustomStringConvertible {
    /// int32, int64, uint32, uint64, sint32, sint64, bool, enum.
    case varint = 0
    /// fixed64, sfixed64, double.
    case fixed64 = 1
    /// string, bytes, embedded messages, packed repeated fields.
    case lengthDelimited = 2
    /// The start of a proto2 group (deprecated; only ever skipped here).
    case startGroup = 3
    /// The end of a proto2 group.
    case endGroup = 4
    /// fixed32, sfixed32, float.
    case fixed32 = 5

    public var description: String {
        switch self {
        case .varint: "varint"
        case .fixed64: "fixed64"
        case .lengthDelimited: "length-delimited"
        case .startGroup: "start-group"
        case .endGroup: "end-group"
        case .fixed32: "fixed32"
        }
    }
}

/// A field's key: its number and wire type.
public struct FieldTag: Hashable, Sendable {
    /// The largest field number protobuf allows (2^29 − 1).
    public static let maxFieldNumber = 536_870_911

    /// The field number, 1…``maxFieldNumber``.
    public let number: Int
    /// The wire type.
    public let wireType: WireType

    /// A tag.
    public init(number: Int, wireType: WireType) {
        self.number = number
        self.wireType = wireType
    }

    /// The tag's varint value: `number << 3 | wireType`.
    @inline(__always)
    public var rawValue: UInt64 { UInt64(truncatingIfNeeded: number) << 3 | UInt64(wireType.rawValue) }
}
