import PawnIO

/// A fraud list in memory: what the embedded default and the tests use in place of Redis.
public final class InMemoryFraudList: FraudListStore {
    private let names: Locked<Set<String>>

    /// A list holding `names` (normalised).
    public init(_ names: [String] = []) { self.names = Locked(Set(names.map(FraudNames.normalize))) }

    public func contains(_ client: String) async throws(FraudListError) -> Bool {
        let key = FraudNames.normalize(client)
        return names.withLock { $0.contains(key) }
    }

    public func allNames() async throws(FraudListError) -> Set<String> { names.withLock { $0 } }

    public func count() async throws(FraudListError) -> Int { names.withLock { $0.count } }

    public func replace(with names: Set<String>) async throws(FraudListError) {
        let normalized = Set(names.map(FraudNames.normalize))
        self.names.withLock { $0 = normalized }
    }

    /// Replaces the whole list at once.
    public func replace(with names: [String]) {
        let normalized = Set(names.map(FraudNames.normalize))
        self.names.withLock { $0 = normalized }
    }
}
