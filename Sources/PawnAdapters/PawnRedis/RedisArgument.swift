/// A value that can be sent as one argument of a Redis command, as exact bytes.
public protocol RedisArgument {
    /// The bytes sent to the server.
    var redisBytes: [UInt8] { get }
}

extension String: RedisArgument {
    /// The string's UTF-8 bytes.
    public var redisBytes: [UInt8] { Array(utf8) }
}

extension Substring: RedisArgument {
    /// The substring's UTF-8 bytes.
    public var redisBytes: [UInt8] { Array(utf8) }
}

extension Array: RedisArgument where Element == UInt8 {
    /// The bytes themselves, unchanged (binary-safe: NUL and non-UTF-8 bytes included).
    public var redisBytes: [UInt8] { self }
}

extension Int: RedisArgument {
    /// The decimal digits, as Redis expects integers.
    public var redisBytes: [UInt8] { Array(String(self).utf8) }
}
