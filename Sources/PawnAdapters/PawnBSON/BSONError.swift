/// Why bytes are not a valid BSON document: what is wrong, where (the byte offset from the
/// start of the input) and in which field (a dotted path such as `loan.dueDate` or
/// `appliedEventIds.3`; empty at the top level).
public struct BSONError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The ways bytes can fail to be BSON.
    public enum Reason: Hashable, Sendable {
        /// The input ends before the `needed` bytes a value declares.
        case truncated(needed: Int)
        /// A declared length is impossible: negative, too small, or past its enclosing document.
        case invalidLength(Int)
        /// A document, string or key does not end with the NUL byte it must end with.
        case missingTerminator
        /// Text (a key or a string) that is not valid UTF-8.
        case invalidUTF8
        /// A type byte that BSON does not define.
        case unknownType(UInt8)
        /// A boolean byte other than 0 or 1.
        case invalidBoolean(UInt8)
        /// Documents nested deeper than `limit`.
        case tooDeep(limit: Int)
        /// Bytes left over after the top-level document.
        case trailingBytes(Int)
        /// An element runs past the end of its document.
        case elementOverrun
    }

    /// What is wrong.
    public var reason: Reason
    /// The byte offset, from the start of the input, where the problem was found.
    public var offset: Int
    /// The dotted path of the field being read; empty at the top level.
    public var path: String

    /// An error of `reason` at `offset` in field `path`.
    public init(_ reason: Reason, offset: Int, path: String = "") {
        self.reason = reason
        self.offset = offset
        self.path = path
    }

    public var description: String {
        let what: String =
            switch reason {
            case .truncated(let needed): "input ends before the \(needed) bytes a value needs"
            case .invalidLength(let length): "impossible length \(length)"
            case .missingTerminator: "missing NUL terminator"
            case .invalidUTF8: "text is not valid UTF-8"
            case .unknownType(let type): "unknown type byte 0x\(String(type, radix: 16))"
            case .invalidBoolean(let byte): "boolean byte \(byte) is neither 0 nor 1"
            case .tooDeep(let limit): "documents nested deeper than \(limit)"
            case .trailingBytes(let count): "\(count) bytes after the document"
            case .elementOverrun: "an element runs past the end of its document"
            }
        return "invalid BSON at byte \(offset)\(path.isEmpty ? "" : " in field \(path)"): \(what)"
    }
}
