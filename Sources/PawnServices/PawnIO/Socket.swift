import CPawnSystem
import Glibc

/// Socket set-up on raw descriptors: listening, accepting, options.
public enum Socket {
    /// A non-blocking listening socket bound to `host:port` (port 0: any free port), with
    /// SO_REUSEPORT so that each event loop can own one on the same port.
    public static func listen(host: String, port: Int, backlog: Int32 = 4096) throws(SystemError) -> (
        fd: Int32, port: Int
    ) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let info = result else {
            throw SystemError("getaddrinfo(\(host)): \(String(cString: gai_strerror(status)))", code: EINVAL)
        }
        defer { freeaddrinfo(result) }
        let fd = socket(
            info.pointee.ai_family,
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError("socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let error = SystemError("bind(\(host):\(port))")
            close(fd)
            throw error
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let error = SystemError("listen")
            close(fd)
            throw error
        }
        return (fd, try boundPort(fd))
    }

    /// The local port a socket is bound to.
    public static func boundPort(_ fd: Int32) throws(SystemError) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { throw SystemError("getsockname") }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin_port))
                }
            }
        default:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin6_port))
                }
            }
        }
    }

    /// What one `accept` gave.
    public enum Accepted: Equatable, Sendable {
        /// A connection (non-blocking, close-on-exec, TCP_NODELAY).
        case connection(Int32)
        /// Nothing is pending now.
        case nonePending
        /// A connection that failed before it was accepted (reset, network gone): try the next.
        case lost
        /// The process or the system is out of descriptors or memory (EMFILE, ENFILE,
        /// ENOBUFS, ENOMEM) or the listener failed: accepting again at once would fail again.
        case exhausted(errno: Int32)
    }

    /// Accepts one pending connection, non-blocking.
    public static func accept(_ listener: Int32) -> Accepted {
        let fd = pawn_accept(listener)
        guard fd >= 0 else {
            switch errno {
            case EAGAIN, EWOULDBLOCK: return .nonePending
            // accept(2): these belong to the connection, not the listener.
            case EINTR, ECONNABORTED, EPROTO, ENETDOWN, ENOPROTOOPT, EHOSTDOWN, ENONET, EHOSTUNREACH,
                EOPNOTSUPP, ENETUNREACH, ETIMEDOUT, EPERM:
                return .lost
            case let code: return .exhausted(errno: code)
            }
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return .connection(fd)
    }

    /// Ignores SIGPIPE for the process: a write to a closed peer is an error, not a death.
    public static func ignoreSIGPIPE() {
        signal(SIGPIPE, SIG_IGN)
    }
}

extension Socket {
    /// A resolved address to connect to.
    public struct Address: @unchecked Sendable {
        // @unchecked Sendable: plain bytes of a sockaddr, copied and never shared mutably.
        var storage = sockaddr_storage()
        var length: socklen_t = 0
        var family: Int32 = AF_INET
    }

    /// Resolves `host:port` (numeric addresses and names from /etc/hosts or DNS; this
    /// blocks, so it is done once, off the loops).
    public static func resolve(host: String, port: Int) throws(SystemError) -> Address {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let info = result else {
            throw SystemError("getaddrinfo(\(host)): \(String(cString: gai_strerror(status)))", code: EINVAL)
        }
        defer { freeaddrinfo(result) }
        var address = Address()
        address.family = info.pointee.ai_family
        address.length = info.pointee.ai_addrlen
        withUnsafeMutableBytes(of: &address.storage) { target in
            target.copyMemory(
                from: UnsafeRawBufferPointer(start: info.pointee.ai_addr, count: Int(info.pointee.ai_addrlen))
            )
        }
        return address
    }

    /// Every address `host` resolves to, as numeric text (`10.0.0.7`, `::1`), in the
    /// resolver's order without repeats. Blocks: call it from a thread of your own.
    public static func numericAddresses(of host: String) throws(SystemError) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &result)
        guard status == 0 else {
            throw SystemError("getaddrinfo(\(host)): \(String(cString: gai_strerror(status)))", code: EINVAL)
        }
        defer { freeaddrinfo(result) }
        var addresses: [String] = []
        var next = result
        while let info = next {
            var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(
                info.pointee.ai_addr, info.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0,
                NI_NUMERICHOST)
                == 0
            {
                let address = String(
                    decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(address) { addresses.append(address) }
            }
            next = info.pointee.ai_next
        }
        return addresses
    }

    /// Starts a non-blocking connect; the socket becomes writable when it completes (check
    /// ``connectError(_:)``).
    public static func startConnect(_ address: Address) throws(SystemError) -> Int32 {
        let fd = socket(
            address.family,
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError("socket") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var storage = address.storage
        let result = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, address.length) }
        }
        if result != 0 && errno != EINPROGRESS {
            let error = SystemError("connect")
            close(fd)
            throw error
        }
        return fd
    }

    /// The outcome of a non-blocking connect: 0, or the errno it failed with.
    public static func connectError(_ fd: Int32) -> Int32 { pawn_socket_error(fd) }
}

extension Socket {
    /// Reads what a non-blocking socket has, in chunks of `buffer`'s size, handing each
    /// chunk to `consume`; returns `true` when the peer closed the connection (or it failed).
    public static func readAvailable(
        _ fd: Int32, buffer: inout [UInt8], _ consume: (UnsafeRawBufferPointer) -> Void
    )
        -> Bool
    {
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.withUnsafeBytes { consume(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                if count < buffer.count { return false }
            } else if count == 0 {
                return true
            } else if errno == EINTR {
                continue
            } else {
                return errno != EAGAIN && errno != EWOULDBLOCK
            }
        }
    }
}

/// A weak reference that a `Sendable` closure can hold.
public final class WeakBox<Object: AnyObject>: @unchecked Sendable {
    // @unchecked Sendable: written once, in the owner's initialiser, before anything can
    // read it (a server's factory runs only after `start()`); only read afterwards.
    /// The object, while something else keeps it alive.
    public weak var object: Object?
    /// An empty box.
    public init() {}
}
