import PawnDispatcher
import PawnHTTP1
import PawnIO
import PawnPorts
import PawnProtocol
import PawnTestSupport
import Testing

/// An event log whose publishes fail, hang or succeed on command, over a real in-memory log.
final class FlakyLog: EventLog {
    enum Mode { case working, failing, hanging, paused, refusing, fatal, closed }
    let inner = InMemoryEventLog()
    let mode = Locked(Mode.working)
    /// How long a working publish takes, and the most publishes seen in flight at once.
    let delay = Locked<Duration?>(nil)
    let inFlight = Locked((now: 0, most: 0))

    func publish(topic: String, key: String, value: [UInt8], headers: [String: String])
        async throws(EventLogError) -> (partition: Int, offset: Int64)
    {
        switch mode.withLock({ $0 }) {
        case .working:
            inFlight.withLock {
                $0.now += 1
                $0.most = max($0.most, $0.now)
            }
            defer { inFlight.withLock { $0.now -= 1 } }
            if let pause = delay.withLock({ $0 }) { try? await Task.sleep(for: pause) }
            return try await inner.publish(topic: topic, key: key, value: value, headers: headers)
        case .failing: throw EventLogError(.unavailable, "broker down")
        case .hanging:
            // Hangs while the mode says so (up to 30 s): a re-publish the drain started while
            // hanging must not keep it busy after the broker is back, whatever the timing.
            for _ in 0..<3_000 where mode.withLock({ $0 == .hanging }) {
                try? await Task.sleep(for: .milliseconds(10))
            }
            throw EventLogError(.unavailable, "hung")
        case .paused:
            // A process stopped (SIGSTOP, a long pause): the publish waits, then goes on as
            // the mode says once it changes.
            for _ in 0..<3_000 where mode.withLock({ $0 == .paused }) {
                try? await Task.sleep(for: .milliseconds(10))
            }
            return try await publish(topic: topic, key: key, value: value, headers: headers)
        case .refusing: throw EventLogError(.recordRefused, "message too large")
        case .fatal: throw EventLogError(.failed, "fatal idempotent producer error")
        case .closed: throw EventLogError(.closed, "the producer is closed")
        }
    }

    func consumer(group: String, topics: [String]) async throws(EventLogError) -> any EventConsumer {
        try await inner.consumer(group: group, topics: topics)
    }

    func isReachable() async -> Bool { mode.withLock { $0 == .working } }

    /// Every record of `topic`, in order.
    func records(_ topic: String) async throws -> [LogRecord] {
        let consumer = try await inner.consumer(
            group: "check-\(UInt64.random(in: 0 ... .max))", topics: [topic])
        var all: [LogRecord] = []
        while true {
            let batch = try await consumer.poll(maxRecords: 1000, timeout: .milliseconds(50))
            if batch.isEmpty { return all }
            all += batch
        }
    }
}

@Suite("Parking lot and fraud cache (in memory)")
struct ResilienceTests {
    /// A parking log over `inner` and `lot`, quick to poll, started.
    func parking(
        _ inner: any EventLog, _ lot: any ParkingLot, owner: String = "one", deadline: Duration,
        lease: Duration = .seconds(10), lines: Locked<[String]>? = nil
    ) async -> ParkingEventLog {
        let log = ParkingEventLog(
            inner: inner, lot: lot, owner: owner, deadline: deadline, leaseDuration: lease,
            poll: .milliseconds(20), log: { line in lines?.withLock { $0.append(line) } })
        await log.start()
        return log
    }

    /// A parking log over a broker that is down, with an empty in-memory lot.
    func parkingBehindADownBroker(deadline: Duration = .milliseconds(100)) async
        -> (FlakyLog, InMemoryParkingLot, ParkingEventLog)
    {
        let flaky = FlakyLog()
        let lot = InMemoryParkingLot()
        flaky.mode.withLock { $0 = .failing }
        return (flaky, lot, await parking(flaky, lot, deadline: deadline))
    }

    /// Waits for `condition`, up to 30 s (the whole suite in parallel slows these tests
    /// down tenfold: a 4 s bound once ran out).
    func waitUntil(
        timeout: Duration = .seconds(30), _ condition: () async throws -> Bool,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("condition never held", sourceLocation: sourceLocation)
    }

    @Test(
        "a failing or hanging broker parks; once it is back, parked records go out first, in order, and are removed"
    )
    func parksAndRepublishesInOrder() async throws {
        let flaky = FlakyLog()
        let lot = InMemoryParkingLot()
        let log = await parking(flaky, lot, deadline: .milliseconds(200))
        #expect(
            try await log.take(topic: "items", key: "a", value: [0], headers: ["n": "0"]) != .parked)
        flaky.mode.withLock { $0 = .hanging }
        #expect(
            try await log.take(topic: "items", key: "a", value: [1], headers: ["n": "1"]) == .parked)
        flaky.mode.withLock { $0 = .failing }
        for n in 2..<20 {
            let topic = n % 2 == 0 ? "buy-actions" : "items"
            #expect(
                try await log.take(topic: topic, key: "a", value: [UInt8(n)], headers: ["n": "\(n)"])
                    == .parked)
        }
        #expect(try await lot.count() == 19)
        #expect(log.counts.parked == 19)
        flaky.mode.withLock { $0 = .working }
        // New writes while the lot drains queue behind it.
        _ = try await log.take(topic: "items", key: "a", value: [20], headers: ["n": "20"])
        try await waitUntil { try await lot.count() == 0 && log.counts.waiting == 0 }
        let items = try await flaky.records("items").map { $0.value[0] }
        let buys = try await flaky.records("buy-actions").map { $0.value[0] }
        #expect(items == [0] + Array(stride(from: 1, to: 20, by: 2)).map(UInt8.init) + [20])
        #expect(buys == Array(stride(from: 2, to: 20, by: 2)).map(UInt8.init))
        #expect(try await flaky.records("items").dropFirst().first?.headers == ["n": "1"])
        #expect(log.counts.republished == 20)
        // Drained: straight to the broker again.
        #expect(try await log.take(topic: "items", key: "a", value: [21], headers: [:]) != .parked)
        await log.stop()
    }

    @Test(
        "while a publish that outlived its deadline is still unanswered, writes park at once instead of queueing behind it"
    )
    func anOverduePublishParksTheWritesBehindIt() async throws {
        let flaky = FlakyLog()
        let lot = InMemoryParkingLot()
        flaky.delay.withLock { $0 = .seconds(3) }  // the producer fell behind
        let log = await parking(flaky, lot, deadline: .milliseconds(100))
        #expect(try await log.take(topic: "items", key: "a", value: [1], headers: [:]) == .parked)
        #expect(log.counts.overdue == 1)
        // The broker takes records quickly again: the drain re-publishes "a", which clears
        // the failure the deadline left; the first publish of "a" is still in the producer.
        flaky.delay.withLock { $0 = nil }
        try await waitUntil { try await lot.count() == 0 && log.counts.republished == 1 }
        #expect(log.counts.overdue == 1)
        // Another item's write does not join the producer's backlog: it parks at once.
        #expect(try await log.take(topic: "items", key: "b", value: [2], headers: [:]) == .parked)
        // Once the late publish is answered, writes go straight to the broker again.
        try await waitUntil {
            let empty = try await lot.count() == 0
            return empty && log.counts.overdue == 0
        }
        #expect(try await log.take(topic: "items", key: "c", value: [3], headers: [:]) != .parked)
        let text = String(
            decoding: await Dispatcher(
                log: log, fraudList: InMemoryFraudList(), workers: WorkerRegistry(onEvict: { _ in })
            ).router.handle(HTTPRequest(method: .get, target: "/metrics", path: "/metrics")).body,
            as: UTF8.self)
        #expect(text.contains("pawnshop_publishes_overdue 0"), "\(text)")
        await log.stop()
    }

    @Test(
        "/metrics reports the parking lot from memory: a broker that never answers does not hold up a scrape")
    func metricsDoNotWaitForTheBroker() async throws {
        /// A broker that refuses writes and never answers a reachability check.
        final class Unanswering: EventLog {
            func publish(topic: String, key: String, value: [UInt8], headers: [String: String])
                async throws(EventLogError) -> (partition: Int, offset: Int64)
            { throw EventLogError(.unavailable, "broker down") }
            func consumer(group: String, topics: [String]) async throws(EventLogError) -> any EventConsumer {
                throw EventLogError(.unavailable, "broker down")
            }
            func isReachable() async -> Bool {
                try? await Task.sleep(for: .seconds(60))
                return false
            }
        }
        // Not started: the background job would ask the broker, which never answers.
        let log = ParkingEventLog(
            inner: Unanswering(), lot: InMemoryParkingLot(), owner: "one", deadline: .milliseconds(100),
            log: { _ in })
        #expect(try await log.take(topic: "items", key: "a", value: [1], headers: [:]) == .parked)
        let dispatcher = Dispatcher(
            log: log, fraudList: InMemoryFraudList(), workers: WorkerRegistry(onEvict: { _ in }))
        let router = dispatcher.router
        let scrape = Task {
            await router.handle(HTTPRequest(method: .get, target: "/metrics", path: "/metrics"))
        }
        // A hang detector, not a speed check: the old /metrics asked the broker first.
        let timedOut = Locked(false)
        let watchdog = Task {
            try await Task.sleep(for: .seconds(20))
            timedOut.withLock { $0 = true }
            scrape.cancel()
        }
        let text = String(decoding: await scrape.value.body, as: UTF8.self)
        watchdog.cancel()
        #expect(!timedOut.withLock { $0 }, "/metrics waited for the broker")
        #expect(text.contains("pawnshop_parked_events 1"), "\(text)")
        #expect(text.contains("pawnshop_parked_events_total 1"), "\(text)")
        await log.stop()
    }

    @Test("records an earlier run left in the lot are re-published at start")
    func leftoversAtStart() async throws {
        let lot = InMemoryParkingLot()
        var record = Wire.ParkedRecord()
        record.topic = "items"
        record.key = "k"
        record.value = [7]
        try await lot.append(record.serializedBytes(), item: "k")
        try await lot.append([0xFF, 0xFF], item: "")  // unreadable: dead letters, not a stuck lot
        let flaky = FlakyLog()
        let log = await parking(flaky, lot, deadline: .seconds(1))
        try await waitUntil { try await lot.count() == 0 }
        #expect(try await flaky.records("items").map(\.value) == [[7]])
        await log.stop()
    }

    @Test("a record Kafka refuses for good goes to the dead letters; a closed producer drops nothing")
    func refusedAndClosed() async throws {
        let (flaky, lot, log) = await parkingBehindADownBroker()
        for n in 0..<3 {
            #expect(
                try await log.take(topic: "items", key: "k", value: [UInt8(n)], headers: [:])
                    == .parked)
        }
        flaky.mode.withLock { $0 = .closed }
        // The drainer meets a closed producer (a shutdown): it stops, the lot keeps all three.
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await lot.count() == 3)
        await log.stop()
        #expect(try await lot.count() == 3)

        flaky.mode.withLock { $0 = .refusing }
        let again = await parking(flaky, lot, deadline: .milliseconds(100))
        try await waitUntil { try await lot.count() == 0 }
        #expect(lot.buried.withLock { $0.count } == 3)
        #expect(again.counts.deadLetters == 3)
        await again.stop()
    }

    @Test(
        "an error of the producer, not of the record, moves nothing to the dead letters: the lot waits and drains once it is gone"
    )
    func producerFailuresAreRetriedNotBuried() async throws {
        let (flaky, lot, log) = await parkingBehindADownBroker()
        for n in 0..<3 {
            #expect(try await log.take(topic: "items", key: "k", value: [UInt8(n)], headers: [:]) == .parked)
        }
        flaky.mode.withLock { $0 = .fatal }
        try await Task.sleep(for: .milliseconds(500))
        #expect(lot.buried.withLock { $0.count } == 0, "a producer failure buried every parked record")
        #expect(try await lot.count() == 3)
        #expect(log.counts.deadLetters == 0)
        #expect(log.counts.republishError?.contains("fatal") == true)
        // A direct write meanwhile is parked behind them, not refused.
        #expect(try await log.take(topic: "items", key: "k", value: [3], headers: [:]) == .parked)
        flaky.mode.withLock { $0 = .working }
        try await waitUntil { try await lot.count() == 0 }
        #expect(try await flaky.records("items").map(\.value) == [[0], [1], [2], [3]])
        #expect(log.counts.republishError == nil)
        await log.stop()
    }

    @Test("the drain keeps many records in flight, never two of one item, and keeps each item's order")
    func theDrainIsBatchedAndKeepsEachItemsOrder() async throws {
        let (flaky, lot, log) = await parkingBehindADownBroker()
        // 10 items, 30 records each, interleaved.
        for n in 0..<300 {
            #expect(
                try await log.take(
                    topic: "items", key: "item-\(n % 10)", value: [UInt8(n / 10)], headers: [:])
                    == .parked)
        }
        flaky.delay.withLock { $0 = .milliseconds(20) }
        flaky.mode.withLock { $0 = .working }
        try await waitUntil { try await lot.count() == 0 }
        let records = try await flaky.records("items")
        #expect(records.count == 300)
        for item in 0..<10 {
            #expect(records.filter { $0.key == "item-\(item)" }.map(\.value) == (0..<30).map { [UInt8($0)] })
        }
        let most = flaky.inFlight.withLock { $0.most }
        #expect(most == 10, "at most one record per item in flight, and all ten items at once: \(most)")
        await log.stop()
    }

    /// Parks record *n* of item `keys[n]` (value `[n]`) behind a down broker, brings the
    /// broker back with every publish taking `delay`, and waits until the lot is empty: the
    /// values published on `items`, in order, and the parking log's lines.
    func drainAfterAnOutage(keys: [String], lease: Duration, delay: Duration, timeout: Duration)
        async throws -> (published: [[UInt8]], lines: [String])
    {
        let flaky = FlakyLog()
        let lot = InMemoryParkingLot()
        flaky.mode.withLock { $0 = .failing }
        let lines = Locked<[String]>([])
        let log = await parking(flaky, lot, deadline: .milliseconds(100), lease: lease, lines: lines)
        for (n, key) in keys.enumerated() {
            #expect(try await log.take(topic: "items", key: key, value: [UInt8(n)], headers: [:]) == .parked)
        }
        flaky.delay.withLock { $0 = delay }
        flaky.mode.withLock { $0 = .working }
        try await waitUntil(timeout: timeout) { try await lot.count() == 0 }
        await log.stop()
        return (try await flaky.records("items").map(\.value), lines.withLock { $0 })
    }

    @Test("a round that outlasts the lease keeps it while its publishes go through: every record once")
    func aLongRoundKeepsItsLease() async throws {
        // One item, 50 records of 300 ms each: a 15 s chain against a 10 s lease, renewed every
        // 3.3 s. (With 600 ms, 2 s and 4 s leases the renewal came too late now and then in the
        // whole suite: on two cores, other tests held the cooperative pool for seconds — a 12 s
        // chain once took 28 s. Without the renewal during the round, any lease shorter than it
        // fails.)
        let (published, lines) = try await drainAfterAnOutage(
            keys: Array(repeating: "ring", count: 50), lease: .seconds(10), delay: .milliseconds(300),
            timeout: .seconds(90))
        #expect(published == (0..<50).map { [UInt8($0)] })
        #expect(!lines.contains { $0.contains("lost the lease") }, "\(lines)")
    }

    @Test(
        "a drainer paused past its lease while no other replica took it keeps the lot: removes what it published, nothing twice"
    )
    func aLapsedLeaseNobodyTookStillHolds() async throws {
        // Each acknowledgement comes after the whole lease: what a starved cooperative pool or
        // a stopped process does to the renewals (under TSan's whole suite, rounds were fenced
        // off this way and every record went out twice, with no other replica about).
        let (published, lines) = try await drainAfterAnOutage(
            keys: (0..<4).map { "item-\($0)" }, lease: .milliseconds(200), delay: .milliseconds(600),
            timeout: .seconds(60))
        #expect(published.sorted { $0[0] < $1[0] } == [[0], [1], [2], [3]])
        #expect(!lines.contains { $0.contains("lost the lease") }, "\(lines)")
    }

    @Test("records of a topic without order (audit records) are not chained behind their item's events")
    func unorderedTopicsAreNotChained() async throws {
        let (flaky, lot) = (FlakyLog(), InMemoryParkingLot())
        flaky.mode.withLock { $0 = .failing }
        let log = ParkingEventLog(
            inner: flaky, lot: lot, owner: "one", deadline: .milliseconds(100), poll: .milliseconds(20),
            orderedTopics: ["items"], log: { _ in })
        await log.start()
        for n in 0..<20 {
            let topic = n % 2 == 0 ? "items" : "audit"
            #expect(
                try await log.take(topic: topic, key: "item-\(n / 4)", value: [UInt8(n)], headers: [:])
                    == .parked)
        }
        flaky.delay.withLock { $0 = .milliseconds(50) }
        flaky.mode.withLock { $0 = .working }
        try await waitUntil { try await lot.count() == 0 }
        // Five items with two ordered records each, ten audit records: the audits and the
        // first record of each item all at once.
        let most = flaky.inFlight.withLock { $0.most }
        #expect(most == 15, "\(most)")
        #expect(try await flaky.records("items").filter { $0.key == "item-0" }.map(\.value) == [[0], [2]])
        await log.stop()
    }

    @Test(
        "once Kafka is back, only an item with parked records parks behind them; other items go straight to Kafka"
    )
    func onlyAnItemWithParkedRecordsParks() async throws {
        let (flaky, lot, log) = await parkingBehindADownBroker(deadline: .milliseconds(500))
        // While Kafka is away every write parks at once (no waiting out the deadline).
        for n in 0..<20 {
            #expect(try await log.take(topic: "items", key: "a", value: [UInt8(n)], headers: [:]) == .parked)
        }
        #expect(try await log.take(topic: "items", key: "c", value: [0], headers: [:]) == .parked)
        // Back, but slow: a's twenty records drain one after another (40 ms each).
        flaky.delay.withLock { $0 = .milliseconds(40) }
        flaky.mode.withLock { $0 = .working }
        // Once the first of them went through (the chain takes 800 ms in all), a still has
        // records in the lot, and Kafka is known to be back.
        try await waitUntil { flaky.inFlight.withLock { $0.most } > 0 }
        try await Task.sleep(for: .milliseconds(100))
        let other = try await log.take(topic: "items", key: "b", value: [9], headers: [:])
        let same = try await log.take(topic: "sell-actions", key: "a", value: [99], headers: [:])
        if case .published = other {} else { Issue.record("b parked behind a: \(other)") }
        #expect(same == .parked, "a's write overtook its parked records")
        try await waitUntil { try await lot.count() == 0 }
        #expect(
            try await flaky.records("items").filter { $0.key == "a" }.map(\.value)
                == (0..<20).map { [UInt8($0)] })
        #expect(try await flaky.records("sell-actions").map(\.value) == [[99]])
        let third = try await log.take(topic: "items", key: "a", value: [100], headers: [:])
        if case .published = third {
        } else {
            Issue.record("a still parks after its records drained: \(third)")
        }
        await log.stop()
    }

    @Test("with neither Kafka nor the lot, the write fails (no 202 for an event that is nowhere)")
    func nowhereToPark() async throws {
        /// A lot that says nothing is parked but takes nothing either.
        struct BrokenLot: ParkingLot {
            let answers: Bool
            func fail() throws(ParkingLotError) { throw ParkingLotError("redis down") }
            func append(_ record: [UInt8], item: String) async throws(ParkingLotError) { try fail() }
            func first(_ count: Int) async throws(ParkingLotError) -> [[UInt8]] { [] }
            func removeFirst(_ items: [String], holding lease: ParkingLease) async throws(ParkingLotError)
                -> Bool
            {
                false
            }
            func holdsRecords(of item: String) async throws(ParkingLotError) -> Bool {
                if !answers { try fail() }
                return false
            }
            func count() async throws(ParkingLotError) -> Int { 0 }
            func bury(_ record: [UInt8]) async throws(ParkingLotError) {}
            func deadLetters(_ count: Int) async throws(ParkingLotError) -> (records: [[UInt8]], total: Int) {
                ([], 0)
            }
            func redrive(_ heads: [(record: [UInt8], item: String)]) async throws(ParkingLotError) -> Int {
                0
            }
            func acquireLease(owner: String, duration: Duration) async throws(ParkingLotError)
                -> ParkingLease?
            {
                nil
            }
            func renew(_ lease: ParkingLease, duration: Duration) async throws(ParkingLotError) -> Bool {
                false
            }
            func release(_ lease: ParkingLease) async throws(ParkingLotError) {}
            var description: String { "broken" }
        }
        let flaky = FlakyLog()
        flaky.mode.withLock { $0 = .failing }
        let log = ParkingEventLog(
            inner: flaky, lot: BrokenLot(answers: true), owner: "one", deadline: .milliseconds(100),
            log: { _ in })
        await #expect(throws: EventLogError.self) {
            _ = try await log.take(topic: "items", key: "k", value: [1], headers: [:])
        }
        // A lot that cannot say whether the item has parked events: refused, even with Kafka
        // up, since going straight to Kafka could overtake them.
        flaky.mode.withLock { $0 = .working }
        let blind = ParkingEventLog(
            inner: flaky, lot: BrokenLot(answers: false), owner: "one", deadline: .milliseconds(100),
            log: { _ in })
        await #expect(throws: EventLogError.self) {
            _ = try await blind.take(topic: "items", key: "k", value: [1], headers: [:])
        }
        #expect(try await flaky.records("items").isEmpty)
    }

    @Test(
        "replicas share one lot: a write of an item another replica parked parks behind it; a lot whose drainer stalls is adopted once its lease expires, and the stalled drainer removes nothing"
    )
    func replicasShareOneLot() async throws {
        let lot = InMemoryParkingLot()
        let (downA, upB) = (FlakyLog(), FlakyLog())
        // a's Kafka hangs (a paused process): a parks, takes the lease, and its first drain
        // round hangs, so it never renews its 3 s lease. b's lease outlasts the test, so that
        // b, once it adopted the lot, keeps it even on a loaded machine.
        downA.mode.withLock { $0 = .paused }
        let linesOfA = Locked<[String]>([])
        let a = await parking(
            downA, lot, owner: "a", deadline: .milliseconds(100), lease: .seconds(3), lines: linesOfA)
        for n in 0..<5 {
            #expect(try await a.take(topic: "items", key: "x", value: [UInt8(n)], headers: [:]) == .parked)
        }
        let b = await parking(upB, lot, owner: "b", deadline: .milliseconds(500), lease: .seconds(30))
        // b's Kafka works, but x has records parked by a: x's write parks behind them.
        #expect(try await b.take(topic: "sell-actions", key: "x", value: [5], headers: [:]) == .parked)
        let other = try await b.take(topic: "items", key: "y", value: [0], headers: [:])
        if case .published = other {} else { Issue.record("y parked although nothing of it was: \(other)") }
        #expect(try await lot.count() == 6, "b drained while a held the lease")
        // a's lease runs out; b adopts the lot and drains it in order.
        try await waitUntil { try await lot.count() == 0 }
        #expect(
            try await upB.records("items").filter { $0.key == "x" }.map(\.value)
                == (0..<5).map { [UInt8($0)] })
        #expect(try await upB.records("sell-actions").map(\.value) == [[5]])
        // While b's Kafka is away, b parks w; then a wakes up and finishes its stale round:
        // fenced off, it removes nothing (w's records stay until b drains them).
        upB.mode.withLock { $0 = .failing }
        for n in 0..<4 {
            #expect(try await b.take(topic: "items", key: "w", value: [UInt8(n)], headers: [:]) == .parked)
        }
        downA.mode.withLock { $0 = .working }
        try await waitUntil { linesOfA.withLock { $0.contains { $0.contains("lost the lease") } } }
        #expect(try await lot.count() == 4, "a drainer that lost its lease removed records")
        upB.mode.withLock { $0 = .working }
        try await waitUntil { try await lot.count() == 0 }
        #expect(
            try await upB.records("items").filter { $0.key == "w" }.map(\.value)
                == (0..<4).map { [UInt8($0)] })
        #expect(try await lot.holdsRecords(of: "x") == false)
        await a.stop()
        await b.stop()
    }

    @Test("the fraud cache: fail closed by default, fail open on request, last list kept through an outage")
    func fraudCache() async throws {
        let store = FlakyFraudStore()
        store.down.withLock { $0 = true }
        let closed = CachedFraudList(store: store, refreshInterval: .milliseconds(50), log: { _ in })
        let open = CachedFraudList(
            store: store, refreshInterval: .milliseconds(50), fallback: .failOpen, log: { _ in })
        #expect(await closed.start() == false)
        #expect(await open.start() == false)
        await #expect(throws: FraudListError.self) { _ = try await closed.contains("eve") }
        #expect(try await open.contains("eve") == false)
        #expect(!closed.status!.loaded && closed.status!.stale && closed.status!.names == 0)

        store.down.withLock { $0 = false }
        store.names.withLock { $0 = ["eve"] }
        try await waitUntil { closed.status!.loaded }
        #expect(try await closed.contains(" EVE ") == true)
        store.down.withLock { $0 = true }
        try await waitUntil { closed.status!.stale }
        #expect(try await closed.contains("eve") == true, "an outage forgot the list")
        #expect(try await closed.contains("bob") == false)
        closed.stop()
        open.stop()
    }

}
