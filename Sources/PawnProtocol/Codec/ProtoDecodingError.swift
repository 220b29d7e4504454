/// Why a byte string is not a valid encoding of a message. Decoders throw this and never
/// trap, whatever the input.
public struct ProtoDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Reason: Hashable, Sendable {
        /// The input ends inside a tag or a value.
        case truncated
        /// A varint longer than 10 bytes, or whose 10th byte overflows 64 bits.
        case overlongVarint
        /// A length prefix that points past the end of the enclosing message.
        case lengthPastEnd(length: UInt64)
        /// A known field arrived with a wire type its type cannot have.
        case wireTypeMismatch(expected: WireType, actual: WireType)
        /// A wire type of 6 or 7.
        case invalidWireType(UInt8)
        /// A field number of 0 (or a tag that does not fit 32 bits).
        case invalidFieldNumber(UInt64)
        /// Messages (or groups) nested deeper than the configured limit.
        case nestingTooDeep(limit: Int)
        /// The input is larger than the configured limit.
        case messageTooLarge(size: Int, limit: Int)
        /// A `string` field that is not valid UTF-8.
        case invalidUTF8
        /// An end-group tag without its start, or one that closes another field's group.
        case unmatchedEndGroup
    }

    /// What is wrong.
    public var reason: Reason
    /// The byte offset, within the outermost input, where the bad tag or value starts.
    public var offset: Int
    /// The field being decoded, as `message.field` (`pawnshop.v1.Item.price`), when known.
    public var field: String?

    /// An error.
    public init(_ reason: Reason, offset: Int, field: String? = nil) {
        self.reason = reason
        self.offset = offset
        self.field = field
    }

    public var description: String {
        let what: String
        switch reason {
        case .truncated: what = "input ends in the middle of a field"
        case .overlongVarint: what = "varint is longer than 10 bytes or overflows 64 bits"
        case .lengthPastEnd(let length): what = "length \(length) runs past the end of the message"
        case .wireTypeMismatch(let expected, let actual): what = "wire type \(actual), expected \(expected)"
        case .invalidWireType(let type): what = "invalid wire type \(type)"
        case .invalidFieldNumber(let number): what = "invalid field number \(number)"
        case .nestingTooDeep(let limit): what = "messages nested deeper than \(limit)"
        case .messageTooLarge(let size, let limit):
            what = "message of \(size) bytes exceeds the limit of \(limit)"
        case .invalidUTF8: what = "string is not valid UTF-8"
        case .unmatchedEndGroup: what = "end-group tag without a matching start"
        }
        return (field.map { "\($0): " } ?? "") + what + " (at byte \(offset))"
    }
}

/// Limits that keep a decoder safe on hostile input.
public struct ProtoDecodingOptions: Hashable, Sendable {
    /// The deepest nesting of messages and groups accepted; the top-level message is depth 1.
    public var maxDepth: Int
    /// The largest input accepted, in bytes.
    public var maxMessageSize: Int

    /// Limits: 100 levels (the protobuf runtimes' default) and 4 MiB (gRPC's default).
    public init(maxDepth: Int = 100, maxMessageSize: Int = 4 * 1024 * 1024) {
        self.maxDepth = maxDepth
        self.maxMessageSize = maxMessageSize
    }
}
