import Glibc

/// The one write path of a connection on an ``EventLoop``: bytes queued, written without
/// blocking, and the loop's write interest kept in step with what is left. HTTP/1.1 and
/// both gRPC connections write through it.
public struct ConnectionOutput {
    private var bytes: [UInt8] = []
    private var offset = 0
    /// Whether the loop polls the socket for writability (something is left to write).
    public private(set) var wantsWritable = false

    /// What a write attempt found.
    public enum Outcome {
        /// Everything was written.
        case drained
        /// The socket is full: the loop now polls it for writability.
        case blocked
        /// The peer is gone.
        case failed
    }

    /// An empty output; `registeredWritable` when the socket was registered with the loop
    /// for writability already (as a connecting socket is).
    public init(registeredWritable: Bool = false) { wantsWritable = registeredWritable }

    /// Whether nothing is waiting to be written.
    public var isEmpty: Bool { offset == bytes.count }

    /// Queues `more`.
    public mutating func append(_ more: [UInt8]) {
        if bytes.isEmpty { bytes = more } else { bytes += more }
    }

    /// Appends through `body`, which writes into the buffer's storage.
    public mutating func withStorage(_ body: (inout [UInt8]) -> Void) { body(&bytes) }

    /// Writes as much as `fd` takes, and registers or drops the loop's write interest
    /// (keeping read interest as `readable` says) when that changes.
    public mutating func flush(_ fd: Int32, on loop: EventLoop, readable: Bool) -> Outcome {
        let outcome = write(to: fd)
        let wanted = outcome == .blocked
        if outcome != .failed && wanted != wantsWritable {
            wantsWritable = wanted
            loop.modify(fd, readable: readable, writable: wanted)
        }
        return outcome
    }

    private mutating func write(to fd: Int32) -> Outcome {
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                return .blocked
            } else {
                return .failed
            }
        }
        bytes.removeAll(keepingCapacity: bytes.capacity <= 64 * 1024)
        offset = 0
        return .drained
    }
}
