import PawnIO

/// Where dispatchers park write events they could not publish (Redis in production): one
/// queue of opaque records, first in first out, shared by every replica and surviving them.
///
/// Each record belongs to an item (its Kafka key); the lot knows which items have records
/// in it, so that a replica that could publish an item's write straight to Kafka parks it
/// behind the item's earlier records instead, whichever replica parked those. One replica
/// at a time drains the lot: the holder of its ``ParkingLease``, which expires when not
/// renewed (a replica that dies loses it, and a live one adopts the lot) and fences
/// removals (a holder whose lease another took removes nothing).
public protocol ParkingLot: Sendable, CustomStringConvertible {
    /// Appends `record`, an event of `item`, at the tail, and counts it for `item`.
    func append(_ record: [UInt8], item: String) async throws(ParkingLotError)

    /// Up to `count` records from the head, oldest first, without removing them.
    func first(_ count: Int) async throws(ParkingLotError) -> [[UInt8]]

    /// Removes as many records from the head as `items` has entries (after they were
    /// published; `items` names each one's item, or "" when it could not be read), if
    /// `lease` still holds the lot. Returns false, removing nothing, when it does not.
    func removeFirst(_ items: [String], holding lease: ParkingLease) async throws(ParkingLotError) -> Bool

    /// Whether `item` has records in the lot.
    func holdsRecords(of item: String) async throws(ParkingLotError) -> Bool

    /// How many records are parked.
    func count() async throws(ParkingLotError) -> Int

    /// Keeps `record`, which Kafka refuses for good, aside for people to look at (the
    /// caller then removes it from the head).
    func bury(_ record: [UInt8]) async throws(ParkingLotError)

    /// Up to `count` dead letters from the head, oldest first, and how many there are.
    func deadLetters(_ count: Int) async throws(ParkingLotError) -> (records: [[UInt8]], total: Int)

    /// Moves dead letters back to the tail of the lot, to be published again: `heads`, the
    /// head of the dead letters with each record's item, as ``deadLetters(_:)`` gave them.
    /// Stops at the first that is no longer at the head (another operator moved it), and
    /// returns how many moved.
    func redrive(_ heads: [(record: [UInt8], item: String)]) async throws(ParkingLotError) -> Int

    /// The lease to drain the lot for `duration`, for `owner`; nil while another holds it.
    func acquireLease(owner: String, duration: Duration) async throws(ParkingLotError) -> ParkingLease?

    /// Extends `lease` by `duration` from now; false when it was lost (taken by another
    /// after it expired). A lease that lapsed while no other was given out is renewed: no
    /// other replica can have touched the head, so its holder may go on draining.
    func renew(_ lease: ParkingLease, duration: Duration) async throws(ParkingLotError) -> Bool

    /// Gives `lease` up, if it still holds the lot, so that another replica may drain at once.
    func release(_ lease: ParkingLease) async throws(ParkingLotError)
}

/// The right to drain a parking lot: held by one replica at a time, until it expires.
public struct ParkingLease: Sendable, Hashable, CustomStringConvertible {
    /// Who holds it (a replica's id).
    public var owner: String
    /// The lease's fencing number: every lease given out gets a larger one.
    public var fence: Int

    /// A lease of `owner`'s, numbered `fence`.
    public init(owner: String, fence: Int) {
        self.owner = owner
        self.fence = fence
    }

    public var description: String { "\(owner) #\(fence)" }
}

/// Why a parking lot could not take, give or remove records.
public struct ParkingLotError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for people (the store's own error).
    public var message: String

    /// An error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// A parking lot in memory, for tests and the embedded default (replicas in one process
/// may share one).
public final class InMemoryParkingLot: ParkingLot {
    private struct State {
        var records: [(record: [UInt8], item: String)] = []
        var items: [String: Int] = [:]
        var lease: (lease: ParkingLease, expires: ContinuousClock.Instant)?
        var fences = 0
    }
    private let state = Locked(State())
    /// Records moved aside by ``bury(_:)``.
    public let buried = Locked<[[UInt8]]>([])

    /// An empty lot.
    public init() {}

    public func append(_ record: [UInt8], item: String) async throws(ParkingLotError) {
        state.withLock {
            $0.records.append((record, item))
            $0.items[item, default: 0] += 1
        }
    }

    public func first(_ count: Int) async throws(ParkingLotError) -> [[UInt8]] {
        state.withLock { $0.records.prefix(count).map(\.record) }
    }

    public func removeFirst(_ items: [String], holding lease: ParkingLease) async throws(ParkingLotError)
        -> Bool
    {
        state.withLock { state in
            guard Self.holds(state, lease) else { return false }
            for (_, item) in state.records.prefix(items.count) {
                let left = (state.items[item] ?? 1) - 1
                state.items[item] = left > 0 ? left : nil
            }
            state.records.removeFirst(min(items.count, state.records.count))
            return true
        }
    }

    public func holdsRecords(of item: String) async throws(ParkingLotError) -> Bool {
        state.withLock { $0.items[item] != nil }
    }

    public func count() async throws(ParkingLotError) -> Int { state.withLock { $0.records.count } }

    public func bury(_ record: [UInt8]) async throws(ParkingLotError) {
        buried.withLock { $0.append(record) }
    }

    public func deadLetters(_ count: Int) async throws(ParkingLotError) -> (records: [[UInt8]], total: Int) {
        buried.withLock { (Array($0.prefix(count)), $0.count) }
    }

    public func redrive(_ heads: [(record: [UInt8], item: String)]) async throws(ParkingLotError) -> Int {
        var moved: [(record: [UInt8], item: String)] = []
        buried.withLock { dead in
            for head in heads {
                guard dead.first == head.record else { break }
                dead.removeFirst()
                moved.append(head)
            }
        }
        state.withLock { state in
            for (record, item) in moved {
                state.records.append((record, item))
                state.items[item, default: 0] += 1
            }
        }
        return moved.count
    }

    public func acquireLease(owner: String, duration: Duration) async throws(ParkingLotError) -> ParkingLease?
    {
        state.withLock { state in
            if let held = state.lease, held.expires > .now { return nil }
            state.fences += 1
            let lease = ParkingLease(owner: owner, fence: state.fences)
            state.lease = (lease, .now + duration)
            return lease
        }
    }

    public func renew(_ lease: ParkingLease, duration: Duration) async throws(ParkingLotError) -> Bool {
        state.withLock { state in
            guard Self.holds(state, lease) else { return false }
            state.lease = (lease, .now + duration)
            return true
        }
    }

    public func release(_ lease: ParkingLease) async throws(ParkingLotError) {
        state.withLock { state in
            if Self.holds(state, lease) { state.lease = nil }
        }
    }

    /// Whether `lease` holds the lot: it is the live lease, or it lapsed and no lease was
    /// given out since (nobody else can have touched the head).
    private static func holds(_ state: State, _ lease: ParkingLease) -> Bool {
        if let held = state.lease, held.expires > .now { return held.lease == lease }
        return lease.fence == state.fences
    }

    public var description: String { "memory" }
}
