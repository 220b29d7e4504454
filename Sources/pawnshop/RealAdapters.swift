// Which adapters a service runs on: the real clients when their servers are given (or
// with --real, at their usual local addresses), memory otherwise.
import Foundation
import PawnDispatcher
import PawnIO
import PawnKafka
import PawnLog
import PawnMongo
import PawnPorts
import PawnRedis
import PawnWire

/// Builds the adapters the options ask for; a server unreachable at start ends the
/// process with exit 1, a malformed address with exit 64.
struct RealAdapters {
    let options: AdapterOptions

    /// Kafka when configured, else the in-memory log (which only this process sees).
    func eventLog() async -> any EventLog {
        guard let servers = options.kafka else { return InMemoryEventLog(partitions: 8) }
        var configuration = KafkaConfiguration(bootstrapServers: servers)
        configuration.orderedTopics = Topics.actionTopics
        configuration.partitions = options.kafkaPartitions
        configuration.replicationFactor = options.kafkaReplication
        if let timeout = options.kafkaSessionTimeout { configuration.sessionTimeout = timeout }
        configuration.extra = options.kafkaOptions
        let log: KafkaEventLog
        do { log = try KafkaEventLog(configuration: configuration) } catch {
            fail("invalid kafka (from \(options.kafkaSource)): \(error)", .usage)
        }
        do { try await log.ensureTopics(Topics.actionTopics + [Topics.longTermStorage]) } catch {
            fail("cannot reach Kafka at \(servers) (from \(options.kafkaSource)): \(error)")
        }
        do { try await log.checkOrderedTopics() } catch  where error.code == .partitionCountsDiffer {
            fail("cannot start on Kafka at \(servers): \(error.message)")
        } catch {
            fail("cannot reach Kafka at \(servers) (from \(options.kafkaSource)): \(error)")
        }
        return log
    }

    /// MongoDB when configured, else memory.
    func itemStore() async -> any ItemStore {
        guard let uri = options.mongo else { return InMemoryItemStore() }
        let configuration: MongoConfiguration
        do { configuration = try MongoConfiguration(uri: uri, database: options.mongoDatabase) } catch {
            fail("invalid mongo (from \(options.mongoSource)): \(error)", .usage)
        }
        do { return try await MongoItemStore.start(configuration) } catch {
            fail("cannot reach MongoDB at \(uri) (from \(options.mongoSource)): \(error)")
        }
    }

    /// The Redis client, when Redis is configured (made once, shared by the fraud list and
    /// the parking lot).
    func redisClient() -> RedisClient? {
        guard let address = options.redis else { return nil }
        if let client = Self.redis.withLock({ $0 }) { return client }
        let configuration: RedisConfiguration
        do { configuration = try RedisConfiguration(address: address) } catch {
            fail("invalid redis (from \(options.redisSource)): \(error)", .usage)
        }
        let client = RedisClient(configuration: configuration)
        Self.redis.withLock { $0 = client }
        return client
    }

    private static let redis = Locked<RedisClient?>(nil)

    /// The fraud list from Redis, held in memory and refreshed (fail open or closed before
    /// the first read, as configured); else the in-memory list of `--fraudsters`.
    func fraudList(fallback names: [String]) async -> any FraudList {
        guard let client = redisClient() else { return InMemoryFraudList(names) }
        let cache = CachedFraudList(
            store: RedisFraudList(client: client, key: options.fraudKey),
            refreshInterval: options.fraudRefresh,
            fallback: options.fraudFailOpen ? .failOpen : .failClosed)
        if await !cache.start() {
            let policy =
                options.fraudFailOpen
                ? "serving every client (--fraud-fail-open)" : "refusing actions with 503 (fail closed)"
            processLog.warning(
                "cannot read the fraud list from Redis at \(client.configuration.host):\(client.configuration.port) yet; \(policy) until it can"
            )
        }
        return cache
    }

    /// Idempotency-Key answers and accepted event ids: in Redis (shared by every dispatcher on
    /// it) when Redis is configured, else in this process's memory.
    func idempotency() -> any IdempotencyStore {
        guard let client = redisClient() else { return InMemoryIdempotencyStore() }
        return RedisIdempotencyStore(client: client)
    }

    /// `log`, parking events in Redis when Kafka fails or is slow, when both are configured.
    func parking(_ log: any EventLog, httpPort: Int) async -> any EventLog {
        guard options.kafka != nil, let client = redisClient() else { return log }
        // One lot for every replica (the lease lets one drain it at a time); the owner name
        // tells replicas apart in its lease and the logs, even with one hostname in containers.
        let owner =
            "\(ProcessInfo.processInfo.hostName):\(httpPort)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        let parking = ParkingEventLog(
            inner: log, lot: RedisParkingLot(client: client, key: options.parkingKey ?? "pawnshop:parked"),
            owner: owner, deadline: options.publishTimeout, orderedTopics: Set(Topics.actionTopics))
        await parking.start()
        return parking
    }
}
