import PawnIO
import PawnPorts

/// The event log on Kafka: one shared producer for publishing and a consumer per group
/// member. Creates the topics it is asked to use (same partition count for each, so that
/// range assignment keeps an item's events together) before consuming from them.
///
/// ## Order across topics
///
/// Records of one key on the ``KafkaConfiguration/orderedTopics`` are consumed in the order
/// they were published, provided each publish returned before the next one began (the
/// dispatcher's 202 waits for the publish, and a client waits for the 202 before its next
/// action on the item). No clock is involved:
///
/// - the log puts the record on partition *n* = ``KafkaPartitioner`` of its key on every
///   ordered topic (which is why their partition counts must be equal), and
/// - before producing, it asks the brokers for the high watermark of partition *n* of every
///   ordered topic and sends them along in the ``KafkaConfiguration/barrierHeader``. Every
///   record acknowledged before this publish began is below those watermarks; every record
///   published after this one was acknowledged is not.
///
/// A consumer releases a record only after it released everything below its barrier on the
/// sibling partitions (see ``KafkaConsumer``). Barriers only point back in time, so records
/// can always be released: nothing can wait in a cycle.
///
/// ## A producer that failed for good
///
/// After a fatal error (the idempotent producer's, say) librdkafka's producer refuses every
/// record, and after a delivery refused for its id or epoch so do the brokers. The log then
/// replaces it with a new one, and the publish that met the error fails as `unavailable`, to
/// be retried (the dispatcher parks it); the old producer is closed 20 s later, when no
/// watermark query can still be using its client, and what it still held fails the same way.
public final class KafkaEventLog: EventLog {
    /// The settings every client of this log uses.
    public let configuration: KafkaConfiguration
    /// The producer behind ``publish(topic:key:value:headers:)`` (replaced after a fatal error).
    public var producer: KafkaProducer { current.withLock { $0.producer } }
    /// The producer and the watermark queries made through its client (a client of their
    /// own lost its broker after an outage and never got it back: the rolling-restart run).
    private let current: Locked<(producer: KafkaProducer, watermarks: KafkaWatermarks)>
    private let orderedCount = Locked<Int?>(nil)
    /// The end (last offset + 1) of each ordered partition as this producer's own
    /// acknowledgements showed it.
    private let acknowledged = Locked<[TopicPartition: Int64]>([:])

    /// A log on the brokers of `configuration`; nothing is contacted yet.
    public init(configuration: KafkaConfiguration) throws(EventLogError) {
        self.configuration = configuration
        current = Locked(try Self.generation(configuration))
    }

    private static func generation(_ configuration: KafkaConfiguration) throws(EventLogError)
        -> (producer: KafkaProducer, watermarks: KafkaWatermarks)
    {
        let producer = try KafkaProducer(configuration: configuration)
        let watermarks = KafkaWatermarks(
            handle: producer.raw, topics: configuration.orderedTopics, timeout: configuration.barrierTimeout)
        return (producer, watermarks)
    }

    /// Creates `topics` with ``KafkaConfiguration/partitions`` partitions unless they exist.
    public func ensureTopics(_ topics: [String], timeout: Duration = .seconds(10)) async throws(EventLogError)
    {
        try await KafkaAdmin.ensureTopics(
            topics, partitions: configuration.partitions, replicationFactor: configuration.replicationFactor,
            handle: producer.raw, timeout: timeout)
    }

    /// The ordered topics' common partition count; fails with
    /// `EventLogError.Code.partitionCountsDiffer`, naming each topic and its count, when they
    /// differ (topics made earlier by hand, say), since order across them would then break.
    @discardableResult
    public func checkOrderedTopics(timeout: Duration = .seconds(10)) async throws(EventLogError) -> Int {
        let count = try await KafkaAdmin.checkPartitionCounts(
            configuration.orderedTopics, handle: producer.raw, timeout: timeout)
        orderedCount.withLock { $0 = count }
        return count
    }

    public func publish(topic: String, key: String, value: [UInt8], headers: [String: String])
        async throws(EventLogError) -> (partition: Int, offset: Int64)
    {
        var marks: [String: Int64]?
        return try await publish(topic: topic, key: key, value: value, headers: headers, marks: &marks)
    }

    /// Publishes one after another; only the first of the records asks the brokers for
    /// watermarks. Each later one's barrier is the first's, raised to the ends this producer
    /// saw acknowledged, which include the record before it: everything that had to come
    /// before the first comes before it, and so does the first and what followed it.
    public func publishInOrder(_ records: [OutgoingRecord], published: @Sendable () async -> Void) async
        -> (positions: [(partition: Int, offset: Int64)], error: EventLogError?)
    {
        var marks: [String: Int64]?
        return await Self.inOrder(records, published: published) { record throws(EventLogError) in
            try await publish(
                topic: record.topic, key: record.key, value: record.value, headers: record.headers,
                marks: &marks)
        }
    }

    /// Publishes with the barrier `marks` raised to what this producer saw acknowledged; when
    /// `marks` is nil, asks the brokers for it first (and leaves it in `marks`).
    private func publish(
        topic: String, key: String, value: [UInt8], headers: [String: String],
        marks known: inout [String: Int64]?
    ) async throws(EventLogError) -> (partition: Int, offset: Int64) {
        let (producer, watermarks) = current.withLock { $0 }
        guard configuration.orderedTopics.contains(topic) else {
            do {
                let delivery = try await producer.send(topic: topic, key: key, value: value, headers: headers)
                return (delivery.partition, delivery.offset)
            } catch {
                throw replaceIfFatal(producer, error)
            }
        }
        let count: Int
        if let cached = orderedCount.withLock({ $0 }) {
            count = cached
        } else {
            count = try await checkOrderedTopics()
        }
        let partition = KafkaPartitioner.partition(for: key, count: count)
        var marks: [String: Int64]
        if let known {
            marks = known
        } else {
            marks = try await watermarks.snapshot(partition: partition)
        }
        // Never below what this producer saw acknowledged: a broker's answer can only be
        // lower by mistake (Tansu's memory engine answers the last batch's first offset + 1).
        acknowledged.withLock { ends in
            for (sibling, mark) in marks {
                marks[sibling] = max(mark, ends[TopicPartition(topic: sibling, partition: partition)] ?? 0)
            }
        }
        known = marks
        var headers = headers
        headers[configuration.barrierHeader] = KafkaBarrier(marks: marks).headerValue
        let delivery: KafkaProducer.Delivery
        do {
            delivery = try await producer.send(
                topic: topic, partition: partition, key: key, value: value, headers: headers)
        } catch {
            throw replaceIfFatal(producer, error)
        }
        acknowledged.withLock { ends in
            let place = TopicPartition(topic: topic, partition: delivery.partition)
            ends[place] = max(ends[place] ?? 0, delivery.offset + 1)
        }
        return (delivery.partition, delivery.offset)
    }

    /// When `failed` has hit a fatal error, puts a new producer in its place (once, however
    /// many publishes saw the error) and closes the old one; returns the error to throw.
    private func replaceIfFatal(_ failed: KafkaProducer, _ error: EventLogError) -> EventLogError {
        guard let fatal = failed.failedForGood else { return error }
        let fresh: (producer: KafkaProducer, watermarks: KafkaWatermarks)
        do { fresh = try Self.generation(configuration) } catch {
            return EventLogError(
                .failed, "the producer failed for good (\(fatal)) and cannot be replaced: \(error)")
        }
        let replaced = current.withLock { current in
            guard current.producer === failed else { return false }
            current = fresh
            return true
        }
        if replaced {
            KafkaLog.warning(client: "producer", "fatal error (\(fatal)); replaced by a new producer")
            // Closed once the calls that may still use its client (watermark queries, topic
            // checks, each bounded by its timeout) are surely over.
            let grace = max(configuration.barrierTimeout, .seconds(10)) * 2
            Task {
                try? await Task.sleep(for: grace)
                await failed.close(timeout: .zero)
            }
        } else {
            Task { await fresh.producer.close(timeout: .zero) }
        }
        return EventLogError(.unavailable, "the producer failed for good (\(fatal)) and was replaced")
    }

    public func consumer(group: String, topics: [String]) async throws(EventLogError) -> any EventConsumer {
        try await ensureTopics(topics)
        if !configuration.orderedTopics.isEmpty { try await checkOrderedTopics() }
        return try KafkaConsumer(configuration: configuration, group: group, topics: topics)
    }

    public func isReachable() async -> Bool { await producer.isReachable() }

    /// How many watermark queries (ListOffsets rounds, shared by the publishes waiting for
    /// them) the current producer's client sent.
    public var watermarkQueries: Int { current.withLock { $0.watermarks.queries } }

    /// Delivers what is queued (up to `timeout`) and frees the producer.
    public func close(timeout: Duration) async { await producer.close(timeout: timeout) }

    /// For tests: makes the current producer fail as librdkafka's idempotent producer does
    /// after a fatal error (`rd_kafka_test_fatal_error`).
    public func simulateFatalProducerError() { producer.simulateFatalError() }

    /// Flushes what the producer holds (up to 10 s) and closes it.
    public func close() async { await close(timeout: .seconds(10)) }
}
