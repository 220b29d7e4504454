/// One reply from the server, copied out of hiredis's reply object.
public enum RedisReply: Sendable, Equatable {
    /// A simple status such as `OK` or `PONG`.
    case status(String)
    /// An error the server returned for this command (for example `WRONGTYPE …`); the
    /// connection is still good.
    case error(String)
    /// A signed integer.
    case integer(Int)
    /// A bulk string: bytes, binary-safe.
    case bulk([UInt8])
    /// The nil reply (a missing key, an empty list's pop).
    case null
    /// An array of replies (possibly nested).
    case array([RedisReply])

    /// The bytes of a bulk reply, or the text of a status reply; `nil` otherwise.
    public var bytes: [UInt8]? {
        switch self {
        case .bulk(let bytes): return bytes
        case .status(let text): return Array(text.utf8)
        default: return nil
        }
    }

    /// The bytes of a bulk or status reply as UTF-8 text (invalid sequences replaced); `nil`
    /// otherwise.
    public var text: String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
}
