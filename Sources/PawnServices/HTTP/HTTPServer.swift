import Glibc
import Synchronization

/// What answers requests. Handlers run as tasks that prefer the connection's event loop,
/// so work that does not block is done on the loop's thread.
public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest) async -> HTTPResponse
}

/// An HTTP/1.1 server on our own event loops: one listening socket per loop
/// (SO_REUSEPORT), keep-alive, pipelining, header and idle timeouts, graceful shutdown.
public final class HTTPServer: Sendable {
    /// How the server listens and what it tolerates.
    public struct Configuration: Sendable {
        public var host: String
        /// 0 picks a free port; ``HTTPServer/start()`` returns it.
        public var port: Int
        public var limits: HTTP1Limits
        /// A request head not complete this long after its first byte gets 408.
        public var headerTimeout: Duration
        /// A request body not complete this long after its head gets 408.
        public var bodyTimeout: Duration
        /// A keep-alive connection with nothing to do is closed after this long.
        public var idleTimeout: Duration

        public init(
            host: String = "127.0.0.1", port: Int = 8080, limits: HTTP1Limits = HTTP1Limits(),
            headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30),
            idleTimeout: Duration = .seconds(60)
        ) {
            self.host = host
            self.port = port
            self.limits = limits
            self.headerTimeout = headerTimeout
            self.bodyTimeout = bodyTimeout
            self.idleTimeout = idleTimeout
        }
    }

    public let configuration: Configuration
    let group: EventLoopGroup
    let handler: any HTTPHandler
    let states: [HTTPLoopState]
    private let listening = Mutex<[Int32]>([])
    let openConnections = AtomicCounter()

    public init(configuration: Configuration, group: EventLoopGroup, handler: any HTTPHandler) {
        self.configuration = configuration
        self.group = group
        self.handler = handler
        states = group.loops.map { HTTPLoopState(loop: $0) }
    }

    /// Binds and starts accepting on every loop; returns the port.
    @discardableResult
    public func start() throws -> Int {
        Socket.ignoreSIGPIPE()
        var port = configuration.port
        var fds: [Int32] = []
        do {
            for _ in states {
                let (fd, bound) = try Socket.listen(host: configuration.host, port: port)
                fds.append(fd)
                port = bound
            }
        } catch {
            for fd in fds { close(fd) }
            throw error
        }
        listening.withLock { $0 = fds }
        for (state, fd) in zip(states, fds) {
            state.loop.execute { [self] in
                state.start(server: self, listener: fd)
            }
        }
        return port
    }

    /// Stops accepting, lets in-flight requests finish (their responses carry
    /// `Connection: close`), closes idle connections, and returns when every connection is
    /// closed or `gracePeriod` has passed (the rest are then closed).
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        beginShutdown()
        let deadline = ContinuousClock.now + gracePeriod
        while openConnections.current > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        for state in states { state.loop.execute { state.closeAll() } }
        while openConnections.current > 0 { try? await Task.sleep(for: .milliseconds(5)) }
    }

    /// Stops accepting and asks every connection to close once idle, without waiting:
    /// the first half of ``shutdown(gracePeriod:)``, callable from synchronous code.
    public func beginShutdown() {
        for state in states { state.loop.execute { state.drain() } }
    }

    /// The number of open connections.
    public var connectionCount: Int { openConnections.current }
}

/// One loop's share of a server: its listener, its connections, its clock.
final class HTTPLoopState: EventLoopSource, @unchecked Sendable {
    // @unchecked Sendable: created on any thread but used only on `loop`'s thread
    // (every entry point is called from `loop.execute` or the loop's own callbacks).
    let loop: EventLoop
    private(set) weak var server: HTTPServer?
    private var listener: Int32 = -1
    private(set) var connections: [Int32: HTTPConnection] = [:]
    /// A buffer reused for every read on this loop.
    var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    /// The `Date` header value, refreshed every second.
    private(set) var date = ""
    private(set) var now: UInt64 = 0
    private(set) var draining = false

    init(loop: EventLoop) { self.loop = loop }

    func start(server: HTTPServer, listener: Int32) {
        self.server = server
        self.listener = listener
        do {
            try loop.register(listener, self)
        } catch {
            print("pawnshop: cannot listen on loop \(loop.index): \(error)")
        }
        tick()
    }

    /// Once a second: refresh the clock and the date, enforce timeouts.
    private func tick() {
        now = MonotonicClock.now()
        date = HTTPDate.now()
        if let server {
            let config = server.configuration
            for connection in Array(connections.values) {
                connection.enforceTimeouts(now: now, configuration: config)
            }
        }
        guard listener >= 0 || !connections.isEmpty || !draining else { return }
        loop.schedule(after: .seconds(1)) { [self] in tick() }
    }

    func readable() {
        guard let server, !draining else { return }
        // Accept in batches so one busy listener cannot starve the loop's connections.
        for _ in 0..<128 {
            guard let fd = Socket.accept(listener) else { return }
            let connection = HTTPConnection(fd: fd, state: self, server: server)
            do {
                try loop.register(fd, connection)
                connections[fd] = connection
                server.openConnections.add(1)
            } catch {
                close(fd)
            }
        }
    }

    func writable() {}

    func connectionClosed(_ fd: Int32) {
        if connections.removeValue(forKey: fd) != nil { server?.openConnections.add(-1) }
    }

    func drain() {
        draining = true
        if listener >= 0 {
            loop.deregister(listener)
            close(listener)
            listener = -1
        }
        for connection in Array(connections.values) { connection.drain() }
    }

    func closeAll() {
        for connection in Array(connections.values) { connection.close() }
    }
}

/// IMF-fixdate (RFC 9110 §5.6.7) for the `Date` header.
enum HTTPDate {
    static func now() -> String {
        var seconds = time(nil)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
