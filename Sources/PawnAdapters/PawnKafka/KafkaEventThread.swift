import Glibc
import PawnIO
import PawnPorts

/// The thread of our own that serves one librdkafka handle: it sleeps in `poll(2)` on two
/// pipes — one librdkafka writes to when its queue goes from empty to non-empty
/// (`rd_kafka_queue_io_event_enable`), one we write to when we hand it a job — so it wakes
/// when there is work, and every call that may block (a synchronous commit, a consumer
/// close, an assignment) happens here and never on the cooperative thread pool.
///
/// A consumer's thread also wakes every `heartbeat` when nothing happens: librdkafka counts
/// a member that has not polled its queue for `max.poll.interval.ms` as stuck and takes it
/// out of the group, and an idle consumer gets no io events to poll on (the outage test
/// found a quiet worker leaving and rejoining every 30 s).
final class KafkaEventThread: Sendable {
    /// The descriptor librdkafka writes to; pass it to `rd_kafka_queue_io_event_enable`.
    let ioDescriptor: Int32
    private let ioRead: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let shared = Shared()
    private let thread = Locked<OwnedThread?>(nil)

    /// The job queue, shared with the thread.
    private final class Shared: Sendable {
        let jobs = Locked(Jobs())
        /// Cuts a `park` wait short (`rd_kafka_queue_yield`), when the thread parks in librdkafka.
        let nudge = Locked<(@Sendable () -> Void)?>(nil)
    }

    private struct Jobs: ~Copyable {
        var queue: [@Sendable () -> Void] = []
        var stopping = false
        var stopped = false
    }

    /// Opens the pipes; call ``start(name:drain:)`` once the queue is wired to ``ioDescriptor``.
    init() throws(EventLogError) {
        var io: [Int32] = [0, 0]
        var wake: [Int32] = [0, 0]
        guard pipe(&io) == 0 else { throw EventLogError(.failed, "cannot create a pipe: errno \(errno)") }
        guard pipe(&wake) == 0 else {
            close(io[0])
            close(io[1])
            throw EventLogError(.failed, "cannot create a pipe: errno \(errno)")
        }
        for descriptor in io + wake {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        (ioRead, ioDescriptor, wakeRead, wakeWrite) = (io[0], io[1], wake[0], wake[1])
    }

    /// Starts the thread; `drain` serves the librdkafka queue until it is empty, on every
    /// wake-up and at least every `heartbeat` when one is given.
    ///
    /// With `park`, the thread waits inside librdkafka instead of on the pipes: `park(ms)`
    /// blocks in `rd_kafka_queue_poll` (serving the event it returns) and `nudge` (its
    /// `rd_kafka_queue_yield`) wakes it for a job; `park` returns false when the thread should
    /// wait on its pipes instead (the consumer's buffer is full). A consumer parks: with an
    /// io-event pipe, librdkafka writes to the pipe for every record enqueued after each
    /// poll, and the consumer ran at a fifth of kcat's rate.
    func start(
        name: String, heartbeat: Duration? = nil, park: (@Sendable (Int32) -> Bool)? = nil,
        nudge: (@Sendable () -> Void)? = nil, drain: @escaping @Sendable () -> Void
    ) {
        shared.nudge.withLock { $0 = nudge }
        let timeout: Int32 =
            heartbeat?.milliseconds32 ?? -1
        let (ioRead, wakeRead) = (self.ioRead, self.wakeRead)
        let shared = self.shared
        let started = OwnedThread(name: name) {
            var descriptors = [
                pollfd(fd: ioRead, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            var scratch = [UInt8](repeating: 0, count: 64)
            while true {
                // Events may already be queued (they were before the pipe was wired, or
                // arrived while the last drain ran): drain first, then sleep.
                drain()
                let (work, stopping) = shared.jobs.withLock { state in
                    defer { state.queue.removeAll() }
                    return (state.queue, state.stopping)
                }
                for job in work { job() }
                if stopping && work.isEmpty {
                    drain()
                    return
                }
                if !work.isEmpty { continue }
                if let park, park(timeout) {
                    while read(wakeRead, &scratch, scratch.count) > 0 {}
                    continue
                }
                if poll(&descriptors, 2, timeout) < 0 && errno != EINTR { return }
                for descriptor in [ioRead, wakeRead] {
                    while read(descriptor, &scratch, scratch.count) > 0 {}
                }
            }
        }
        thread.withLock { $0 = started }
    }

    /// Runs `job` on the thread, after the jobs before it; refused once stopping.
    @discardableResult
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        let accepted = shared.jobs.withLock { state in
            guard !state.stopping else { return false }
            state.queue.append(job)
            return true
        }
        if accepted { wake() }
        return accepted
    }

    /// Runs `body` on the thread and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T? {
        await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            if !submit({ continuation.resume(returning: body()) }) { continuation.resume(returning: nil) }
        }
    }

    /// Runs the jobs already queued, then stops the thread and closes the pipes. Call it
    /// after the queue's io event is disabled.
    func stop() {
        let first = shared.jobs.withLock { state in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return }
        wake()
        let running = thread.withLock { thread in
            defer { thread = nil }
            return thread
        }
        running?.join()
        for descriptor in [ioRead, ioDescriptor, wakeRead, wakeWrite] { close(descriptor) }
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        shared.nudge.withLock { $0 }?()
    }
}
