import PawnPorts
import PawnTestSupport
import Testing

@testable import PawnKafka

/// A log as `KafkaEventLog` writes it, without a broker: partitions that only grow, and
/// records whose barrier is the siblings' lengths when their publish began.
struct SimulatedLog {
    static let header = "pawnshop-after"
    let topics: [String]
    private(set) var partitions: [TopicPartition: [LogRecord]] = [:]

    init(topics: [String]) { self.topics = topics }

    /// The high watermarks of partition `number` of every topic, now.
    func barrier(partition number: Int) -> [String: Int64] {
        Dictionary(
            uniqueKeysWithValues: topics.map {
                ($0, Int64(partitions[TopicPartition(topic: $0, partition: number)]?.count ?? 0))
            })
    }

    /// Appends a record of `key` to `topic`'s partition `number` with `barrier` (taken when
    /// the publish began) and returns it; `headers` may carry anything else.
    @discardableResult
    mutating func append(
        _ topic: String, _ number: Int, key: String, barrier: [String: Int64]?,
        headers: [String: String] = [:]
    ) -> LogRecord {
        let partition = TopicPartition(topic: topic, partition: number)
        var headers = headers
        if let barrier { headers[Self.header] = KafkaBarrier(marks: barrier).headerValue }
        let record = LogRecord(
            topic: topic, partition: number, offset: Int64(partitions[partition]?.count ?? 0), key: key,
            value: [], headers: headers)
        partitions[partition, default: []].append(record)
        return record
    }

    /// A publish that begins and ends at once.
    @discardableResult
    mutating func publish(_ topic: String, _ number: Int, key: String, headers: [String: String] = [:])
        -> LogRecord
    {
        append(topic, number, key: key, barrier: barrier(partition: number), headers: headers)
    }
}

/// The consumer's merge of an item's records across topics (no broker needed).
@Suite("Partition merger")
struct PartitionMergerTests {
    static let topics = ["items", "buy-actions", "sell-actions"]
    let items = TopicPartition(topic: "items", partition: 2)
    let buys = TopicPartition(topic: "buy-actions", partition: 2)
    let sells = TopicPartition(topic: "sell-actions", partition: 2)

    func merger(giveUp: Duration = .seconds(60)) -> PartitionMerger {
        var merger = PartitionMerger(barrierHeader: SimulatedLog.header, giveUp: giveUp)
        merger.assign(
            Self.topics.flatMap { topic in (0..<4).map { TopicPartition(topic: topic, partition: $0) } })
        return merger
    }

    func names(_ records: [LogRecord]) -> [String] { records.map { "\($0.topic):\($0.key)" } }

    @Test func producersWithClocksFiveSecondsApartDoNotDeadlockTheMerge() {
        // Dispatcher A runs 5 s ahead, B 5 s behind (real seconds after 100):
        // 100.0 A adds x, 100.2 B adds z, 100.6 A sells z, 101.0 B sells x; each client
        // waited for the previous 202. The clocks' sequences (kept in a header, as the seed
        // sent them) form a cycle: items waits on x's smaller sequence in sells, sells on
        // z's in items. That deadlocked the window rule; barriers do not read them.
        var log = SimulatedLog(topics: Self.topics)
        func seq(_ seconds: Double) -> [String: String] {
            ["pawnshop-seq": String(Int64(seconds * 1_000_000))]
        }
        log.publish("items", 2, key: "x", headers: seq(105.0))
        log.publish("items", 2, key: "z", headers: seq(95.2))
        log.publish("sell-actions", 2, key: "z", headers: seq(105.6))
        log.publish("sell-actions", 2, key: "x", headers: seq(96.0))
        var merger = merger()
        for record in log.partitions[sells]! + log.partitions[items]! { merger.append(record) }
        merger.reachedEnd(buys, offset: 0)
        let order = names(merger.takeReady(limit: 10))
        #expect(order.count == 4, "records held for good: \(merger.count)")
        for key in ["x", "z"] {
            let add = order.firstIndex(of: "items:\(key)")
            let sell = order.firstIndex(of: "sell-actions:\(key)")
            #expect(add != nil && sell != nil && add! < sell!, "\(key) out of order: \(order)")
        }
    }

    @Test func aBuyWaitsForALaggingSiblingThenGoesAfterTheAdd() {
        var log = SimulatedLog(topics: Self.topics)
        let add = log.publish("items", 2, key: "ring")
        let buy = log.publish("buy-actions", 2, key: "ring")
        var merger = merger()
        merger.append(buy)
        merger.reachedEnd(sells, offset: 0)
        // items has shown nothing yet (no record, no end): the add may be on its way.
        #expect(merger.takeReady(limit: 10).isEmpty)
        // Its end reported below the buy's mark is no proof either: the add is below it.
        merger.reachedEnd(items, offset: 0)
        #expect(merger.takeReady(limit: 10).isEmpty)
        merger.append(add)
        #expect(names(merger.takeReady(limit: 10)) == ["items:ring", "buy-actions:ring"])
        #expect(merger.count == 0)
    }

    @Test func aSiblingAtItsEndAboveTheMarkHoldsNothingBack() {
        // The add was applied and committed before a restart: the new member starts items
        // at offset 1 and sees only its end.
        var log = SimulatedLog(topics: Self.topics)
        log.publish("items", 2, key: "ring")
        let buy = log.publish("buy-actions", 2, key: "ring")
        var merger = merger()
        merger.append(buy)
        merger.reachedEnd(items, offset: 1)
        merger.reachedEnd(sells, offset: 0)
        #expect(names(merger.takeReady(limit: 10)) == ["buy-actions:ring"])
    }

    @Test func noClockReleasesARecordWhoseSiblingHasNotBeenReadFarEnough() {
        // A watermark that arrives late: the sibling's end is known only up to offset 1
        // while the buy's mark is 2. However long it takes, the buy waits for offset 1.
        var log = SimulatedLog(topics: Self.topics)
        let first = log.publish("items", 2, key: "lamp")
        let second = log.publish("items", 2, key: "ring")
        let buy = log.publish("buy-actions", 2, key: "ring")
        var merger = merger(giveUp: .seconds(60))
        merger.append(first)
        merger.append(buy, fetched: .now - .seconds(3_600))
        merger.reachedEnd(sells, offset: 0)
        #expect(names(merger.takeReady(limit: 10)) == ["items:lamp"])
        #expect(merger.count == 1, "the buy went before the add it follows")
        merger.append(second)
        #expect(names(merger.takeReady(limit: 10)) == ["items:ring", "buy-actions:ring"])
        #expect(merger.gaveUp == 0)
    }

    @Test func aLeaderChangeThatReportsAnOlderEndReleasesNothingEarly() {
        // items' leader moves while the buy waits: the old leader reported the end at 2, the
        // new one (its high watermark not caught up yet) reports 1, then 0 after a stale
        // metadata refresh. The buy's mark is 3 (the add at offset 2 was acknowledged
        // before the buy began): no end report below 3 may release it, whatever its order.
        var log = SimulatedLog(topics: Self.topics)
        let lamp = log.publish("items", 2, key: "lamp")
        let vase = log.publish("items", 2, key: "vase")
        let add = log.publish("items", 2, key: "ring")
        let buy = log.publish("buy-actions", 2, key: "ring")
        #expect(KafkaBarrier(headerValue: buy.headers[SimulatedLog.header]!)?.marks["items"] == 3)
        var merger = merger(giveUp: .seconds(60))
        merger.append(lamp)
        merger.append(vase)
        merger.reachedEnd(items, offset: 2)
        merger.append(buy, fetched: .now - .seconds(30))
        merger.reachedEnd(sells, offset: 0)
        #expect(names(merger.takeReady(limit: 10)) == ["items:lamp", "items:vase"])
        for staleEnd in [Int64(1), 0, 2] {
            merger.reachedEnd(items, offset: staleEnd)
            #expect(merger.takeReady(limit: 10).isEmpty, "released after an end of \(staleEnd)")
        }
        #expect(merger.nextUnreleased(items) == 2)
        merger.append(add)
        #expect(names(merger.takeReady(limit: 10)) == ["items:ring", "buy-actions:ring"])
        #expect(merger.gaveUp == 0)
    }

    @Test func aRepublishedParkedEventGetsTheBarrierOfItsRepublishing() {
        // x's add and buy were parked while Kafka was away and are re-published in order,
        // each with a barrier taken then; meanwhile y's add went straight to items.
        var log = SimulatedLog(topics: Self.topics)
        log.publish("items", 2, key: "y")
        let add = log.publish("items", 2, key: "x")
        let buy = log.publish("buy-actions", 2, key: "x")
        #expect(KafkaBarrier(headerValue: buy.headers[SimulatedLog.header]!)?.marks["items"] == 2)
        var merger = merger()
        merger.append(buy)
        merger.append(log.partitions[items]![0])
        merger.reachedEnd(sells, offset: 0)
        #expect(names(merger.takeReady(limit: 10)) == ["items:y"])
        merger.append(add)
        #expect(names(merger.takeReady(limit: 10)) == ["items:x", "buy-actions:x"])
    }

    @Test func aMarkBeyondASiblingsEndIsGivenUpOnAfterTheBoundOnly() {
        // items was re-created (its offsets start again from 0): the buy's mark, 5, will
        // never be reached.
        let buy = LogRecord(
            topic: "buy-actions", partition: 2, offset: 0, key: "ring", value: [],
            headers: [SimulatedLog.header: "buy-actions=0,items=5,sell-actions=0"])
        var merger = merger(giveUp: .seconds(30))
        let fetched = ContinuousClock.now
        merger.append(buy, fetched: fetched)
        merger.reachedEnd(items, offset: 2)
        merger.reachedEnd(sells, offset: 0)
        #expect(merger.takeReady(limit: 10, now: fetched + .seconds(29)).isEmpty)
        // What an operator reads while it waits: the record, the sibling, the mark, how far
        // the sibling was released and that it is at its end.
        #expect(
            merger.waits(limit: 3, now: fetched + .seconds(29)) == [
                "buy-actions[2]@0 waits 29.0 seconds for items[2] below 5 (released to 2, at its end)"
            ])
        #expect(merger.takeReady(limit: 10, now: fetched + .seconds(30)).count == 1)
        #expect(merger.gaveUp == 1)
        #expect(merger.waits(limit: 3).isEmpty)
    }

    @Test func recordsWithoutABarrierAndOtherPartitionNumbersWaitForNothing() {
        var merger = merger()
        merger.append(
            LogRecord(topic: "buy-actions", partition: 2, offset: 0, key: "a", value: [], headers: [:]))
        merger.append(
            LogRecord(
                topic: "buy-actions", partition: 3, offset: 0, key: "b", value: [],
                headers: [SimulatedLog.header: "buy-actions=0,items=0,sell-actions=0"]))
        #expect(merger.takeReady(limit: 10).count == 2)
    }

    @Test func aHeldRecordHoldsBackTheRestOfItsPartitionAndRevokeDropsThem() {
        var log = SimulatedLog(topics: Self.topics)
        log.publish("items", 2, key: "ring")
        var merger = merger()
        merger.append(log.publish("buy-actions", 2, key: "ring"))
        merger.append(log.publish("buy-actions", 2, key: "lamp"))
        merger.reachedEnd(sells, offset: 0)
        #expect(merger.takeReady(limit: 10).isEmpty)
        #expect(merger.oldestFetched != nil)
        merger.revoke([buys])
        #expect(merger.count == 0 && !merger.assignment.contains(buys))
    }

    @Test func barrierHeadersRoundTripAndMalformedOnesAreIgnored() {
        let barrier = KafkaBarrier(marks: ["items": 12, "buy-actions": 0])
        #expect(barrier.headerValue == "buy-actions=0,items=12")
        #expect(KafkaBarrier(headerValue: barrier.headerValue) == barrier)
        for bad in ["items", "items=x", "items=-1", "=3,items"] {
            #expect(KafkaBarrier(headerValue: bad) == nil, "\(bad)")
        }
    }

    @Test func thePartitionerIsLibrdkafkasConsistentOne() {
        // zlib's crc32("123456789") is the standard check value.
        #expect(KafkaPartitioner.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(KafkaPartitioner.partition(for: "123456789", count: 6) == Int(0xCBF4_3926 % 6))
    }

    /// Seeded interleavings of everything above at once: clients that wait for each 202,
    /// publishes of different items in flight together (a barrier taken well before its
    /// record lands), an outage that parks every write and a drain that re-publishes them
    /// in order, and a consumer that fetches partitions in random chunks with late ends.
    /// Every item's records must come out in the order their 202s were given, all of them.
    @Test(arguments: 0..<300)
    func randomInterleavingsKeepEveryItemsOrder(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let numbers = 2
        var log = SimulatedLog(topics: Self.topics)
        let keys = (0..<12).map { "item-\($0)" }
        var planned: [String: [String]] = [:]
        for key in keys {
            planned[key] =
                ["items"]
                + (0..<Int.random(in: 1...5, using: &rng)).map { _ in Self.topics.randomElement(using: &rng)!
                }
        }
        let number = { (key: String) in KafkaPartitioner.partition(for: key, count: numbers) }
        var answered: [String: [String]] = [:]  // per key, the ids in the order of their 202s
        var inFlight: [String: (topic: String, id: String, barrier: [String: Int64])] = [:]
        var lot: [(topic: String, key: String, id: String)] = []
        var parking = false
        var next = 0
        func land(_ topic: String, _ key: String, _ id: String, _ barrier: [String: Int64]) {
            log.append(topic, number(key), key: key, barrier: barrier, headers: ["id": id])
        }
        // The producers.
        while planned.values.contains(where: { !$0.isEmpty }) || !inFlight.isEmpty || !lot.isEmpty {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0:
                parking.toggle()
            case 1, 2:
                // The drain: one parked record at a time, its barrier taken as it is re-published.
                guard !parking, !lot.isEmpty else { continue }
                let record = lot.removeFirst()
                land(record.topic, record.key, record.id, log.barrier(partition: number(record.key)))
            case 3, 4, 5:
                // A publish lands (and its 202 goes out).
                guard let key = inFlight.keys.sorted().randomElement(using: &rng) else { continue }
                let publish = inFlight.removeValue(forKey: key)!
                land(publish.topic, key, publish.id, publish.barrier)
                answered[key, default: []].append(publish.id)
            default:
                // A client sends an item's next action, once the previous one was answered.
                let idle = keys.filter { inFlight[$0] == nil && !(planned[$0]?.isEmpty ?? true) }
                guard let key = idle.randomElement(using: &rng) else { continue }
                let topic = planned[key]!.removeFirst()
                next += 1
                let id = "e\(next)"
                if parking || !lot.isEmpty {
                    lot.append((topic, key, id))
                    answered[key, default: []].append(id)
                } else {
                    inFlight[key] = (topic, id, log.barrier(partition: number(key)))
                }
            }
        }
        // The consumer.
        var merger = PartitionMerger(barrierHeader: SimulatedLog.header, giveUp: .seconds(3_600))
        let all = Self.topics.flatMap { topic in
            (0..<numbers).map { TopicPartition(topic: topic, partition: $0) }
        }
        merger.assign(all)
        var cursor: [TopicPartition: Int] = [:]
        var released: [LogRecord] = []
        var rounds = 0
        while released.count < next {
            rounds += 1
            #expect(rounds < 100_000, "seed \(seed): stuck with \(merger.count) held")
            if rounds >= 100_000 { return }
            let partition = all.randomElement(using: &rng)!
            let records = log.partitions[partition] ?? []
            let at = cursor[partition] ?? 0
            if at < records.count {
                let chunk = Int.random(in: 1...3, using: &rng)
                for record in records[at..<min(records.count, at + chunk)] { merger.append(record) }
                cursor[partition] = min(records.count, at + chunk)
            } else if Bool.random(using: &rng) {
                merger.reachedEnd(partition, offset: Int64(records.count))
            }
            released += merger.takeReady(limit: Int.random(in: 1...4, using: &rng))
        }
        #expect(merger.count == 0 && merger.gaveUp == 0)
        var seen: [String: [String]] = [:]
        for record in released { seen[record.key, default: []].append(record.headers["id"]!) }
        #expect(seen == answered, "seed \(seed)")
    }
}
