import PawnIO

/// How to reach Kafka and how to produce and consume: typed settings for what PawnShop
/// relies on, and ``extra`` — raw librdkafka properties
/// (<https://github.com/confluentinc/librdkafka/blob/master/CONFIGURATION.md>) — for the
/// rest, applied last so that they win.
public struct KafkaConfiguration: Sendable, Hashable {
    /// `host:port` of one or more brokers, comma-separated (`bootstrap.servers`).
    public var bootstrapServers: String
    /// The client id brokers log (`client.id`).
    public var clientId: String = "pawnshop"
    /// How long a produced record may wait for the broker's acknowledgement before it
    /// fails with `EventLogError.Code.unavailable` (`message.timeout.ms`).
    public var deliveryTimeout: Duration = .seconds(30)
    /// How long the producer waits to batch records (`linger.ms`).
    public var linger: Duration = .milliseconds(1)
    /// Acknowledgements the producer waits for: `-1`/all replicas by default (`acks`).
    public var acks: Int = -1
    /// Exactly-once, in-order delivery per partition from the producer (`enable.idempotence`).
    public var idempotence: Bool = true
    /// A member that sends no heartbeat for this long leaves the group (`session.timeout.ms`).
    public var sessionTimeout: Duration = .seconds(10)
    /// How often a member tells the coordinator it is alive (`heartbeat.interval.ms`).
    public var heartbeatInterval: Duration = .seconds(1)
    /// How long a rebalance waits for members to rejoin, and how long a member may go
    /// without serving its queue before it is dropped (`max.poll.interval.ms`). A member
    /// killed mid-rebalance holds the group up for this long, so it is 30 s, not Kafka's 5 min.
    public var rebalanceTimeout: Duration = .seconds(30)
    /// How long the broker may hold a fetch with no new data (`fetch.wait.max.ms`).
    public var fetchWait: Duration = .milliseconds(100)
    /// How many records librdkafka keeps pre-fetched before it stops fetching
    /// (`queued.min.messages`; the bytes stay capped by `queued.max.messages.kbytes`, 64 MiB).
    /// librdkafka's 100,000 made our consumer pause its fetches and read a fifth as fast as
    /// kcat (`scripts/bench-kafka.sh`).
    public var prefetchRecords: Int = 1_000_000
    /// Partitions per topic when PawnShop creates its topics. Every action topic must have
    /// the same count, so that one member gets partition *n* of each (range assignment).
    public var partitions: Int = 6
    /// Replicas per partition when PawnShop creates its topics.
    public var replicationFactor: Int = 1
    /// Records the consumer holds in memory before it stops taking more from librdkafka.
    public var consumerBufferLimit: Int = 5_000
    /// Topics whose records of one key are consumed in the order they were published (the
    /// action topics): the log picks their partition itself and attaches an ordering barrier
    /// (see ``KafkaEventLog``). Empty: no order across topics.
    public var orderedTopics: [String] = []
    /// The header that carries a record's ordering barrier.
    public var barrierHeader: String = "pawnshop-after"
    /// How long a publish waits for the high watermarks of its barrier before it fails as
    /// unavailable (and a parking log parks the record).
    public var barrierTimeout: Duration = .seconds(5)
    /// How long a consumed record waits for a sibling partition that is at its end below the
    /// record's barrier (records that will never come: a topic re-created, an unclean leader
    /// election) before it is released anyway.
    public var barrierGiveUp: Duration = .seconds(60)
    /// Raw librdkafka properties, applied after the typed ones.
    public var extra: [String: String] = [:]

    /// Settings for the brokers at `bootstrapServers`.
    public init(bootstrapServers: String) {
        self.bootstrapServers = bootstrapServers
    }

    /// The librdkafka properties of a producer.
    var producerProperties: [(String, String)] {
        common + [
            ("acks", String(acks)),
            ("enable.idempotence", String(idempotence)),
            ("message.timeout.ms", String(deliveryTimeout.milliseconds)),
            ("linger.ms", String(linger.milliseconds)),
        ] + extra.sorted { $0.key < $1.key }
    }

    /// The librdkafka properties of a member of `group`.
    func consumerProperties(group: String) -> [(String, String)] {
        common + [
            ("group.id", group),
            // A new group starts at the beginning: nothing published before the first
            // worker joined is skipped.
            ("auto.offset.reset", "earliest"),
            // Offsets are committed by us, only once the records are stored.
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            // Partition n of every topic to one member: an item's events all meet there.
            ("partition.assignment.strategy", "range"),
            ("session.timeout.ms", String(sessionTimeout.milliseconds)),
            ("heartbeat.interval.ms", String(heartbeatInterval.milliseconds)),
            ("max.poll.interval.ms", String(rebalanceTimeout.milliseconds)),
            ("fetch.wait.max.ms", String(fetchWait.milliseconds)),
            ("queued.min.messages", String(prefetchRecords)),
            // The end of each partition, for ordering across topics.
            ("enable.partition.eof", "true"),
        ] + extra.sorted { $0.key < $1.key }
    }

    private var common: [(String, String)] {
        [
            ("bootstrap.servers", bootstrapServers), ("client.id", clientId),
            // Topics are made by ensureTopics, with equal partition counts: a metadata request
            // that let the broker make one with its own default count (a consumer subscribing
            // first on a fresh broker did, with 4 where the rest had 6) breaks the order.
            ("allow.auto.create.topics", "false"),
        ]
    }
}
