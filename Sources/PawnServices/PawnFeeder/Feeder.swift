import PawnIO
import PawnLog
import PawnPorts

/// The feeder: keeps the fraud list in its store (Redis) equal to the list at its source
/// (an S3 object), checking every ``interval``.
///
/// A new version is loaded whole and swapped in at once (see `FraudListStore`); an
/// unchanged one (same ETag) is not downloaded. When the source or the store fails, the
/// store keeps the last good list and the feeder tries again with backoff (from
/// ``minimumBackoff``, doubling up to ``interval``). A list downloaded while the store was
/// down is kept and stored as soon as the store is back.
public actor Feeder {
    /// What one round did.
    public enum Outcome: Sendable, Equatable {
        /// A new list was stored: names added and removed relative to the previous one.
        case loaded(names: Int, added: Int, removed: Int)
        /// The source still had the version stored.
        case unchanged
        /// The source or the store failed; the store keeps its list.
        case failed(String)
    }

    /// Counts since start, for logs and tests.
    public struct Statistics: Sendable, Equatable {
        /// Rounds that stored a new list.
        public var loads = 0
        /// Rounds that found the list unchanged.
        public var unchanged = 0
        /// Rounds that failed.
        public var failures = 0
        /// Names in the list stored last.
        public var names = 0
    }

    /// Where the list comes from.
    public let source: any FraudListSource
    /// Where it goes.
    public let store: any FraudListStore
    /// Time between checks.
    public let interval: Duration
    /// The first wait after a failure.
    public let minimumBackoff: Duration
    private let report: (@Sendable (String) -> Void)?
    private static let logger = Logger(["component": "feeder"])
    private var stored: (names: Set<String>, version: String?)?
    private var pending: (names: Set<String>, version: String?)?
    /// Counts since start.
    public private(set) var statistics = Statistics()
    /// The error of the last round, when it failed.
    public private(set) var lastError: FraudListError?

    /// A feeder from `source` to `store`. What it reports (a list loaded, a failed round)
    /// goes to the process's log, or to `log` instead when one is given.
    public init(
        source: any FraudListSource, store: any FraudListStore, interval: Duration,
        minimumBackoff: Duration = .seconds(1), log: (@Sendable (String) -> Void)? = nil
    ) {
        self.source = source
        self.store = store
        self.interval = interval
        self.minimumBackoff = minimumBackoff
        self.report = log
    }

    /// One round: fetch if changed, store if new.
    @discardableResult
    public func runOnce() async -> Outcome {
        let outcome = await round()
        switch outcome {
        case .loaded(let names, let added, let removed):
            statistics.loads += 1
            statistics.names = names
            log(.info, "loaded \(names) names from \(source) (+\(added) −\(removed))")
        case .unchanged:
            statistics.unchanged += 1
        case .failed(let message):
            statistics.failures += 1
            let kept = stored.map { "; Redis keeps the last good list (\($0.names.count) names)" } ?? ""
            log(.warning, "\(message)\(kept)")
        }
        return outcome
    }

    /// Rounds every ``interval`` (sooner, with backoff, after a failure) until cancelled;
    /// the first at once, or after a wait when `startImmediately` is false (a first round
    /// was run with ``runOnce()``).
    public func run(startImmediately: Bool = true) async {
        var backoff = Backoff(initial: minimumBackoff, maximum: interval, jitter: false)
        if !startImmediately { try? await Task.sleep(for: lastError == nil ? interval : backoff.step) }
        while !Task.isCancelled {
            let wait: Duration
            if case .failed = await runOnce() {
                wait = backoff.next()
            } else {
                wait = interval
                backoff.reset()
            }
            try? await Task.sleep(for: wait)
        }
    }

    private func log(_ level: LogLevel, _ message: String) {
        if let report { report(message) } else { Self.logger.log(level, message) }
    }

    private func round() async -> Outcome {
        if pending == nil {
            // A store emptied behind our back (a Redis restart without persistence) is
            // reloaded even though the source has not changed.
            var version = stored?.version
            if let stored, let count = try? await store.count(), count != stored.names.count {
                log(.warning, "the stored list has \(count) names, not \(stored.names.count); reloading")
                version = nil
            }
            do {
                switch try await source.fetch(ifChangedFrom: version) {
                case .unchanged:
                    lastError = nil
                    return .unchanged
                case .list(let names, let version):
                    pending = (names, version)
                }
            } catch {
                lastError = error
                return .failed("cannot read the list from \(source): \(error)")
            }
        }
        guard let next = pending else { return .unchanged }
        let previous: Set<String>
        if let stored {
            previous = stored.names
        } else {
            previous = (try? await store.allNames()) ?? []
        }
        do {
            try await store.replace(with: next.names)
        } catch {
            lastError = error
            return .failed(
                "cannot store the list (\(next.names.count) names, kept for the next try): \(error)")
        }
        pending = nil
        stored = next
        lastError = nil
        return .loaded(
            names: next.names.count, added: next.names.subtracting(previous).count,
            removed: previous.subtracting(next.names).count)
    }
}
