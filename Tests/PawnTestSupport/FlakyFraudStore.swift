import PawnIO
import PawnPorts

/// A fraud-list store that fails on command.
public final class FlakyFraudStore: FraudListStore {
    /// The names held.
    public let names = Locked<Set<String>>([])
    /// While true, every call fails as a Redis outage would.
    public let down = Locked(false)

    /// An empty store that works.
    public init() {}

    public func contains(_ client: String) async throws(FraudListError) -> Bool {
        try await allNames().contains(client)
    }
    public func allNames() async throws(FraudListError) -> Set<String> {
        if down.withLock({ $0 }) { throw FraudListError(.unavailable, "redis down") }
        return names.withLock { $0 }
    }
    public func count() async throws(FraudListError) -> Int { try await allNames().count }
    public func replace(with names: Set<String>) async throws(FraudListError) {
        if down.withLock({ $0 }) { throw FraudListError(.unavailable, "redis down") }
        self.names.withLock { $0 = names }
    }
}
