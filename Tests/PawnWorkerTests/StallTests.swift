import PawnDomain
import PawnIO
import PawnPorts
import PawnProtocol
import PawnTestSupport
import PawnWire
import PawnWorker
import Testing

/// A log whose consumer hands nothing over while it says records wait: a pipeline stuck
/// somewhere below the worker (a partition whose records never arrive, say).
final class StuckLog: EventLog {
    final class Consumer: EventConsumer {
        let lag = Locked<[TopicPartition: Int64]>([TopicPartition(topic: "items", partition: 0): 3])
        func poll(maxRecords: Int, timeout: Duration) async throws(EventLogError) -> [LogRecord] {
            try? await Task.sleep(for: timeout)
            return []
        }
        func commit(_ offsets: [TopicPartition: Int64]) async throws(EventLogError) {}
        func assignment() async -> [TopicPartition] { [TopicPartition(topic: "items", partition: 0)] }
        func progress() -> ConsumerProgress {
            let lag = self.lag.withLock { $0 }
            return ConsumerProgress(
                lag: lag, held: lag.isEmpty ? 0 : 1, oldestHeld: lag.isEmpty ? nil : .seconds(2))
        }
        func close() async {}
    }
    let member = Consumer()
    func publish(topic: String, key: String, value: [UInt8], headers: [String: String])
        async throws(EventLogError) -> (partition: Int, offset: Int64)
    { (0, 0) }
    func consumer(group: String, topics: [String]) async throws(EventLogError) -> any EventConsumer { member }
    func isReachable() async -> Bool { true }
}

@Suite("Worker stalls are visible")
struct StallTests {
    @Test func aWorkerWhoseRecordsWaitWithNothingAppliedReportsAStallAndItsEnd() async throws {
        let log = StuckLog()
        let lines = Locked<[String]>([])
        let worker = Worker(
            id: "w-stuck", log: log, store: InMemoryItemStore(), stallThreshold: .milliseconds(200),
            report: { line in lines.withLock { $0.append(line) } })
        try await worker.start()
        #expect(!worker.pipelineStatus().stalled, "stalled before the threshold")
        for _ in 0..<100 where !lines.withLock({ $0.contains { $0.contains("stalled") } }) {
            try await Task.sleep(for: .milliseconds(20))
        }
        let status = worker.pipelineStatus()
        #expect(status.stalled && status.totalLag == 3 && status.held == 1)
        #expect(status.oldestUnapplied == .seconds(2))
        let stalledLine = lines.withLock { $0.first { $0.contains("stalled") } }
        #expect(stalledLine?.contains("3 records wait") == true, "\(lines.withLock { $0 })")
        #expect(stalledLine?.contains("items[0] 3") == true)
        // Caught up: nothing waits any more, so nothing is stalled.
        log.member.lag.withLock { $0 = [:] }
        for _ in 0..<100 where !lines.withLock({ $0.contains { $0.contains("moving again") } }) {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(lines.withLock { $0.last?.contains("moving again") == true })
        await worker.stop()
    }

    @Test func anIdleWorkerIsNotStalled() async throws {
        let log = InMemoryEventLog(partitions: 2)
        let worker = Worker(
            id: "w-idle", log: log, store: InMemoryItemStore(), stallThreshold: .milliseconds(50),
            report: { _ in })
        try await worker.start()
        try await Task.sleep(for: .milliseconds(300))
        #expect(!worker.pipelineStatus().stalled)
        await worker.stop()
    }

    @Test func writesReachTheStoreWhileNoDispatcherAnswers() async throws {
        // The worker joins a dispatcher that is not there; its pipeline must not wait for it.
        let log = InMemoryEventLog(partitions: 2)
        let store = InMemoryItemStore()
        let group = try EventLoopGroup(loopCount: 1)
        let node = try WorkerNode(
            id: "w-alone", log: log, store: store, group: group, port: 0, dispatcher: ("127.0.0.1", 1),
            token: "t")
        let starting = Task { try await node.start() }
        let event = Event(
            eventId: "e-alone", itemId: "lamp",
            action: .add(AddItem(name: "Lamp", category: .decoration, price: 10, condition: .good)))
        let (topic, value) = WireMapping.record(for: event)
        _ = try await log.publish(
            topic: topic, key: event.itemId, value: value, headers: [Topics.eventIdHeader: event.eventId])
        for _ in 0..<250 where store.counts.events < 1 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(store.counts.events == 1, "the write waited for a dispatcher")
        starting.cancel()
        await node.stop()
        group.shutdown()
    }

    @Test("a node stopped while it is still starting stops for good: nothing resolves or joins after stop()")
    func stopWhileStarting() async throws {
        let group = try EventLoopGroup(loopCount: 1)
        for round in 0..<20 {
            let reports = Locked<[String]>([])
            let stopped = Locked(false)
            let node = try WorkerNode(
                id: "w-brief-\(round)", log: InMemoryEventLog(partitions: 1), store: InMemoryItemStore(),
                group: group, port: 0, dispatchers: [("127.0.0.1", 1)], token: "t",
                resolveEvery: .milliseconds(20),
                report: { line in if stopped.withLock({ $0 }) { reports.withLock { $0.append(line) } } })
            let starting = Task { try await node.start() }
            await node.stop()
            stopped.withLock { $0 = true }
            starting.cancel()
            try await Task.sleep(for: .milliseconds(100))
            #expect(reports.withLock { $0 }.isEmpty, "round \(round): \(reports.withLock { $0 })")
            #expect(
                node.dispatcherAddresses.isEmpty, "round \(round): still joining \(node.dispatcherAddresses)")
        }
        group.shutdown()
    }
}
