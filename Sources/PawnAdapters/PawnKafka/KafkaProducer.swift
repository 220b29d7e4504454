import CRdKafka
import PawnIO
import PawnPorts
import Synchronization

/// A Kafka producer: acks=all and idempotence by default, a key and headers on every
/// record, and either an awaited delivery report (``send(topic:partition:key:value:headers:)``
/// returns once the broker acknowledged the record) or fire-and-forget
/// (``sendWithoutWaiting(topic:key:value:headers:)``). A full local queue is
/// `EventLogError.Code.queueFull`, which is worth retrying.
///
/// Producing never blocks: librdkafka copies the record into its queue and its own threads
/// talk to the brokers; delivery reports come back on a thread of ours that sleeps until
/// librdkafka signals one.
public final class KafkaProducer: Sendable {
    private let handle: KafkaHandle
    private let thread: KafkaEventThread
    private let deliveries = Deliveries()
    private let nextToken = Atomic<UInt>(1)
    private let closed = Atomic<Bool>(false)
    /// The last answer of ``isReachable(timeout:)``, when it was given, and whether a check
    /// is under way.
    private let reachability = Locked<(reachable: Bool, at: ContinuousClock.Instant?, checking: Bool)>(
        (false, nil, false))
    /// Metadata requests ``isReachable(timeout:)`` made, since start.
    public let reachabilityChecks = Atomic<Int>(0)
    /// librdkafka's topic handle per topic name, made on first use and destroyed with the
    /// producer, kept as addresses (the handles are thread-safe; this producer owns them).
    /// Producing by topic name instead made and dropped a topic object per record, and a
    /// record without a partition then waited for librdkafka's once-a-second topic scan to
    /// be partitioned: every awaited send to a topic not ordered took a second.
    private let topicHandles = Locked<[String: UInt]>([:])

    /// Fire-and-forget sends that failed, since start.
    public var failedWithoutWaiting: Int { deliveries.failedWithoutWaiting.load(ordering: .relaxed) }

    /// The senders waiting for their delivery reports, shared with the event thread.
    private final class Deliveries: Sendable {
        let pending = Locked<[UInt: CheckedContinuation<Result<Delivery, EventLogError>, Never>]>([:])
        let failedWithoutWaiting = Atomic<Int>(0)
        /// A delivery failed because the broker no longer accepts this producer's id or epoch.
        let identityLost = Locked<String?>(nil)
    }

    /// Delivery errors after which this producer's id is no good: the broker fenced it or
    /// lost its sequence (seen on Tansu after a 30 s outage: every record then failed with
    /// PRODUCER_FENCED). A new producer gets a new id.
    private static let identityErrors: Set<rd_kafka_resp_err_t> = [
        RD_KAFKA_RESP_ERR_PRODUCER_FENCED, RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH,
        RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID, RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
        RD_KAFKA_RESP_ERR_INVALID_PRODUCER_ID_MAPPING,
    ]

    /// Where a record landed.
    public struct Delivery: Sendable, Hashable {
        /// The partition the key chose.
        public var partition: Int
        /// The record's offset in it.
        public var offset: Int64
    }

    /// A producer for the brokers in `configuration`. Fails on a setting librdkafka refuses,
    /// naming it; it does not wait for a broker.
    public init(configuration: KafkaConfiguration) throws(EventLogError) {
        handle = try KafkaHandle(
            RD_KAFKA_PRODUCER, properties: configuration.producerProperties,
            events: RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR)
        do { thread = try KafkaEventThread() } catch {
            handle.destroy()
            throw error
        }
        var payload: UInt8 = 1
        rd_kafka_queue_io_event_enable(handle.queue, thread.ioDescriptor, &payload, 1)
        thread.start(name: "pawn-kafka-prod") { [handle, deliveries] in Self.drain(handle, deliveries) }
    }

    deinit {
        // close() is the way to flush; without it the handle still must not leak.
        shutDown()
    }

    /// Sends a record and returns once the broker acknowledged it (with `acks=all`, once
    /// every in-sync replica has it); on `partition` when given, else where librdkafka's
    /// partitioner puts its key.
    public func send(
        topic: String, partition: Int? = nil, key: String, value: [UInt8], headers: [String: String] = [:]
    )
        async throws(EventLogError) -> Delivery
    {
        let token = nextToken.wrappingAdd(1, ordering: .relaxed).oldValue
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<Delivery, EventLogError>, Never>) in
            deliveries.pending.withLock { $0[token] = continuation }
            do throws(EventLogError) {
                try produce(
                    topic: topic, partition: partition, key: key, value: value, headers: headers, token: token
                )
            } catch {
                if let waiting = deliveries.pending.withLock({ $0.removeValue(forKey: token) }) {
                    waiting.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Hands a record to librdkafka and returns at once; a delivery failure is only counted
    /// in ``failedWithoutWaiting``.
    public func sendWithoutWaiting(
        topic: String, key: String, value: [UInt8], headers: [String: String] = [:]
    )
        throws(EventLogError)
    {
        try produce(topic: topic, partition: nil, key: key, value: value, headers: headers, token: 0)
    }

    /// Waits until every record handed over so far was delivered or failed, up to `timeout`;
    /// returns whether the queue emptied.
    public func flush(timeout: Duration = .seconds(10)) async -> Bool {
        let milliseconds = timeout.milliseconds32
        let handle = self.handle
        // Not on the event thread: with delivery reports as events, rd_kafka_flush waits
        // for them to be served too, which is that thread's work.
        let code = await KafkaAdmin.blocking { rd_kafka_flush(handle.pointer, milliseconds) }
        return code == RD_KAFKA_RESP_ERR_NO_ERROR
    }

    /// Whether a broker answers a metadata request within `timeout`.
    ///
    /// One metadata request at a time, whoever asks: while one is under way, or for a second
    /// after one answered, callers get its answer. Readiness probes every few hundred
    /// milliseconds while Kafka is down used to queue a 2 s request each on the admin pool,
    /// where the publishes' watermark queries wait too.
    public func isReachable(timeout: Duration = .seconds(2)) async -> Bool {
        let now = ContinuousClock.now
        let known = reachability.withLock { state -> Bool? in
            if let at = state.at, now - at < .seconds(1) { return state.reachable }
            if state.checking { return state.reachable }
            state.checking = true
            return nil
        }
        if let known { return known }
        reachabilityChecks.add(1, ordering: .relaxed)
        let handle = self.handle
        let milliseconds = timeout.milliseconds32 &+ 1
        let reachable =
            await KafkaAdmin.blocking {
                var metadata: UnsafePointer<rd_kafka_metadata>?
                let code = rd_kafka_metadata(handle.pointer, 0, nil, &metadata, milliseconds)
                if let metadata { rd_kafka_metadata_destroy(metadata) }
                return code == RD_KAFKA_RESP_ERR_NO_ERROR
            } ?? false
        reachability.withLock { $0 = (reachable, .now, false) }
        return reachable
    }

    /// Flushes for up to `timeout`, then stops; records still undelivered fail as unavailable.
    public func close(timeout: Duration = .seconds(10)) async {
        guard !closed.load(ordering: .relaxed) else { return }
        _ = await flush(timeout: timeout)
        // Joining the event thread and rd_kafka_destroy block (for seconds when records are
        // still queued for an unreachable broker): on a thread of their own, not the pool's.
        var closer: OwnedThread?
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            closer = OwnedThread(name: "pawn-kafka-close") { [self] in
                shutDown()
                done.resume()
            }
        }
        closer?.join()  // it has finished its work: this only reaps it
    }

    /// The handle, for the admin calls and watermark queries of the event log.
    var raw: KafkaHandle { handle }

    /// The fatal error this producer hit, if any: after one it refuses every record. A
    /// delivery the broker refused for this producer's id (fenced, unknown, out of sequence)
    /// counts too: its later records would fail the same way.
    public var failedForGood: String? {
        guard !closed.load(ordering: .relaxed) else { return nil }
        if let lost = deliveries.identityLost.withLock({ $0 }) { return lost }
        var message = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(handle.pointer, &message, message.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return "\(String(cString: rd_kafka_err2name(code))): \(KafkaHandle.text(message))"
    }

    /// For tests: raises a fatal error as the idempotent producer would.
    func simulateFatalError() {
        _ = rd_kafka_test_fatal_error(
            handle.pointer, RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER, "simulated")
    }

    private func shutDown() {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        rd_kafka_queue_io_event_enable(handle.queue, -1, nil, 0)
        thread.stop()
        for address in topicHandles.withLock({ $0.values }) {
            if let topic = OpaquePointer(bitPattern: address) { rd_kafka_topic_destroy(topic) }
        }
        handle.destroy()
        let orphans = deliveries.pending.withLock { pending in
            defer { pending.removeAll() }
            return Array(pending.values)
        }
        for continuation in orphans {
            continuation.resume(returning: .failure(EventLogError(.unavailable, "the producer was closed")))
        }
    }

    private func produce(
        topic: String, partition: Int?, key: String, value: [UInt8], headers: [String: String], token: UInt
    )
        throws(EventLogError)
    {
        guard !closed.load(ordering: .relaxed) else { throw EventLogError(.closed, "the producer is closed") }
        // No header list for a record without headers, and the argument list on the stack:
        // per-record allocations were a tenth of the producer's time next to kcat.
        var list: OpaquePointer? = nil
        if !headers.isEmpty {
            guard let made = rd_kafka_headers_new(headers.count) else {
                throw EventLogError(.failed, "cannot allocate record headers")
            }
            for (name, text) in headers {
                var bytes = Array(text.utf8)
                _ = rd_kafka_header_add(made, name, -1, &bytes, bytes.count)
            }
            list = made
        }
        let known = topicHandles.withLock { $0[topic] }
        let address =
            known
            ?? topicHandles.withLock { handles -> UInt in
                if let raced = handles[topic] { return raced }
                let made = UInt(bitPattern: rd_kafka_topic_new(handle.pointer, topic, nil))
                if made != 0 { handles[topic] = made }
                return made
            }
        guard let topicHandle = OpaquePointer(bitPattern: address) else {
            if let list { rd_kafka_headers_destroy(list) }
            throw KafkaHandle.error(rd_kafka_last_error(), "cannot make a topic handle for \(topic)")
        }
        var key = key
        let error: OpaquePointer? = key.withUTF8 { keyBytes in
            value.withUnsafeBytes { valueBytes in
                withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 7) { fields in
                    fields.initialize(repeating: rd_kafka_vu_t())
                    fields[0].vtype = RD_KAFKA_VTYPE_RKT
                    fields[0].u.rkt = topicHandle
                    fields[1].vtype = RD_KAFKA_VTYPE_KEY
                    fields[1].u.mem.ptr = UnsafeMutableRawPointer(mutating: keyBytes.baseAddress)
                    fields[1].u.mem.size = keyBytes.count
                    fields[2].vtype = RD_KAFKA_VTYPE_VALUE
                    fields[2].u.mem.ptr = UnsafeMutableRawPointer(mutating: valueBytes.baseAddress)
                    fields[2].u.mem.size = valueBytes.count
                    fields[3].vtype = RD_KAFKA_VTYPE_MSGFLAGS
                    fields[3].u.i = RD_KAFKA_MSG_F_COPY
                    fields[4].vtype = RD_KAFKA_VTYPE_OPAQUE
                    fields[4].u.ptr = UnsafeMutableRawPointer(bitPattern: token)
                    var count = 5
                    if let list {
                        fields[5].vtype = RD_KAFKA_VTYPE_HEADERS
                        fields[5].u.headers = list
                        count = 6
                    }
                    if let partition {
                        fields[count].vtype = RD_KAFKA_VTYPE_PARTITION
                        fields[count].u.i32 = Int32(partition)
                        count += 1
                    }
                    return rd_kafka_produceva(handle.pointer, fields.baseAddress, count)
                }
            }
        }
        guard let error else { return }  // librdkafka owns the headers now
        if let list { rd_kafka_headers_destroy(list) }
        let code = rd_kafka_error_code(error)
        rd_kafka_error_destroy(error)
        throw KafkaHandle.error(code, "cannot produce to \(topic)")
    }

    /// Serves the producer's queue: delivery reports resume their senders.
    private static func drain(_ handle: KafkaHandle, _ deliveries: Deliveries) {
        while let event = rd_kafka_queue_poll(handle.queue, 0) {
            defer { rd_kafka_event_destroy(event) }
            switch rd_kafka_event_type(event) {
            case RD_KAFKA_EVENT_DR:
                while let message = rd_kafka_event_message_next(event) {
                    let token = UInt(bitPattern: message.pointee._private)
                    let code = message.pointee.err
                    let result: Result<Delivery, EventLogError> =
                        code == RD_KAFKA_RESP_ERR_NO_ERROR
                        ? .success(
                            Delivery(
                                partition: Int(message.pointee.partition), offset: message.pointee.offset))
                        : .failure(KafkaHandle.error(code, "delivery failed"))
                    if identityErrors.contains(code) {
                        deliveries.identityLost.withLock { $0 = $0 ?? KafkaHandle.describe(code) }
                    }
                    if token == 0 {
                        if case .failure = result {
                            deliveries.failedWithoutWaiting.add(1, ordering: .relaxed)
                        }
                        continue
                    }
                    deliveries.pending.withLock { $0.removeValue(forKey: token) }?.resume(returning: result)
                }
            case RD_KAFKA_EVENT_ERROR:
                KafkaLog.error(event, from: "producer")
            default:
                break
            }
        }
    }
}
