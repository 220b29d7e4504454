import Foundation
import PawnIO
import PawnLog
import PawnPorts
import PawnProtocol
import PawnTelemetry
import PawnTrace
import PawnWire

/// An event log that never loses an accepted write when Kafka is down or slow.
///
/// A publish that fails, or takes longer than ``deadline``, is parked in a `ParkingLot`
/// (a Redis list shared by every replica) and counts as accepted. One replica at a time,
/// the holder of the lot's lease, re-publishes parked records in rounds of ``roundSize``
/// (one chain per item on the ``orderedTopics``, the chains at once, each in order), with backoff, and removes each only after the
/// broker acknowledged it (a record the broker took twice, because the first attempt
/// outlived its deadline or a drainer stopped between publishing and removing, is
/// harmless: workers apply an `eventId` once). Every replica tries for the lease every
/// ``poll``, so a lot whose drainer died is adopted once its lease expires
/// (``leaseDuration``); a drainer whose lease another replica took removes nothing (the
/// lot fences it), while one whose lease lapsed with nobody taking it goes on.
///
/// While an item has records in the lot, whichever replica parked them, its new writes are
/// parked behind them instead of going straight to Kafka, which keeps the item's order (a
/// record re-published later gets its ordering barrier then, after its item's earlier
/// records were acknowledged); writes of other items go straight to Kafka, so the lot only
/// has to carry what Kafka missed (while the last publish failed, or while a publish that
/// outlived its deadline is still unanswered, though, every write parks at once rather
/// than wait out the deadline or queue behind a producer that fell behind). Asking the lot
/// costs a write one round trip to Redis; when the lot cannot answer, the write is refused
/// (503), since going straight to Kafka could overtake the item's parked events.
public final class ParkingEventLog: EventLog {
    /// What runs in the background.
    private enum Mode {
        /// ``start()`` has not been called: nothing is re-published.
        case idle
        /// The job that holds or seeks the lease, and drains the lot while it holds it.
        case running(Task<Void, Never>)
        /// ``stop()`` was called.
        case stopped
    }

    private struct State {
        var mode = Mode.idle
        /// Appends under way, per item.
        var appendingKeys: [String: Int] = [:]
        /// Records parked by this process, re-published from the lot and moved to the dead
        /// letters, since start.
        var parked = 0
        var republished = 0
        var buried = 0
        /// Why the last re-publish failed, while the failure lasts.
        var drainError: EventLogError?
        /// The last attempt to publish (a write's or the drain's) failed: while Kafka is away,
        /// every write parks at once instead of waiting out the deadline first.
        var brokerDown = false
        /// Direct publishes that outlived ``deadline`` (their records were parked) and are
        /// still in the producer: while any is, the producer is at least a deadline behind,
        /// and every write parks at once instead of queueing behind them.
        var overdue = 0
        /// The lot's length when last read.
        var waiting = 0
        /// The lease, while this replica holds it.
        var lease: ParkingLease?
    }

    /// The log records go to when it takes them.
    public let inner: any EventLog
    /// Where records wait when it does not.
    public let lot: any ParkingLot
    /// This replica's name on the lot's lease.
    public let owner: String
    /// How long a publish may take before its record is parked instead.
    public let deadline: Duration
    /// How long the drain lease lasts unless renewed (the drainer renews it every round, and
    /// during a round while its publishes go through).
    public let leaseDuration: Duration
    /// How often an idle replica looks at the lot and tries for the lease.
    public let poll: Duration
    /// How many records one drain round reads from the head of the lot and publishes.
    public let roundSize: Int
    /// The topics whose records of one item must reach Kafka one after another (those that
    /// carry ordering barriers); nil means every topic. A record of any other topic (an
    /// audit record, say) is published at once, beside its item's chain.
    public let orderedTopics: Set<String>?
    private let state = Locked(State())
    private let log: @Sendable (String) -> Void

    /// A log over `inner` that parks in `lot`, as `owner`.
    public init(
        inner: any EventLog, lot: any ParkingLot, owner: String, deadline: Duration = .seconds(5),
        leaseDuration: Duration = .seconds(10), poll: Duration = .milliseconds(250), roundSize: Int = 1_000,
        orderedTopics: Set<String>? = nil,
        log: @escaping @Sendable (String) -> Void = { Logger(["component": "parking"]).info($0) }
    ) {
        self.roundSize = max(1, roundSize)
        self.orderedTopics = orderedTopics
        self.inner = inner
        self.lot = lot
        self.owner = owner
        self.deadline = deadline
        self.leaseDuration = leaseDuration
        self.poll = poll
        self.log = log
    }

    /// Starts the background job: it seeks the lot's lease and, while it holds it, drains
    /// the lot (what an earlier run or another replica left in it, too).
    public func start() async {
        do {
            let waiting = try await lot.count()
            state.withLock { $0.waiting = waiting }
            if waiting > 0 { log("pawnshop: \(waiting) events parked in \(lot); they will be re-published") }
        } catch {
            log(
                "pawnshop: cannot read the parking lot \(lot) (\(error)); writes are refused until it answers"
            )
        }
        state.withLock { state in
            guard case .idle = state.mode else { return }
            state.mode = .running(Task { [self] in await run() })
        }
    }

    /// Stops the background job after the round in hand, waits for it and gives up the
    /// lease; parked records stay in the lot for another replica or the next start. Call it
    /// before closing the inner log.
    public func stop() async {
        let task = state.withLock { state -> Task<Void, Never>? in
            defer { state.mode = .stopped }
            guard case .running(let task) = state.mode else { return nil }
            task.cancel()
            return task
        }
        await task?.value
    }

    /// Stops re-publishing (``stop()``), then closes the inner log.
    public func close() async {
        await stop()
        await inner.close()
    }

    /// Counts for `/metrics` and readiness: records waiting in the lot (as last read, plus
    /// appends under way), and records parked and re-published by this process.
    public var counts: ParkingCounts {
        state.withLock {
            ParkingCounts(
                waiting: $0.waiting + $0.appendingKeys.values.reduce(0, +), parked: $0.parked,
                republished: $0.republished,
                deadLetters: $0.buried, republishError: $0.drainError?.description, overdue: $0.overdue)
        }
    }

    /// ``counts``.
    public var parkingCounts: ParkingCounts? { counts }

    /// Kafka's reachability; writes are taken while the lot answers even when Kafka does not.
    public func status() async -> EventLogStatus {
        let reachable = await inner.isReachable()
        let takesWrites = reachable ? true : (try? await lot.count()) != nil
        return EventLogStatus(reachable: reachable, takesWrites: takesWrites, parking: counts)
    }

    /// Publishes, or parks when Kafka fails or is slower than ``deadline`` (or while the
    /// item has records in the lot). Throws only when the record could be neither published
    /// nor parked, when the lot cannot say whether the item has parked records, or when
    /// Kafka refused it for good (it would block the lot forever).
    public func take(topic: String, key: String, value: [UInt8], headers: [String: String])
        async throws(EventLogError) -> WriteOutcome
    {
        var reason = state.withLock { state -> String? in
            if (state.appendingKeys[key] ?? 0) > 0 { return "item has events parked" }
            if state.brokerDown { return "kafka down" }
            return state.overdue > 0 ? "publishes overdue" : nil
        }
        var park = reason != nil
        if !park {
            do {
                park = try await lot.holdsRecords(of: key)
                if park { reason = "item has events parked" }
            } catch {
                throw EventLogError(
                    .unavailable, "cannot tell whether the item has events parked in \(lot): \(error)")
            }
        }
        if !park {
            switch await publishWithDeadline(topic: topic, key: key, value: value, headers: headers) {
            case .success(let position):
                state.withLock { $0.brokerDown = false }
                return .published(partition: position.partition, offset: position.offset)
            case .failure(let error) where error.code == .recordRefused:
                throw error
            case .failure(let error):
                state.withLock { $0.brokerDown = true }
                reason = "kafka \(error.code.rawValue)"
                log("pawnshop: Kafka did not take a record (\(error)); parking it in \(lot)")
            }
        }
        // In the write's trace (its publish span, from the headers): the append to the lot.
        let span = Tracer.start(
            "\(topic) park", kind: .producer,
            parent: TraceContext(
                traceparent: headers[TraceContext.traceparentName],
                tracestate: headers[TraceContext.tracestateName]),
            attributes: [
                ("messaging.destination.name", .string(topic)),
                ("pawnshop.parking.lot", .string(lot.description)),
                ("pawnshop.parking.reason", .string(reason ?? "unknown")),
            ])
        var record = Wire.ParkedRecord()
        record.topic = topic
        record.key = key
        record.value = value
        record.headers = headers.sorted { $0.key < $1.key }.map {
            Wire.RecordHeader(name: $0.key, value: $0.value)
        }
        record.parkedAtMicros = WallClock.microseconds()
        // The item counts as parked from now: its next write must not overtake this append.
        state.withLock {
            $0.appendingKeys[key, default: 0] += 1
        }
        var failure: ParkingLotError?
        do {
            try await lot.append(record.serializedBytes(), item: key)
        } catch {
            failure = error
        }
        let appended = failure == nil
        state.withLock { state in
            state.appendingKeys[key, default: 1] -= 1
            if state.appendingKeys[key]! <= 0 { state.appendingKeys[key] = nil }
            if appended {
                state.parked += 1
                state.waiting += 1
            }
        }
        if let failure {
            span.end(status: .error(failure.description))
            throw EventLogError(
                .unavailable, "Kafka cannot take the event and neither can \(lot): \(failure)")
        }
        span.end()
        return .parked
    }

    public func publish(topic: String, key: String, value: [UInt8], headers: [String: String])
        async throws(EventLogError) -> (partition: Int, offset: Int64)
    {
        switch try await take(topic: topic, key: key, value: value, headers: headers) {
        case .published(let partition, let offset): (partition, offset)
        case .parked: (-1, -1)
        }
    }

    public func consumer(group: String, topics: [String]) async throws(EventLogError) -> any EventConsumer {
        try await inner.consumer(group: group, topics: topics)
    }

    public func isReachable() async -> Bool { await inner.isReachable() }

    // MARK: - Re-publishing

    /// The background job: seek the lease every ``poll``; while holding it, drain the lot.
    private func run() async {
        // Pauses stay well inside the lease, which is renewed once per turn.
        var backoff = Backoff(
            initial: .milliseconds(100), maximum: min(.seconds(5), leaseDuration / 3), jitter: false)
        job: while !Task.isCancelled {
            guard let lease = await currentLease() else {
                await watchBroker()
                try? await Task.sleep(for: poll)
                continue
            }
            let began = ContinuousClock.now
            let outcome = await drainRound(holding: lease)
            report(outcome, took: ContinuousClock.now - began)
            switch outcome {
            case .empty:
                await watchBroker()
                try? await Task.sleep(for: poll)
            case .progress:
                backoff.reset()
            case .failed:
                try? await Task.sleep(for: backoff.next())
            case .leaseLost:
                log("pawnshop: lost the lease on \(lot) (\(lease)); another replica drains it")
                state.withLock { $0.lease = nil }
            case .closed:
                break job
            }
        }
        if let lease = state.withLock({ state -> ParkingLease? in
            defer { state.lease = nil }
            return state.lease
        }) {
            try? await lot.release(lease)
        }
    }

    /// Rounds since the last progress line, and where they spent their time.
    private struct Rounds {
        var since = ContinuousClock.now
        var count = 0
        var failed = 0
        var longest = Duration.zero
        var republishedBefore = 0
        var reading = Duration.zero
        var publishing = Duration.zero
        var removing = Duration.zero
        var chains = 0
    }
    private let rounds = Locked(Rounds())

    /// While the lot drains, a line every 5 s: what the rounds did and what still waits
    /// (how an operator tells a slow drain from a stuck one, and where its time goes).
    private func report(_ outcome: RoundOutcome, took: Duration) {
        let (republished, waiting, overdue) = state.withLock { ($0.republished, $0.waiting, $0.overdue) }
        guard outcome != .empty else {
            // Idle: the next line covers the drain from its first round.
            rounds.withLock { $0 = Rounds(since: .now, republishedBefore: republished) }
            return
        }
        let line = rounds.withLock { rounds -> String? in
            rounds.count += 1
            if outcome != .progress { rounds.failed += 1 }
            rounds.longest = max(rounds.longest, took)
            let now = ContinuousClock.now
            guard now - rounds.since >= .seconds(5) else { return nil }
            let seconds = Double((now - rounds.since).milliseconds) / 1_000
            let done = republished - rounds.republishedBefore
            defer { rounds = Rounds(since: now, republishedBefore: republished) }
            return
                "pawnshop: drain of \(lot): \(done) re-published in \(Int(seconds.rounded())) s "
                + "(\(Int((Double(done) / seconds).rounded()))/s), \(rounds.count) rounds (\(rounds.failed) short), "
                + "longest \(rounds.longest) (reading \(rounds.reading), publishing \(rounds.publishing) "
                + "in \(rounds.chains) chains, removing \(rounds.removing)); \(waiting) waiting, "
                + "\(overdue) direct publishes overdue"
        }
        if let line { log(line) }
    }

    /// The lease, renewed; or newly acquired when nobody holds it; nil while another replica
    /// holds it (or the lot does not answer).
    private func currentLease() async -> ParkingLease? {
        if let lease = state.withLock({ $0.lease }) {
            if (try? await lot.renew(lease, duration: leaseDuration)) == true { return lease }
            log("pawnshop: lost the lease on \(lot) (\(lease)); another replica drains it")
            state.withLock { $0.lease = nil }
            return nil
        }
        guard let lease = try? await lot.acquireLease(owner: owner, duration: leaseDuration) else {
            if let waiting = try? await lot.count() { state.withLock { $0.waiting = waiting } }
            return nil
        }
        state.withLock { $0.lease = lease }
        if let waiting = try? await lot.count(), waiting > 0 {
            log("pawnshop: drain lease \(lease) on \(lot), which holds \(waiting) events; re-publishing them")
        }
        return lease
    }

    /// While every write parks because Kafka was failing, asks whether it is back.
    private func watchBroker() async {
        guard state.withLock({ $0.brokerDown }) else { return }
        if await inner.isReachable() {
            state.withLock { $0.brokerDown = false }
            log("pawnshop: Kafka answers again; writes of items with nothing parked go to it directly")
        }
    }

    private enum RoundOutcome { case empty, progress, failed, leaseLost, closed }

    /// Re-publishes one round from the head of the lot: its first ``roundSize`` records, one
    /// chain per item, the chains all at once and each chain in order (an item's next record must get
    /// its barrier after the one before it was acknowledged); then removes, in order, the
    /// prefix that was acknowledged.
    private func drainRound(holding lease: ParkingLease) async -> RoundOutcome {
        let batch: [[UInt8]]
        do {
            let reading = ContinuousClock.now
            batch = try await lot.first(roundSize)
            rounds.withLock { $0.reading += ContinuousClock.now - reading }
        } catch {
            log("pawnshop: cannot read the parking lot \(lot): \(error)")
            return .failed
        }
        if batch.isEmpty {
            let wasWaiting = state.withLock { state in
                defer { state.waiting = 0 }
                return state.waiting > 0
            }
            if wasWaiting { log("pawnshop: parking lot \(lot) is empty") }
            return .empty
        }
        let round = batch.map { (bytes: $0, record: try? Wire.ParkedRecord(serializedBytes: $0)) }
        // One chain per item, in lot order; the chains run at once, each record of a chain
        // after the one before it was acknowledged.
        var chains: [String: [Int]] = [:]
        var chainOrder: [String] = []
        for (index, entry) in round.enumerated() {
            guard let record = entry.record else { continue }
            // A record of an unordered topic is a chain of its own (a key no item has).
            let ordered = orderedTopics?.contains(record.topic) ?? true
            let key = ordered ? "k" + record.key : "#\(index)"
            if chains[key] == nil { chainOrder.append(key) }
            chains[key, default: []].append(index)
        }
        let (inner, state) = (self.inner, self.state)
        // A round may outlast the lease (a slow broker, long chains). The lease is renewed
        // during the round only while publishes go through: a replica whose Kafka hangs
        // stops renewing and gives the lot up to one that can drain it (its removal is then
        // fenced off, and the records it did publish are published again; workers apply an
        // eventId once), while a slow but working one keeps it (without this, a round longer
        // than the lease was fenced off every time, and the lot never emptied). The chain
        // whose acknowledgement finds the last renewal a third of the lease old renews it,
        // before its next record: no timer of its own, which a busy cooperative pool could
        // wake too late.
        let renewedAt = Locked(ContinuousClock.now)  // currentLease() renewed it just now
        let renewEvery = leaseDuration / 3
        let renew: @Sendable () async -> Void = { [lot, leaseDuration] in
            let due = renewedAt.withLock { last in
                let now = ContinuousClock.now
                guard now - last >= renewEvery else { return false }
                last = now
                return true
            }
            if due { _ = try? await lot.renew(lease, duration: leaseDuration) }
        }
        let publishing = ContinuousClock.now
        let outcomes = await withTaskGroup(of: [(Int, EventLogError?)].self) { group in
            for key in chainOrder {
                let chain = chains[key]!.map { ($0, round[$0].record!) }
                group.addTask {
                    // Each re-publish is a producer span in its write's trace; the record carries
                    // the span's context, so the worker's processing follows it.
                    var spans: [ActiveSpan] = []
                    let records = chain.map { _, record in
                        var headers = Dictionary(
                            record.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
                        let span = Self.republishSpan(record.topic, headers)
                        spans.append(span)
                        if headers[TraceContext.traceparentName] != nil {
                            headers[TraceContext.traceparentName] = span.context.traceparent
                        }
                        return OutgoingRecord(
                            topic: record.topic, key: record.key, value: record.value, headers: headers)
                    }

                    // No deadline here: librdkafka's delivery timeout bounds the wait, and a
                    // broker that is slow but up must still drain the lot. After a failure the
                    // item's later records wait for the next round.
                    let (positions, error) = await inner.publishInOrder(records) {
                        // Kafka takes records again: new writes may try it at once.
                        state.withLock { $0.brokerDown = false }
                        await renew()
                    }
                    var done: [(Int, EventLogError?)] = chain.prefix(positions.count).map { ($0.0, nil) }
                    for span in spans.prefix(positions.count) { span.end() }
                    if let error {  // the record after the last published one
                        done.append((chain[positions.count].0, error))
                        spans[positions.count].end(status: .error(error.message))
                    }
                    // The records after it were not attempted: their spans are not recorded.
                    return done
                }
            }
            // An index missing from the answer was not attempted.
            var answers: [Int: EventLogError?] = [:]
            for await done in group {
                for (index, error) in done { answers[index] = error }
            }
            return answers
        }
        var handled = 0
        var closed = false
        var buried = 0
        results: for (index, entry) in round.enumerated() {
            guard entry.record != nil else {
                log("pawnshop: moving an unreadable record from \(lot) to its dead letters")
                if (try? await lot.bury(entry.bytes)) == nil { break }
                handled += 1
                continue
            }
            guard let outcome = outcomes[index] else { break }  // not attempted: its item failed before it
            guard let error = outcome else {
                handled += 1
                state.withLock {
                    $0.drainError = nil
                    $0.brokerDown = false
                }
                continue
            }
            switch error.code {
            case .closed:
                closed = true
                break results
            case .recordRefused:
                // Kafka refuses this record whatever we do (too large, say): kept for people
                // in the dead letters, not dropped, and not blocking the records behind it.
                log("pawnshop: Kafka refused a parked record (\(error)); moved to \(lot)'s dead letters")
                if (try? await lot.bury(entry.bytes)) == nil { break results }
                buried += 1
                handled += 1
            default:
                // The producer's trouble, not the record's (a fatal producer error, an
                // authorization or unknown-topic error, a timeout): the record stays at the
                // head and is tried again with backoff; nothing is moved aside. Those behind
                // it that went through are published again later (workers apply an eventId
                // once).
                let first = state.withLock { state in
                    defer {
                        state.drainError = error
                        state.brokerDown = true
                    }
                    return state.drainError == nil
                }
                if first { log("pawnshop: cannot re-publish from \(lot) (\(error)); retrying with backoff") }
                break results
            }
        }
        rounds.withLock { [count = chainOrder.count] in
            $0.publishing += ContinuousClock.now - publishing
            $0.chains += count
        }
        let removing = ContinuousClock.now
        defer { rounds.withLock { $0.removing += ContinuousClock.now - removing } }
        if handled > 0 {
            let items = round.prefix(handled).map { $0.record?.key ?? "" }
            do {
                guard try await lot.removeFirst(items, holding: lease) else { return .leaseLost }
            } catch {
                // Published but not removed: they will be published again, which workers
                // ignore (same eventId).
                log("pawnshop: cannot remove re-published records from \(lot): \(error)")
                return .failed
            }
            state.withLock { state in
                state.republished += handled
                state.buried += buried
                state.waiting = max(0, state.waiting - handled)
            }
        }
        if closed { return .closed }
        return handled < round.count ? .failed : .progress
    }

    // MARK: - Deadline

    /// Where a direct publish stands against its deadline.
    private enum Progress { case waiting, answered, overdue }

    /// `inner.publish`, or a timeout error after ``deadline`` (the publish itself goes on:
    /// librdkafka keeps the record until its own delivery timeout, and it counts in
    /// `overdue` until the broker answers it).
    ///
    /// Without that count, a producer that fell behind under load went on taking direct
    /// publishes it could not deliver in time: each was parked too, so re-published a second
    /// time later, and the work grew with the backlog (#18: at 500 writes/s the lot ran away).
    /// A producer span for re-publishing a parked record of `topic`, in the trace its headers name.
    static func republishSpan(_ topic: String, _ headers: [String: String]) -> ActiveSpan {
        Tracer.start(
            "\(topic) republish", kind: .producer,
            parent: TraceContext(
                traceparent: headers[TraceContext.traceparentName],
                tracestate: headers[TraceContext.tracestateName]),
            attributes: [
                ("messaging.system", "kafka"), ("messaging.destination.name", .string(topic)),
                ("messaging.operation.type", "send"),
                ("messaging.message.id", .string(headers[Topics.eventIdHeader] ?? "")),
            ])
    }

    private func publishWithDeadline(topic: String, key: String, value: [UInt8], headers: [String: String])
        async -> Result<(partition: Int, offset: Int64), EventLogError>
    {
        let (inner, deadline, state) = (self.inner, self.deadline, self.state)
        let progress = Locked(Progress.waiting)
        return await withCheckedContinuation { continuation in
            let timer = Task {
                try? await Task.sleep(for: deadline)
                guard !Task.isCancelled else { return }
                // The count moves under `progress`, so the answer cannot uncount it first.
                let late = progress.withLock { progress in
                    guard progress == .waiting else { return false }
                    progress = .overdue
                    state.withLock { $0.overdue += 1 }
                    return true
                }
                if late {
                    continuation.resume(
                        returning: .failure(
                            EventLogError(.unavailable, "Kafka did not acknowledge within \(deadline)")))
                }
            }
            Task {
                let result: Result<(partition: Int, offset: Int64), EventLogError>
                do throws(EventLogError) {
                    result = .success(
                        try await inner.publish(topic: topic, key: key, value: value, headers: headers))
                } catch {
                    result = .failure(error)
                }
                timer.cancel()
                let first = progress.withLock { progress in
                    defer { progress = .answered }
                    if progress == .overdue { state.withLock { $0.overdue -= 1 } }
                    return progress == .waiting
                }
                if first { continuation.resume(returning: result) }
            }
        }
    }
}
