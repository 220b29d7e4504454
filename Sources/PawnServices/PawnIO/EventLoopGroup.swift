import CPawnSystem
import Glibc

/// A fixed set of event loops, one thread each (by default one per core).
public final class EventLoopGroup: Sendable {
    /// The loops, each running on its own thread.
    public let loops: [EventLoop]
    private let threads: [OwnedThread]

    /// Starts `count` loops (default: one per core this process may run on).
    public init(loopCount: Int = EventLoopGroup.availableCores()) throws {
        var loops: [EventLoop] = []
        for index in 0..<max(1, loopCount) { loops.append(try EventLoop(index: index)) }
        self.loops = loops
        threads = loops.map { loop in OwnedThread(name: "pawn-loop-\(loop.index)") { loop.run() } }
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

    /// The cores this process may run on: its CPU affinity (as `taskset` or a container sets
    /// it), not every core the machine has. More loops than cores only adds context switches.
    public static func availableCores() -> Int {
        let online = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        guard let file = fopen("/proc/self/status", "r") else { return online }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 4096)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard text.hasPrefix("Cpus_allowed:") else { continue }
            // A hexadecimal mask in comma-separated groups: count its set bits.
            let mask = text.dropFirst("Cpus_allowed:".count).filter { $0.isHexDigit }
            let count = mask.reduce(0) { $0 + (Int(String($1), radix: 16) ?? 0).nonzeroBitCount }
            return count > 0 ? min(count, online) : online
        }
        return online
    }
}
