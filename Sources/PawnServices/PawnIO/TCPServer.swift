import Glibc
import Synchronization

/// A connection a ``TCPServer`` accepted, living on one loop.
public protocol ServerConnection: EventLoopSource {
    /// Called about once a second with the loop's clock, for timeouts.
    func tick(now: UInt64)
    /// The server is shutting down: close when idle, or after what is in flight.
    func drain()
    /// Closes at once.
    func close()
}

/// Accepting TCP connections on every loop of a group (one listening socket per loop with
/// SO_REUSEPORT) and handing each to a connection type of the protocol's; the shared part
/// of the HTTP/1.1 and gRPC servers.
public final class TCPServer: Sendable {
    /// Makes the connection for an accepted descriptor on a loop.
    public typealias Factory = @Sendable (Int32, ListenerLoop) -> any ServerConnection

    let host: String
    let port: Int
    let listeners: [ListenerLoop]
    /// The connections open now, over every loop.
    public let openConnections = AtomicCounter()
    private let factory: Factory

    /// A server for `host:port` on every loop of `group`, making connections with `factory`;
    /// call ``start()`` to listen.
    public init(host: String, port: Int, group: EventLoopGroup, factory: @escaping Factory) {
        self.host = host
        self.port = port
        self.factory = factory
        listeners = group.loops.map { ListenerLoop(loop: $0) }
    }

    /// Binds on every loop and starts accepting; returns the port.
    public func start() throws -> Int {
        Socket.ignoreSIGPIPE()
        var bound = port
        var fds: [Int32] = []
        do {
            for _ in listeners {
                let (fd, actual) = try Socket.listen(host: host, port: bound)
                fds.append(fd)
                bound = actual
            }
        } catch {
            for fd in fds { close(fd) }
            throw error
        }
        for (listener, fd) in zip(listeners, fds) {
            listener.loop.execute { [self] in listener.start(fd: fd, server: self, factory: factory) }
        }
        return bound
    }

    /// Stops accepting and asks every connection to close once idle, without waiting.
    public func beginShutdown() {
        for listener in listeners { listener.loop.execute { listener.drain() } }
    }

    /// ``beginShutdown()``, then waits until every connection closed or `gracePeriod`
    /// passed (the rest are then closed).
    public func shutdown(gracePeriod: Duration) async {
        beginShutdown()
        let deadline = ContinuousClock.now + gracePeriod
        while openConnections.current > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        for listener in listeners { listener.loop.execute { listener.closeAll() } }
        while openConnections.current > 0 { try? await Task.sleep(for: .milliseconds(5)) }
    }
}

/// One loop's share of a server: its listening socket, its connections, its clock.
public final class ListenerLoop: EventLoopSource, @unchecked Sendable {
    // @unchecked Sendable: created on any thread but used only on `loop`'s thread (every
    // entry point is called from `loop.execute` or the loop's own callbacks).
    /// The loop this listener and its connections live on.
    public let loop: EventLoop
    private weak var server: TCPServer?
    private var factory: TCPServer.Factory?
    private var listener: Int32 = -1
    private var connections: [Int32: any ServerConnection] = [:]
    /// A buffer reused for every read on this loop.
    public var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    /// The HTTP `Date` value, refreshed every second.
    public private(set) var date = HTTPDate.now()
    /// Whether the server is shutting down: no new connections, keep-alive ends.
    public private(set) var draining = false

    init(loop: EventLoop) { self.loop = loop }

    func start(fd: Int32, server: TCPServer, factory: @escaping TCPServer.Factory) {
        self.server = server
        self.factory = factory
        listener = fd
        do {
            try loop.register(fd, self)
        } catch {
            print("pawnshop: cannot listen on loop \(loop.index): \(error)")
        }
        tick()
    }

    private func tick() {
        let now = MonotonicClock.now()
        date = HTTPDate.now()
        for connection in Array(connections.values) { connection.tick(now: now) }
        guard listener >= 0 || !connections.isEmpty else { return }
        loop.schedule(after: .seconds(1)) { [self] in tick() }
    }

    /// The listening socket has connections to accept.
    public func readable() {
        guard let server, let factory, !draining, listener >= 0 else { return }
        // Accept in batches so that one busy listener cannot starve the loop's connections.
        for _ in 0..<128 {
            guard let fd = Socket.accept(listener) else { return }
            let connection = factory(fd, self)
            do {
                try loop.register(fd, connection)
                connections[fd] = connection
                server.openConnections.add(1)
            } catch {
                close(fd)
            }
        }
    }

    /// Never asked for: a listening socket is only read.
    public func writable() {}

    /// A connection closed `fd`: forget it.
    public func connectionClosed(_ fd: Int32) {
        if connections.removeValue(forKey: fd) != nil { server?.openConnections.add(-1) }
    }

    /// Stops accepting and asks every connection to close once idle.
    public func drain() {
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
