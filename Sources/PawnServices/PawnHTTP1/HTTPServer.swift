import Glibc
import PawnIO

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
        /// The address to listen on.
        public var host: String
        /// 0 picks a free port; ``HTTPServer/start()`` returns it.
        public var port: Int
        /// Header, body and chunk limits.
        public var limits: HTTP1Limits
        /// A request head not complete this long after its first byte gets 408.
        public var headerTimeout: Duration
        /// A request body not complete this long after its head gets 408.
        public var bodyTimeout: Duration
        /// A keep-alive connection with nothing to do is closed after this long.
        public var idleTimeout: Duration
        /// How the server words the errors it answers itself (malformed requests, timeouts).
        public var errorResponse: HTTPErrorResponder
        /// The most connections open at once; one more is answered 503 and closed.
        public var maxConnections: Int

        /// A configuration; the defaults are 127.0.0.1:8080, 10 s, 30 s, 60 s and 10,000
        /// connections.
        public init(
            host: String = "127.0.0.1", port: Int = 8080, limits: HTTP1Limits = HTTP1Limits(),
            headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30),
            idleTimeout: Duration = .seconds(60),
            errorResponse: @escaping HTTPErrorResponder = HTTPErrorResponses.plainText,
            maxConnections: Int = 10_000
        ) {
            self.maxConnections = maxConnections
            self.host = host
            self.port = port
            self.limits = limits
            self.headerTimeout = headerTimeout
            self.bodyTimeout = bodyTimeout
            self.idleTimeout = idleTimeout
            self.errorResponse = errorResponse
        }
    }

    /// How the server listens and what it tolerates.
    public let configuration: Configuration
    let handler: any HTTPHandler
    private let tcp: TCPServer

    /// A server answering with `handler` on the loops of `group`; call ``start()`` to listen.
    public init(configuration: Configuration, group: EventLoopGroup, handler: any HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
        let box = WeakBox<HTTPServer>()
        var refusal: [UInt8] = []
        var busy = configuration.errorResponse(
            .serviceUnavailable, "tooManyConnections",
            "this server has \(configuration.maxConnections) connections open, its limit; try again")
        busy.headers.replaceOrAdd(name: "Retry-After", value: "1")
        HTTP1ResponseWriter.write(busy, keepAlive: false, into: &refusal)
        tcp = TCPServer(
            host: configuration.host, port: configuration.port, group: group,
            maxConnections: configuration.maxConnections, refusal: refusal
        ) { fd, listener in
            HTTPConnection(fd: fd, listener: listener, server: box.object!)
        }
        box.object = self
    }

    /// Binds and starts accepting on every loop; returns the port.
    @discardableResult
    public func start() throws -> Int { try tcp.start() }

    /// Stops accepting, lets in-flight requests finish (their responses carry
    /// `Connection: close`), closes idle connections, and returns when every connection is
    /// closed or `gracePeriod` has passed (the rest are then closed).
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        await tcp.shutdown(gracePeriod: gracePeriod)
    }

    /// Stops accepting and asks every connection to close once idle, without waiting:
    /// the first half of ``shutdown(gracePeriod:)``, callable from synchronous code.
    public func beginShutdown() { tcp.beginShutdown() }

    /// The number of open connections.
    public var connectionCount: Int { tcp.openConnections.current }

    /// Connections turned away over ``Configuration/maxConnections``, since start.
    public var refusedConnections: Int { tcp.refusedConnections.current }

    /// Times accepting paused for want of descriptors or memory, since start.
    public var acceptPauses: Int { tcp.acceptPauses.current }
}
