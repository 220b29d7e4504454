import CPawnSystem
import Glibc

/// A fixed set of event loops, one thread each (by default one per core).
public final class EventLoopGroup: Sendable {
    /// The loops, each running on its own thread.
    public let loops: [EventLoop]
    private let threads: [Thread]

    /// Starts `count` loops (default: one per online core).
    public init(loopCount: Int = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) throws {
        var loops: [EventLoop] = []
        for index in 0..<max(1, loopCount) { loops.append(try EventLoop(index: index)) }
        self.loops = loops
        threads = loops.map { loop in Thread(name: "pawn-loop-\(loop.index)") { loop.run() } }
    }

    /// Stops every loop and waits for its thread to end.
    public func shutdown() {
        for loop in loops { loop.stop() }
        for thread in threads { thread.join() }
    }

    /// The loops in turn, for spreading work.
    public func next() -> EventLoop {
        loops[Int(UInt(bitPattern: Self.counter.add(1)) % UInt(loops.count))]
    }

    private static let counter = AtomicCounter()
}

/// A thread we own, for loops and blocking work (never the cooperative pool's).
final class Thread: Sendable {
    // The pthread handle is written once before the initialiser returns.
    nonisolated(unsafe) private var handle = pthread_t()

    init(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(ThreadBody(name: name, body: body))
        let result = pthread_create(
            &handle, nil,
            { raw in
                let body = Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue()
                let name = String(body.name.prefix(15))
                _ = pthread_setname_np(pthread_self(), name)
                body.body()
                return nil
            }, box.toOpaque())
        precondition(result == 0, "pthread_create failed: \(result)")
    }

    func join() { pthread_join(handle, nil) }
}

private final class ThreadBody: Sendable {
    let name: String
    let body: @Sendable () -> Void
    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}
