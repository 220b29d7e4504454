import PawnIO
import PawnLog

/// The dispatcher's view of the fraud list: the whole list held in memory and refreshed
/// from its store (Redis) in the background, so that a lookup costs no round trip and a
/// Redis outage degrades to the last list that was read, not to errors.
///
/// Before the first successful read there is no list; what happens then is
/// ``Fallback``: fail closed (the default: actions by any client get an error) or fail
/// open (every client is allowed).
public final class CachedFraudList: FraudList {
    /// What lookups do while the list has never been read.
    public enum Fallback: String, Sendable {
        /// Every client is allowed.
        case failOpen
        /// Lookups throw ``FraudListError``: the dispatcher answers 503.
        case failClosed
    }

    /// What the cache knows, for readiness and metrics.
    public typealias Status = FraudListStatus

    private struct State {
        var snapshot: Set<String>?
        var stale = false
        var lastAttempt: ContinuousClock.Instant?
        var refresher: Task<Void, Never>?
    }

    /// Where the list is read from.
    public let store: any FraudListStore
    /// How often the list is read again.
    public let refreshInterval: Duration
    /// What lookups do before the first read.
    public let fallback: Fallback
    private let state = Locked(State())
    private let log: @Sendable (String) -> Void
    private static let logger = Logger(["component": "fraud-list"])

    /// A cache of `store`'s list, read every `refreshInterval`. It reports losing and
    /// regaining the store to the process's log (warning, notice), or to `log` when given.
    public init(
        store: any FraudListStore, refreshInterval: Duration = .seconds(1), fallback: Fallback = .failClosed,
        log: (@Sendable (String) -> Void)? = nil
    ) {
        self.store = store
        self.refreshInterval = refreshInterval
        self.fallback = fallback
        self.log =
            log ?? { line in
                line.hasPrefix("cannot") ? Self.logger.warning(line) : Self.logger.notice(line)
            }
    }

    deinit { state.withLock { $0.refresher?.cancel() } }

    /// Reads the list once now, then keeps reading it every ``refreshInterval`` until
    /// ``stop()``. Returns whether the first read succeeded.
    @discardableResult
    public func start() async -> Bool {
        let loaded = await refresh()
        let task = Task { [weak self, refreshInterval] in
            while !Task.isCancelled {
                try? await Task.sleep(for: refreshInterval)
                guard let self, !Task.isCancelled else { return }
                await self.refresh()
            }
        }
        state.withLock { $0.refresher = task }
        return loaded
    }

    /// Stops the background reads.
    public func stop() { state.withLock { $0.refresher?.cancel() } }

    /// Reads the list from the store now; keeps the list held when that fails.
    @discardableResult
    public func refresh() async -> Bool {
        state.withLock { $0.lastAttempt = .now }
        do {
            let names = try await store.allNames()
            let recovered = state.withLock { state in
                defer {
                    state.snapshot = names
                    state.stale = false
                }
                return state.stale
            }
            if recovered { log("fraud list readable again (\(names.count) names)") }
            return true
        } catch {
            let (first, held) = state.withLock { state in
                defer { state.stale = true }
                return (!state.stale, state.snapshot?.count)
            }
            if first {
                let keeping = held.map { "keeping the last list read (\($0) names)" } ?? "no list read yet"
                log("cannot read the fraud list (\(error)); \(keeping)")
            }
            return false
        }
    }

    public func contains(_ client: String) async throws(FraudListError) -> Bool {
        let name = FraudNames.normalize(client)
        if let found = state.withLock({ $0.snapshot?.contains(name) }) { return found }
        // Never read: try now, at most every 250 ms whatever the request rate.
        let due = state.withLock { state in
            state.lastAttempt.map { $0.duration(to: .now) >= .milliseconds(250) } ?? true
        }
        if due, await refresh(), let found = state.withLock({ $0.snapshot?.contains(name) }) {
            return found
        }
        switch fallback {
        case .failOpen: return false
        case .failClosed:
            throw FraudListError(.notLoaded, "the fraud list has not been read from its store yet")
        }
    }

    /// What the cache holds now.
    public var status: FraudListStatus? {
        state.withLock { Status(loaded: $0.snapshot != nil, names: $0.snapshot?.count ?? 0, stale: $0.stale) }
    }
}
