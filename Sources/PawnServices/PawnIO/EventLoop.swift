import CPawnSystem
import Glibc

/// Something registered with an ``EventLoop`` for readiness of one file descriptor.
public protocol EventLoopSource: AnyObject {
    /// The descriptor is readable (or hung up / in error).
    func readable()
    /// The descriptor is writable.
    func writable()
}

/// One thread, one epoll set: sockets, timers, and tasks from other threads.
///
/// Everything registered with a loop is touched only on its thread; other threads reach it
/// through ``execute(_:)`` (and, as a `TaskExecutor`, through Swift concurrency), which
/// queue work under a mutex and wake the loop through an eventfd. Request handlers run as
/// tasks that prefer this executor, so a request that needs no blocking work is served
/// without leaving the loop's thread.
public final class EventLoop: TaskExecutor, @unchecked Sendable {
    // @unchecked Sendable: `sources`, `timers`, `roundEnd` and `running` are only read and written on
    // the loop's own thread (checked by `inLoop` in debug builds); the cross-thread entry
    // points (`execute`, `enqueue`, `stop`) go through the `inbox` mutex and the eventfd.

    let epollFD: Int32
    private let wakeFD: Int32
    private let inbox = Locked(Inbox())
    private var sources: [Int32: any EventLoopSource] = [:]
    private var timers = TimerHeap()
    /// Bodies to run once the current round's work is done (``atEndOfRound(_:)``).
    private var roundEnd: [() -> Void] = []
    private var threadID: pthread_t?
    private var stopped = false
    /// The loop's index in its group, for names and logs.
    public let index: Int

    private struct Inbox: ~Copyable {
        var tasks: [() -> Void] = []
        var jobs: [UnownedJob] = []
        var stopRequested = false
    }

    init(index: Int) throws(SystemError) {
        self.index = index
        epollFD = pawn_epoll_create()
        guard epollFD >= 0 else { throw SystemError("epoll_create1") }
        wakeFD = pawn_eventfd()
        guard wakeFD >= 0 else { throw SystemError("eventfd") }
        guard pawn_epoll_add(epollFD, wakeFD, PAWN_EPOLLIN) == 0 else {
            throw SystemError("epoll_ctl(eventfd)")
        }
    }

    deinit {
        close(wakeFD)
        close(epollFD)
    }

    /// Whether the caller runs on this loop's thread.
    public var inLoop: Bool {
        guard let threadID else { return false }
        return pthread_equal(threadID, pthread_self()) != 0
    }

    /// Runs `task` on the loop's thread, soon. Safe from any thread.
    public func execute(_ task: @escaping @Sendable () -> Void) {
        let wasEmpty = inbox.withLock { inbox in
            let empty = inbox.tasks.isEmpty && inbox.jobs.isEmpty
            inbox.tasks.append(task)
            return empty
        }
        if wasEmpty { wake() }
    }

    /// TaskExecutor: runs a job of a task that prefers this loop.
    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let wasEmpty = inbox.withLock { inbox in
            let empty = inbox.tasks.isEmpty && inbox.jobs.isEmpty
            inbox.jobs.append(unowned)
            return empty
        }
        if wasEmpty { wake() }
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Asks the loop to stop running after the current iteration.
    public func stop() {
        inbox.withLock { $0.stopRequested = true }
        wake()
    }

    // MARK: - Registration (loop thread only)

    /// Adds `fd` to the loop's set, polled for readability and, when asked, writability;
    /// `source` hears of it. Loop thread only (or before the loop runs).
    public func register(
        _ fd: Int32, _ source: any EventLoopSource, readable: Bool = true, writable: Bool = false
    )
        throws(SystemError)
    {
        assert(inLoop || threadID == nil)
        guard pawn_epoll_add(epollFD, fd, Self.mask(readable, writable)) == 0 else {
            throw SystemError("epoll_ctl(ADD)")
        }
        sources[fd] = source
    }

    /// Changes what `fd` is polled for. Loop thread only.
    public func modify(_ fd: Int32, readable: Bool, writable: Bool) {
        assert(inLoop)
        _ = pawn_epoll_mod(epollFD, fd, Self.mask(readable, writable))
    }

    /// Removes `fd` from the set; the caller closes it.
    public func deregister(_ fd: Int32) {
        assert(inLoop)
        _ = pawn_epoll_del(epollFD, fd)
        sources[fd] = nil
    }

    private static func mask(_ readable: Bool, _ writable: Bool) -> UInt32 {
        (readable ? PAWN_EPOLLIN | PAWN_EPOLLRDHUP : 0) | (writable ? PAWN_EPOLLOUT : 0)
    }

    // MARK: - Timers (loop thread only)

    /// Runs `body` on the loop after `delay`; returns an id for ``cancelTimer(_:)``.
    @discardableResult
    public func schedule(after delay: Duration, _ body: @escaping () -> Void) -> UInt64 {
        let (deadline, overflow) = MonotonicClock.now().addingReportingOverflow(delay.nanoseconds)
        return timers.insert(deadline: overflow ? .max : deadline, body)
    }

    /// Cancels a timer from ``schedule(after:_:)``; a timer already run is ignored.
    public func cancelTimer(_ id: UInt64) { timers.cancel(id) }

    /// Runs `body` on the loop once this round's I/O events, timers and queued work are
    /// done, before the loop waits again. A connection that many calls of one round write to
    /// flushes there once: one system call for all of them instead of one each (the read
    /// path's gRPC hop spent a fifth of its time in `send`). Loop thread only.
    public func atEndOfRound(_ body: @escaping () -> Void) {
        assert(inLoop)
        roundEnd.append(body)
    }

    // MARK: - Running

    /// Runs the loop on the calling thread until ``stop()``.
    func run() {
        threadID = pthread_self()
        var events = [pawn_epoll_event](repeating: pawn_epoll_event(), count: 256)
        while !stopped {
            let timeout = timers.millisecondsUntilNext(now: MonotonicClock.now()) ?? -1
            let count = events.withUnsafeMutableBufferPointer {
                pawn_epoll_wait(epollFD, $0.baseAddress, Int32($0.count), Int32(clamping: timeout))
            }
            if count < 0 && errno != EINTR { fatalError("epoll_wait failed: \(SystemError("epoll_wait"))") }
            for i in 0..<max(0, Int(count)) {
                let event = events[i]
                let fd = event.fd
                if fd == wakeFD {
                    var value: UInt64 = 0
                    _ = read(wakeFD, &value, 8)
                    continue
                }
                let flags = event.events
                if flags & (PAWN_EPOLLIN | PAWN_EPOLLHUP | PAWN_EPOLLERR | PAWN_EPOLLRDHUP) != 0 {
                    sources[fd]?.readable()
                }
                if flags & PAWN_EPOLLOUT != 0 { sources[fd]?.writable() }
            }
            // Timer bodies run after they leave the heap: they may schedule new timers.
            for body in timers.popDue(now: MonotonicClock.now()) { body() }
            drainInbox()
            // Bodies may ask for another round end (a flush that queued more): they run too.
            while !roundEnd.isEmpty {
                let bodies = roundEnd
                roundEnd.removeAll(keepingCapacity: true)
                for body in bodies { body() }
            }
        }
        // A stopped loop lets go of what it holds: timers and sources keep their owners
        // alive (a listener's tick holds the listener, which holds this loop), and that
        // cycle would outlive the loop (LeakSanitizer found it).
        timers = TimerHeap()
        roundEnd.removeAll()
        sources.removeAll()
    }

    private func drainInbox() {
        // Tasks queued while draining run in the next round, after I/O gets its turn.
        let (tasks, jobs, stop) = inbox.withLock { inbox in
            let taken = (inbox.tasks, inbox.jobs, inbox.stopRequested)
            inbox.tasks.removeAll(keepingCapacity: true)
            inbox.jobs.removeAll(keepingCapacity: true)
            return taken
        }
        for task in tasks { task() }
        let executor = asUnownedTaskExecutor()
        for job in jobs { job.runSynchronously(on: executor) }
        if stop { stopped = true }
        // Work queued by those tasks must not wait for the next I/O event.
        if inbox.withLock({ !$0.tasks.isEmpty || !$0.jobs.isEmpty }) { wake() }
    }
}

/// CLOCK_MONOTONIC in nanoseconds.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary start; never goes back.
    public static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}

/// A min-heap of deadlines; cancelled timers are skipped when they come due.
struct TimerHeap {
    private var heap: [(deadline: UInt64, id: UInt64)] = []
    private var bodies: [UInt64: () -> Void] = [:]
    private var nextID: UInt64 = 1

    mutating func insert(deadline: UInt64, _ body: @escaping () -> Void) -> UInt64 {
        let id = nextID
        nextID += 1
        bodies[id] = body
        heap.append((deadline, id))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { break }
            heap.swapAt(child, parent)
            child = parent
        }
        return id
    }

    mutating func cancel(_ id: UInt64) { bodies[id] = nil }

    func millisecondsUntilNext(now: UInt64) -> Int? {
        guard let first = heap.first else { return nil }
        guard first.deadline > now else { return 0 }
        // Rounded up, so a timer never fires early; a wait too long for epoll is clamped.
        let wait = first.deadline - now
        return Int(clamping: wait / 1_000_000 + (wait % 1_000_000 == 0 ? 0 : 1))
    }

    /// Removes and returns the bodies of the timers due at `now`, in deadline order.
    mutating func popDue(now: UInt64) -> [() -> Void] {
        var due: [() -> Void] = []
        while let first = heap.first, first.deadline <= now {
            popFirst()
            if let body = bodies.removeValue(forKey: first.id) { due.append(body) }
        }
        return due
    }

    private mutating func popFirst() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count && heap[right].deadline < heap[smallest].deadline { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

/// A failed system call: its name and errno.
public struct SystemError: Error, CustomStringConvertible, Sendable {
    /// The system call that failed.
    public let call: String
    /// Its errno.
    public let code: Int32

    /// The failure of `call`, with `code` (by default the current errno).
    public init(_ call: String, code: Int32 = errno) {
        self.call = call
        self.code = code
    }

    public var description: String { "\(call): \(String(cString: strerror(code))) (errno \(code))" }
}
