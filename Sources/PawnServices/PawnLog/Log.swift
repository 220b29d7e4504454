import Glibc
import Synchronization

/// The process's log: its level, format and service name, set once at start-up
/// (``configure(level:format:service:output:accessLog:)``), and the writer every ``Logger`` hands its
/// lines to.
///
/// Lines are not written by the thread that logs them: they go into a buffer of at most
/// ``bufferLimit`` bytes that a thread of the log's own writes to the output, so that an
/// event-loop thread never blocks on a slow terminal or a full pipe. A line that does not fit
/// is dropped and counted (``droppedLines``, exposed as `pawnshop_log_lines_dropped_total`).
/// ``flush()`` writes what is buffered before the process exits.
public enum Log {
    /// The bytes the buffer holds at most before lines are dropped.
    public static let bufferLimit = 8 * 1024 * 1024

    private static let level = Atomic<Int>(LogLevel.info.rawValue)
    private static let dropped = Atomic<Int>(0)
    private static let access = Atomic<Bool>(false)
    private static let settings = Locked<(format: LogFormat, service: String, output: Int32)>(
        (.logfmt, "pawnshop", STDOUT_FILENO))

    /// Sets the level below which lines are skipped, the format, the `service` every line
    /// names, the file descriptor lines are written to (standard output by default) and
    /// whether servers write an access line per request (``accessLog``).
    public static func configure(
        level: LogLevel = .info, format: LogFormat = .logfmt, service: String, output: Int32 = STDOUT_FILENO,
        accessLog: Bool = false
    ) {
        flush()
        self.level.store(level.rawValue, ordering: .relaxed)
        access.store(accessLog, ordering: .relaxed)
        settings.withLock { $0 = (format, service, output) }
    }

    /// The level below which lines are skipped.
    public static var currentLevel: LogLevel { LogLevel(rawValue: level.load(ordering: .relaxed)) ?? .info }

    /// The format lines are written in.
    public static var format: LogFormat { settings.withLock { $0.format } }

    /// Whether a line of `level` would be written.
    @inline(__always)
    public static func isEnabled(_ level: LogLevel) -> Bool {
        level.rawValue >= self.level.load(ordering: .relaxed)
    }

    /// Whether the HTTP router and the gRPC server write a line (at info) per request and call
    /// they answer: off until ``configure(level:format:service:output:accessLog:)`` turns it on
    /// (the executable does, unless `--access-log=false`).
    public static var accessLog: Bool { access.load(ordering: .relaxed) && isEnabled(.info) }

    /// Lines dropped because the buffer was full (the output did not keep up).
    public static var droppedLines: Int { dropped.load(ordering: .relaxed) }

    /// Writes a line of `level` (already checked against the level by the caller).
    static func write(_ level: LogLevel, _ message: String, _ fields: [(String, LogValue)]) {
        let (format, service, output) = settings.withLock { $0 }
        let line = LogLine.bytes(time: LogLine.nowBytes(), level, service, message, fields, format)
        if !LogWriter.shared.append(line, to: output) {
            dropped.add(1, ordering: .relaxed)
        }
    }

    /// Writes everything buffered, on the calling thread, before it returns.
    public static func flush() { LogWriter.shared.flush() }
}

/// The buffer and the thread that empties it into the output.
final class LogWriter: @unchecked Sendable {
    // @unchecked Sendable: `pending` and `writing` are locks; `wake` is set once in `init`
    // and only passed to sem_post and sem_wait, which are safe from any thread.
    static let shared = LogWriter()

    private struct Pending {
        var bytes: [UInt8] = []
        var output: Int32 = STDOUT_FILENO
    }

    private let pending = Locked(Pending())
    /// Held while bytes taken from `pending` are written, so that the thread and `flush()`
    /// keep the lines in order; it holds the spare buffer they are taken into.
    private let writing = Locked([UInt8]())
    /// Posted when the buffer goes from empty to not empty. Allocated once and never freed:
    /// the writer lives as long as the process.
    private let wake: UnsafeMutablePointer<sem_t>

    private init() {
        wake = .allocate(capacity: 1)
        sem_init(wake, 0, 0)
        var thread = pthread_t()
        let box = Unmanaged.passRetained(self).toOpaque()
        let created = pthread_create(
            &thread, nil,
            { raw in
                let writer = Unmanaged<LogWriter>.fromOpaque(raw!).takeRetainedValue()
                writer.run()
                return nil
            }, box)
        if created == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<LogWriter>.fromOpaque(box).release()
        }
    }

    /// Queues `line` for `output`; false when the buffer is full and the line was dropped.
    func append(_ line: [UInt8], to output: Int32) -> Bool {
        var accepted = true
        let wasEmpty = pending.withLock { pending -> Bool in
            guard pending.bytes.count + line.count <= Log.bufferLimit else {
                accepted = false
                return false
            }
            let wasEmpty = pending.bytes.isEmpty
            pending.bytes += line
            pending.output = output
            return wasEmpty
        }
        if wasEmpty { sem_post(wake) }
        return accepted
    }

    func flush() {
        writing.withLock { spare in
            // The buffer's bytes are swapped out for the spare one (emptied, its capacity
            // kept), so that neither side allocates once both have grown to the load.
            let output = pending.withLock { pending in
                swap(&pending.bytes, &spare)
                return pending.output
            }
            Self.writeAll(spare, to: output)
            spare.removeAll(keepingCapacity: true)
        }
    }

    private func run() {
        while true {
            while sem_wait(wake) != 0 {}  // EINTR
            // Lines that come in the next moment go out in the same write: under load, one
            // write(2) per couple of milliseconds instead of one per line.
            usleep(2_000)
            flush()
        }
    }

    /// Writes all of `bytes`, retrying short writes and EINTR; gives up on another error (a
    /// closed output: the lines have nowhere to go).
    private static func writeAll(_ bytes: [UInt8], to output: Int32) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(output, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else if written < 0 && errno == EAGAIN {
                    var descriptor = pollfd(fd: output, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&descriptor, 1, 1_000)
                } else {
                    return
                }
            }
        }
    }
}
