import PawnIO
import PawnPorts

/// A parking lot in Redis, shared by every replica given the same key:
/// - `<key>`, a list of records: RPUSH to park, LRANGE to read the head, LTRIM to remove
///   what was published;
/// - `<key>:items`, a hash of item → records parked, changed in the same script as the list;
/// - `<key>:lease`, the drain lease, `owner fence` with an expiry (SET NX PX), its fence
///   from the counter `<key>:fence`; removals check it in the same script, so a drainer
///   whose lease another took (it paused past its expiry, say) removes nothing. A lease
///   that lapsed while no other was given out (the counter still at its fence) still
///   holds: nobody else can have touched the head, and renewing it sets it again;
/// - `<key>:dead`, records Kafka refuses for good.
public struct RedisParkingLot: ParkingLot {
    /// The client.
    public let client: RedisClient
    /// The list's key (the others are named after it).
    public let key: String

    /// A parking lot in the list `key`.
    public init(client: RedisClient, key: String = "pawnshop:parked") {
        self.client = client
        self.key = key
    }

    private var items: String { key + ":items" }
    private var leaseKey: String { key + ":lease" }
    private var fenceKey: String { key + ":fence" }

    public func append(_ record: [UInt8], item: String) async throws(ParkingLotError) {
        let script = """
            redis.call('RPUSH', KEYS[1], ARGV[1])
            redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
            return 1
            """
        _ = try await redis { () async throws(RedisError) in
            try await client.command(["EVAL", script, 2, key, items, record, item])
        }
    }

    public func first(_ count: Int) async throws(ParkingLotError) -> [[UInt8]] {
        guard count > 0 else { return [] }
        return try await redis { () async throws(RedisError) in try await client.lrange(key, 0, count - 1) }
    }

    public func removeFirst(_ items: [String], holding lease: ParkingLease) async throws(ParkingLotError)
        -> Bool
    {
        guard !items.isEmpty else { return true }
        let script = """
            local held = redis.call('GET', KEYS[3])
            if held ~= ARGV[1] and (held or redis.call('GET', KEYS[4]) ~= ARGV[2]) then
                return 0
            end
            redis.call('LTRIM', KEYS[1], #ARGV - 2, -1)
            for i = 3, #ARGV do
                if ARGV[i] ~= '' then
                    if redis.call('HINCRBY', KEYS[2], ARGV[i], -1) <= 0 then
                        redis.call('HDEL', KEYS[2], ARGV[i])
                    end
                end
            end
            return 1
            """
        let arguments: [any RedisArgument] = [
            "EVAL", script, 4, key, self.items, leaseKey, fenceKey, Self.value(lease), String(lease.fence),
        ]
        let reply = try await redis { () async throws(RedisError) in
            try await client.command(arguments + items.map { $0 as any RedisArgument })
        }
        return reply == .integer(1)
    }

    public func holdsRecords(of item: String) async throws(ParkingLotError) -> Bool {
        let reply = try await redis { () async throws(RedisError) in
            try await client.command(["HEXISTS", items, item])
        }
        return reply == .integer(1)
    }

    public func count() async throws(ParkingLotError) -> Int {
        try await redis { () async throws(RedisError) in try await client.llen(key) }
    }

    /// RPUSH to `<key>:dead`.
    public func bury(_ record: [UInt8]) async throws(ParkingLotError) {
        _ = try await redis { () async throws(RedisError) in try await client.rpush(key + ":dead", [record]) }
    }

    public func deadLetters(_ count: Int) async throws(ParkingLotError) -> (records: [[UInt8]], total: Int) {
        let dead = key + ":dead"
        return try await redis { () async throws(RedisError) in
            let records = count > 0 ? try await client.lrange(dead, 0, count - 1) : []
            return (records, try await client.llen(dead))
        }
    }

    public func redrive(_ heads: [(record: [UInt8], item: String)]) async throws(ParkingLotError) -> Int {
        guard !heads.isEmpty else { return 0 }
        // ARGV: record, item, record, item, …; each moves only while it is the dead head.
        let script = """
            local moved = 0
            for i = 1, #ARGV, 2 do
                if redis.call('LINDEX', KEYS[3], 0) ~= ARGV[i] then break end
                redis.call('LPOP', KEYS[3])
                redis.call('RPUSH', KEYS[1], ARGV[i])
                redis.call('HINCRBY', KEYS[2], ARGV[i + 1], 1)
                moved = moved + 1
            end
            return moved
            """
        var arguments: [any RedisArgument] = ["EVAL", script, 3, key, items, key + ":dead"]
        for head in heads { arguments += [head.record, head.item] }
        let reply = try await redis { () async throws(RedisError) in try await client.command(arguments) }
        guard case .integer(let moved) = reply else {
            throw ParkingLotError("Redis list \(key): redrive answered \(reply)")
        }
        return moved
    }

    public func acquireLease(owner: String, duration: Duration) async throws(ParkingLotError) -> ParkingLease?
    {
        let script = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            local fence = redis.call('INCR', KEYS[2])
            redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. fence, 'PX', ARGV[2])
            return fence
            """
        let reply = try await redis { () async throws(RedisError) in
            try await client.command([
                "EVAL", script, 2, leaseKey, fenceKey, owner, Self.milliseconds(duration),
            ])
        }
        guard case .integer(let fence) = reply, fence > 0 else { return nil }
        return ParkingLease(owner: owner, fence: fence)
    }

    public func renew(_ lease: ParkingLease, duration: Duration) async throws(ParkingLotError) -> Bool {
        let script = """
            local held = redis.call('GET', KEYS[1])
            if held == ARGV[1] then
                redis.call('PEXPIRE', KEYS[1], ARGV[2])
                return 1
            end
            if held or redis.call('GET', KEYS[2]) ~= ARGV[3] then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
            """
        let reply = try await redis { () async throws(RedisError) in
            try await client.command([
                "EVAL", script, 2, leaseKey, fenceKey, Self.value(lease), Self.milliseconds(duration),
                String(lease.fence),
            ])
        }
        return reply == .integer(1)
    }

    public func release(_ lease: ParkingLease) async throws(ParkingLotError) {
        let script = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
            return 1
            """
        _ = try await redis { () async throws(RedisError) in
            try await client.command(["EVAL", script, 1, leaseKey, Self.value(lease)])
        }
    }

    private static func value(_ lease: ParkingLease) -> String { "\(lease.owner) \(lease.fence)" }

    private static func milliseconds(_ duration: Duration) -> Int { max(1, Int(duration.milliseconds)) }

    private func redis<T>(_ body: () async throws(RedisError) -> T) async throws(ParkingLotError) -> T {
        do { return try await body() } catch { throw ParkingLotError("Redis list \(key): \(error)") }
    }

    public var description: String { "Redis list \(key)" }
}
