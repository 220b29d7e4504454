import PawnIO
import PawnPorts

/// Puts the records of one item back in order across topics.
///
/// An item's events are spread over several topics (one per action), on partition *n* of
/// each (the same key, the same partition count, the same partitioner). Kafka keeps order
/// within a partition only, and a consumer fetches partitions independently, so a buy may
/// arrive before the add it follows. Every record carries a sequence — the dispatcher's
/// accept time in microseconds — and a client only sends an item's next action after the
/// previous one was acknowledged, so its predecessor was appended before its sequence was
/// taken. A record is released once nothing before it can still arrive on partition *n*
/// of the other topics:
///
/// - no buffered record of the same key there has a smaller sequence, and
/// - each of those partitions either delivered a record with a sequence at least as large as
///   the record's append time (it was appended later, so everything appended before was
///   delivered before it), or has
///   been read to its high watermark and the record was appended longer than `window` ago
///   (so that the watermark, which librdkafka refreshes with every fetch, covers the time
///   the record was appended; its predecessor was appended before it). "Appended" is the
///   later of the sequence and the record's Kafka timestamp: an event parked while Kafka
///   was down keeps its old sequence but is appended (re-published) much later, after its
///   predecessor was re-published.
///
/// Records leave each partition in offset order, so committing the largest offset returned
/// per partition never skips one.
struct PartitionMerger {
    /// Records per partition, in offset order, not yet returned.
    private var queues: [TopicPartition: [LogRecord]] = [:]
    /// The latest append time (see ``appended(_:)``) delivered per partition.
    private var largestSequence: [TopicPartition: Int64] = [:]
    /// The offset after the last record delivered, or the end reported, per partition.
    private var position: [TopicPartition: Int64] = [:]
    /// The partitions assigned to this member.
    private(set) var assignment: Set<TopicPartition> = []
    /// Records held.
    private(set) var count = 0
    /// The header with the sequence; without one, the record's timestamp.
    let sequenceHeader: String?
    /// How old (in microseconds) a record must be before an idle partition's watermark vouches for it.
    let window: Int64

    init(sequenceHeader: String?, window: Duration) {
        self.sequenceHeader = sequenceHeader
        self.window = window.microseconds
    }

    /// The record's sequence: the header's integer, or its timestamp in microseconds.
    func sequence(of record: LogRecord) -> Int64 {
        if let sequenceHeader, let text = record.headers[sequenceHeader], let value = Int64(text) {
            return value
        }
        return record.timestamp * 1_000
    }

    /// When the record reached Kafka, in microseconds: the later of its sequence (the
    /// dispatcher's accept time) and its Kafka timestamp (a parked record is re-published,
    /// so appended, long after it was accepted).
    func appended(_ record: LogRecord) -> Int64 { max(sequence(of: record), record.timestamp &* 1_000) }

    mutating func assign(_ partitions: [TopicPartition]) { assignment.formUnion(partitions) }

    /// Forgets `partitions` and their buffered records (their next owner reads them again).
    mutating func revoke(_ partitions: Set<TopicPartition>) {
        assignment.subtract(partitions)
        for partition in partitions {
            count -= queues.removeValue(forKey: partition)?.count ?? 0
            largestSequence[partition] = nil
            position[partition] = nil
        }
    }

    /// Takes a record as delivered by the consumer.
    mutating func append(_ record: LogRecord) {
        let partition = TopicPartition(topic: record.topic, partition: record.partition)
        queues[partition, default: []].append(record)
        count += 1
        largestSequence[partition] = max(largestSequence[partition] ?? .min, appended(record))
        position[partition] = max(position[partition] ?? .min, record.offset + 1)
    }

    /// Notes that the consumer read `partition` to its end, `offset`.
    mutating func reachedEnd(_ partition: TopicPartition, offset: Int64) {
        position[partition] = max(position[partition] ?? .min, offset)
    }

    /// Up to `limit` records that nothing can precede any more, in sequence order; `now` is
    /// the wall clock in microseconds, `highWatermark` librdkafka's last-known end of a partition.
    mutating func takeReady(limit: Int, now: Int64, highWatermark: (TopicPartition) -> Int64?) -> [LogRecord]
    {
        guard count > 0 else { return [] }
        var pending = smallestPendingSequences()
        var siblingsByNumber: [Int: [TopicPartition]] = [:]
        for partition in assignment { siblingsByNumber[partition.partition, default: []].append(partition) }
        var caughtUp: [TopicPartition: Bool] = [:]
        func isCaughtUp(_ partition: TopicPartition) -> Bool {
            if let known = caughtUp[partition] { return known }
            let answer: Bool
            if let position = position[partition], let high = highWatermark(partition) {
                answer = position >= high
            } else {
                answer = false
            }
            caughtUp[partition] = answer
            return answer
        }
        func isReady(_ record: LogRecord, _ sequence: Int64, on partition: TopicPartition) -> Bool {
            // When the record reached Kafka: a re-published record is appended long after
            // its sequence, so a sibling's record accepted in between proves nothing.
            let appended = appended(record)
            for sibling in siblingsByNumber[partition.partition] ?? [] where sibling != partition {
                if let earlier = pending[sibling]?[record.key], earlier < sequence { return false }
                if let largest = largestSequence[sibling], largest >= appended { continue }
                guard isCaughtUp(sibling), now - appended >= window else { return false }
            }
            return true
        }
        var ready: [(LogRecord, Int64)] = []
        // Passes until nothing more moves: taking an add in one pass frees its buy in the next.
        while ready.count < limit {
            let before = ready.count
            for partition in queues.keys.sorted(by: { ($0.topic, $0.partition) < ($1.topic, $1.partition) }) {
                guard ready.count < limit, let queue = queues[partition] else { continue }
                var taken = 0
                while taken < queue.count && ready.count < limit {
                    let record = queue[taken]
                    let sequence = sequence(of: record)
                    guard isReady(record, sequence, on: partition) else { break }
                    ready.append((record, sequence))
                    taken += 1
                }
                if taken > 0 {
                    queues[partition] = taken == queue.count ? nil : Array(queue[taken...])
                    count -= taken
                }
            }
            if ready.count == before || count == 0 { break }
            pending = smallestPendingSequences()
        }
        return ready.sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// The smallest sequence still held per partition and key.
    private func smallestPendingSequences() -> [TopicPartition: [String: Int64]] {
        var pending: [TopicPartition: [String: Int64]] = [:]
        for (partition, queue) in queues {
            var smallest: [String: Int64] = [:]
            for record in queue {
                smallest[record.key] = min(smallest[record.key] ?? .max, sequence(of: record))
            }
            pending[partition] = smallest
        }
        return pending
    }
}
