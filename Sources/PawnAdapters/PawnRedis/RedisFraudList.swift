import PawnPorts

/// The fraud list kept in Redis as a set of normalised names (see `FraudNames`), filled by
/// the feeder; a lookup is one SISMEMBER.
public struct RedisFraudList: FraudListStore {
    /// The client the lookups go through.
    public let client: RedisClient
    /// The set's key.
    public let key: String
    /// Members added per SADD when the list is replaced.
    public var batchSize = 1_000

    /// A fraud list in the set `key` (`fraudsters` by default) read through `client`.
    public init(client: RedisClient, key: String = "fraudsters") {
        self.client = client
        self.key = key
    }

    /// The key the next list is loaded into before it replaces the list.
    public var stagingKey: String { "\(key):staging" }

    /// Whether `client`, normalised, is a member of the set. Throws when Redis cannot
    /// answer; the caller decides whether to fail open or closed.
    public func contains(_ client: String) async throws(FraudListError) -> Bool {
        try await Self.redis { () async throws(RedisError) in
            try await self.client.sismember(key, FraudNames.normalize(client))
        }
    }

    /// `body`'s Redis errors as ``FraudListError/Code/unavailable``.
    static func redis<T>(_ body: () async throws(RedisError) -> T) async throws(FraudListError) -> T {
        do { return try await body() } catch { throw FraudListError(.unavailable, "Redis: \(error)") }
    }

    /// The key that says an empty list is meant to be empty (the feeder loaded one).
    public var emptyMarkerKey: String { "\(key):empty" }

    /// SMEMBERS of the set. A missing set is an error, not an empty list, unless the feeder
    /// loaded an empty one: a Redis that lost its data (or a wrong key) must not clear
    /// everyone, so the dispatcher's cache keeps its last list or fails closed.
    public func allNames() async throws(FraudListError) -> Set<String> {
        let replies = try await Self.redis { () async throws(RedisError) in
            try await client.pipeline([["SMEMBERS", key], ["EXISTS", emptyMarkerKey]])
        }
        guard replies.count == 2, case .array(let members) = replies[0] else {
            throw FraudListError(.unavailable, "Redis: unexpected reply to SMEMBERS \(replies)")
        }
        let names = Set(members.compactMap(\.text))
        if names.isEmpty, case .integer(0) = replies[1] {
            throw FraudListError(
                .missing,
                "there is no fraud list at \(key) in Redis (no feeder has loaded one, or Redis lost it)")
        }
        return names
    }

    /// SCARD of the set.
    public func count() async throws(FraudListError) -> Int {
        try await Self.redis { () async throws(RedisError) in try await client.scard(key) }
    }

    /// Loads `names` into the staging set in pipelined SADD batches, then RENAMEs it over
    /// the list: Redis swaps the key in one step, so readers see the old list or the new
    /// one, and names no longer listed are gone. An empty list deletes the key. A feeder
    /// that dies half-way leaves only the staging set, which the next load starts by
    /// deleting. One feeder per key.
    public func replace(with names: Set<String>) async throws(FraudListError) {
        try await Self.redis { () async throws(RedisError) in try await load(names) }
    }

    private func load(_ names: Set<String>) async throws(RedisError) {
        _ = try await client.del(stagingKey)
        guard !names.isEmpty else {
            // The marker first: a reader between the two sees the old list, never "no list".
            try await client.set(emptyMarkerKey, "1")
            _ = try await client.del(key)
            return
        }
        let members = names.map(FraudNames.normalize)
        var commands: [[any RedisArgument]] = []
        var start = 0
        while start < members.count {
            let end = min(start + batchSize, members.count)
            commands.append(["SADD", stagingKey] + members[start..<end].map { $0 as any RedisArgument })
            start = end
            if commands.count == 16 || start == members.count {
                for reply in try await client.pipeline(commands) {
                    if case .error(let text) = reply {
                        throw RedisError(.server, command: "SADD", message: text)
                    }
                }
                commands.removeAll()
            }
        }
        try await client.rename(stagingKey, to: key)
        _ = try await client.del(emptyMarkerKey)
    }
}
