import Foundation
import PawnIO
import PawnPorts
import PawnProtocol

/// An event log that never loses an accepted write when Kafka is down or slow.
///
/// A publish that fails, or takes longer than ``deadline``, is parked in a `ParkingLot`
/// (a Redis list) and counts as accepted; a background job re-publishes parked records in
/// order, up to 100 in flight (no item twice in one round), with backoff, and removes each
/// only after the broker acknowledged it (a record
/// the broker took twice, because the first attempt outlived its deadline or the job
/// stopped between publishing and removing, is harmless: workers apply an `eventId` once).
///
/// While an item has records parked, its new writes are parked behind them instead of going
/// straight to Kafka, which keeps the item's order (a record re-published later gets its
/// ordering barrier then, after its item's earlier records were acknowledged); writes of
/// other items go straight to Kafka, so the lot only has to carry what Kafka missed (while
/// the last publish failed, though, every write parks at once rather than wait out the
/// deadline). Records
/// left by an earlier run are of unknown items: until the lot has been emptied once, every
/// write parks.
public final class ParkingEventLog: EventLog {
    /// Where writes go, and what runs in the background.
    private enum Mode {
        /// Nothing is parked: writes go straight to Kafka.
        case direct
        /// The lot may hold records: writes park behind them while `republisher` drains it.
        case draining(republisher: Task<Void, Never>)
        /// ``stop()`` was called: nothing is re-published; writes park when `parking`
        /// (the lot may hold records), else go to Kafka.
        case stopped(parking: Bool)

        /// Whether the lot may hold records.
        var parks: Bool {
            switch self {
            case .direct, .stopped(parking: false): false
            case .draining, .stopped(parking: true): true
            }
        }

        /// Whether a re-publisher runs.
        var isDraining: Bool {
            if case .draining = self { return true }
            return false
        }
    }

    private struct State {
        var mode = Mode.direct
        /// Appends under way, and appends ever started (to tell an empty lot from one whose
        /// append has not landed yet).
        var appending = 0
        var appendsStarted = 0
        /// Records parked by this process, re-published from the lot and moved to the dead
        /// letters, since start.
        var parked = 0
        var republished = 0
        var buried = 0
        /// Why the last re-publish failed, while the failure lasts.
        var drainError: EventLogError?
        /// Records in the lot (or being appended) per item, as this process parked them: a
        /// write of such an item parks behind them; any other goes straight to Kafka.
        var parkedKeys: [String: Int] = [:]
        /// The lot holds records this process did not park (an earlier run's): until it has
        /// been emptied once, every write parks, since their items are not known.
        var unknownLot = false
        /// The last attempt to publish (a write's or the drain's) failed: while Kafka is away,
        /// every write parks at once instead of waiting out the deadline first.
        var brokerDown = false

        /// Whether a write of `key` must park: its item has records in the lot, or the lot
        /// may hold records and either their items are unknown, Kafka was just failing, or
        /// nothing drains the lot (stopped).
        func mustPark(_ key: String) -> Bool {
            if (parkedKeys[key] ?? 0) > 0 { return true }
            return mode.parks && (unknownLot || brokerDown || !mode.isDraining)
        }
        /// The lot's length when last read.
        var waiting = 0
    }

    /// The log records go to when it takes them.
    public let inner: any EventLog
    /// Where records wait when it does not.
    public let lot: any ParkingLot
    /// How long a publish may take before its record is parked instead.
    public let deadline: Duration
    private let state = Locked(State())
    private let log: @Sendable (String) -> Void

    /// A log over `inner` that parks in `lot`.
    public init(
        inner: any EventLog, lot: any ParkingLot, deadline: Duration = .seconds(5),
        log: @escaping @Sendable (String) -> Void = { print($0) }
    ) {
        self.inner = inner
        self.lot = lot
        self.deadline = deadline
        self.log = log
    }

    /// Re-publishes what an earlier run left in the lot. When the lot cannot be read now,
    /// writes are parked (and so refused while Redis is away) until it can: going straight
    /// to Kafka could overtake an item's older parked events.
    public func start() async {
        do {
            let waiting = try await lot.count()
            guard waiting > 0 else { return }
            log("pawnshop: \(waiting) parked events in \(lot) from an earlier run; re-publishing them")
            state.withLock {
                $0.waiting = waiting
                $0.unknownLot = true
            }
        } catch {
            log(
                "pawnshop: cannot read the parking lot \(lot) (\(error)); parking writes until it can be read"
            )
            state.withLock { $0.unknownLot = true }
        }
        startDraining()
    }

    /// Stops the re-publisher after the record in hand and waits for it; parked records stay
    /// in the lot for the next start. Call it before closing the inner log.
    public func stop() async {
        let task = state.withLock { state -> Task<Void, Never>? in
            switch state.mode {
            case .direct:
                state.mode = .stopped(parking: false)
                return nil
            case .draining(let republisher):
                republisher.cancel()
                state.mode = .stopped(parking: true)
                return republisher
            case .stopped:
                return nil
            }
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
                waiting: $0.waiting + $0.appending, parked: $0.parked, republished: $0.republished,
                deadLetters: $0.buried, republishError: $0.drainError?.description)
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

    /// Publishes, or parks when Kafka fails or is slower than ``deadline`` (or while older
    /// records are parked). Throws only when the record could be neither published nor
    /// parked, or when Kafka refused it for good (it would block the lot forever).
    public func take(topic: String, key: String, value: [UInt8], headers: [String: String])
        async throws(EventLogError) -> WriteOutcome
    {
        if !state.withLock({ $0.mustPark(key) }) {
            switch await publishWithDeadline(topic: topic, key: key, value: value, headers: headers) {
            case .success(let position):
                state.withLock { $0.brokerDown = false }
                return .published(partition: position.partition, offset: position.offset)
            case .failure(let error) where error.code == .recordRefused:
                throw error
            case .failure(let error):
                state.withLock { $0.brokerDown = true }
                log("pawnshop: Kafka did not take a record (\(error)); parking it in \(lot)")
            }
        }
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
            $0.appending += 1
            $0.appendsStarted += 1
            $0.parkedKeys[key, default: 0] += 1
        }
        do {
            try await lot.append(record.serializedBytes())
        } catch {
            state.withLock { state in
                state.appending -= 1
                state.parkedKeys[key, default: 1] -= 1
                if state.parkedKeys[key]! <= 0 { state.parkedKeys[key] = nil }
            }
            throw EventLogError(.unavailable, "Kafka cannot take the event and neither can \(lot): \(error)")
        }
        state.withLock {
            $0.appending -= 1
            $0.parked += 1
            $0.waiting += 1
        }
        startDraining()
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

    private func startDraining() {
        state.withLock { state in
            switch state.mode {
            case .direct: state.mode = .draining(republisher: Task { [self] in await drain() })
            case .draining, .stopped(parking: true): break
            case .stopped(parking: false): state.mode = .stopped(parking: true)
            }
        }
    }

    private func drain() async {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5), jitter: false)
        func pause() async { try? await Task.sleep(for: backoff.next()) }
        while !Task.isCancelled {
            let startedBefore = state.withLock { $0.appendsStarted }
            let batch: [[UInt8]]
            do {
                batch = try await lot.first(100)
            } catch {
                log("pawnshop: cannot read the parking lot \(lot): \(error)")
                await pause()
                continue
            }
            if batch.isEmpty {
                let done = state.withLock { state in
                    guard state.appending == 0, state.appendsStarted == startedBefore,
                        case .draining = state.mode
                    else { return false }
                    state.mode = .direct
                    state.waiting = 0
                    state.unknownLot = false
                    state.parkedKeys = [:]
                    return true
                }
                if done {
                    log("pawnshop: parking lot \(lot) is empty; publishing to Kafka directly again")
                    return
                }
                try? await Task.sleep(for: .milliseconds(20))
                continue
            }
            if Task.isCancelled { return }
            // Many in flight at once: the head of the batch in which no item appears twice (an
            // item's next record must get its barrier after this one was acknowledged, so it
            // waits for the next round). Records are removed only once acknowledged, in order.
            var round: [(bytes: [UInt8], record: Wire.ParkedRecord?)] = []
            var keys: Set<String> = []
            for bytes in batch {
                let record = try? Wire.ParkedRecord(serializedBytes: bytes)
                if let record, !keys.insert(record.key).inserted { break }
                round.append((bytes, record))
            }
            let inner = self.inner
            let outcomes = await withTaskGroup(of: (Int, EventLogError?).self) { group in
                for (index, entry) in round.enumerated() {
                    guard let record = entry.record else { continue }
                    group.addTask {
                        let headers = Dictionary(
                            record.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
                        // No deadline here: librdkafka's delivery timeout bounds the wait, and a
                        // broker that is slow but up must still drain the lot.
                        do throws(EventLogError) {
                            _ = try await inner.publish(
                                topic: record.topic, key: record.key, value: record.value, headers: headers)
                            return (index, nil)
                        } catch {
                            return (index, error)
                        }
                    }
                }
                var errors: [Int: EventLogError?] = [:]
                for await (index, error) in group { errors[index] = error }
                return errors
            }
            var handled = 0
            var stop = false
            results: for (index, entry) in round.enumerated() {
                guard entry.record != nil else {
                    log("pawnshop: moving an unreadable record from \(lot) to its dead letters")
                    if (try? await lot.bury(entry.bytes)) == nil { break }
                    handled += 1
                    continue
                }
                guard let error = outcomes[index] ?? nil else {
                    handled += 1
                    state.withLock {
                        $0.drainError = nil
                        $0.brokerDown = false
                    }
                    continue
                }
                switch error.code {
                case .closed:
                    stop = true
                    break results
                case .recordRefused:
                    // Kafka refuses this record whatever we do (too large, say): kept for
                    // people in the dead letters, not dropped, and not blocking the records
                    // behind it.
                    log("pawnshop: Kafka refused a parked record (\(error)); moved to \(lot)'s dead letters")
                    if (try? await lot.bury(entry.bytes)) == nil { break results }
                    state.withLock { $0.buried += 1 }
                    handled += 1
                default:
                    // The producer's trouble, not the record's (a fatal producer error, an
                    // authorization or unknown-topic error, a timeout): the record stays at
                    // the head and is tried again with backoff; nothing is moved aside. Those
                    // behind it that went through are published again later (workers apply
                    // an eventId once).
                    let first = state.withLock { state in
                        defer {
                            state.drainError = error
                            state.brokerDown = true
                        }
                        return state.drainError == nil
                    }
                    if first {
                        log("pawnshop: cannot re-publish from \(lot) (\(error)); retrying with backoff")
                    }
                    break results
                }
            }
            if handled > 0 {
                do {
                    try await lot.removeFirst(handled)
                } catch {
                    // Published but not removed: they will be published again, which
                    // workers ignore (same eventId).
                    log("pawnshop: cannot remove re-published records from \(lot): \(error)")
                    await pause()
                    continue
                }
                state.withLock { state in
                    state.republished += handled
                    state.waiting = max(0, state.waiting - handled)
                    // Removed, so acknowledged: their items' next writes may go to Kafka.
                    for entry in round.prefix(handled) {
                        guard let key = entry.record?.key, let count = state.parkedKeys[key] else { continue }
                        state.parkedKeys[key] = count > 1 ? count - 1 : nil
                    }
                }
                backoff.reset()
            }
            if stop { return }
            if handled < round.count { await pause() }
        }
    }

    // MARK: - Deadline

    /// `inner.publish`, or a timeout error after ``deadline`` (the publish itself goes on:
    /// librdkafka keeps the record until its own delivery timeout).
    private func publishWithDeadline(topic: String, key: String, value: [UInt8], headers: [String: String])
        async -> Result<(partition: Int, offset: Int64), EventLogError>
    {
        let inner = self.inner
        let deadline = self.deadline
        let once = Locked(false)
        return await withCheckedContinuation { continuation in
            let resume: @Sendable (Result<(partition: Int, offset: Int64), EventLogError>) -> Void = {
                result in
                let first = once.withLock { resumed in
                    defer { resumed = true }
                    return !resumed
                }
                if first { continuation.resume(returning: result) }
            }
            let timer = Task {
                try? await Task.sleep(for: deadline)
                if !Task.isCancelled {
                    resume(
                        .failure(EventLogError(.unavailable, "Kafka did not acknowledge within \(deadline)")))
                }
            }
            Task {
                do throws(EventLogError) {
                    let position = try await inner.publish(
                        topic: topic, key: key, value: value, headers: headers)
                    resume(.success(position))
                } catch {
                    resume(.failure(error))
                }
                timer.cancel()
            }
        }
    }
}
