import PawnPorts
import Testing

@Suite("In-memory event log")
struct InMemoryEventLogTests {
    func publish(_ log: InMemoryEventLog, _ topic: String, _ key: String, _ value: String) async throws -> (
        Int, Int64
    ) {
        try await log.publish(topic: topic, key: key, value: Array(value.utf8), headers: ["eventId": value])
    }

    func values(_ records: [LogRecord]) -> [String] {
        records.map { String(decoding: $0.value, as: UTF8.self) }
    }

    @Test func keysChoosePartitionsAndOffsetsGrow() async throws {
        let log = InMemoryEventLog(partitions: 4)
        let (p1, o1) = try await publish(log, "items", "ring-1", "a")
        let (p2, o2) = try await publish(log, "items", "ring-1", "b")
        #expect(p1 == p2 && o1 == 0 && o2 == 1)
        // The same key lands on the same partition number in every topic.
        #expect(try await publish(log, "buy-actions", "ring-1", "c").0 == p1)
        let spread = Set((0..<100).map { log.partition(for: "key-\($0)") })
        #expect(spread == [0, 1, 2, 3])
    }

    @Test("a new group reads from the earliest offset; records of all topics come in append order")
    func earliestAndOrder() async throws {
        let log = InMemoryEventLog(partitions: 1)
        for (topic, value) in [("items", "1"), ("buy-actions", "2"), ("items", "3"), ("sell-actions", "4")] {
            _ = try await publish(log, topic, "k", value)
        }
        let consumer = try await log.consumer(group: "g", topics: ["items", "buy-actions", "sell-actions"])
        #expect(
            values(try await consumer.poll(maxRecords: 10, timeout: .milliseconds(10))) == [
                "1", "2", "3", "4",
            ])
        #expect(try await consumer.poll(maxRecords: 10, timeout: .milliseconds(10)).isEmpty)
        await consumer.close()
    }

    @Test("two members share the partitions, partition n of every topic to one member")
    func membersShare() async throws {
        let log = InMemoryEventLog(partitions: 4)
        let a = try await log.consumer(group: "g", topics: ["items", "buy-actions"])
        let b = try await log.consumer(group: "g", topics: ["items", "buy-actions"])
        let assignedA = await a.assignment()
        let assignedB = await b.assignment()
        #expect(assignedA.count == 4 && assignedB.count == 4)
        #expect(Set(assignedA).isDisjoint(with: assignedB))
        #expect(Set(assignedA.map(\.partition)).isDisjoint(with: assignedB.map(\.partition)))
        for index in 0..<40 {
            _ = try await publish(
                log, index % 2 == 0 ? "items" : "buy-actions", "key-\(index % 10)", "v\(index)")
        }
        let fromA = values(try await a.poll(maxRecords: 100, timeout: .milliseconds(10)))
        let fromB = values(try await b.poll(maxRecords: 100, timeout: .milliseconds(10)))
        #expect(fromA.count + fromB.count == 40)
        #expect(Set(fromA).isDisjoint(with: fromB))
        await a.close()
        await b.close()
    }

    @Test("what a member had not committed when it left goes to the next member")
    func redelivery() async throws {
        let log = InMemoryEventLog(partitions: 1)
        for index in 0..<5 { _ = try await publish(log, "items", "k", "v\(index)") }
        let first = try await log.consumer(group: "g", topics: ["items"])
        let batch = try await first.poll(maxRecords: 3, timeout: .milliseconds(10))
        #expect(values(batch) == ["v0", "v1", "v2"])
        // v0 and v1 are done.
        try await first.commit([TopicPartition(topic: "items", partition: 0): batch[1].offset])
        // Reads v3 and v4, and never commits them.
        _ = try await first.poll(maxRecords: 10, timeout: .milliseconds(10))
        await first.close()  // as if it crashed

        let second = try await log.consumer(group: "g", topics: ["items"])
        #expect(
            values(try await second.poll(maxRecords: 10, timeout: .milliseconds(10))) == ["v2", "v3", "v4"])
        #expect(log.committedOffset(group: "g", TopicPartition(topic: "items", partition: 0)) == 1)
        // Another group is independent and starts from the beginning.
        let other = try await log.consumer(group: "h", topics: ["items"])
        #expect(try await other.poll(maxRecords: 10, timeout: .milliseconds(10)).count == 5)
        await second.close()
        await other.close()
    }

    @Test func aCommitForAPartitionNoLongerOwnedIsIgnored() async throws {
        let log = InMemoryEventLog(partitions: 2)
        let a = try await log.consumer(group: "g", topics: ["items"])
        let b = try await log.consumer(group: "g", topics: ["items"])
        let ownedByB = try #require(await b.assignment().first)
        try await a.commit([ownedByB: 99])
        #expect(log.committedOffset(group: "g", ownedByB) == nil)
        await a.close()
        await b.close()
        await #expect(throws: EventLogError.self) { try await a.commit([ownedByB: 1]) }
    }

    @Test("poll wakes up as soon as a record is published")
    func pollWakesUp() async throws {
        let log = InMemoryEventLog(partitions: 1)
        let consumer = try await log.consumer(group: "g", topics: ["items"])
        // A poll that did not wake would answer after its timeout; the bound is half of it, so
        // that a loaded machine (TSan's whole suite took 2 s to wake it) cannot fail the test.
        async let polled = consumer.poll(maxRecords: 10, timeout: .seconds(120))
        try await Task.sleep(for: .milliseconds(50))
        let started = ContinuousClock.now
        _ = try await publish(log, "items", "k", "late")
        #expect(values(try await polled) == ["late"])
        #expect(ContinuousClock.now - started < .seconds(60), "the poll waited out its timeout")
        await consumer.close()
    }

    @Test func anUnreachableLogRefusesWrites() async throws {
        let log = InMemoryEventLog()
        log.setReachable(false)
        #expect(await log.isReachable() == false)
        await #expect(throws: EventLogError(.unavailable, "the in-memory event log is set unreachable")) {
            _ = try await publish(log, "items", "k", "v")
        }
        log.setReachable(true)
        _ = try await publish(log, "items", "k", "v")
    }
}
