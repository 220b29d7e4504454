import CRdKafka
import Glibc
import PawnIO
import PawnLog
import PawnPorts
import Synchronization

/// A member of a Kafka consumer group, as the workers need it: subscription to the action
/// topics with range assignment (partition *n* of every topic to one member), offsets
/// committed only when the caller says the records are stored, `earliest` for a new group,
/// and pause/resume.
///
/// A thread of ours serves librdkafka's consumer queue: it wakes when librdkafka signals
/// that records or a rebalance arrived, applies assignments, and moves records into a
/// bounded buffer that ``poll(maxRecords:timeout:)`` empties. When the buffer is full it
/// stops taking records, so librdkafka's own limits hold back the fetching.
///
/// While records wait for a sibling partition (none is ready), the thread must go on
/// taking records, since the ones they wait for may be behind others in librdkafka's one
/// queue; then a partition that holds half the buffer limit is paused (its queued records
/// are dropped by librdkafka and fetched again on resume) and resumed once it holds a
/// quarter. The partitions waited for hold nothing (what they hold is released or itself
/// waits further back, and barriers only point back), so they are never the ones paused.
public final class KafkaConsumer: EventConsumer {
    private let handle: KafkaHandle
    private let thread: KafkaEventThread
    private let shared: Shared
    private let bufferLimit: Int
    private let closed = Atomic<Bool>(false)
    /// The group this member belongs to.
    public let group: String
    private static let logger = Logger(["component": "kafka"])

    private struct Waiter {
        let id: UInt64
        let maxRecords: Int
        let continuation: CheckedContinuation<Result<[LogRecord], EventLogError>, Never>
    }

    /// The buffer and the group state, shared with the event thread.
    private final class Shared: Sendable {
        let state: Locked<State>
        init(_ merger: PartitionMerger) { state = Locked(State(merger: merger)) }
    }

    private struct State: ~Copyable {
        var merger: PartitionMerger
        var waiter: Waiter?
        var nextWaiter: UInt64 = 0
        var failure: EventLogError?
        var throttled = false
        /// Records are held but none is ready: they may wait for records still in
        /// librdkafka's queue, so the buffer limit must not stop the draining.
        var stalled = false
        var rebalances = 0
        /// The member holds an assignment: no JoinGroup of its own is in flight (false from
        /// the subscription, and from a revocation, until the next assignment).
        var joined = false
        /// Partitions paused because they held too much while the buffer was stalled.
        var heldBack: Set<TopicPartition> = []
        /// Partitions the caller paused (never resumed for it).
        var pausedByCaller: Set<TopicPartition> = []
        /// Times a partition was held back, since start.
        var holdBacks = 0

        var buffered: Int { merger.count }

        /// Partitions to pause and to resume now, by the rule in the type's documentation.
        mutating func holdBackChanges(limit: Int) -> (pause: [TopicPartition], resume: [TopicPartition]) {
            let high = max(2, limit / 2)
            let pause =
                stalled ? merger.partitions(holdingAtLeast: high).filter { !heldBack.contains($0) } : []
            let resume = heldBack.filter { merger.held($0) <= high / 2 }
            heldBack.formUnion(pause)
            heldBack.subtract(resume)
            holdBacks += pause.count
            return (pause, resume.filter { !pausedByCaller.contains($0) })
        }

        mutating func take(_ count: Int) -> [LogRecord] {
            let records = merger.takeReady(limit: count)
            stalled = records.isEmpty && merger.count > 0
            return records
        }
    }

    /// Joins `group` and subscribes to `topics` (which should exist: see
    /// ``KafkaEventLog/ensureTopics(_:timeout:)``). The assignment arrives in the background; the
    /// first ``poll(maxRecords:timeout:)`` calls may return nothing while the group forms.
    public init(configuration: KafkaConfiguration, group: String, topics: [String]) throws(EventLogError) {
        self.group = group
        bufferLimit = max(1, configuration.consumerBufferLimit)
        shared = Shared(
            PartitionMerger(
                barrierHeader: configuration.orderedTopics.isEmpty ? nil : configuration.barrierHeader,
                giveUp: configuration.barrierGiveUp))
        handle = try KafkaHandle(
            RD_KAFKA_CONSUMER, properties: configuration.consumerProperties(group: group),
            events: RD_KAFKA_EVENT_FETCH | RD_KAFKA_EVENT_REBALANCE | RD_KAFKA_EVENT_ERROR)
        do { thread = try KafkaEventThread() } catch {
            handle.destroy()
            throw error
        }
        let subscription = rd_kafka_topic_partition_list_new(Int32(topics.count))
        for topic in topics { rd_kafka_topic_partition_list_add(subscription, topic, RD_KAFKA_PARTITION_UA) }
        let code = rd_kafka_subscribe(handle.pointer, subscription)
        rd_kafka_topic_partition_list_destroy(subscription)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            thread.stop()
            rd_kafka_consumer_close(handle.pointer)
            handle.destroy()
            throw KafkaHandle.error(code, "cannot subscribe to \(topics)")
        }
        let (handle, limit, shared) = (self.handle, bufferLimit, self.shared)
        let heartbeat = max(.milliseconds(1), min(.seconds(1), configuration.rebalanceTimeout / 10))
        thread.start(
            name: "pawn-kafka-cons", heartbeat: heartbeat,
            park: { milliseconds in
                // A full buffer waits for poll() to make room (wakeIfThrottled), not for records.
                if shared.state.withLock({ $0.throttled && !$0.stalled }) { return false }
                if let event = rd_kafka_queue_poll(handle.queue, milliseconds) {
                    Self.drain(handle, shared, limit, first: event)
                }
                return true
            },
            nudge: { rd_kafka_queue_yield(handle.queue) },
            drain: { Self.drain(handle, shared, limit) })
    }

    deinit {
        // close() is the way to leave; this only makes sure nothing leaks.
        shutDown()
    }

    public func poll(maxRecords: Int, timeout: Duration) async throws(EventLogError) -> [LogRecord] {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<[LogRecord], EventLogError>, Never>) in
            let immediate: Result<[LogRecord], EventLogError>? = shared.state.withLock { state in
                if let failure = state.failure { return .failure(failure) }
                if closed.load(ordering: .relaxed) {
                    return .failure(EventLogError(.closed, "the consumer is closed"))
                }
                if state.buffered > 0 {
                    let ready = state.take(maxRecords)
                    if !ready.isEmpty { return .success(ready) }
                }
                state.nextWaiter += 1
                state.waiter = Waiter(
                    id: state.nextWaiter, maxRecords: maxRecords, continuation: continuation)
                let id = state.nextWaiter
                Task { [shared] in
                    try? await Task.sleep(for: timeout)
                    // The wait is over: whatever is ready now (nothing, usually).
                    let expired = shared.state.withLock { state -> (Waiter, [LogRecord])? in
                        guard let waiter = state.waiter, waiter.id == id else { return nil }
                        state.waiter = nil
                        return (waiter, state.take(waiter.maxRecords))
                    }
                    if let (waiter, records) = expired {
                        waiter.continuation.resume(returning: .success(records))
                    }
                }
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
        wakeIfThrottled()
        resumeHeldBack()
        return try result.get()
    }

    /// Resumes, on the event thread, the partitions held back that hold little now.
    private func resumeHeldBack() {
        let (handle, shared, limit) = (self.handle, self.shared, bufferLimit)
        guard shared.state.withLock({ !$0.heldBack.isEmpty }) else { return }
        thread.submit { Self.holdBack(handle, shared, limit) }
    }

    /// Times a partition was paused for holding too much while records waited for a
    /// sibling, since start.
    public var holdBacks: Int { shared.state.withLock { $0.holdBacks } }

    /// Commits, synchronously with the group coordinator, that every record up to and
    /// including `offsets[partition]` is done. A commit refused because the partition moved
    /// to another member in a rebalance is not an error: the new owner gets the records
    /// again and the worker's idempotence makes that harmless.
    public func commit(_ offsets: [TopicPartition: Int64]) async throws(EventLogError) {
        guard !offsets.isEmpty else { return }
        let handle = self.handle
        let group = self.group
        let outcome: Result<Void, EventLogError>? = await thread.run {
            let list = rd_kafka_topic_partition_list_new(Int32(offsets.count))
            defer { rd_kafka_topic_partition_list_destroy(list) }
            for (partition, offset) in offsets {
                rd_kafka_topic_partition_list_add(list, partition.topic, Int32(partition.partition))?.pointee
                    .offset =
                    offset + 1
            }
            let code = rd_kafka_commit(handle.pointer, list, 0)
            switch code {
            case RD_KAFKA_RESP_ERR_NO_ERROR, RD_KAFKA_RESP_ERR__NO_OFFSET:
                return .success(())
            case RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS, RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION,
                RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID, RD_KAFKA_RESP_ERR__STATE,
                RD_KAFKA_RESP_ERR__ASSIGNMENT_LOST:
                KafkaLog.warning(
                    client: "consumer \(group)",
                    "commit skipped, partitions moved: \(KafkaHandle.describe(code))")
                return .success(())
            default:
                return .failure(KafkaHandle.error(code, "cannot commit offsets"))
            }
        }
        try (outcome ?? .failure(EventLogError(.closed, "the consumer is closed"))).get()
    }

    public func assignment() async -> [TopicPartition] {
        shared.state.withLock { Array($0.merger.assignment) }.sorted {
            ($0.topic, $0.partition) < ($1.topic, $1.partition)
        }
    }

    /// Lag from librdkafka's last-known high watermarks (no round trip) and the merger's
    /// next unreleased offsets; the age of the oldest record held back.
    public func progress() -> ConsumerProgress {
        let handle = self.handle
        guard !closed.load(ordering: .relaxed) else { return ConsumerProgress() }
        return shared.state.withLock { state in
            var lag: [TopicPartition: Int64] = [:]
            for partition in state.merger.assignment {
                guard let next = state.merger.nextUnreleased(partition) else { continue }
                var low: Int64 = 0
                var high: Int64 = 0
                let code = rd_kafka_get_watermark_offsets(
                    handle.pointer, partition.topic, Int32(partition.partition), &low, &high)
                guard code == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { continue }
                lag[partition] = max(0, high - next)
            }
            return ConsumerProgress(
                lag: lag, held: state.merger.count,
                oldestHeld: state.merger.oldestFetched.map { ContinuousClock.now - $0 },
                waits: state.merger.waits(limit: 3), orderGiveUps: state.merger.gaveUp)
        }
    }

    /// How many rebalances this member went through, for tests and metrics.
    public var rebalanceCount: Int { shared.state.withLock { $0.rebalances } }

    /// Stops fetching from `partitions` (records already buffered are still returned).
    public func pause(_ partitions: [TopicPartition]) async throws(EventLogError) {
        try await setPaused(partitions, paused: true)
    }

    /// Fetches from `partitions` again.
    public func resume(_ partitions: [TopicPartition]) async throws(EventLogError) {
        try await setPaused(partitions, paused: false)
    }

    /// Leaves the group (its partitions go to the remaining members) and frees the client.
    ///
    /// A member whose JoinGroup is in flight (closed before its assignment arrived, or
    /// between a revocation and the next assignment) does not send LeaveGroup: it is dropped
    /// when its session expires. Tansu keeps a member that leaves mid-join in the group for
    /// good, as a leader that never assigns, and no other member then gets a partition
    /// (`aMemberClosedWhileJoiningDoesNotHoldTheGroup`); a real Kafka broker only waits one
    /// session for it.
    public func close() async {
        guard !closed.load(ordering: .relaxed) else { return }
        let (handle, shared) = (self.handle, self.shared)
        let left = await thread.run { () -> Bool in
            guard shared.state.withLock({ $0.joined }) else { return false }
            rd_kafka_consumer_close(handle.pointer)
            return true
        }
        shutDown(leftGroup: left ?? false)
    }

    /// Frees everything; leaves the group first (when joined, as in ``close()``) unless
    /// ``close()`` already did.
    private func shutDown(leftGroup: Bool = false) {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        let (handle, shared) = (self.handle, self.shared)
        let leaving = !leftGroup && shared.state.withLock { $0.joined }
        if leaving { thread.submit { rd_kafka_consumer_close(handle.pointer) } }
        thread.stop()
        handle.destroy(consumerClose: leftGroup || leaving)
        let waiter = shared.state.withLock { state in
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.continuation.resume(returning: .failure(EventLogError(.closed, "the consumer was closed")))
    }

    private func setPaused(_ partitions: [TopicPartition], paused: Bool) async throws(EventLogError) {
        let (handle, shared) = (self.handle, self.shared)
        let code = await thread.run {
            shared.state.withLock { state in
                if paused {
                    state.pausedByCaller.formUnion(partitions)
                } else {
                    state.pausedByCaller.subtract(partitions)
                    state.heldBack.subtract(partitions)
                }
            }
            return Self.setPaused(handle, partitions, paused: paused)
        }
        guard let code else { throw EventLogError(.closed, "the consumer is closed") }
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaHandle.error(code, paused ? "cannot pause" : "cannot resume")
        }
    }

    private func wakeIfThrottled() {
        let wake = shared.state.withLock { state in
            guard state.throttled, state.buffered < bufferLimit / 2 || state.stalled else { return false }
            state.throttled = false
            return true
        }
        if wake { thread.submit {} }
    }

    // MARK: - The event thread

    /// Serves the consumer queue until it is empty or the buffer is full, starting with
    /// `first` (an event already taken from the queue) when given.
    private static func drain(
        _ handle: KafkaHandle, _ shared: Shared, _ limit: Int, first: OpaquePointer? = nil
    ) {
        var fetched: [LogRecord] = []
        var room = shared.state.withLock { $0.stalled ? Int.max : limit - $0.buffered }
        var pending = first
        func next() -> OpaquePointer? {
            if let event = pending {
                pending = nil
                return event
            }
            return room > 0 ? rd_kafka_queue_poll(handle.queue, 0) : nil
        }
        while let event = next() {
            defer { rd_kafka_event_destroy(event) }
            switch rd_kafka_event_type(event) {
            case RD_KAFKA_EVENT_FETCH:
                guard let message = rd_kafka_event_message_next(event) else { continue }
                if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    fetched.append(record(message))
                    room -= 1
                    // A stalled buffer takes everything: check what it holds as it goes, so
                    // that a partition is paused before librdkafka's whole prefetch moved in.
                    if fetched.count >= 100 {
                        deliver(&fetched, to: shared)
                        holdBack(handle, shared, limit)
                    }
                } else if message.pointee.err == RD_KAFKA_RESP_ERR__PARTITION_EOF {
                    let partition = TopicPartition(
                        topic: String(cString: rd_kafka_topic_name(message.pointee.rkt)),
                        partition: Int(message.pointee.partition))
                    let end = message.pointee.offset
                    deliver(&fetched, to: shared)
                    shared.state.withLock { $0.merger.reachedEnd(partition, offset: end) }
                } else {
                    KafkaLog.warning(
                        client: "consumer", "fetch: \(KafkaHandle.describe(message.pointee.err))")
                }
            case RD_KAFKA_EVENT_REBALANCE:
                deliver(&fetched, to: shared)  // records fetched before the rebalance come first
                rebalance(event, handle, shared)
            case RD_KAFKA_EVENT_ERROR where rd_kafka_event_error(event) == RD_KAFKA_RESP_ERR__PARTITION_EOF:
                // The consumer reached the end of a partition (a consumer error event by
                // librdkafka's event API, not a fetch).
                guard let end = rd_kafka_event_topic_partition(event) else { continue }
                let partition = TopicPartition(
                    topic: String(cString: end.pointee.topic), partition: Int(end.pointee.partition))
                let offset = end.pointee.offset
                rd_kafka_topic_partition_destroy(end)
                deliver(&fetched, to: shared)
                shared.state.withLock { $0.merger.reachedEnd(partition, offset: offset) }
            case RD_KAFKA_EVENT_ERROR:
                KafkaLog.error(event, from: "consumer")
                if rd_kafka_event_error_is_fatal(event) != 0 {
                    let code = rd_kafka_event_error(event)
                    shared.state.withLock { $0.failure = KafkaHandle.error(code, "the consumer failed") }
                }
            default:
                break
            }
        }
        if room <= 0 { shared.state.withLock { $0.throttled = true } }
        deliver(&fetched, to: shared)
        holdBack(handle, shared, limit)
    }

    /// Pauses the partitions that hold too much while the buffer is stalled, and resumes
    /// those that hold little again (event thread).
    private static func holdBack(_ handle: KafkaHandle, _ shared: Shared, _ limit: Int) {
        let (pause, resume) = shared.state.withLock { $0.holdBackChanges(limit: limit) }
        setPaused(handle, pause, paused: true)
        setPaused(handle, resume, paused: false)
    }

    /// Pauses or resumes `partitions` (librdkafka queues the change; it does not block).
    @discardableResult
    private static func setPaused(_ handle: KafkaHandle, _ partitions: [TopicPartition], paused: Bool)
        -> rd_kafka_resp_err_t
    {
        guard !partitions.isEmpty else { return RD_KAFKA_RESP_ERR_NO_ERROR }
        let list = rd_kafka_topic_partition_list_new(Int32(partitions.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for partition in partitions {
            rd_kafka_topic_partition_list_add(list, partition.topic, Int32(partition.partition))
        }
        return paused
            ? rd_kafka_pause_partitions(handle.pointer, list)
            : rd_kafka_resume_partitions(handle.pointer, list)
    }

    /// Appends `fetched` to the buffer and hands records to a waiting poll.
    private static func deliver(_ fetched: inout [LogRecord], to shared: Shared) {
        let ready: (Waiter, [LogRecord])? = shared.state.withLock { state in
            for record in fetched { state.merger.append(record) }
            guard state.buffered > 0, let waiter = state.waiter else { return nil }
            let records = state.take(waiter.maxRecords)
            guard !records.isEmpty else { return nil }
            state.waiter = nil
            return (waiter, records)
        }
        fetched.removeAll(keepingCapacity: true)
        if let (waiter, records) = ready { waiter.continuation.resume(returning: .success(records)) }
    }

    private static func rebalance(_ event: OpaquePointer, _ handle: KafkaHandle, _ shared: Shared) {
        let code = rd_kafka_event_error(event)
        let list = rd_kafka_event_topic_partition_list(event)
        var partitions: [TopicPartition] = []
        if let list {
            for index in 0..<Int(list.pointee.cnt) {
                let element = list.pointee.elems[index]
                partitions.append(
                    TopicPartition(topic: String(cString: element.topic), partition: Int(element.partition)))
            }
        }
        let assigned = code == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS
        // Every change, not rate-limited like librdkafka's errors: which member held which
        // partition is what a stuck partition's story starts with.
        Self.logger.info(
            "\(assigned ? "assigned" : "revoked") \(Self.describe(partitions))",
            ["kafka_client": "consumer"])
        if assigned {
            rd_kafka_assign(handle.pointer, list)
            shared.state.withLock { state in
                state.merger.assign(partitions)
                state.rebalances += 1
                state.joined = true
            }
        } else {
            // Every record the worker finished is committed already (commit() is
            // synchronous); records still buffered for the revoked partitions go to their
            // next owner, so drop them here.
            let revoked = Set(partitions)
            let heldBack = shared.state.withLock { state in
                defer { state.heldBack.subtract(revoked) }
                return state.heldBack.intersection(revoked).subtracting(state.pausedByCaller)
            }
            // A partition this member paused must not stay paused for its next assignment.
            setPaused(handle, Array(heldBack), paused: false)
            rd_kafka_assign(handle.pointer, nil)
            shared.state.withLock { state in
                state.merger.revoke(revoked)
                state.rebalances += 1
                state.joined = false
            }
        }
    }

    /// `partitions` for a log line: each topic with its partition numbers, `items[0,1]`.
    static func describe(_ partitions: [TopicPartition]) -> String {
        guard !partitions.isEmpty else { return "no partitions" }
        let byTopic = Dictionary(grouping: partitions, by: \.topic)
        return byTopic.keys.sorted().map { topic in
            "\(topic)[\(byTopic[topic]!.map(\.partition).sorted().map(String.init).joined(separator: ","))]"
        }.joined(separator: " ")
    }

    private static func record(_ message: UnsafePointer<rd_kafka_message_t>) -> LogRecord {
        let fields = message.pointee
        let topic = String(cString: rd_kafka_topic_name(fields.rkt))
        let key =
            fields.key.map {
                String(decoding: UnsafeRawBufferPointer(start: $0, count: fields.key_len), as: UTF8.self)
            } ?? ""
        let value = fields.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: fields.len)) } ?? []
        var headers: [String: String] = [:]
        var list: OpaquePointer?
        if rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list {
            var index = 0
            var name: UnsafePointer<CChar>?
            var bytes: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(list, index, &name, &bytes, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                if let name {
                    headers[String(cString: name)] =
                        bytes.map {
                            String(decoding: UnsafeRawBufferPointer(start: $0, count: size), as: UTF8.self)
                        } ?? ""
                }
                index += 1
            }
        }
        var kind = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &kind)
        return LogRecord(
            topic: topic, partition: Int(fields.partition), offset: fields.offset, key: key, value: value,
            headers: headers, timestamp: timestamp)
    }
}
