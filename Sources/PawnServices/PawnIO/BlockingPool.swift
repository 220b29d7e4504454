import Dispatch

/// A bounded pool of threads of our own for blocking calls (libmongoc, hiredis, file I/O),
/// with an async bridge: `await pool.run { blockingCall() }` suspends the task, the call
/// runs on a pool thread, and the task resumes with its result. The cooperative thread
/// pool is never blocked, and a full queue is an error rather than unbounded growth.
public final class BlockingPool: Sendable {
    /// The pool refused work because its queue is full, or it is shut down.
    public struct Refused: Error, CustomStringConvertible, Sendable {
        /// Why the job was refused.
        public let reason: String
        public var description: String { reason }
    }

    private struct State: ~Copyable {
        var jobs: [@Sendable () -> Void] = []
        var head = 0
        var stopping = false
    }

    /// The queue the threads share with the pool.
    private final class Queue: Sendable {
        let state = Locked(State())
        let available = DispatchSemaphore(value: 0)
    }

    private let queue = Queue()
    private let threads: [OwnedThread]
    /// The most jobs that may wait for a thread.
    public let queueLimit: Int

    /// A pool of `threads` threads (named `name-N`) whose queue holds at most `queueLimit` jobs.
    public init(threads count: Int, queueLimit: Int = 10_000, name: String = "pawn-blocking") {
        self.queueLimit = queueLimit
        var threads: [OwnedThread] = []
        let queue = self.queue
        for index in 0..<max(1, count) {
            threads.append(
                OwnedThread(name: "\(name)-\(index)") {
                    while true {
                        queue.available.wait()
                        let job: (@Sendable () -> Void)? = queue.state.withLock { state in
                            guard state.head < state.jobs.count else { return nil }
                            let job = state.jobs[state.head]
                            state.head += 1
                            if state.head > 1024 && state.head * 2 > state.jobs.count {
                                state.jobs.removeFirst(state.head)
                                state.head = 0
                            }
                            return job
                        }
                        guard let job else { return }  // woken with nothing to do: shutting down
                        job()
                    }
                })
        }
        self.threads = threads
    }

    /// Runs `body` on a pool thread and returns its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let refusal: String? = queue.state.withLock { state in
                if state.stopping { return "the blocking pool is shut down" }
                if state.jobs.count - state.head >= queueLimit {
                    return "the blocking pool's queue is full (\(queueLimit))"
                }
                state.jobs.append { continuation.resume(with: Result { try body() }) }
                return nil
            }
            if let refusal {
                continuation.resume(throwing: Refused(reason: refusal))
            } else {
                queue.available.signal()
            }
        }
    }

    /// Jobs waiting for a thread.
    public var queued: Int { queue.state.withLock { $0.jobs.count - $0.head } }

    /// Lets queued jobs finish, then stops the threads.
    public func shutdown() {
        queue.state.withLock { $0.stopping = true }
        // Each queued job already has its wake-up; one more per thread makes every thread,
        // once the queue is empty, find nothing and exit.
        for _ in threads { queue.available.signal() }
        for thread in threads { thread.join() }
    }
}
