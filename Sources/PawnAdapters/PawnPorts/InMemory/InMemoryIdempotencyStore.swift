import PawnIO

/// Idempotency answers and accepted event ids in this process's memory (the embedded
/// default, and one dispatcher without Redis). Bounded in size and age.
public final class InMemoryIdempotencyStore: IdempotencyStore {
    private enum Entry {
        case inProgress(fingerprint: String, since: ContinuousClock.Instant)
        case done(fingerprint: String, answer: StoredAnswer, at: ContinuousClock.Instant)
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var accepted = RecentSet(capacity: 100_000)
    }

    private let state = Locked(State())
    private let capacity: Int
    private let ttl: Duration
    private let claimTTL: Duration

    /// A store of at most `capacity` keys, each answer kept for `ttl`, a claim for `claimTTL`.
    public init(
        capacity: Int = 100_000, ttl: Duration = .seconds(24 * 3600), claimTTL: Duration = .seconds(60)
    ) {
        self.capacity = capacity
        self.ttl = ttl
        self.claimTTL = claimTTL
    }

    public func claim(_ key: String, fingerprint: String) async throws(IdempotencyStoreError)
        -> IdempotencyClaim
    {
        let now = ContinuousClock.now
        return state.withLock { state in
            switch state.entries[key] {
            case .done(let stored, let answer, let at) where now - at < ttl:
                return stored == fingerprint ? .replay(answer) : .mismatch
            case .inProgress(let stored, let since) where now - since < claimTTL:
                return stored == fingerprint ? .inProgress : .mismatch
            default:
                if state.entries.count >= capacity { evict(&state.entries, now: now) }
                state.entries[key] = .inProgress(fingerprint: fingerprint, since: now)
                return .proceed
            }
        }
    }

    public func finish(_ key: String, fingerprint: String, answer: StoredAnswer)
        async throws(IdempotencyStoreError)
    {
        state.withLock { $0.entries[key] = .done(fingerprint: fingerprint, answer: answer, at: .now) }
    }

    public func abandon(_ key: String, fingerprint: String) async throws(IdempotencyStoreError) {
        state.withLock { state in
            if case .inProgress(fingerprint, _) = state.entries[key] { state.entries[key] = nil }
        }
    }

    public func noteAccepted(eventId: String) async throws(IdempotencyStoreError) {
        state.withLock { $0.accepted.insert(eventId) }
    }

    public func wasAccepted(eventId: String) async throws(IdempotencyStoreError) -> Bool {
        state.withLock { $0.accepted.contains(eventId) }
    }

    private func evict(_ entries: inout [String: Entry], now: ContinuousClock.Instant) {
        entries = entries.filter { _, entry in
            switch entry {
            case .done(_, _, let at): now - at < ttl
            case .inProgress(_, let since): now - since < claimTTL
            }
        }
        // Still full of live entries: drop an arbitrary tenth rather than grow without bound.
        if entries.count >= capacity {
            for key in entries.keys.prefix(max(1, capacity / 10)) { entries.removeValue(forKey: key) }
        }
    }
}

/// A bounded set of recent ids: the oldest are forgotten first.
struct RecentSet {
    private var set: Set<String> = []
    private var order: [String] = []
    private var head = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    mutating func insert(_ id: String) {
        guard set.insert(id).inserted else { return }
        if order.count < capacity {
            order.append(id)
        } else {
            set.remove(order[head])
            order[head] = id
            head = (head + 1) % capacity
        }
    }

    func contains(_ id: String) -> Bool { set.contains(id) }
}
