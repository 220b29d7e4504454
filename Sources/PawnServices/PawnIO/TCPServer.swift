import Glibc
import PawnLog
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
///
/// Two limits protect the process: at most ``maxConnections`` are open at once (a
/// connection over it is sent the protocol's ``refusal`` and closed), and when `accept`
/// fails for want of descriptors or memory (EMFILE, ENFILE, …) the listener stops being
/// polled for a while (50 ms, doubling to 1 s) instead of waking the loop again at once,
/// while the open connections keep being served.
public final class TCPServer: Sendable {
    /// Makes the connection for an accepted descriptor on a loop.
    public typealias Factory = @Sendable (Int32, ListenerLoop) -> any ServerConnection

    let host: String
    let port: Int
    let listeners: [ListenerLoop]
    /// The connections open now, over every loop.
    public let openConnections = AtomicCounter()
    /// Connections turned away over ``maxConnections``, since start.
    public let refusedConnections = AtomicCounter()
    /// Times accepting was paused because `accept` ran out of descriptors or memory.
    public let acceptPauses = AtomicCounter()
    /// The most connections open at once; more are sent ``refusal`` and closed.
    public let maxConnections: Int
    /// What a connection over the limit is sent before it is closed (the protocol's "busy").
    public let refusal: [UInt8]
    private let factory: Factory

    /// A server for `host:port` on every loop of `group`, making connections with `factory`,
    /// at most `maxConnections` at once (more are sent `refusal` and closed); call
    /// ``start()`` to listen.
    public init(
        host: String, port: Int, group: EventLoopGroup, maxConnections: Int = .max, refusal: [UInt8] = [],
        factory: @escaping Factory
    ) {
        self.host = host
        self.port = port
        self.maxConnections = max(1, maxConnections)
        self.refusal = refusal
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
    /// While accepting is paused after EMFILE and the like: the next pause's length.
    private var pause: Duration?

    init(loop: EventLoop) { self.loop = loop }

    func start(fd: Int32, server: TCPServer, factory: @escaping TCPServer.Factory) {
        self.server = server
        self.factory = factory
        listener = fd
        do {
            try loop.register(fd, self)
        } catch {
            Logger(["component": "tcp"]).error("cannot listen on loop \(loop.index): \(error)")
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
            let fd: Int32
            switch Socket.accept(listener) {
            case .nonePending: return
            case .lost: continue
            case .exhausted(let code):
                pauseAccepting(code)
                return
            case .connection(let accepted): fd = accepted
            }
            pause = nil
            guard server.openConnections.current < server.maxConnections else {
                refuse(fd, with: server.refusal)
                server.refusedConnections.add(1)
                continue
            }
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

    /// `accept` failed for want of descriptors or memory: the listener stays readable, so
    /// polling it again would spin. Stop polling it for a while; connections carry on.
    private func pauseAccepting(_ code: Int32) {
        let length = pause.map { min($0 * 2, .seconds(1)) } ?? .milliseconds(50)
        if pause == nil {
            Logger(["component": "tcp"]).warning(
                "cannot accept connections on loop \(loop.index) (\(String(cString: strerror(code)))); "
                    + "accepting again in \(length.milliseconds) ms, and with backoff while it lasts")
        }
        pause = length
        server?.acceptPauses.add(1)
        loop.modify(listener, readable: false, writable: false)
        loop.schedule(after: length) { [self] in
            guard listener >= 0, !draining else { return }
            loop.modify(listener, readable: true, writable: false)
        }
    }

    /// Turns a connection away: reads what it sent (so that closing does not reset the
    /// answer away), sends `bytes`, and closes it.
    private func refuse(_ fd: Int32, with bytes: [UInt8]) {
        _ = readBuffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if !bytes.isEmpty {
            _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
        shutdown(fd, Int32(SHUT_WR))
        close(fd)
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
