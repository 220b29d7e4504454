import Dispatch
import Glibc
import PawnIO
import Testing

@Suite("Blocking pool")
struct BlockingPoolTests {
    @Test("blocking calls run on the pool's threads, at most one per thread, while tasks go on")
    func blockingCallsDoNotStarveTasks() async throws {
        let pool = BlockingPool(threads: 4)
        let running = Counter()
        let finished = Counter()
        let gate = DispatchSemaphore(value: 0)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<16 {
                group.addTask {
                    try await pool.run {
                        running.enter()
                        _ = gate.wait(timeout: .now() + 10)  // a blocking call, held until released
                        running.leave()
                        finished.enter()
                        return index
                    }
                }
            }
            // All four threads are blocked and twelve calls wait...
            try await waitUntil { running.value == 4 && pool.queued == 12 }
            // ...and ordinary tasks still run: the cooperative pool is not blocked.
            let answer = await Task { (1...10).reduce(0, +) }.value
            #expect(answer == 55 && finished.value == 0)
            for _ in 0..<16 { gate.signal() }
            var results: [Int] = []
            for try await value in group { results.append(value) }
            #expect(results.sorted() == Array(0..<16))
        }
        #expect(running.peak == 4)
        pool.shutdown()
    }

    @Test func errorsComeBackAndAFullQueueRefuses() async throws {
        struct Boom: Error {}
        let pool = BlockingPool(threads: 1, queueLimit: 2)
        await #expect(throws: Boom.self) { try await pool.run { throw Boom() } }
        // Hold the only thread until released, then fill the queue.
        let gate = DispatchSemaphore(value: 0)
        let holding = Counter()
        async let held: Void = pool.run {
            holding.enter()
            // Bounded, so that a wrongly accepted job cannot wait on the gate forever.
            _ = gate.wait(timeout: .now() + 5)
        }
        try await waitUntil { holding.value == 1 }
        async let queued1 = pool.run { 1 }
        async let queued2 = pool.run { 2 }
        try await waitUntil { pool.queued == 2 }
        await #expect(throws: BlockingPool.Refused.self) { try await pool.run { 3 } }
        gate.signal()
        let results = try await (held, queued1, queued2)
        #expect(results.1 == 1 && results.2 == 2)
        pool.shutdown()
        await #expect(throws: BlockingPool.Refused.self) { try await pool.run { 4 } }
    }

    private func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<1_000 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("timed out")
    }
}

/// Counts concurrent entries and remembers the most seen at once.
final class Counter: Sendable {
    private let state = Locked((value: 0, peak: 0))

    func enter() {
        state.withLock {
            $0.value += 1
            $0.peak = max($0.peak, $0.value)
        }
    }

    func leave() { state.withLock { $0.value -= 1 } }
    var value: Int { state.withLock { $0.value } }
    var peak: Int { state.withLock { $0.peak } }
}
