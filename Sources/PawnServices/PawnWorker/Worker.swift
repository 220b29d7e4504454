import PawnDomain
import PawnIO
import PawnLog
import PawnMetrics
import PawnPorts
import PawnTelemetry
import PawnTrace
import PawnWire
import Synchronization

/// A worker: consumes the action topics as a member of the workers' group, applies each
/// event to its item with the domain's state machine, stores the item and the event, and
/// only then commits the offsets. Redelivered events are no-ops (the event id is recorded
/// once), so at-least-once delivery applies each event effectively once.
public final class Worker: WorkerClient {
    /// The worker's id (its consumer-group member and its registry entry).
    public let id: String
    let log: any EventLog
    let store: any ItemStore
    let group: String
    /// How long records may wait with nothing applied before the pipeline counts as stalled.
    public let stallThreshold: Duration
    private let loop = Locked<Task<Void, Never>?>(nil)
    private let monitor = Locked<Task<Void, Never>?>(nil)
    private let pipeline = Locked(Pipeline())
    private let logger: Logger
    private let report: (@Sendable (String) -> Void)?

    /// What the consuming loop is doing, for ``pipelineStatus()``.
    private struct Pipeline {
        var consumer: (any EventConsumer)?
        /// The last time a batch was stored, or the pipeline had nothing to do.
        var lastProgress = ContinuousClock.now
        /// Records handed over by the consumer and not stored yet.
        var inHand = 0
        var stalled = false
        /// The consumer's order give-ups when last looked at (a log line for each rise).
        var orderGiveUps = 0
    }
    /// Events applied and rejected since start, for metrics and tests.
    public let applied = AtomicCounter()
    /// Events rejected since start.
    public let rejected = AtomicCounter()
    /// Its events by outcome and rejection code, its batches' sizes and store times
    /// (`Metrics.Family.workerEvents` and the other worker families of PawnMetrics), labelled with its id.
    public let metrics: Metrics

    /// A worker consuming `log` as a member of `group`, storing into `store`; call ``start()``.
    /// The pipeline counts as stalled when records wait and none was stored for
    /// `stallThreshold`. What it reports (when it stalls and moves again, a failed batch, a
    /// record skipped) goes to the process's log, or to `report` instead when one is given.
    /// It records into `metrics` (one the process shares, or its own).
    public init(
        id: String, log: any EventLog, store: any ItemStore, group: String = "pawnshop-workers",
        stallThreshold: Duration = .seconds(30), metrics: Metrics = Metrics(),
        report: (@Sendable (String) -> Void)? = nil
    ) {
        self.id = id
        self.metrics = metrics
        self.log = log
        self.store = store
        self.group = group
        self.stallThreshold = stallThreshold
        self.report = report
        logger = Logger(["component": "worker", "worker_id": .string(id)])
        // At zero from the start, so that a dashboard's rate() has a series before the first failure.
        metrics.add(.workerBatchesFailed, ["worker": id], 0)
    }

    /// Writes `message` to the log at `level`, or hands it to `report` when there is one.
    private func note(_ level: LogLevel, _ message: @autoclosure () -> String, _ error: (any Error)? = nil) {
        if let report {
            report(message() + (error.map { ": \($0)" } ?? ""))
        } else if let error {
            logger.log(level, message(), ["error": .string("\(error)")])
        } else {
            logger.log(level, message())
        }
    }

    // MARK: - Progress

    /// The pipeline's state from memory: lag, records held, and whether it is stalled (records
    /// wait, on the log or fetched, and none was stored for ``stallThreshold``). Nothing here
    /// reads a producer's clock or needs a dispatcher.
    public func pipelineStatus(now: ContinuousClock.Instant = .now) -> PipelineStatus {
        let (consumer, lastProgress, inHand) = pipeline.withLock { ($0.consumer, $0.lastProgress, $0.inHand) }
        let progress = consumer?.progress() ?? ConsumerProgress()
        let waiting = progress.totalLag > 0 || progress.held > 0 || inHand > 0
        let idle = now - lastProgress
        return PipelineStatus(
            stalled: waiting && idle >= stallThreshold, lag: progress.lag, held: progress.held + inHand,
            oldestUnapplied: progress.oldestHeld, sinceProgress: waiting ? idle : .zero,
            waits: progress.waits, orderGiveUps: progress.orderGiveUps)
    }

    /// Checks the pipeline every `interval` and reports when it stalls and when it moves again.
    private func watch(every interval: Duration) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let status = pipelineStatus()
            let (changed, gaveUp) = pipeline.withLock { state in
                defer {
                    state.stalled = status.stalled
                    state.orderGiveUps = status.orderGiveUps
                }
                return (state.stalled != status.stalled, status.orderGiveUps - state.orderGiveUps)
            }
            if gaveUp > 0 {
                note(
                    .warning,
                    "released \(gaveUp) records without proof of their order: their predecessors on a sibling partition never came (\(status.orderGiveUps) since start)"
                )
            }
            guard changed else { continue }
            if status.stalled {
                let lagging = status.lag.filter { $0.value > 0 }.sorted {
                    $0.key.description < $1.key.description
                }
                note(
                    .warning,
                    "stalled: nothing stored for \(status.sinceProgress) while \(status.totalLag) records wait on the log and \(status.held) are held (\(lagging.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))"
                        + (status.waits.isEmpty ? "" : "; \(status.waits.joined(separator: "; "))")
                )
            } else {
                note(.notice, "moving again")
            }
        }
    }

    // MARK: - Consuming

    /// Joins the group and starts consuming in the background.
    public func start() async throws(EventLogError) {
        let consumer = try await log.consumer(group: group, topics: Topics.actionTopics)
        pipeline.withLock {
            $0.consumer = consumer
            $0.lastProgress = .now
        }
        let task = Task { [self] in await run(consumer) }
        loop.withLock { $0 = task }
        let interval = max(.milliseconds(10), min(.seconds(1), stallThreshold / 4))
        let watcher = Task { [self] in await watch(every: interval) }
        monitor.withLock { $0 = watcher }
    }

    /// Stops consuming after the batch in hand and leaves the group.
    public func stop() async {
        let task = loop.withLock { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
        let watcher = monitor.withLock { task in
            defer { task = nil }
            return task
        }
        watcher?.cancel()
        await watcher?.value
    }

    private func run(_ first: any EventConsumer) async {
        var consumer = first
        var backoff = Backoff()
        while !Task.isCancelled {
            do {
                let records = try await consumer.poll(maxRecords: 500, timeout: .milliseconds(100))
                guard !records.isEmpty else {
                    // Nothing to do is progress too, unless records wait behind others.
                    let progress = consumer.progress()
                    if progress.totalLag == 0 && progress.held == 0 {
                        pipeline.withLock { $0.lastProgress = .now }
                    }
                    continue
                }
                pipeline.withLock { $0.inHand = records.count }
                let offsets = try await process(records)
                try await consumer.commit(offsets)
                pipeline.withLock {
                    $0.inHand = 0
                    $0.lastProgress = .now
                }
                backoff.reset()
            } catch {
                metrics.add(.workerBatchesFailed, ["worker": id])
                // Nothing was committed: leave and rejoin, so the uncommitted records come
                // back from the last commit, after a pause that grows while failures last.
                note(.warning, "a batch failed, rejoining", error)
                pipeline.withLock { $0.inHand = 0 }
                await consumer.close()
                try? await Task.sleep(for: backoff.next())
                while !Task.isCancelled {
                    do {
                        consumer = try await log.consumer(group: group, topics: Topics.actionTopics)
                        pipeline.withLock { [consumer] in $0.consumer = consumer }
                        break
                    } catch {
                        try? await Task.sleep(for: backoff.next())
                    }
                }
            }
        }
        await consumer.close()
    }

    /// Applies a batch in the order given (the event log's order: each item's events as
    /// they were published) and returns the offsets to commit.
    ///
    /// With a store that batches (MongoDB's bulk writes), the whole batch costs a
    /// handful of round trips: one read of the recorded event ids, one of the items, then
    /// the writes in the order that keeps a crash anywhere harmless — rejected events first
    /// (they change no item), then the items (conditional on their versions), then the
    /// applied events (a redelivered event the item already holds is recognised as a replay).
    /// Items whose write lost a version race are redone one event at a time.
    public func process(_ records: [LogRecord]) async throws(ItemStoreError) -> [TopicPartition: Int64] {
        var offsets: [TopicPartition: Int64] = [:]
        var events: [Event] = []
        // A record published in a trace is processed in it: a consumer span per event, and a
        // MongoDB span under it for the batch's store round trips.
        var consumed: [String: ActiveSpan] = [:]
        for record in records {
            let partition = TopicPartition(topic: record.topic, partition: record.partition)
            offsets[partition] = max(offsets[partition] ?? -1, record.offset)
            let parent = TraceContext(
                traceparent: record.headers[TraceContext.traceparentName],
                tracestate: record.headers[TraceContext.tracestateName])
            let event: Event
            do { event = try WireMapping.event(from: record) } catch {
                try await recordUndecodable(record, error, traceId: parent?.traceID.hex)
                continue
            }
            events.append(event)
            if let parent {
                consumed[event.eventId] = Tracer.start(
                    "\(record.topic) process", kind: .consumer, parent: parent,
                    attributes: [
                        ("messaging.system", "kafka"), ("messaging.destination.name", .string(record.topic)),
                        ("messaging.operation.type", "process"),
                        ("messaging.message.id", .string(event.eventId)),
                        ("messaging.destination.partition.id", .string(String(record.partition))),
                        ("messaging.kafka.offset", .int(record.offset)), ("pawnshop.worker.id", .string(id)),
                    ])
            }
        }
        let traces = consumed.mapValues { $0.context.traceID.hex }
        // Under each consumer span: the state machine's apply (with the outcome), and under
        // that the store write.
        var applies: [String: ActiveSpan] = [:]
        for event in events {
            guard let span = consumed[event.eventId] else { continue }
            applies[event.eventId] = Tracer.start(
                "apply \(event.action.kind.rawValue)", kind: .internal, parent: span.context,
                attributes: [
                    ("pawnshop.item.id", .string(event.itemId)),
                    ("pawnshop.event.id", .string(event.eventId)),
                ])
        }
        let system = store.databaseSystem
        let stores = applies.mapValues { span in
            Tracer.start(
                "\(system ?? "store") write", kind: .client, parent: span.context,
                attributes: (system.map { [("db.system", AttributeValue.string($0))] } ?? []) + [
                    ("db.operation.name", "write"), ("db.operation.batch.size", .int(Int64(events.count))),
                ])
        }
        var outcomes: [String: StoredEvent.Outcome] = [:]
        let started = ContinuousClock.now
        do {
            if events.count > 1 {
                try await applyBatch(events, traces: traces, outcomes: &outcomes)
            } else {
                for event in events {
                    try await apply(event, traceId: traces[event.eventId], outcomes: &outcomes)
                }
            }
        } catch {
            for spans in [stores, applies, consumed] {
                for span in spans.values { span.end(status: .error(error.description)) }
            }
            throw error
        }
        for span in stores.values { span.end() }
        record(events, outcomes, took: started.duration(to: .now))
        for spans in [applies, consumed] {
            for (eventId, span) in spans {
                let outcome: [(String, AttributeValue)] =
                    switch outcomes[eventId] {
                    case .applied?: [("pawnshop.outcome", "applied")]
                    case .rejected(let rejection)?:
                        [
                            ("pawnshop.outcome", "rejected"),
                            ("pawnshop.rejection.code", .string(rejection.code.rawValue)),
                        ]
                    case nil: [("pawnshop.outcome", "replay")]
                    }
                span.end(status: .unset, outcome)
            }
        }
        return offsets
    }

    /// Counts a stored batch's events by outcome (an event without one was recorded before: a
    /// replay), its rejections by code, its size and how long storing it took.
    private func record(_ events: [Event], _ outcomes: [String: StoredEvent.Outcome], took: Duration) {
        guard !events.isEmpty else { return }
        var counts = (applied: 0, rejected: 0, replay: 0)
        for event in events {
            switch outcomes[event.eventId] {
            case .applied?: counts.applied += 1
            case .rejected(let rejection)?:
                counts.rejected += 1
                metrics.add(.workerRejections, ["worker": id, "code": rejection.code.rawValue])
            case nil: counts.replay += 1
            }
        }
        metrics.add(.workerEvents, ["worker": id, "outcome": "applied"], counts.applied)
        metrics.add(.workerEvents, ["worker": id, "outcome": "rejected"], counts.rejected)
        metrics.add(.workerEvents, ["worker": id, "outcome": "replay"], counts.replay)
        metrics.observe(.workerBatchSize, ["worker": id], seconds: Double(events.count))
        metrics.observe(
            .workerStoreWrite, ["worker": id, "store": store.databaseSystem ?? "memory"],
            seconds: took.seconds)
    }

    /// An event's place in its item's history, from the item's version, not from any
    /// clock: the applied event that made version *v* sorts at `v << 20`, events rejected
    /// while the item was at version *v* just after it.
    static func sequence(appliedAt version: Int64) -> Int64 { version << 20 }

    /// See ``sequence(appliedAt:)``.
    static func sequence(rejectedAt version: Int64?) -> Int64 { ((version ?? 0) << 20) | 1 }

    private func applyBatch(
        _ batch: [Event], traces: [String: String], outcomes: inout [String: StoredEvent.Outcome]
    ) async throws(ItemStoreError) {
        let recorded = try await store.recordedEventIds(among: batch)
        var seen = recorded
        let fresh = batch.filter { seen.insert($0.eventId).inserted }
        guard !fresh.isEmpty else { return }
        let before = try await store.items(ids: Array(Set(fresh.map(\.itemId))))
        var current = before
        var changed: Set<String> = []
        var accepted: [StoredEvent] = []
        var refused: [StoredEvent] = []
        for event in fresh {
            switch transition(current[event.itemId], event) {
            case .success(let step):
                if !step.isReplay {
                    current[event.itemId] = step.item
                    changed.insert(event.itemId)
                }
                accepted.append(
                    StoredEvent(
                        event: step.event, outcome: .applied,
                        sequence: Self.sequence(appliedAt: step.item.version), traceId: traces[event.eventId])
                )
            case .failure(let rejection):
                refused.append(
                    StoredEvent(
                        event: event, outcome: .rejected(rejection),
                        sequence: Self.sequence(rejectedAt: current[event.itemId]?.version),
                        traceId: traces[event.eventId]))
            }
        }
        _ = rejected.add(try await store.record(refused))
        for stored in refused { outcomes[stored.event.eventId] = stored.outcome }
        let writes = changed.sorted().map {
            ItemWrite(item: current[$0]!, expectedVersion: before[$0]?.version ?? 0)
        }
        let conflicts = writes.isEmpty ? [] : try await store.save(writes)
        let stored = accepted.filter { !conflicts.contains($0.event.itemId) }
        _ = applied.add(try await store.record(stored))
        for event in stored { outcomes[event.event.eventId] = event.outcome }
        // Another writer changed these items meanwhile (a rebalance overlap): redo their
        // applied events against what is stored now.
        for event in fresh where conflicts.contains(event.itemId) {
            try await apply(event, traceId: traces[event.eventId], outcomes: &outcomes)
        }
    }

    /// A record that is not a valid event: recorded as rejected when it names an event,
    /// otherwise skipped (and logged) so that it cannot block its partition.
    private func recordUndecodable(_ record: LogRecord, _ error: WireMapping.MappingError, traceId: String?)
        async throws(ItemStoreError)
    {
        guard let eventId = error.eventId, let itemId = error.itemId, !eventId.isEmpty else {
            note(.warning, "skipping a record that names no event", error)
            return
        }
        let stand = Event(eventId: eventId, itemId: itemId, action: .forfeit(Forfeit(date: .min)))
        let rejection = Rejection(code: .invalidField, message: error.message)
        if try await store.record(
            StoredEvent(
                event: stand, outcome: .rejected(rejection), sequence: Self.sequence(rejectedAt: nil),
                traceId: traceId)
        ) {
            rejected.add(1)
            metrics.add(.workerEvents, ["worker": id, "outcome": "rejected"])
            metrics.add(.workerRejections, ["worker": id, "code": rejection.code.rawValue])
        }
    }

    private func apply(_ event: Event, traceId: String?, outcomes: inout [String: StoredEvent.Outcome])
        async throws(ItemStoreError)
    {
        if try await store.event(id: event.eventId) != nil { return }  // already done
        for _ in 0..<5 {
            let current = try await store.item(id: event.itemId)
            switch transition(current, event) {
            case .success(let step):
                if !step.isReplay {
                    do {
                        try await store.save(step.item, expectedVersion: current?.version ?? 0)
                    } catch  where error.code == .versionConflict {
                        continue  // another writer got there first: read again
                    }
                }
                if try await store.record(
                    StoredEvent(
                        event: step.event, outcome: .applied,
                        sequence: Self.sequence(appliedAt: step.item.version), traceId: traceId))
                {
                    applied.add(1)
                }
                outcomes[event.eventId] = .applied
                return
            case .failure(let rejection):
                if try await store.record(
                    StoredEvent(
                        event: event, outcome: .rejected(rejection),
                        sequence: Self.sequence(rejectedAt: current?.version), traceId: traceId))
                {
                    rejected.add(1)
                }
                outcomes[event.eventId] = .rejected(rejection)
                return
            }
        }
        throw ItemStoreError(
            .versionConflict, "item \(event.itemId) kept changing under event \(event.eventId)")
    }

    // MARK: - Reads

    public func fetchItem(id: String) async throws(WorkerError) -> ItemHistory? {
        do { return try await store.history(itemId: id) } catch {
            throw WorkerError(.unavailable, error.description)
        }
    }

    public func fetchItems(matching filter: ItemFilter, limit: Int, after: String?) async throws(WorkerError)
        -> ItemPage
    {
        do {
            return try await store.items(matching: filter, limit: limit, after: after)
        } catch {
            throw WorkerError(.unavailable, error.description)
        }
    }

    /// The store's database (`mongodb`), `nil` in memory.
    public var databaseSystem: String? { store.databaseSystem }

    public func eventStatus(eventId: String) async throws(WorkerError) -> EventStatusReport {
        let stored: StoredEvent?
        do { stored = try await store.event(id: eventId) } catch {
            throw WorkerError(.unavailable, error.description)
        }
        guard let stored else { return EventStatusReport(state: .pending) }
        switch stored.outcome {
        case .applied:
            return EventStatusReport(state: .applied, itemId: stored.event.itemId, traceId: stored.traceId)
        case .rejected(let rejection):
            return EventStatusReport(
                state: .rejected, itemId: stored.event.itemId, rejection: rejection, traceId: stored.traceId)
        }
    }
}

/// A worker's pipeline, as ``Worker/pipelineStatus(now:)`` reports it.
public struct PipelineStatus: Sendable, Hashable {
    /// Records wait and none was stored for the worker's stall threshold.
    public var stalled: Bool
    /// Records on the log not handed to the worker yet, per partition it consumes.
    public var lag: [TopicPartition: Int64]
    /// Records fetched and not stored yet (held back for order, or in the batch in hand).
    public var held: Int
    /// How long the oldest record held back has waited.
    public var oldestUnapplied: Duration?
    /// How long records have waited with nothing stored; zero when nothing waits.
    public var sinceProgress: Duration
    /// What the oldest records held back wait for, for people.
    public var waits: [String] = []
    /// Records the consumer released without proof of their order (their predecessors on a
    /// sibling partition never came within its give-up), since start.
    public var orderGiveUps = 0

    /// The sum of ``lag``.
    public var totalLag: Int64 { lag.values.reduce(0, +) }
}
