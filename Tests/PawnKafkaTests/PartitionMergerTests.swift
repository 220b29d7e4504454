import PawnPorts
import Testing

@testable import PawnKafka

/// The consumer's merge of an item's records across topics (no broker needed).
@Suite("Partition merger")
struct PartitionMergerTests {
    let items = TopicPartition(topic: "items", partition: 2)
    let buys = TopicPartition(topic: "buy-actions", partition: 2)
    let otherNumber = TopicPartition(topic: "items", partition: 3)

    func record(_ partition: TopicPartition, _ offset: Int64, key: String, sequence: Int64) -> LogRecord {
        LogRecord(
            topic: partition.topic, partition: partition.partition, offset: offset, key: key, value: [],
            headers: ["seq": String(sequence)])
    }

    func merger() -> PartitionMerger {
        var merger = PartitionMerger(sequenceHeader: "seq", window: .milliseconds(300))
        merger.assign([items, buys, otherNumber])
        return merger
    }

    @Test func aBuyWaitsForTheAddThatArrivesLater() {
        var merger = merger()
        merger.append(record(buys, 0, key: "ring", sequence: 2_000_000))
        merger.reachedEnd(items, offset: 0)
        // The add is not here yet and the buy is recent: an idle sibling cannot vouch for it.
        #expect(merger.takeReady(limit: 10, now: 2_100_000) { _ in 0 }.isEmpty)
        merger.append(record(items, 0, key: "ring", sequence: 1_000_000))
        // Once the window has passed and items is read to its end, both go, the add first.
        let ready = merger.takeReady(limit: 10, now: 2_400_000) { _ in 1 }
        #expect(ready.map(\.topic) == ["items", "buy-actions"])
        #expect(merger.count == 0)
    }

    @Test func aRepublishedRecordWaitsFromWhenItWasAppendedNotAccepted() {
        // Parked while Kafka was down: accepted at 1 s and 2 s, re-published at 600 s.
        var merger = merger()
        var buy = record(buys, 0, key: "ring", sequence: 2_000_000)
        buy.timestamp = 600_000  // milliseconds
        merger.append(buy)
        merger.reachedEnd(items, offset: 0)
        // Its sequence is old, but it was appended 100 ms ago: the add, re-published just
        // before it, may not have been fetched yet.
        #expect(merger.takeReady(limit: 10, now: 600_100_000) { _ in 0 }.isEmpty)
        var add = record(items, 0, key: "ring", sequence: 1_000_000)
        add.timestamp = 599_999
        merger.append(add)
        // The add goes; the buy waits out the window from its own append time.
        #expect(merger.takeReady(limit: 10, now: 600_100_000) { _ in 1 }.map(\.topic) == ["items"])
        #expect(merger.takeReady(limit: 10, now: 600_400_000) { _ in 1 }.map(\.topic) == ["buy-actions"])
    }

    @Test func aSiblingRecordAcceptedWhileOursWasParkedVouchesForNothing() {
        // Item X's buy was accepted at 2 s and parked; item Y's add, accepted at 2.5 s by
        // another dispatcher, went straight to items. X's add is re-published at 600 s.
        var merger = merger()
        var buy = record(buys, 0, key: "x", sequence: 2_000_000)
        buy.timestamp = 600_000
        merger.append(buy)
        merger.append(record(items, 0, key: "y", sequence: 2_500_000))
        let first = merger.takeReady(limit: 10, now: 600_010_000) { _ in 2 }
        #expect(first.map(\.key) == ["y"], "the buy went before its add could arrive")
        var add = record(items, 1, key: "x", sequence: 1_000_000)
        add.timestamp = 599_999
        merger.append(add)
        #expect(merger.takeReady(limit: 10, now: 600_400_000) { _ in 2 }.map(\.key) == ["x", "x"])
    }

    @Test func anIdleSiblingVouchesOnceCaughtUpAndTheWindowPassed() {
        var merger = merger()
        merger.append(record(buys, 0, key: "ring", sequence: 1_000_000))
        merger.reachedEnd(items, offset: 5)
        // Caught up (position 5 = high watermark 5) but too recent.
        #expect(merger.takeReady(limit: 10, now: 1_100_000) { _ in 5 }.isEmpty)
        // Behind the watermark: a record may still come.
        #expect(merger.takeReady(limit: 10, now: 2_000_000) { _ in 6 }.isEmpty)
        #expect(merger.takeReady(limit: 10, now: 2_000_000) { _ in 5 }.count == 1)
    }

    @Test func aLaterRecordOnTheSiblingProvesNothingEarlierIsMissing() {
        var merger = merger()
        merger.append(record(items, 7, key: "lamp", sequence: 3_000_000))
        merger.append(record(buys, 0, key: "ring", sequence: 2_000_000))
        // items delivered sequence 3 s, so everything appended before 2 s came before it.
        let ready = merger.takeReady(limit: 10, now: 2_000_001) { _ in nil }
        #expect(ready.map(\.key) == ["ring"])
        // The lamp (3 s) waits: buy-actions has shown nothing that late, and cannot vouch yet.
        #expect(merger.count == 1)
    }

    @Test func partitionsOfAnotherNumberDoNotHoldRecordsBack() {
        var merger = merger()
        merger.append(record(otherNumber, 0, key: "vase", sequence: 1_000_000))
        #expect(merger.takeReady(limit: 10, now: 1_000_001) { _ in nil }.count == 1)
    }

    @Test func aHeldRecordHoldsBackTheRestOfItsPartitionAndRevokeDropsThem() {
        var merger = merger()
        merger.append(record(buys, 0, key: "ring", sequence: 2_000_000))
        merger.append(record(buys, 1, key: "lamp", sequence: 500_000))
        #expect(merger.takeReady(limit: 10, now: 2_000_100) { _ in nil }.isEmpty)
        merger.revoke([buys])
        #expect(merger.count == 0 && !merger.assignment.contains(buys))
    }
}
