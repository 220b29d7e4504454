import PawnPorts

/// The event log on Kafka: one shared producer for publishing and a consumer per group
/// member. Creates the topics it is asked to use (same partition count for each, so that
/// range assignment keeps an item's events together) before consuming from them.
public final class KafkaEventLog: EventLog {
    /// The settings every client of this log uses.
    public let configuration: KafkaConfiguration
    /// The producer behind ``publish(topic:key:value:headers:)``.
    public let producer: KafkaProducer

    /// A log on the brokers of `configuration`; nothing is contacted yet.
    public init(configuration: KafkaConfiguration) throws(EventLogError) {
        self.configuration = configuration
        producer = try KafkaProducer(configuration: configuration)
    }

    /// Creates `topics` with ``KafkaConfiguration/partitions`` partitions unless they exist.
    public func ensureTopics(_ topics: [String], timeout: Duration = .seconds(10)) async throws(EventLogError)
    {
        try await KafkaAdmin.ensureTopics(
            topics, partitions: configuration.partitions, replicationFactor: configuration.replicationFactor,
            handle: producer.raw, timeout: timeout)
    }

    public func publish(topic: String, key: String, value: [UInt8], headers: [String: String])
        async throws(EventLogError) -> (partition: Int, offset: Int64)
    {
        let delivery = try await producer.send(topic: topic, key: key, value: value, headers: headers)
        return (delivery.partition, delivery.offset)
    }

    public func consumer(group: String, topics: [String]) async throws(EventLogError) -> any EventConsumer {
        try await ensureTopics(topics)
        return try KafkaConsumer(configuration: configuration, group: group, topics: topics)
    }

    public func isReachable() async -> Bool { await producer.isReachable() }

    /// Delivers what is queued (up to `timeout`) and frees the producer.
    public func close(timeout: Duration) async { await producer.close(timeout: timeout) }

    /// Flushes what the producer holds (up to 10 s) and closes it.
    public func close() async { await close(timeout: .seconds(10)) }
}
