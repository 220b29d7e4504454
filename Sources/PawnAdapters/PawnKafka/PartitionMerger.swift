import PawnPorts

/// Puts the records of one item back in the order they were published, across topics.
///
/// An item's events are spread over several topics (one per action), on partition *n* of
/// each. Kafka keeps order within a partition only, and a consumer fetches partitions
/// independently, so a buy may arrive before the add it follows. Each record carries a
/// barrier (see ``KafkaEventLog``): the high watermarks of its siblings — partition *n* of
/// the other ordered topics — taken after its predecessors were acknowledged and before it
/// was produced. A record is released once it is first in its partition and every sibling
/// has released everything below its mark there. That is exactly "every record published
/// before this one began has gone first"; no clock is read, the producers' or ours.
///
/// Barriers only point back in time (a mark was taken before its record existed), so the
/// waits cannot form a cycle and every record is released as soon as its siblings have
/// been fetched that far. A record without a barrier (published by another tool) waits for
/// nothing but its own partition.
///
/// The one exception is bounded: a record whose mark lies beyond a sibling's end — a
/// topic re-created, or records lost to an unclean leader election — would wait for
/// records that will never come; after ``giveUp`` on the consumer's clock it is released
/// and counted in ``gaveUp``.
///
/// Records leave each partition in offset order, so committing the largest offset returned
/// per partition never skips one.
struct PartitionMerger {
    /// A record waiting, with its parsed barrier and when it was fetched.
    private struct Held {
        let record: LogRecord
        let barrier: [String: Int64]?
        let fetched: ContinuousClock.Instant
    }

    /// Records per partition, in offset order, not yet returned.
    private var queues: [TopicPartition: [Held]] = [:]
    /// The offset after the last record delivered, or the end reported, per partition.
    private var position: [TopicPartition: Int64] = [:]
    /// Partitions whose last news was their end (no record since).
    private var atEnd: Set<TopicPartition> = []
    /// The partitions assigned to this member.
    private(set) var assignment: Set<TopicPartition> = []
    /// Records held.
    private(set) var count = 0
    /// Records released past a mark beyond a sibling's end, since start.
    private(set) var gaveUp = 0
    /// The header with the barrier.
    let barrierHeader: String?
    /// How long a record waits for a sibling that is at its end, below the record's mark.
    let giveUp: Duration

    init(barrierHeader: String?, giveUp: Duration = .seconds(60)) {
        self.barrierHeader = barrierHeader
        self.giveUp = giveUp
    }

    mutating func assign(_ partitions: [TopicPartition]) { assignment.formUnion(partitions) }

    /// Forgets `partitions` and their buffered records (their next owner reads them again).
    mutating func revoke(_ partitions: Set<TopicPartition>) {
        assignment.subtract(partitions)
        for partition in partitions {
            count -= queues.removeValue(forKey: partition)?.count ?? 0
            position[partition] = nil
            atEnd.remove(partition)
        }
    }

    /// Takes a record as delivered by the consumer, fetched at `fetched`.
    mutating func append(_ record: LogRecord, fetched: ContinuousClock.Instant = .now) {
        let partition = TopicPartition(topic: record.topic, partition: record.partition)
        let barrier = barrierHeader.flatMap { record.headers[$0] }.flatMap {
            KafkaBarrier(headerValue: $0)?.marks
        }
        queues[partition, default: []].append(Held(record: record, barrier: barrier, fetched: fetched))
        count += 1
        position[partition] = max(position[partition] ?? .min, record.offset + 1)
        atEnd.remove(partition)
    }

    /// Notes that the consumer read `partition` to its end, `offset`.
    mutating func reachedEnd(_ partition: TopicPartition, offset: Int64) {
        position[partition] = max(position[partition] ?? .min, offset)
        if queues[partition]?.last.map({ $0.record.offset < offset }) ?? true { atEnd.insert(partition) }
    }

    /// Records of `partition` held now.
    func held(_ partition: TopicPartition) -> Int { queues[partition]?.count ?? 0 }

    /// Partitions holding at least `count` records.
    func partitions(holdingAtLeast count: Int) -> [TopicPartition] {
        queues.compactMap { $0.value.count >= count ? $0.key : nil }
    }

    /// The first offset of `partition` not yet released, when known.
    func nextUnreleased(_ partition: TopicPartition) -> Int64? {
        queues[partition]?.first?.record.offset ?? position[partition]
    }

    /// When the oldest record held was fetched.
    /// (A closure, not the key path `\.first?.fetched`: the runtime projects that one with an
    /// overlapping memcpy, which AddressSanitizer stops the suite for.)
    var oldestFetched: ContinuousClock.Instant? { queues.values.compactMap { $0.first?.fetched }.min() }

    /// Up to `limit` records whose predecessors have all been released, in an order that
    /// keeps every item's publish order; `now` is the consumer's clock (for ``giveUp`` only).
    mutating func takeReady(limit: Int, now: ContinuousClock.Instant = .now) -> [LogRecord] {
        guard count > 0, limit > 0 else { return [] }
        var ready: [LogRecord] = []
        // Passes until nothing more moves: releasing an add in one partition frees the buy
        // waiting on it in another.
        var moved = true
        while moved && ready.count < limit && count > 0 {
            moved = false
            for partition in queues.keys.sorted(by: { ($0.topic, $0.partition) < ($1.topic, $1.partition) }) {
                guard ready.count < limit, let queue = queues[partition] else { continue }
                var taken = 0
                while taken < queue.count && ready.count < limit
                    && isReady(queue[taken], on: partition, now: now)
                {
                    ready.append(queue[taken].record)
                    taken += 1
                }
                if taken > 0 {
                    queues[partition] = taken == queue.count ? nil : Array(queue[taken...])
                    count -= taken
                    moved = true
                }
            }
        }
        return ready
    }

    /// Why records are held: for the first record of each partition that holds any, the
    /// sibling and mark it waits for, oldest first, up to `limit` (what an operator reads
    /// when a worker stalls).
    func waits(limit: Int, now: ContinuousClock.Instant = .now) -> [String] {
        var found: [(fetched: ContinuousClock.Instant, text: String)] = []
        for (partition, queue) in queues {
            guard let head = queue.first, let barrier = head.barrier else { continue }
            for (topic, mark) in barrier.sorted(by: { $0.key < $1.key })
            where topic != partition.topic && mark > 0 {
                let sibling = TopicPartition(topic: topic, partition: partition.partition)
                guard assignment.contains(sibling) else { continue }
                let next = nextUnreleased(sibling)
                if let next, next >= mark { continue }
                let siblingState =
                    atEnd.contains(sibling) ? "at its end" : "\(queues[sibling]?.count ?? 0) held there"
                found.append(
                    (
                        head.fetched,
                        "\(partition)@\(head.record.offset) waits \(now - head.fetched) for \(sibling) below "
                            + "\(mark) (released to \(next.map(String.init) ?? "nothing"), \(siblingState))"
                    ))
                break
            }
        }
        return found.sorted { $0.fetched < $1.fetched }.prefix(limit).map(\.text)
    }

    private mutating func isReady(_ held: Held, on partition: TopicPartition, now: ContinuousClock.Instant)
        -> Bool
    {
        guard let barrier = held.barrier else { return true }
        var overdue = 0
        for (topic, mark) in barrier where topic != partition.topic && mark > 0 {
            let sibling = TopicPartition(topic: topic, partition: partition.partition)
            // Not ours (no range assignment): nothing to wait for here.
            guard assignment.contains(sibling) else { continue }
            if let next = nextUnreleased(sibling), next >= mark { continue }
            guard atEnd.contains(sibling), now - held.fetched >= giveUp else { return false }
            overdue += 1
        }
        if overdue > 0 { gaveUp += 1 }
        return true
    }
}
