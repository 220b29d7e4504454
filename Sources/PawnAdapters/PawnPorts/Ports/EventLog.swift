/// A record on the event log: Kafka's shape, whatever the implementation.
public struct LogRecord: Sendable, Hashable {
    /// The topic the record is on.
    public var topic: String
    /// The partition the key chose.
    public var partition: Int
    /// The record's position in its partition, from 0.
    public var offset: Int64
    /// The item id: records with the same key stay in order, on one partition.
    public var key: String
    /// The protobuf-encoded event.
    public var value: [UInt8]
    /// Header fields (`eventId`, …).
    public var headers: [String: String]
    /// When the log appended the record (Kafka's log-append time; in memory, a counter
    /// that only grows). Records of different topics are merged in this order.
    public var timestamp: Int64

    /// A record as the log holds it.
    public init(
        topic: String, partition: Int, offset: Int64, key: String, value: [UInt8], headers: [String: String],
        timestamp: Int64 = 0
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }
}

/// A record to publish.
public struct OutgoingRecord: Sendable, Hashable {
    /// The topic it goes to.
    public var topic: String
    /// The item id.
    public var key: String
    /// The protobuf-encoded event.
    public var value: [UInt8]
    /// Header fields.
    public var headers: [String: String]

    /// A record for `topic`, keyed by `key`.
    public init(topic: String, key: String, value: [UInt8], headers: [String: String]) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
    }
}

/// A partition of a topic.
public struct TopicPartition: Hashable, Sendable, CustomStringConvertible {
    /// The topic's name.
    public var topic: String
    /// The partition's number, from 0.
    public var partition: Int

    /// Partition `partition` of `topic`.
    public init(topic: String, partition: Int) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)[\(partition)]" }
}

/// Why the event log refused or could not take an operation.
public struct EventLogError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of failure.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's name, as it appears on the wire and in JSON.
        public let rawValue: String

        /// A code named `rawValue`; codes this version does not know are kept as they are.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The broker cannot be reached or did not answer in time; retrying may succeed.
        public static let unavailable = Code(rawValue: "unavailable")
        /// The producer's queue is full; retry after a moment.
        public static let queueFull = Code(rawValue: "queueFull")
        /// The consumer was closed.
        public static let closed = Code(rawValue: "closed")
        /// Anything else, not worth retrying as it is (the client may need to be made anew).
        public static let failed = Code(rawValue: "failed")
        /// The log refuses this record for good, whatever happens to the log (too large,
        /// corrupt): only such a record belongs in a dead-letter list.
        public static let recordRefused = Code(rawValue: "recordRefused")
        /// Topics whose records must be merged per key have different partition counts:
        /// the log cannot keep an item's events together, so nothing may start on it.
        public static let partitionCountsDiffer = Code(rawValue: "partitionCountsDiffer")

        public var description: String { rawValue }
    }

    /// What kind of failure.
    public var code: Code
    /// A sentence for people.
    public var message: String

    /// A failure of kind `code`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Whether retrying later may succeed.
    public var isRetryable: Bool { code == .unavailable || code == .queueFull }

    public var description: String { "\(code.rawValue): \(message)" }
}

/// Where writes go: Kafka in production, memory in the embedded default.
public protocol EventLog: Sendable {
    /// Appends a record; returns once the log holds it durably (acks=all), with its position.
    func publish(topic: String, key: String, value: [UInt8], headers: [String: String])
        async throws(EventLogError)
        -> (partition: Int, offset: Int64)

    /// Publishes `records`, all of one key, in order: each is published once the one
    /// before it was acknowledged, and consumers see them in this order. Stops at the first
    /// that fails; awaits `published` after each acknowledgement, before the next record. Returns the positions of
    /// those published and the error that stopped the rest, if any. The default publishes
    /// them one by one; a log may do it cheaper (Kafka's needs no new watermarks after the
    /// first, since its own acknowledgements say where the item's records are).
    func publishInOrder(_ records: [OutgoingRecord], published: @Sendable () async -> Void) async
        -> (positions: [(partition: Int, offset: Int64)], error: EventLogError?)

    /// Joins consumer group `group` for `topics`. Partitions are shared among the group's
    /// members, partition *n* of every topic to the same member (Kafka's range assignment),
    /// so that one member sees every event of an item; a new group starts from the earliest
    /// offset.
    func consumer(group: String, topics: [String]) async throws(EventLogError) -> any EventConsumer

    /// Whether the log can take writes now (for readiness).
    func isReachable() async -> Bool

    /// Takes a write: publishes it or, in a log that can, keeps it aside to publish later
    /// (see ``WriteOutcome``). The default publishes.
    func take(topic: String, key: String, value: [UInt8], headers: [String: String])
        async throws(EventLogError) -> WriteOutcome

    /// What readiness reports of the log: reachability (a broker round trip) and whether
    /// writes are taken. The default asks ``isReachable()`` and reports nothing parked.
    func status() async -> EventLogStatus

    /// The parking lot's counts, from memory (no round trip), for `/metrics`; `nil` (the
    /// default) for a log that does not park.
    var parkingCounts: ParkingCounts? { get }

    /// Stops what the log does in the background and closes its clients; nothing is
    /// published afterwards. The default does nothing.
    func close() async
}

/// What became of a write an ``EventLog`` took.
public enum WriteOutcome: Sendable, Hashable {
    /// The log holds the record at this position.
    case published(partition: Int, offset: Int64)
    /// The record waits aside (in a parking lot) and will be published later.
    case parked
}

/// An event log's state, for readiness probes and metrics.
public struct EventLogStatus: Sendable, Hashable {
    /// Whether the broker takes writes now.
    public var reachable: Bool
    /// Whether the log accepts writes now: reachable, or able to keep them aside.
    public var takesWrites: Bool
    /// The parking lot's counts, for a log that parks.
    public var parking: ParkingCounts?

    /// A status.
    public init(reachable: Bool, takesWrites: Bool? = nil, parking: ParkingCounts? = nil) {
        self.reachable = reachable
        self.takesWrites = takesWrites ?? reachable
        self.parking = parking
    }
}

/// How many writes a parking event log holds and has handled since it started.
public struct ParkingCounts: Sendable, Hashable {
    /// Records waiting in the lot (as last read, plus appends under way).
    public var waiting: Int
    /// Records this process parked.
    public var parked: Int
    /// Parked records this process re-published.
    public var republished: Int
    /// Parked records this process moved to the dead letters (the log refused them for good).
    public var deadLetters: Int
    /// Why re-publishing fails now, while it does (the broker's trouble, retried with backoff).
    public var republishError: String?
    /// Direct publishes that outlived their deadline (their records were parked) and that
    /// the broker has not answered yet.
    public var overdue: Int

    /// Counts.
    public init(
        waiting: Int, parked: Int, republished: Int, deadLetters: Int = 0, republishError: String? = nil,
        overdue: Int = 0
    ) {
        self.waiting = waiting
        self.parked = parked
        self.republished = republished
        self.deadLetters = deadLetters
        self.republishError = republishError
        self.overdue = overdue
    }
}

extension EventLog {
    /// One ``publish(topic:key:value:headers:)`` after another, up to the first failure.
    public func publishInOrder(_ records: [OutgoingRecord], published: @Sendable () async -> Void) async
        -> (positions: [(partition: Int, offset: Int64)], error: EventLogError?)
    {
        await Self.inOrder(records, published: published) { record throws(EventLogError) in
            try await publish(
                topic: record.topic, key: record.key, value: record.value, headers: record.headers)
        }
    }

    /// The loop of ``publishInOrder(_:published:)`` around `publishOne`, for logs that
    /// publish each record their own way: one after another, `published` after each, up to
    /// the first failure.
    public static func inOrder(
        _ records: [OutgoingRecord], published: @Sendable () async -> Void,
        _ publishOne: (OutgoingRecord) async throws(EventLogError) -> (partition: Int, offset: Int64)
    ) async -> (positions: [(partition: Int, offset: Int64)], error: EventLogError?) {
        var positions: [(partition: Int, offset: Int64)] = []
        for record in records {
            do throws(EventLogError) {
                positions.append(try await publishOne(record))
                await published()
            } catch {
                return (positions, error)
            }
        }
        return (positions, nil)
    }

    /// Publishes.
    public func take(topic: String, key: String, value: [UInt8], headers: [String: String])
        async throws(EventLogError) -> WriteOutcome
    {
        let position = try await publish(topic: topic, key: key, value: value, headers: headers)
        return .published(partition: position.partition, offset: position.offset)
    }

    /// Reachability alone; nothing parks.
    public func status() async -> EventLogStatus { EventLogStatus(reachable: await isReachable()) }

    /// Nothing parks.
    public var parkingCounts: ParkingCounts? { nil }

    /// Nothing to close.
    public func close() async {}
}

/// A member of a consumer group. Offsets are committed only when the caller says the
/// records are processed, so a member that stops without committing leaves its records
/// to be delivered again (at least once).
public protocol EventConsumer: Sendable {
    /// Up to `maxRecords` records from the partitions assigned to this member, waiting up
    /// to `timeout` for the first; per-partition order is kept.
    func poll(maxRecords: Int, timeout: Duration) async throws(EventLogError) -> [LogRecord]

    /// Records that every record up to and including `offset` on each partition is done.
    func commit(_ offsets: [TopicPartition: Int64]) async throws(EventLogError)

    /// The partitions assigned to this member now.
    func assignment() async -> [TopicPartition]

    /// How far this member has read, from memory (no round trip): lag per partition and
    /// how long the oldest record it holds has waited. The default reports nothing.
    func progress() -> ConsumerProgress

    /// Leaves the group; uncommitted records go to the remaining members.
    func close() async
}

extension EventConsumer {
    /// Nothing known.
    public func progress() -> ConsumerProgress { ConsumerProgress() }
}

/// What a consumer knows of its progress, for stall detection and metrics.
public struct ConsumerProgress: Sendable, Hashable {
    /// Records on the log not yet handed to the caller, per assigned partition (from the
    /// last-known end of each; a partition whose end is not known yet is left out).
    public var lag: [TopicPartition: Int64]
    /// Records fetched but held back (waiting for their predecessors on other partitions).
    public var held: Int
    /// How long the oldest record held has waited, on this process's clock.
    public var oldestHeld: Duration?
    /// What the oldest records held wait for, for people (a few lines at most).
    public var waits: [String]
    /// Records released, since start, without their order being proven (a record that waited
    /// past the consumer's give-up for predecessors that never came).
    public var orderGiveUps: Int

    /// A report.
    public init(
        lag: [TopicPartition: Int64] = [:], held: Int = 0, oldestHeld: Duration? = nil, waits: [String] = [],
        orderGiveUps: Int = 0
    ) {
        self.lag = lag
        self.held = held
        self.oldestHeld = oldestHeld
        self.waits = waits
        self.orderGiveUps = orderGiveUps
    }

    /// The sum of ``lag``.
    public var totalLag: Int64 { lag.values.reduce(0, +) }
}
