import Foundation
import Glibc

/// A blocking TCP client socket on loopback, for tests that need byte-level control
/// (pipelining, slow senders, malformed requests) that ordinary clients do not give.
public final class RawSocket {
    public let fd: Int32

    /// Connects to `127.0.0.1:port`; reads time out after `timeout` seconds.
    public init(port: Int, timeout: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawSocketError.system("socket", errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        // On failure the descriptor is closed by deinit, which runs because every stored
        // property is initialised: closing it here too would close a number that another
        // thread may already have been given again.
        guard result == 0 else { throw RawSocketError.system("connect", errno) }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { Glibc.close(fd) }

    /// Sends every byte.
    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Sends every byte.
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { throw RawSocketError.system("send", errno) }
            offset += written
        }
    }

    /// Reads what is available (blocking for the first byte); empty at end of stream.
    public func receive(max: Int = 65_536) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, max, 0) }
        guard count >= 0 else { throw RawSocketError.system("recv", errno) }
        return Array(buffer.prefix(count))
    }

    /// Reads what is available now without waiting; empty when nothing is.
    public func receiveIfReady(max: Int = 65_536) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, max, Int32(MSG_DONTWAIT)) }
        if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return [] }
        guard count >= 0 else { throw RawSocketError.system("recv", errno) }
        return Array(buffer.prefix(count))
    }

    /// Reads until the peer closes the connection.
    public func receiveAll() throws -> [UInt8] {
        var all: [UInt8] = []
        while true {
            let chunk = try receive()
            if chunk.isEmpty { return all }
            all += chunk
        }
    }

    /// Reads whole HTTP/1.1 responses (Content-Length framed) until `count` have arrived;
    /// returns each as text.
    public func receiveResponses(_ count: Int) throws -> [String] {
        var buffer: [UInt8] = []
        var responses: [String] = []
        while responses.count < count {
            if let (response, used) = Self.splitResponse(buffer) {
                responses.append(response)
                buffer.removeFirst(used)
                continue
            }
            let chunk = try receive()
            if chunk.isEmpty { throw RawSocketError.closed(received: responses) }
            buffer += chunk
        }
        return responses
    }

    static func splitResponse(_ buffer: [UInt8]) -> (String, Int)? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard buffer.count >= 4,
            let headEnd = (0...(buffer.count - 4)).first(where: { Array(buffer[$0..<($0 + 4)]) == separator })
        else { return nil }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        var length = 0
        for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.split(separator: ":")[1].trimmingCharacters(in: " ")) ?? 0
        }
        if head.hasPrefix("HTTP/1.1 1") { length = 0 }
        let total = headEnd + 4 + length
        guard buffer.count >= total else { return nil }
        return (String(decoding: buffer[..<total], as: UTF8.self), total)
    }

    /// Raises this process's open-file limit to its hard limit (tests with many sockets).
    public static func raiseFileLimit() {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}

public enum RawSocketError: Error {
    case system(String, Int32)
    case closed(received: [String])
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        String(self.drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

/// Runs blocking work (socket reads that wait for a server) on a thread of its own, so that
/// it never holds one of the cooperative pool's few threads while the code under test
/// needs them.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Foundation.Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.start()
    }
}

extension RawSocket: @unchecked Sendable {}
// @unchecked Sendable: a RawSocket is a file descriptor used by one test at a time; the
// kernel serialises concurrent calls on it.
