import PawnIO
import PawnTestSupport
import Testing

@Suite("Event loop")
struct EventLoopTests {
    @Test("a timer a century away neither traps the loop nor fires; the loop keeps running tasks")
    func farTimer() async throws {
        let group = try EventLoopGroup(loopCount: 1)
        defer { group.shutdown() }
        let loop = group.loops[0]
        let fired = Locked(false)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            loop.execute {
                // epoll_wait takes an Int32 of milliseconds: 100 years does not fit.
                loop.schedule(after: .seconds(100 * 365 * 24 * 3600)) { fired.withLock { $0 = true } }
                loop.schedule(after: .seconds(Int64.max)) { fired.withLock { $0 = true } }
                done.resume()
            }
        }
        // The loop must wake for new work after computing its (clamped) wait.
        for _ in 0..<3 {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                loop.execute { done.resume() }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(!fired.withLock { $0 })
    }

    @Test("a round's end runs after the round's work, before the next round's, and may ask for another")
    func endOfRound() async throws {
        let group = try EventLoopGroup(loopCount: 1)
        defer { group.shutdown() }
        let loop = group.loops[0]
        let order = Locked<[String]>([])
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            loop.execute {
                order.withLock { $0.append("task") }
                loop.atEndOfRound {
                    order.withLock { $0.append("end") }
                    loop.atEndOfRound { order.withLock { $0.append("end again") } }
                }
                // Queued while the round runs: it belongs to the next one.
                loop.execute {
                    order.withLock { $0.append("next round") }
                    done.resume()
                }
                order.withLock { $0.append("same task, later") }
            }
        }
        #expect(order.withLock { $0 } == ["task", "same task, later", "end", "end again", "next round"])
    }

    @Test("Duration.nanoseconds saturates instead of wrapping")
    func nanosecondsSaturate() {
        #expect(Duration.seconds(Int64.max).nanoseconds == .max)
        #expect(Duration.seconds(20_000_000_000).nanoseconds == .max)
        #expect(Duration.milliseconds(1_500).nanoseconds == 1_500_000_000)
        #expect(Duration.seconds(-5).nanoseconds == 0)
    }
}
