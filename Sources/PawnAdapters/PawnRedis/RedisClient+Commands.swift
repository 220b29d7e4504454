import PawnIO

/// Typed helpers: each sends one command and checks that the reply has the type the command
/// returns (otherwise `.protocol`). Keys are text; values and members are any
/// `RedisArgument`, sent byte for byte.
extension RedisClient {
    /// PING: checks that the server answers.
    public func ping() async throws(RedisError) {
        let reply = try await command(["PING"])
        guard case .status("PONG") = reply else { throw Self.unexpected(reply, "PING") }
    }

    /// GET: the value at `key`, or `nil` when there is none.
    public func get(_ key: String) async throws(RedisError) -> [UInt8]? {
        let reply = try await command(["GET", key])
        switch reply {
        case .bulk(let bytes): return bytes
        case .null: return nil
        default: throw Self.unexpected(reply, "GET")
        }
    }

    /// SET: stores `value` at `key`, expiring after `expiry` (whole milliseconds) when given.
    public func set(_ key: String, _ value: some RedisArgument, expiry: Duration? = nil)
        async throws(RedisError)
    {
        var arguments: [any RedisArgument] = ["SET", key, value.redisBytes]
        if let expiry { arguments += ["PX", try Self.milliseconds(expiry, "SET")] }
        try Self.expectOK(try await command(arguments), "SET")
    }

    /// DEL: removes `keys`; returns how many existed.
    @discardableResult
    public func del(_ keys: [String]) async throws(RedisError) -> Int {
        try Self.integer(try await command(["DEL"] + keys), "DEL")
    }

    /// DEL: removes `key`; returns whether it existed.
    @discardableResult
    public func del(_ key: String) async throws(RedisError) -> Bool { try await del([key]) == 1 }

    /// EXISTS: how many of `keys` exist (a key named twice counts twice).
    public func exists(_ keys: [String]) async throws(RedisError) -> Int {
        try Self.integer(try await command(["EXISTS"] + keys), "EXISTS")
    }

    /// EXISTS: whether `key` exists.
    public func exists(_ key: String) async throws(RedisError) -> Bool { try await exists([key]) == 1 }

    /// PEXPIRE: makes `key` expire after `duration` (whole milliseconds); returns whether the
    /// key exists.
    @discardableResult
    public func expire(_ key: String, after duration: Duration) async throws(RedisError) -> Bool {
        let milliseconds = try Self.milliseconds(duration, "PEXPIRE")
        return try Self.integer(try await command(["PEXPIRE", key, milliseconds]), "PEXPIRE") == 1
    }

    /// INCR: adds one to the integer at `key` (0 when missing); returns the new value.
    @discardableResult
    public func incr(_ key: String) async throws(RedisError) -> Int {
        try Self.integer(try await command(["INCR", key]), "INCR")
    }

    /// SADD: adds `members` to the set at `key`; returns how many were new.
    @discardableResult
    public func sadd(_ key: String, _ members: [some RedisArgument]) async throws(RedisError) -> Int {
        try Self.integer(try await command(["SADD", key] + members.map(\.redisBytes)), "SADD")
    }

    /// SREM: removes `members` from the set at `key`; returns how many were there.
    @discardableResult
    public func srem(_ key: String, _ members: [some RedisArgument]) async throws(RedisError) -> Int {
        try Self.integer(try await command(["SREM", key] + members.map(\.redisBytes)), "SREM")
    }

    /// SISMEMBER: whether `member` is in the set at `key`.
    public func sismember(_ key: String, _ member: some RedisArgument) async throws(RedisError) -> Bool {
        try Self.integer(try await command(["SISMEMBER", key, member.redisBytes]), "SISMEMBER") == 1
    }

    /// SMEMBERS: the members of the set at `key`, in no particular order.
    public func smembers(_ key: String) async throws(RedisError) -> [[UInt8]] {
        try Self.bulkArray(try await command(["SMEMBERS", key]), "SMEMBERS")
    }

    /// SCARD: how many members the set at `key` has.
    public func scard(_ key: String) async throws(RedisError) -> Int {
        try Self.integer(try await command(["SCARD", key]), "SCARD")
    }

    /// RENAME: moves `key` to `newKey` in one step, replacing what `newKey` held (how the
    /// feeder swaps a new list in atomically).
    public func rename(_ key: String, to newKey: String) async throws(RedisError) {
        try Self.expectOK(try await command(["RENAME", key, newKey]), "RENAME")
    }

    /// RPUSH: appends `values` to the list at `key`; returns the list's new length.
    @discardableResult
    public func rpush(_ key: String, _ values: [some RedisArgument]) async throws(RedisError) -> Int {
        try Self.integer(try await command(["RPUSH", key] + values.map(\.redisBytes)), "RPUSH")
    }

    /// LRANGE: the elements of the list at `key` from `start` to `stop`, both included;
    /// negative indexes count from the end (`0, -1` is the whole list).
    public func lrange(_ key: String, _ start: Int, _ stop: Int) async throws(RedisError) -> [[UInt8]] {
        try Self.bulkArray(try await command(["LRANGE", key, start, stop]), "LRANGE")
    }

    /// LPOP: removes and returns the first element of the list at `key`; `nil` when empty.
    public func lpop(_ key: String) async throws(RedisError) -> [UInt8]? {
        let reply = try await command(["LPOP", key])
        switch reply {
        case .bulk(let bytes): return bytes
        case .null: return nil
        default: throw Self.unexpected(reply, "LPOP")
        }
    }

    /// LLEN: the length of the list at `key` (0 when missing).
    public func llen(_ key: String) async throws(RedisError) -> Int {
        try Self.integer(try await command(["LLEN", key]), "LLEN")
    }

    private static func unexpected(_ reply: RedisReply, _ command: String) -> RedisError {
        RedisError(.protocol, command: command, message: "unexpected reply \(reply)")
    }

    private static func expectOK(_ reply: RedisReply, _ command: String) throws(RedisError) {
        guard case .status("OK") = reply else { throw unexpected(reply, command) }
    }

    private static func integer(_ reply: RedisReply, _ command: String) throws(RedisError) -> Int {
        guard case .integer(let value) = reply else { throw unexpected(reply, command) }
        return value
    }

    private static func bulkArray(_ reply: RedisReply, _ command: String) throws(RedisError) -> [[UInt8]] {
        guard case .array(let elements) = reply else { throw unexpected(reply, command) }
        var values: [[UInt8]] = []
        values.reserveCapacity(elements.count)
        for element in elements {
            guard case .bulk(let bytes) = element else { throw unexpected(reply, command) }
            values.append(bytes)
        }
        return values
    }

    /// `duration` in whole milliseconds, which Redis requires to be positive.
    private static func milliseconds(_ duration: Duration, _ command: String) throws(RedisError) -> Int {
        let milliseconds = Int(duration.milliseconds)
        guard milliseconds > 0 else {
            throw RedisError(
                .protocol, command: command, message: "an expiry must be at least 1 ms, not \(duration)")
        }
        return milliseconds
    }
}
