import PawnIO
import PawnLog
import PawnPorts
import Synchronization

/// The workers a dispatcher can send reads to. A read goes to the less busy of two ready
/// workers picked at random (by calls in flight), which spreads load without a global
/// queue. A worker that misses heartbeats is removed; one that answers UNAVAILABLE
/// ``maxFailures`` times in a row is evicted from reads until its health check passes again.
public final class WorkerRegistry: Sendable {
    /// A joined worker and its load.
    public final class Member: Sendable {
        /// The worker's id.
        public let id: String
        /// How to reach it.
        public let client: any WorkerClient
        /// Where it serves, for workers that joined over the network.
        public let address: String?
        let inFlight = AtomicCounter()
        let failures = AtomicCounter()
        let lastHeartbeat = Locked(ContinuousClock.now)
        let ready = Locked(false)
        let pipeline = Locked<WorkerPipelineReport?>(nil)

        init(id: String, client: any WorkerClient, address: String?, ready: Bool) {
            self.id = id
            self.client = client
            self.address = address
            self.ready.withLock { $0 = ready }
        }

        /// Whether reads may go to it (it passed its health check).
        public var isReady: Bool { ready.withLock { $0 } }

        /// What its last heartbeat said of its pipeline; `nil` before the first.
        public var lastReport: WorkerPipelineReport? { pipeline.withLock { $0 } }
    }

    private let members = Locked<[Member]>([])
    /// A worker silent for longer than this is evicted.
    public let heartbeatTimeout: Duration
    /// Consecutive UNAVAILABLE answers that evict a worker.
    public let maxFailures = 3

    private let onEvict: @Sendable (String) -> Void

    /// An empty registry that removes workers silent for longer than `heartbeatTimeout`;
    /// `onEvict` hears of each worker evicted from reads for failing them.
    public init(
        heartbeatTimeout: Duration = .seconds(6),
        onEvict: @escaping @Sendable (String) -> Void = {
            Logger(["component": "workers"]).warning(
                "evicted worker \($0) (unavailable)", ["worker_id": .string($0)])
        }
    ) {
        self.heartbeatTimeout = heartbeatTimeout
        self.onEvict = onEvict
    }

    /// Adds (or replaces) a worker; a worker joined in process is ready at once.
    @discardableResult
    public func join(id: String, client: any WorkerClient, address: String? = nil, ready: Bool = true)
        -> Member
    {
        let member = Member(id: id, client: client, address: address, ready: ready)
        let replaced = members.withLock { members in
            let old = members.filter { $0.id == id }
            members.removeAll { $0.id == id }
            members.append(member)
            return old
        }
        for old in replaced { old.client.close() }
        return member
    }

    /// Health-checks `member` until it answers SERVING, then marks it ready; it is removed
    /// after `attempts` failed checks (`nil`: keeps checking while it is registered).
    public func admit(_ member: Member, attempts: Int? = 20) async {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(2))
        var tries = 0
        while isRegistered(member) && !Task.isCancelled {
            if await member.client.isServing() {
                member.failures.reset()
                markReady(member)
                return
            }
            tries += 1
            if let attempts, tries >= attempts { break }
            try? await Task.sleep(for: backoff.next())
        }
        leave(member)
    }

    private func isRegistered(_ member: Member) -> Bool { members.withLock { $0.contains { $0 === member } } }

    /// Removes `member` if it is still the one registered under its id.
    private func leave(_ member: Member) {
        let removed = members.withLock { members in
            guard members.contains(where: { $0 === member }) else { return false }
            members.removeAll { $0 === member }
            return true
        }
        if removed { member.client.close() }
    }

    /// Marks a joined worker ready (after its health check).
    public func markReady(_ member: Member) { member.ready.withLock { $0 = true } }

    /// Records a heartbeat; `false` when the worker is not (or no longer) known.
    public func heartbeat(id: String, report: WorkerPipelineReport? = nil) -> Bool {
        guard let member = members.withLock({ $0.first { $0.id == id } }) else { return false }
        member.lastHeartbeat.withLock { $0 = .now }
        if let report { member.pipeline.withLock { $0 = report } }
        return true
    }

    /// The joined workers whose last heartbeat said their pipeline is stalled.
    public var stalledCount: Int { members.withLock { $0 }.filter { $0.lastReport?.stalled == true }.count }

    /// The joined workers, for metrics.
    public var all: [Member] { members.withLock { $0 } }

    /// Removes a worker.
    public func leave(id: String) {
        let removed = members.withLock { members in
            defer { members.removeAll { $0.id == id } }
            return members.filter { $0.id == id }
        }
        for member in removed { member.client.close() }
    }

    /// Evicts workers whose heartbeats stopped; returns their ids.
    @discardableResult
    public func evictSilent(now: ContinuousClock.Instant = .now) -> [String] {
        let silent = members.withLock { members in
            members.filter { member in
                member.address != nil && now - member.lastHeartbeat.withLock { $0 } > heartbeatTimeout
            }
        }
        for member in silent { leave(id: member.id) }
        return silent.map(\.id)
    }

    /// The number of workers.
    public var count: Int { members.withLock { $0.count } }

    /// The number of ready workers.
    public var readyCount: Int { members.withLock { $0.filter(\.isReady).count } }

    /// The ids of the workers, for status pages and tests.
    public var ids: [String] { members.withLock { $0.map(\.id) } }

    /// The worker to ask next, other than `excluding`; `nil` when there is none.
    public func pick(excluding: String? = nil) -> Member? {
        let candidates = members.withLock { $0.filter { $0.id != excluding && $0.isReady } }
        var random = FastRandom()  // the system's generator is a system call per draw
        guard let first = candidates.randomElement(using: &random) else { return nil }
        guard candidates.count > 1 else { return first }
        var second = candidates.randomElement(using: &random)!
        while second === first { second = candidates.randomElement(using: &random)! }
        return first.inFlight.current <= second.inFlight.current ? first : second
    }

    /// Runs `call` on a picked worker; an `unavailable` failure is retried once on another.
    public func read<T: Sendable>(_ call: (any WorkerClient) async throws(WorkerError) -> T)
        async throws(WorkerError) -> T
    {
        guard let member = pick() else { throw WorkerError(.unavailable, "no worker has joined") }
        do {
            return try await run(call, on: member)
        } catch  where error.code == .unavailable {
            guard let other = pick(excluding: member.id) else { throw error }
            return try await run(call, on: other)
        }
    }

    private func run<T: Sendable>(
        _ call: (any WorkerClient) async throws(WorkerError) -> T, on member: Member
    ) async throws(WorkerError)
        -> T
    {
        member.inFlight.add(1)
        defer { member.inFlight.add(-1) }
        do {
            let result = try await call(member.client)
            member.failures.reset()
            return result
        } catch  where error.code == .unavailable {
            if member.failures.add(1) + 1 == maxFailures { evict(member) }
            throw error
        }
    }

    /// Takes `member` out of the reads after ``maxFailures`` UNAVAILABLE answers in a row;
    /// it is back once a health check passes (see ``admit(_:attempts:)``).
    private func evict(_ member: Member) {
        let wasReady = member.ready.withLock { ready in
            defer { ready = false }
            return ready
        }
        guard wasReady else { return }
        onEvict(member.id)
        Task { await admit(member, attempts: nil) }
    }
}

/// What a worker's heartbeat says of its pipeline (see the worker's `PipelineStatus`).
public struct WorkerPipelineReport: Sendable, Hashable {
    /// Records wait and the worker stored none for its stall threshold.
    public var stalled: Bool
    /// Records on the log not applied yet, per partition the worker consumes.
    public var lag: [TopicPartition: Int64]
    /// How long the oldest record fetched and not applied has waited.
    public var oldestUnapplied: Duration

    /// A report.
    public init(stalled: Bool, lag: [TopicPartition: Int64], oldestUnapplied: Duration) {
        self.stalled = stalled
        self.lag = lag
        self.oldestUnapplied = oldestUnapplied
    }
}
