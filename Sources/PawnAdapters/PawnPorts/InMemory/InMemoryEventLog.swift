import PawnIO

/// An event log in memory with Kafka's semantics, so that the worker's logic runs here as it
/// will on Kafka: topics split into partitions chosen by key, consumer groups that share
/// partitions among members (rebalanced on join and leave), offsets committed by the
/// consumer, earliest offset for a new group, and redelivery of whatever a member had not
/// committed when it left.
public final class InMemoryEventLog: EventLog {
    /// Partitions per topic.
    public let partitionCount: Int
    private let state = Locked(State())

    private struct State: ~Copyable {
        var topics: [String: [[LogRecord]]] = [:]
        var groups: [String: Group] = [:]
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextID = 1
        var reachable = true
        /// Bumped by every publish and rebalance, so a waiter cannot miss one.
        var changes: UInt64 = 0
        /// The append counter that stamps records.
        var appended: Int64 = 0
    }

    private struct Group {
        var members: [Int: [String]] = [:]
        var committed: [TopicPartition: Int64] = [:]
        var assignment: [Int: [TopicPartition]] = [:]
        var generation = 0
    }

    /// A log whose topics have `partitions` partitions each.
    public init(partitions: Int = 4) { partitionCount = max(1, partitions) }

    /// The partition a key goes to (FNV-1a of its UTF-8 bytes).
    public func partition(for key: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(hash % UInt64(partitionCount))
    }

    /// Makes the log refuse writes (`unavailable`) or take them again, as a broker outage would.
    public func setReachable(_ reachable: Bool) { state.withLock { $0.reachable = reachable } }

    public func isReachable() async -> Bool { state.withLock { $0.reachable } }

    public func publish(topic: String, key: String, value: [UInt8], headers: [String: String])
        async throws(EventLogError)
        -> (partition: Int, offset: Int64)
    {
        let partition = partition(for: key)
        let (position, waiters): ((Int, Int64)?, [CheckedContinuation<Void, Never>]) = state.withLock {
            state in
            guard state.reachable else { return (nil, []) }
            // Appended in place: taking the partition out of the dictionary would copy it.
            if state.topics[topic] == nil {
                state.topics[topic] = Array(repeating: [], count: partitionCount)
            }
            let offset = Int64(state.topics[topic]![partition].count)
            state.appended += 1
            state.topics[topic]![partition].append(
                LogRecord(
                    topic: topic, partition: partition, offset: offset, key: key, value: value,
                    headers: headers,
                    timestamp: state.appended))
            state.changes &+= 1
            let waiters = Array(state.waiters.values)
            state.waiters.removeAll()
            return ((partition, offset), waiters)
        }
        for waiter in waiters { waiter.resume() }
        guard let position else {
            throw EventLogError(.unavailable, "the in-memory event log is set unreachable")
        }
        return position
    }

    /// Every record of `topic` in partition order, for tests and tools.
    public func records(topic: String) -> [LogRecord] {
        state.withLock { $0.topics[topic]?.flatMap { $0 } ?? [] }
    }

    /// The committed offset (last processed record) of `group` on a partition.
    public func committedOffset(group: String, _ partition: TopicPartition) -> Int64? {
        state.withLock { $0.groups[group]?.committed[partition] }
    }

    public func consumer(group: String, topics: [String]) async throws(EventLogError) -> any EventConsumer {
        let member = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            for topic in topics where state.topics[topic] == nil {
                state.topics[topic] = Array(repeating: [], count: partitionCount)
            }
            state.groups[group, default: Group()].members[id] = topics
            rebalance(&state, group: group)
            return id
        }
        return Consumer(log: self, group: group, member: member)
    }

    /// Range assignment: partition *n* of every topic goes to the same member, the members
    /// taking partition numbers in turn.
    private func rebalance(_ state: inout State, group name: String) {
        guard var group = state.groups[name] else { return }
        group.generation += 1
        group.assignment = [:]
        let members = group.members.keys.sorted()
        let topics = Set(group.members.values.flatMap { $0 }).sorted()
        if !members.isEmpty {
            for number in 0..<partitionCount {
                let member = members[number % members.count]
                for topic in topics where group.members[member]!.contains(topic) {
                    group.assignment[member, default: []].append(
                        TopicPartition(topic: topic, partition: number))
                }
            }
        }
        state.groups[name] = group
        state.changes &+= 1
        let waiters = Array(state.waiters.values)
        state.waiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }

    fileprivate func fetch(
        group: String, member: Int, positions: inout [TopicPartition: Int64], generation: inout Int, max: Int
    )
        -> (records: [LogRecord], changes: UInt64)?
    {
        state.withLock { state -> (records: [LogRecord], changes: UInt64)? in
            guard let group = state.groups[group], group.members[member] != nil else { return nil }
            let assigned = group.assignment[member] ?? []
            if generation != group.generation {
                // A rebalance: start every partition we now own from the group's commit.
                generation = group.generation
                positions = [:]
                for partition in assigned { positions[partition] = (group.committed[partition] ?? -1) + 1 }
            }
            // Merge the assigned partitions in append order, as the broker appended them.
            var records: [LogRecord] = []
            for partition in assigned {
                let log = state.topics[partition.topic]?[partition.partition] ?? []
                let position = Int(positions[partition] ?? 0)
                if position < log.count { records += log[position..<min(log.count, position + max)] }
            }
            records.sort { $0.timestamp < $1.timestamp }
            if records.count > max { records.removeLast(records.count - max) }
            for record in records {
                positions[TopicPartition(topic: record.topic, partition: record.partition)] =
                    record.offset + 1
            }
            return (records, state.changes)
        }
    }

    /// Waits until something is published or the group changes after `seen` (the change
    /// count of the last fetch), or `timeout` passes.
    fileprivate func waitForChange(since seen: UInt64, timeout: Duration) async {
        let id = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            return id
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            let waiter = self.state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let changed = state.withLock { state in
                if state.changes != seen { return true }
                state.waiters[id] = continuation
                return false
            }
            if changed { continuation.resume() }
        }
        timer.cancel()
    }

    fileprivate func commit(group name: String, member: Int, _ offsets: [TopicPartition: Int64])
        throws(EventLogError)
    {
        try state.withLock { (state) throws(EventLogError) in
            guard var group = state.groups[name], group.members[member] != nil else {
                throw EventLogError(.closed, "the consumer has left its group")
            }
            // As in Kafka, a member commits only partitions it still owns; after a
            // rebalance the new owner reads from the last commit again.
            let owned = Set(group.assignment[member] ?? [])
            for (partition, offset) in offsets
            where owned.contains(partition) && offset > (group.committed[partition] ?? -1) {
                group.committed[partition] = offset
            }
            state.groups[name] = group
        }
    }

    fileprivate func assignment(group: String, member: Int) -> [TopicPartition] {
        state.withLock { $0.groups[group]?.assignment[member] ?? [] }
    }

    fileprivate func leave(group name: String, member: Int) {
        state.withLock { state in
            guard state.groups[name]?.members.removeValue(forKey: member) != nil else { return }
            rebalance(&state, group: name)
        }
    }

    /// One member of a group.
    private final class Consumer: EventConsumer {
        let log: InMemoryEventLog
        let group: String
        let member: Int
        /// The next offset to read per partition, and the group generation they belong to.
        private let cursor = Locked<(positions: [TopicPartition: Int64], generation: Int)>(([:], 0))

        init(log: InMemoryEventLog, group: String, member: Int) {
            self.log = log
            self.group = group
            self.member = member
        }

        func poll(maxRecords: Int, timeout: Duration) async throws(EventLogError) -> [LogRecord] {
            let deadline = ContinuousClock.now + timeout
            while true {
                let fetched = cursor.withLock { cursor in
                    log.fetch(
                        group: group, member: member, positions: &cursor.positions,
                        generation: &cursor.generation,
                        max: maxRecords)
                }
                guard let fetched else { throw EventLogError(.closed, "the consumer has left its group") }
                if !fetched.records.isEmpty { return fetched.records }
                let now = ContinuousClock.now
                if now >= deadline { return [] }
                await log.waitForChange(since: fetched.changes, timeout: deadline - now)
            }
        }

        func commit(_ offsets: [TopicPartition: Int64]) async throws(EventLogError) {
            try log.commit(group: group, member: member, offsets)
        }

        func assignment() async -> [TopicPartition] { log.assignment(group: group, member: member) }

        func close() async { log.leave(group: group, member: member) }
    }
}
