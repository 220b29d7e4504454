import PawnIO

/// Where the dispatcher parks write events it could not publish (Redis in production): a
/// queue of opaque records, first in first out, that survives the dispatcher.
public protocol ParkingLot: Sendable, CustomStringConvertible {
    /// Appends `record` at the tail.
    func append(_ record: [UInt8]) async throws(ParkingLotError)

    /// Up to `count` records from the head, oldest first, without removing them.
    func first(_ count: Int) async throws(ParkingLotError) -> [[UInt8]]

    /// Removes `count` records from the head (after they were published).
    func removeFirst(_ count: Int) async throws(ParkingLotError)

    /// How many records are parked.
    func count() async throws(ParkingLotError) -> Int

    /// Keeps `record`, which Kafka refuses for good, aside for people to look at (the
    /// caller then removes it from the head).
    func bury(_ record: [UInt8]) async throws(ParkingLotError)
}

/// Why a parking lot could not take, give or remove records.
public struct ParkingLotError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for people (the store's own error).
    public var message: String

    /// An error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// A parking lot in memory, for tests and the embedded default.
public final class InMemoryParkingLot: ParkingLot {
    private let records = Locked<[[UInt8]]>([])
    /// Records moved aside by ``bury(_:)``.
    public let deadLetters = Locked<[[UInt8]]>([])

    /// An empty lot.
    public init() {}

    public func append(_ record: [UInt8]) async throws(ParkingLotError) {
        records.withLock { $0.append(record) }
    }

    public func first(_ count: Int) async throws(ParkingLotError) -> [[UInt8]] {
        records.withLock { Array($0.prefix(count)) }
    }

    public func removeFirst(_ count: Int) async throws(ParkingLotError) {
        records.withLock { $0.removeFirst(min(count, $0.count)) }
    }

    public func count() async throws(ParkingLotError) -> Int { records.withLock { $0.count } }

    public func bury(_ record: [UInt8]) async throws(ParkingLotError) {
        deadLetters.withLock { $0.append(record) }
    }

    public var description: String { "memory" }
}
