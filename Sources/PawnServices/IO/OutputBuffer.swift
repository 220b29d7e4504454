import Glibc

/// Bytes waiting to be written to a non-blocking socket.
struct OutputBuffer {
    private var bytes: [UInt8] = []
    private var offset = 0

    /// What a write attempt found.
    enum Outcome {
        /// Everything was written.
        case drained
        /// The socket is full: wait until it is writable.
        case blocked
        /// The peer is gone.
        case failed
    }

    var isEmpty: Bool { offset == bytes.count }

    mutating func append(_ more: [UInt8]) {
        if bytes.isEmpty { bytes = more } else { bytes += more }
    }

    /// Appends through `body`, which writes into the buffer's storage.
    mutating func withStorage(_ body: (inout [UInt8]) -> Void) { body(&bytes) }

    /// Writes as much as the socket takes.
    mutating func write(to fd: Int32) -> Outcome {
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
