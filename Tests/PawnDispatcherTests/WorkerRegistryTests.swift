import PawnDispatcher
import PawnDomain
import PawnIO
import PawnPorts
import Testing

/// A worker the test scripts: its reads fail with UNAVAILABLE while `down`, block while
/// `holding` (to count calls in flight), and its health check answers `serving`.
final class ScriptedWorker: WorkerClient {
    let down = Locked(false)
    let serving = Locked(true)
    let reads = Locked(0)
    let closed = Locked(false)
    let gate = Locked<CheckedContinuation<Void, Never>?>(nil)

    func fetchItem(id: String) async throws(WorkerError) -> ItemHistory? {
        reads.withLock { $0 += 1 }
        if down.withLock({ $0 }) { throw WorkerError(.unavailable, "down") }
        return nil
    }

    func fetchItems(matching filter: ItemFilter, limit: Int, after: String?) async throws(WorkerError)
        -> ItemPage
    {
        await withCheckedContinuation { continuation in gate.withLock { $0 = continuation } }
        return ItemPage(items: [], next: nil)
    }

    func eventStatus(eventId: String) async throws(WorkerError) -> EventStatusReport {
        EventStatusReport(state: .pending)
    }

    func isServing() async -> Bool { serving.withLock { $0 } }
    func close() { closed.withLock { $0 = true } }
    func release() {
        gate.withLock {
            $0?.resume()
            $0 = nil
        }
    }
}

@Suite("Worker registry")
struct WorkerRegistryTests {
    func eventually(_ condition: () -> Bool) async throws {
        for _ in 0..<300 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition())
    }

    @Test("pick takes only ready workers, never the excluded one, and none when nobody is ready")
    func pickTakesReadyWorkers() {
        let registry = WorkerRegistry(onEvict: { _ in })
        #expect(registry.pick() == nil)
        registry.join(id: "a", client: ScriptedWorker(), ready: false)
        #expect(registry.pick() == nil, "a worker that has not passed its health check got a read")
        registry.join(id: "b", client: ScriptedWorker())
        for _ in 0..<50 { #expect(registry.pick()?.id == "b") }
        #expect(registry.pick(excluding: "b") == nil)
        registry.join(id: "c", client: ScriptedWorker())
        for _ in 0..<50 { #expect(registry.pick(excluding: "b")?.id == "c") }
    }

    @Test("of two workers, the one with fewer calls in flight gets the read")
    func pickPrefersTheLessBusy() async throws {
        let registry = WorkerRegistry(onEvict: { _ in })
        let a = ScriptedWorker()
        let b = ScriptedWorker()
        registry.join(id: "a", client: a)
        registry.join(id: "b", client: b)
        // Two workers only: the pair drawn is always {a, b}. Hold one call on whichever gets it.
        let held = Task {
            try await registry.read { client throws(WorkerError) in
                try await client.fetchItems(matching: .name("x"), limit: 1, after: nil)
            }
        }
        try await eventually { a.gate.withLock { $0 != nil } || b.gate.withLock { $0 != nil } }
        let busy = a.gate.withLock { $0 != nil } ? "a" : "b"
        for _ in 0..<50 { #expect(registry.pick()?.id != busy) }
        a.release()
        b.release()
        _ = try await held.value
    }

    @Test(
        "three UNAVAILABLE answers in a row evict a worker from reads; a passing health check brings it back")
    func evictionAfterThreeFailures() async throws {
        let evicted = Locked<[String]>([])
        let registry = WorkerRegistry(onEvict: { id in evicted.withLock { $0.append(id) } })
        let worker = ScriptedWorker()
        worker.down.withLock { $0 = true }
        worker.serving.withLock { $0 = false }
        let member = registry.join(id: "w", client: worker)
        for attempt in 1...3 {
            await #expect(throws: WorkerError.self) {
                _ = try await registry.read { client throws(WorkerError) in
                    try await client.fetchItem(id: "x")
                }
            }
            #expect(member.isReady == (attempt < 3), "after \(attempt) failures")
        }
        #expect(evicted.withLock { $0 } == ["w"])
        #expect(registry.readyCount == 0)
        #expect(registry.count == 1, "an evicted worker stays joined, waiting for its health check")
        await #expect(throws: WorkerError.self) {
            _ = try await registry.read { client throws(WorkerError) in try await client.fetchItem(id: "x") }
        }
        #expect(worker.reads.withLock { $0 } == 3, "a read went to an evicted worker")

        worker.down.withLock { $0 = false }
        worker.serving.withLock { $0 = true }
        try await eventually { member.isReady }
        _ = try await registry.read { client throws(WorkerError) in try await client.fetchItem(id: "x") }
        #expect(worker.reads.withLock { $0 } == 4)
    }

    @Test("failures that are not in a row do not evict")
    func successResetsTheCount() async throws {
        let registry = WorkerRegistry(onEvict: { _ in })
        let worker = ScriptedWorker()
        let member = registry.join(id: "w", client: worker)
        for _ in 0..<5 {
            worker.down.withLock { $0 = true }
            for _ in 0..<2 {
                _ = try? await registry.read { client throws(WorkerError) in
                    try await client.fetchItem(id: "x")
                }
            }
            worker.down.withLock { $0 = false }
            _ = try await registry.read { client throws(WorkerError) in try await client.fetchItem(id: "x") }
        }
        #expect(member.isReady)
    }

    @Test("an unavailable read is retried once on another worker")
    func retryOnAnother() async throws {
        let registry = WorkerRegistry(onEvict: { _ in })
        let down = ScriptedWorker()
        down.down.withLock { $0 = true }
        let up = ScriptedWorker()
        registry.join(id: "down", client: down)
        registry.join(id: "up", client: up)
        for _ in 0..<10 {
            _ = try await registry.read { client throws(WorkerError) in try await client.fetchItem(id: "x") }
        }
        #expect(up.reads.withLock { $0 } == 10)
    }

    @Test(
        "silent workers are removed and their connections closed; a re-join replaces and closes the old one")
    func silentWorkersAreRemoved() {
        let registry = WorkerRegistry(heartbeatTimeout: .seconds(6), onEvict: { _ in })
        let first = ScriptedWorker()
        registry.join(id: "w", client: first, address: "127.0.0.1:1")
        let second = ScriptedWorker()
        registry.join(id: "w", client: second, address: "127.0.0.1:1")
        #expect(first.closed.withLock { $0 })
        #expect(registry.count == 1)
        #expect(registry.evictSilent(now: .now + .seconds(5)).isEmpty)
        #expect(registry.heartbeat(id: "w"))
        #expect(registry.evictSilent(now: .now + .seconds(7)) == ["w"])
        #expect(second.closed.withLock { $0 })
        #expect(!registry.heartbeat(id: "w"), "a removed worker is told it is not known, so it re-joins")
    }

    @Test("admit marks a worker ready once its health check passes, and removes it when it never does")
    func admission() async throws {
        let registry = WorkerRegistry(onEvict: { _ in })
        let slow = ScriptedWorker()
        slow.serving.withLock { $0 = false }
        let member = registry.join(id: "slow", client: slow, address: "h:1", ready: false)
        let admission = Task { await registry.admit(member, attempts: 50) }
        try await Task.sleep(for: .milliseconds(150))
        #expect(!member.isReady)
        slow.serving.withLock { $0 = true }
        await admission.value
        #expect(member.isReady)

        let never = ScriptedWorker()
        never.serving.withLock { $0 = false }
        let hopeless = registry.join(id: "never", client: never, address: "h:2", ready: false)
        await registry.admit(hopeless, attempts: 2)
        #expect(!registry.ids.contains("never"))
        #expect(never.closed.withLock { $0 })
    }
}

@Suite("The sweeper after a pause")
struct SweepAfterPauseTests {
    @Test(
        "ticks on time sweep; after a late tick (the process paused) it holds off for the grace, then sweeps again"
    )
    func holdsOffAfterAPause() {
        let start = ContinuousClock.now
        var sweep = SweepAfterPause(every: .milliseconds(500), grace: .seconds(2), now: start)
        // Seven seconds without a tick: the heartbeats of that time may not be read yet.
        let ticks = [500, 1_000, 8_000, 8_500, 9_500, 10_000, 10_500]
        let due = ticks.map { sweep.due(now: start + .milliseconds($0)) }
        #expect(due == [true, true, false, false, false, true, true])
    }
}
