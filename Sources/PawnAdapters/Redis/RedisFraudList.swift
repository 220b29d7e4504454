import PawnAdapters

/// The fraud list kept in Redis as a set of normalised names (see `FraudNames`), filled by
/// the feeder; a lookup is one SISMEMBER.
public struct RedisFraudList: FraudList {
    /// The client the lookups go through.
    public let client: RedisClient
    /// The set's key.
    public let key: String

    /// A fraud list in the set `key` (`fraudsters` by default) read through `client`.
    public init(client: RedisClient, key: String = "fraudsters") {
        self.client = client
        self.key = key
    }

    /// Whether `client`, normalised, is a member of the set. Throws `RedisError` when Redis
    /// cannot answer; the caller decides whether to fail open or closed.
    public func contains(_ client: String) async throws -> Bool {
        try await self.client.sismember(key, FraudNames.normalize(client))
    }
}
