import PawnDomain
import PawnPorts
import PawnTestSupport
import PawnWire
import PawnWorker
import Testing

@Suite("Worker")
struct WorkerTests {
    func publish(_ log: InMemoryEventLog, _ event: Event, sequence: Int) async throws {
        let (topic, value) = WireMapping.record(for: event)
        _ = try await log.publish(
            topic: topic, key: event.itemId, value: value,
            headers: [Topics.eventIdHeader: event.eventId])
    }

    /// Random, plausible events over a few items (some will be rejected).
    func randomEvents(count: Int, seed: UInt64) -> [Event] {
        var rng = SeededGenerator(seed: seed)
        let day = CalendarDate(iso8601: "2024-01-01")!
        return (0..<count).map { index in
            let itemId = "item-\(Int.random(in: 0..<20, using: &rng))"
            let date = day.adding(days: index / 10)!
            let client = ["ana", "ben"].randomElement(using: &rng)!
            let action: Action =
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: .add(AddItem(name: "thing", category: .motor, price: 1_000, condition: .good))
                case 1: .sell(Sell(clientId: client, price: 1_500, date: date))
                case 2: .buy(Buy(clientId: client, price: 900, date: date))
                case 3:
                    .pawn(
                        Pawn(clientId: client, principal: 500, interestPercent: 5, limitDays: 3, date: date))
                case 4: .redeem(Redeem(clientId: client, date: date))
                default: .forfeit(Forfeit(date: date))
                }
            return Event(eventId: "e-\(index)", itemId: itemId, action: action)
        }
    }

    /// What the items must look like: the events replayed through the state machine.
    func replay(_ events: [Event]) -> [String: Item] {
        var items: [String: Item] = [:]
        for event in events {
            if case .success(let item) = apply(items[event.itemId], event) { items[event.itemId] = item }
        }
        return items
    }

    @Test("two workers apply 2,000 events: every item matches a replay, every event recorded once")
    func twoWorkersMatchAReplay() async throws {
        let log = InMemoryEventLog(partitions: 8)
        let store = InMemoryItemStore()
        let workers = [Worker(id: "w1", log: log, store: store), Worker(id: "w2", log: log, store: store)]
        for worker in workers { try await worker.start() }
        let events = randomEvents(count: 2_000, seed: 42)
        for (index, event) in events.enumerated() { try await publish(log, event, sequence: index + 1) }
        try await waitUntil { store.counts.events == events.count }
        for worker in workers { await worker.stop() }

        let expected = replay(events)
        for (id, item) in expected { #expect(try await store.item(id: id) == item) }
        #expect(store.counts.items == expected.count)
        #expect(workers.map { $0.applied.current + $0.rejected.current }.reduce(0, +) == events.count)
    }

    @Test("a worker that dies before committing: the next one redoes the batch without duplicates")
    func crashBeforeCommit() async throws {
        let log = InMemoryEventLog(partitions: 2)
        let store = InMemoryItemStore()
        let events = randomEvents(count: 300, seed: 7)
        for (index, event) in events.enumerated() { try await publish(log, event, sequence: index + 1) }

        // The first worker applies part of what it reads and stops without committing.
        let consumer = try await log.consumer(group: "pawnshop-workers", topics: Topics.actionTopics)
        let batch = try await consumer.poll(maxRecords: 120, timeout: .milliseconds(100))
        let crashed = Worker(id: "crashed", log: log, store: store)
        _ = try await crashed.process(Array(batch.prefix(80)))
        await consumer.close()

        let survivor = Worker(id: "survivor", log: log, store: store)
        try await survivor.start()
        try await waitUntil { store.counts.events == events.count }
        await survivor.stop()
        #expect(store.counts.events == events.count)
        for (id, item) in replay(events) { #expect(try await store.item(id: id) == item) }
        #expect(survivor.applied.current + survivor.rejected.current == events.count - 80)
    }

    func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<1_000 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("timed out")
    }

    @Test("events by outcome, rejections by code, batch sizes and store times, labelled with the worker")
    func countsEveryOutcome() async throws {
        let log = InMemoryEventLog(partitions: 2)
        let store = InMemoryItemStore()
        let first = Worker(id: "w1", log: log, store: store)
        try await first.start()
        let day = CalendarDate(iso8601: "2024-01-01")!
        let events = [
            Event(
                eventId: "m-1", itemId: "m-item",
                action: .add(AddItem(name: "lamp", category: .decoration, price: 1_000, condition: .good))),
            Event(eventId: "m-2", itemId: "m-item", action: .redeem(Redeem(clientId: "ana", date: day))),
            Event(eventId: "m-3", itemId: "m-ghost", action: .forfeit(Forfeit(date: day))),
        ]
        for event in events {
            let (topic, value) = WireMapping.record(for: event)
            _ = try await log.publish(
                topic: topic, key: event.itemId, value: value, headers: [Topics.eventIdHeader: event.eventId])
        }
        try await waitUntil { store.counts.events == 3 }
        await first.stop()
        var codes: [String] = []
        for id in ["m-2", "m-3"] {
            guard case .rejected(let rejection)? = try await store.event(id: id)?.outcome else {
                Issue.record("\(id) was not rejected")
                return
            }
            codes.append(rejection.code.rawValue)
        }
        let text = first.metrics.render()
        #expect(text.contains(#"pawnshop_worker_events_total{worker="w1",outcome="applied"} 1.0"#), "\(text)")
        #expect(
            text.contains(#"pawnshop_worker_events_total{worker="w1",outcome="rejected"} 2.0"#), "\(text)")
        for code in Set(codes) {
            let count = codes.filter { $0 == code }.count
            #expect(
                text.contains(#"pawnshop_worker_rejections_total{worker="w1",code="\#(code)"} \#(count).0"#))
        }
        #expect(text.contains("# TYPE pawnshop_worker_batch_size histogram"))
        #expect(text.contains(#"pawnshop_worker_batch_size_sum{worker="w1"} 3.0"#), "\(text)")
        #expect(
            text.contains(#"pawnshop_worker_store_write_duration_seconds_count{worker="w1",store="memory"}"#))

        // Another group takes the same records again: each is a replay, nothing changes.
        let second = Worker(id: "w2", log: log, store: store, group: "again")
        try await second.start()
        try await waitUntil {
            second.metrics.render().contains(
                #"pawnshop_worker_events_total{worker="w2",outcome="replay"} 3.0"#)
        }
        await second.stop()
        #expect(!second.metrics.render().contains(#"outcome="applied"} 1"#))
    }
}
