// pawn-bench's cases that need real servers (scripts/bench-kafka.sh starts them):
//   kafka-produce  our producer sending N records of S bytes, as kcat -P does (`--create`
//                  makes the topic first)
//   kafka-consume  our consumer reading N records in a new group, as kcat -G does
//   pipeline       N events (adds, sells, or a mix) through a worker into MongoDB
//   raw-mongo      the same document writes by libmongoc directly (MongoBench.swift)
import Glibc
import PawnDomain
import PawnIO
import PawnKafka
import PawnMongo
import PawnPorts
import PawnProtocol
import PawnWire
import PawnWorker

/// The value of `--name` among `arguments`, or `fallback`.
func option(_ name: String, _ arguments: [String], _ fallback: String? = nil) -> String {
    if let index = arguments.firstIndex(of: name), index + 1 < arguments.count { return arguments[index + 1] }
    guard let fallback else { fail("\(name) is required") }
    return fallback
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return elapsed.seconds
}

func kafkaConfiguration(_ arguments: [String]) -> KafkaConfiguration {
    var configuration = KafkaConfiguration(bootstrapServers: option("--broker", arguments))
    configuration.linger = .milliseconds(Int64(option("--linger-ms", arguments, "5"))!)
    configuration.sessionTimeout = .seconds(6)
    configuration.consumerBufferLimit = Int(option("--buffer", arguments, "20000"))!
    configuration.orderedTopics = Topics.actionTopics
    // Raw librdkafka properties, `--set name=value` (repeatable), to compare settings.
    for (index, argument) in arguments.enumerated() where argument == "--set" && index + 1 < arguments.count {
        let pair = arguments[index + 1].split(separator: "=", maxSplits: 1).map(String.init)
        if pair.count == 2 { configuration.extra[pair[0]] = pair[1] }
    }
    return configuration
}

func benchProduce(_ arguments: [String]) async {
    let count = Int(option("--count", arguments, "200000"))!
    let size = Int(option("--size", arguments, "100"))!
    let topic = option("--topic", arguments)
    let producer: KafkaProducer
    do {
        // `--create` makes the topic first, as the dispatcher makes its own: our producer
        // never has the broker make topics, so a record for one that does not exist fails
        // (_UNKNOWN_TOPIC). bench-kafka.sh creates both topics before timing either side.
        if arguments.contains("--create") {
            let log = try KafkaEventLog(configuration: kafkaConfiguration(arguments))
            try await log.ensureTopics([topic])
            await log.close()
        }
        producer = try KafkaProducer(configuration: kafkaConfiguration(arguments))
    } catch {
        fail("\(error)")
    }
    let value = [UInt8](repeating: UInt8(ascii: "x"), count: size)
    let start = ContinuousClock.now
    var index = 0
    while index < count {
        do {
            try producer.sendWithoutWaiting(topic: topic, key: "", value: value)
            index += 1
        } catch  where error.code == .queueFull {
            try? await Task.sleep(for: .milliseconds(1))  // librdkafka's queue is full: let it drain
        } catch {
            fail("\(error)")
        }
    }
    guard await producer.flush(timeout: .seconds(120)) else { fail("flush timed out") }
    let elapsed = seconds(since: start)
    let failed = producer.failedWithoutWaiting
    await producer.close()
    print(
        "kafka-produce: \(count) records of \(size) B in \(format(elapsed)) s: \(Int(Double(count) / elapsed)) records/s, \(failed) failed"
    )
}

func benchConsume(_ arguments: [String]) async {
    let count = Int(option("--count", arguments, "200000"))!
    let topic = option("--topic", arguments)
    let group = option("--group", arguments, "pawn-bench-\(UInt32.random(in: 0 ... .max))")
    let start = ContinuousClock.now
    let consumer: KafkaConsumer
    do {
        consumer = try KafkaConsumer(
            configuration: kafkaConfiguration(arguments), group: group, topics: [topic])
    } catch {
        fail("\(error)")
    }
    var received = 0
    var firstRecord: ContinuousClock.Instant?
    var bytes = 0
    while received < count {
        let records: [LogRecord]
        do { records = try await consumer.poll(maxRecords: 10_000, timeout: .seconds(1)) } catch {
            fail("\(error)")
        }
        if firstRecord == nil && !records.isEmpty { firstRecord = .now }
        received += records.count
        for record in records { bytes += record.value.count }
        if seconds(since: start) > 300 { fail("only \(received) of \(count) records after 300 s") }
    }
    let elapsed = seconds(since: start)
    let streaming = seconds(since: firstRecord ?? start)
    await consumer.close()
    print(
        "kafka-consume: \(received) records (\(bytes) B) in \(format(elapsed)) s including the group join, \(format(streaming)) s from the first record: \(Int(Double(received) / streaming)) records/s"
    )
}

/// Publishes `events` (add or sell, keyed by item) without waiting for each acknowledgement.
private func publish(
    _ events: [(topic: String, key: String, value: [UInt8], id: String)], _ log: KafkaEventLog
) async {
    for event in events {
        while true {
            do {
                try log.producer.sendWithoutWaiting(
                    topic: event.topic, key: event.key, value: event.value,
                    headers: [Topics.eventIdHeader: event.id])
                break
            } catch  where error.code == .queueFull {
                try? await Task.sleep(for: .milliseconds(1))
            } catch {
                fail("\(error)")
            }
        }
    }
    guard await log.producer.flush(timeout: .seconds(120)) else { fail("flush timed out") }
}

/// Publishes `events` as the dispatcher does, each awaited with its barrier (32 in flight),
/// so that a sell of an item added earlier waits for the add even when the worker still lags
/// on the items topic (records of earlier runs sit before this run's in the topics, and a new
/// group starts from the beginning).
private func publishWithBarriers(
    _ events: [(topic: String, key: String, value: [UInt8], id: String)], _ log: KafkaEventLog
) async {
    await withTaskGroup(of: Void.self) { group in
        for lane in 0..<32 {
            group.addTask {
                for index in stride(from: lane, to: events.count, by: 32) {
                    let event = events[index]
                    do {
                        _ = try await log.publish(
                            topic: event.topic, key: event.key, value: event.value,
                            headers: [Topics.eventIdHeader: event.id])
                    } catch {
                        fail("\(error)")
                    }
                }
            }
        }
    }
}

/// Runs a worker of `group` until it has applied or rejected `count` events; the rate from
/// its first stored event, and the time including the group join.
private func runWorker(
    _ log: KafkaEventLog, _ store: MongoItemStore, group: String, count: Int
) async -> (elapsed: Double, streaming: Double) {
    let worker = Worker(id: "bench", log: log, store: store, group: group)
    let start = ContinuousClock.now
    do { try await worker.start() } catch { fail("\(error)") }
    var firstEvent: ContinuousClock.Instant?
    while worker.applied.current + worker.rejected.current < count {
        if firstEvent == nil && worker.applied.current > 0 { firstEvent = .now }
        if seconds(since: start) > 600 {
            fail("only \(worker.applied.current) of \(count) events after 600 s")
        }
        try? await Task.sleep(for: .milliseconds(5))
    }
    let rejected = worker.rejected.current
    let elapsed = seconds(since: start)
    let streaming = seconds(since: firstEvent ?? start)
    await worker.stop()
    if rejected > 0 { fail("the worker rejected \(rejected) events") }
    return (elapsed, streaming)
}

/// `--workload adds` (default): N AddItem events; `actions`: N sells of items added (and
/// applied by a worker of the same group) before the clock starts; `mix`: N/2 adds of new
/// items and N/2 sells of existing ones, interleaved. The same shapes as `raw-mongo`.
func benchPipeline(_ arguments: [String]) async {
    let count = Int(option("--count", arguments, "20000"))!
    let workload = option("--workload", arguments, "adds")
    guard ["adds", "actions", "mix"].contains(workload) else { fail("--workload is adds, actions or mix") }
    let database = option("--database", arguments, "pawn-bench-\(UInt32.random(in: 0 ... .max))")
    let configuration = kafkaConfiguration(arguments)
    let store: MongoItemStore
    let log: KafkaEventLog
    do {
        log = try KafkaEventLog(configuration: configuration)
        try await log.ensureTopics(Topics.actionTopics)
        store = try await MongoItemStore.start(
            MongoConfiguration(uri: option("--mongo", arguments), database: database))
    } catch {
        fail("\(error)")
    }
    let run = UInt32.random(in: 0 ... .max)
    let group = "pawn-bench-\(run)"
    func add(_ id: String, _ eventId: String) -> (String, String, [UInt8], String) {
        let add = Wire.AddItem(
            item: Wire.Item(id: id, name: "Lamp", category: .decoration, price: 1_000, state: .good),
            eventId: eventId, date: "2026-11-25")
        return (Topics.items, id, add.serializedBytes(), eventId)
    }
    func sell(_ id: String, _ index: Int) -> (String, String, [UInt8], String) {
        let sell = Wire.Sell(
            clientId: "client-\(index)", itemId: id, price: 1_500, date: "2026-11-25",
            eventId: "bench-\(run)-s\(index)")
        return (Topics.sellActions, id, sell.serializedBytes(), sell.eventId)
    }
    // Items that exist before the clock starts (applied by the same group, then committed).
    let existing = workload == "adds" ? 0 : (workload == "actions" ? count : count / 2)
    if existing > 0 {
        await publish((0..<existing).map { add("bench-\(run)-old-\($0)", "bench-\(run)-a\($0)") }, log)
        _ = await runWorker(log, store, group: group, count: existing)
    }
    var events: [(topic: String, key: String, value: [UInt8], id: String)] = []
    var (nextAdd, nextSell) = (0, 0)
    while events.count < count {
        if nextSell < existing && (nextAdd >= count - existing || events.count % 2 == 1) {
            events.append(sell("bench-\(run)-old-\(nextSell)", nextSell))
            nextSell += 1
        } else {
            events.append(add("bench-\(run)-\(nextAdd)", "bench-\(run)-e\(nextAdd)"))
            nextAdd += 1
        }
    }
    if existing > 0 { await publishWithBarriers(events, log) } else { await publish(events, log) }
    let (elapsed, streaming) = await runWorker(log, store, group: group, count: count)
    try? await store.dropDatabase()
    store.close()
    await log.close()
    print(
        "pipeline: \(workload) \(count) events from Kafka into MongoDB in \(format(elapsed)) s including the group join, \(format(streaming)) s from the first stored event: \(Int(Double(count) / streaming)) events/s"
    )
}
