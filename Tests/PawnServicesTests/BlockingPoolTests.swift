import Glibc
import PawnServices
import Synchronization
import Testing

@Suite("Blocking pool")
struct BlockingPoolTests {
    @Test("blocking calls run on the pool's threads, at most one per thread, while tasks go on")
    func blockingCallsDoNotStarveTasks() async throws {
        let pool = BlockingPool(threads: 4)
        let running = Counter()
        let finished = Counter()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<16 {
                group.addTask {
                    try await pool.run {
                        running.enter()
                        usleep(100_000)  // a blocking call: 100 ms
                        running.leave()
                        finished.enter()
                        return index
                    }
                }
            }
            // Meanwhile ordinary tasks still get the cooperative threads: this finishes
            // long before the blocking calls do.
            for _ in 0..<100 { await Task.yield() }
            #expect(finished.value < 16)
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
        async let slow = pool.run { usleep(200_000) }
        try await Task.sleep(for: .milliseconds(50))
        async let queued1 = pool.run { 1 }
        async let queued2 = pool.run { 2 }
        try await Task.sleep(for: .milliseconds(20))
        await #expect(throws: BlockingPool.Refused.self) { try await pool.run { 3 } }
        _ = try await (slow, queued1, queued2)
        pool.shutdown()
        await #expect(throws: BlockingPool.Refused.self) { try await pool.run { 4 } }
    }
}

/// Counts concurrent entries and remembers the most seen at once.
final class Counter: Sendable {
    private let state = Mutex((value: 0, peak: 0))

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
