import Synchronization

/// The workers a dispatcher can send reads to. A read goes to the less busy of two workers
/// picked at random (by calls in flight), which spreads load without a global queue.
public final class WorkerRegistry: Sendable {
    /// A joined worker and its load.
    public final class Member: Sendable {
        public let id: String
        public let client: any WorkerClient
        let inFlight = AtomicCounter()

        init(id: String, client: any WorkerClient) {
            self.id = id
            self.client = client
        }
    }

    private let members = Mutex<[Member]>([])

    public init() {}

    /// Adds (or replaces) a worker.
    public func join(id: String, client: any WorkerClient) {
        members.withLock { members in
            members.removeAll { $0.id == id }
            members.append(Member(id: id, client: client))
        }
    }

    /// Removes a worker.
    public func leave(id: String) { members.withLock { $0.removeAll { $0.id == id } } }

    /// The number of workers.
    public var count: Int { members.withLock { $0.count } }

    /// The worker to ask next, other than `excluding`; `nil` when there is none.
    public func pick(excluding: String? = nil) -> Member? {
        let candidates = members.withLock { $0.filter { $0.id != excluding } }
        guard let first = candidates.randomElement() else { return nil }
        guard candidates.count > 1 else { return first }
        var second = candidates.randomElement()!
        while second === first { second = candidates.randomElement()! }
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
        return try await call(member.client)
    }
}
