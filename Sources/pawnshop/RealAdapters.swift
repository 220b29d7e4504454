// Which adapters a service runs on: the real clients when their settings are given (or
// with --real, at their usual local addresses), memory otherwise.
import Foundation
import PawnDispatcher
import PawnKafka
import PawnMongo
import PawnPorts
import PawnRedis
import PawnWire
import Synchronization

/// The settings of the real adapters, shared by the commands that use them.
enum RealAdapterKeys {
    static let kafka = SettingKey(
        "kafka", flag: "--kafka", environment: "PAWNSHOP_KAFKA", kind: .string, default: nil,
        help: "Kafka bootstrap servers host:port[,host:port…] (default: in memory)")
    static let kafkaPartitions = SettingKey(
        "kafkaPartitions", flag: "--kafka-partitions", environment: "PAWNSHOP_KAFKA_PARTITIONS",
        kind: .integer(1...10_000), default: "6",
        help: "partitions per topic when PawnShop creates its topics")
    static let kafkaReplication = SettingKey(
        "kafkaReplication", flag: "--kafka-replication", environment: "PAWNSHOP_KAFKA_REPLICATION",
        kind: .integer(1...100), default: "1", help: "replicas per partition when PawnShop creates its topics"
    )
    static let kafkaSessionTimeout = SettingKey(
        "kafkaSessionTimeoutMs", flag: "--kafka-session-timeout-ms",
        environment: "PAWNSHOP_KAFKA_SESSION_TIMEOUT_MS",
        kind: .integer(1_000...300_000), default: "10000", help: "consumer-group session timeout (ms)")
    static let group = SettingKey(
        "group", flag: "--group", environment: "PAWNSHOP_WORKER_GROUP", kind: .string,
        default: "pawnshop-workers",
        help: "the workers' Kafka consumer group")
    static let mongo = SettingKey(
        "mongo", flag: "--mongo", environment: "PAWNSHOP_MONGO", kind: .string, default: nil,
        help: "MongoDB URI, mongodb://host:port (default: in memory)")
    static let mongoDatabase = SettingKey(
        "mongoDatabase", flag: "--mongo-database", environment: "PAWNSHOP_MONGO_DATABASE", kind: .string,
        default: "auction-db", help: "MongoDB database")
    static let redis = SettingKey(
        "redis", flag: "--redis", environment: "PAWNSHOP_REDIS", kind: .string, default: nil,
        help: "Redis host:port holding the fraud list (default: --fraudsters in memory)")
    static let real = SettingKey(
        "real", flag: "--real", environment: "PAWNSHOP_REAL", kind: .boolean, default: "false",
        help: "use Kafka, MongoDB and Redis (at 127.0.0.1's usual ports unless given)")

    static let fraudKey = SettingKey(
        "fraudKey", flag: "--fraud-key", environment: "PAWNSHOP_FRAUD_KEY", kind: .string,
        default: "fraudsters", help: "the Redis set holding the fraud list")
    static let fraudRefresh = SettingKey(
        "fraudRefreshMs", flag: "--fraud-refresh-ms", environment: "PAWNSHOP_FRAUD_REFRESH_MS",
        kind: .integer(100...3_600_000), default: "1000",
        help: "how often the dispatcher reads the fraud list from Redis (ms)")
    static let fraudFailOpen = SettingKey(
        "fraudFailOpen", flag: "--fraud-fail-open", environment: "PAWNSHOP_FRAUD_FAIL_OPEN", kind: .boolean,
        default: "false",
        help: "serve every client while the fraud list was never read (default: refuse actions with 503)")
    static let publishTimeout = SettingKey(
        "publishTimeoutMs", flag: "--publish-timeout-ms", environment: "PAWNSHOP_PUBLISH_TIMEOUT_MS",
        kind: .integer(100...600_000), default: "5000",
        help: "how long a publish to Kafka may take before the event is parked in Redis (ms)")
    static let parkingKey = SettingKey(
        "parkingKey", flag: "--parking-key", environment: "PAWNSHOP_PARKING_KEY", kind: .string,
        default: nil,
        help:
            "the Redis list where events wait while Kafka is down, one per dispatcher (default pawnshop:parked:HOSTNAME:PORT)"
    )

    static let dispatcher = [
        kafka, kafkaPartitions, kafkaReplication, redis, real, fraudKey, fraudRefresh, fraudFailOpen,
        publishTimeout, parkingKey,
    ]
    static let worker = [
        kafka, kafkaPartitions, kafkaReplication, kafkaSessionTimeout, group, mongo, mongoDatabase, real,
    ]
    static let allInOne = [
        kafka, kafkaPartitions, kafkaReplication, kafkaSessionTimeout, mongo, mongoDatabase, redis, real,
        fraudKey, fraudRefresh, fraudFailOpen, publishTimeout, parkingKey,
    ]
}

/// Builds the adapters a command's settings ask for.
struct RealAdapters {
    let settings: Settings

    private var real: Bool { settings.boolean("real") }

    private func value(_ key: String, realDefault: String) -> String? {
        settings.string(key) ?? (real ? realDefault : nil)
    }

    /// Kafka when configured, else the in-memory log (which only this process sees).
    func eventLog() async -> any EventLog {
        guard let servers = value("kafka", realDefault: "127.0.0.1:9092") else {
            return InMemoryEventLog(partitions: 8)
        }
        var configuration = KafkaConfiguration(bootstrapServers: servers)
        configuration.orderingHeader = Topics.sequenceHeader
        configuration.partitions = settings.integer("kafkaPartitions") ?? 6
        configuration.replicationFactor = settings.integer("kafkaReplication") ?? 1
        if let timeout = settings.integer("kafkaSessionTimeoutMs") {
            configuration.sessionTimeout = .milliseconds(timeout)
        }
        let log: KafkaEventLog
        do { log = try KafkaEventLog(configuration: configuration) } catch {
            fail("invalid kafka (from \(settings.source("kafka") ?? "--real")): \(error)")
        }
        do { try await log.ensureTopics(Topics.actionTopics + [Topics.longTermStorage]) } catch {
            fail("cannot reach Kafka at \(servers) (from \(settings.source("kafka") ?? "--real")): \(error)")
        }
        return log
    }

    /// MongoDB when configured, else memory.
    func itemStore() async -> any ItemStore {
        guard let uri = value("mongo", realDefault: "mongodb://127.0.0.1:27017") else {
            return InMemoryItemStore()
        }
        let configuration: MongoConfiguration
        do {
            configuration = try MongoConfiguration(
                uri: uri, database: settings.string("mongoDatabase") ?? "auction-db")
        } catch {
            fail("invalid mongo (from \(settings.source("mongo") ?? "--real")): \(error)")
        }
        do { return try await MongoItemStore.start(configuration) } catch {
            fail("cannot reach MongoDB at \(uri) (from \(settings.source("mongo") ?? "--real")): \(error)")
        }
    }

    /// The Redis client, when Redis is configured (made once, shared by the fraud list and
    /// the parking lot).
    func redisClient() -> RedisClient? {
        guard let address = value("redis", realDefault: "127.0.0.1:6379") else { return nil }
        if let client = Self.redis.withLock({ $0 }) { return client }
        let configuration: RedisConfiguration
        do { configuration = try RedisConfiguration(address: address) } catch {
            fail("invalid redis (from \(settings.source("redis") ?? "--real")): \(error)")
        }
        let client = RedisClient(configuration: configuration)
        Self.redis.withLock { $0 = client }
        return client
    }

    private static let redis = Mutex<RedisClient?>(nil)

    /// The fraud list from Redis, held in memory and refreshed (fail open or closed before
    /// the first read, as configured); else the in-memory list of `--fraudsters`.
    func fraudList(fallback names: [String]) async -> any FraudList {
        guard let client = redisClient() else { return InMemoryFraudList(names) }
        let cache = CachedFraudList(
            store: RedisFraudList(client: client, key: settings.string("fraudKey") ?? "fraudsters"),
            refreshInterval: .milliseconds(settings.integer("fraudRefreshMs") ?? 1000),
            fallback: settings.boolean("fraudFailOpen") ? .failOpen : .failClosed)
        if await !cache.start() {
            let policy =
                settings.boolean("fraudFailOpen")
                ? "serving every client (--fraud-fail-open)" : "refusing actions with 503 (fail closed)"
            print(
                "pawnshop: cannot read the fraud list from Redis at \(client.configuration.host):\(client.configuration.port) yet; \(policy) until it can"
            )
        }
        return cache
    }

    /// `log`, parking events in Redis when Kafka fails or is slow, when both are configured.
    func parking(_ log: any EventLog) async -> any EventLog {
        guard log is KafkaEventLog, let client = redisClient() else { return log }
        // One list per dispatcher: two drainers trimming one list would remove each other's records.
        let parkingKey =
            settings.string("parkingKey")
            ?? "pawnshop:parked:\(ProcessInfo.processInfo.hostName):\(settings.integer("port") ?? 0)"
        let parking = ParkingEventLog(
            inner: log,
            lot: RedisParkingLot(client: client, key: parkingKey),
            deadline: .milliseconds(settings.integer("publishTimeoutMs") ?? 5000))
        await parking.start()
        return parking
    }

    /// Whether any real adapter is configured.
    var anyReal: Bool {
        real || ["kafka", "mongo", "redis"].contains { settings.string($0) != nil }
    }

    /// The adapters in use, for the start-up line.
    var description: String {
        let parts = [
            settings.string("kafka").map { "Kafka \($0)" }, settings.string("mongo").map { "MongoDB \($0)" },
            settings.string("redis").map { "Redis \($0)" },
        ].compactMap { $0 }
        if real && parts.isEmpty { return "Kafka, MongoDB and Redis on 127.0.0.1" }
        return parts.isEmpty ? "in memory" : parts.joined(separator: ", ")
    }
}
