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
public final class KafkaEventLog: EventLog {
    /// The settings every client of this log uses.
    public let configuration: KafkaConfiguration
    /// The producer behind ``publish(topic:key:value:headers:)``.
    public let producer: KafkaProducer
    private let watermarks: KafkaWatermarks
    private let orderedCount = Locked<Int?>(nil)
    /// The end (last offset + 1) of each ordered partition as this producer's own
    /// acknowledgements showed it.
    private let acknowledged = Locked<[TopicPartition: Int64]>([:])

    /// A log on the brokers of `configuration`; nothing is contacted yet.
    public init(configuration: KafkaConfiguration) throws(EventLogError) {
        self.configuration = configuration
        producer = try KafkaProducer(configuration: configuration)
        watermarks = KafkaWatermarks(
            handle: producer.raw, topics: configuration.orderedTopics, timeout: configuration.barrierTimeout)
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
        guard configuration.orderedTopics.contains(topic) else {
            let delivery = try await producer.send(topic: topic, key: key, value: value, headers: headers)
            return (delivery.partition, delivery.offset)
        }
        let count: Int
        if let known = orderedCount.withLock({ $0 }) {
            count = known
        } else {
            count = try await checkOrderedTopics()
        }
        let partition = KafkaPartitioner.partition(for: key, count: count)
        var marks = try await watermarks.snapshot(partition: partition)
        // Never below what this producer saw acknowledged: a broker's answer can only be
        // lower by mistake (Tansu's memory engine answers the last batch's first offset + 1).
        acknowledged.withLock { ends in
            for (sibling, mark) in marks {
                marks[sibling] = max(mark, ends[TopicPartition(topic: sibling, partition: partition)] ?? 0)
            }
        }
        var headers = headers
        headers[configuration.barrierHeader] = KafkaBarrier(marks: marks).headerValue
        let delivery = try await producer.send(
            topic: topic, partition: partition, key: key, value: value, headers: headers)
        acknowledged.withLock { ends in
            let place = TopicPartition(topic: topic, partition: delivery.partition)
            ends[place] = max(ends[place] ?? 0, delivery.offset + 1)
        }
        return (delivery.partition, delivery.offset)
    }

    public func consumer(group: String, topics: [String]) async throws(EventLogError) -> any EventConsumer {
        try await ensureTopics(topics)
        if !configuration.orderedTopics.isEmpty { try await checkOrderedTopics() }
        return try KafkaConsumer(configuration: configuration, group: group, topics: topics)
    }

    public func isReachable() async -> Bool { await producer.isReachable() }

    /// Delivers what is queued (up to `timeout`) and frees the producer.
    public func close(timeout: Duration) async { await producer.close(timeout: timeout) }

    /// Flushes what the producer holds (up to 10 s) and closes it.
    public func close() async { await close(timeout: .seconds(10)) }
}
