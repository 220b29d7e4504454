import PawnHTTP1
import PawnIO

/// Remembers the first answer to each `Idempotency-Key`, so that a retried POST gets the
/// same answer and publishes nothing new. Bounded in size and age.
public final class IdempotencyCache: Sendable {
    /// What the cache says about a key.
    public enum Lookup: Sendable {
        /// First use: the caller must ``finish(_:fingerprint:response:)`` or ``abandon(_:)``.
        case proceed
        /// Answered before, for the same request.
        case replay(HTTPResponse)
        /// Still being answered.
        case inProgress
        /// Used before for a different request.
        case mismatch
    }

    private enum Entry {
        case inProgress(fingerprint: [UInt8], since: ContinuousClock.Instant)
        case done(fingerprint: [UInt8], response: HTTPResponse, at: ContinuousClock.Instant)
    }

    private let entries = Locked<[String: Entry]>([:])
    private let capacity: Int
    private let ttl: Duration

    /// A cache of at most `capacity` keys, each kept for `ttl`.
    public init(capacity: Int = 100_000, ttl: Duration = .seconds(24 * 3600)) {
        self.capacity = capacity
        self.ttl = ttl
    }

    /// Looks `key` up for a request whose identity is `fingerprint`, and claims it when new.
    public func begin(_ key: String, fingerprint: [UInt8]) -> Lookup {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            switch entries[key] {
            case .done(let stored, let response, let at) where now - at < ttl:
                return stored == fingerprint ? .replay(response) : .mismatch
            case .inProgress(let stored, let since) where now - since < .seconds(60):
                return stored == fingerprint ? .inProgress : .mismatch
            default:
                if entries.count >= capacity { evict(&entries, now: now) }
                entries[key] = .inProgress(fingerprint: fingerprint, since: now)
                return .proceed
            }
        }
    }

    /// Stores the answer to a claimed key.
    public func finish(_ key: String, fingerprint: [UInt8], response: HTTPResponse) {
        entries.withLock { $0[key] = .done(fingerprint: fingerprint, response: response, at: .now) }
    }

    /// Releases a claimed key without an answer worth repeating (a failure to retry).
    public func abandon(_ key: String) { entries.withLock { _ = $0.removeValue(forKey: key) } }

    private func evict(_ entries: inout [String: Entry], now: ContinuousClock.Instant) {
        entries = entries.filter { _, entry in
            switch entry {
            case .done(_, _, let at): now - at < ttl
            case .inProgress(_, let since): now - since < .seconds(60)
            }
        }
        // Still full of live entries: drop an arbitrary tenth rather than grow without bound.
        if entries.count >= capacity {
            for key in entries.keys.prefix(max(1, capacity / 10)) { entries.removeValue(forKey: key) }
        }
    }
}
