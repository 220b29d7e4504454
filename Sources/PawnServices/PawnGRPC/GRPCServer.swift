import PawnHTTP2
import PawnIO
import PawnProtocol

/// A gRPC server over HTTP/2 cleartext (prior knowledge) on our event loops.
public final class GRPCServer: Sendable {
    /// Limits and listening address.
    public struct Configuration: Sendable {
        /// The address to listen on.
        public var host: String
        /// The port to listen on (0: any free port).
        public var port: Int
        /// The largest request message accepted (RESOURCE_EXHAUSTED past it).
        public var maxReceiveMessageSize: Int
        /// The HTTP/2 settings announced to clients.
        public var http2: HTTP2Settings
        /// Limits against abusive peers.
        public var abuseLimits: HTTP2AbuseLimits
        /// The most connections open at once; one more gets GOAWAY (no stream processed,
        /// so a client retries on a new connection) and is closed.
        public var maxConnections: Int
        /// A connection whose client preface and SETTINGS have not arrived this long after
        /// it was accepted is closed.
        public var prefaceTimeout: Duration
        /// A call whose request message has not fully arrived this long after its headers
        /// is answered CANCELLED and reset (a slow or stalled client holds no stream for ever).
        public var requestTimeout: Duration

        /// A configuration; the defaults are 127.0.0.1:50051, 4 MiB messages, 1,000
        /// connections, 10 s for the preface and 30 s for a request.
        public init(
            host: String = "127.0.0.1", port: Int = 50_051, maxReceiveMessageSize: Int = 4 * 1024 * 1024,
            http2: HTTP2Settings = HTTP2Settings(), abuseLimits: HTTP2AbuseLimits = HTTP2AbuseLimits(),
            maxConnections: Int = 1_000, prefaceTimeout: Duration = .seconds(10),
            requestTimeout: Duration = .seconds(30)
        ) {
            self.maxConnections = maxConnections
            self.prefaceTimeout = prefaceTimeout
            self.requestTimeout = requestTimeout
            self.host = host
            self.port = port
            self.maxReceiveMessageSize = maxReceiveMessageSize
            self.http2 = http2
            self.abuseLimits = abuseLimits
        }
    }

    /// How the server listens and what it accepts.
    public let configuration: Configuration
    let services: [String: any GRPCService]
    private let tcp: TCPServer

    /// A server for `services` on the loops of `group`; call ``start()`` to listen.
    public init(configuration: Configuration, group: EventLoopGroup, services: [any GRPCService]) {
        self.configuration = configuration
        self.services = Dictionary(services.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let box = WeakBox<GRPCServer>()
        var busy = HTTP2Connection(role: .server, settings: configuration.http2)
        busy.goAway(
            code: .noError,
            debug: "this server has \(configuration.maxConnections) connections open, its limit")
        tcp = TCPServer(
            host: configuration.host, port: configuration.port, group: group,
            maxConnections: configuration.maxConnections, refusal: busy.takeOutput()
        ) { fd, listener in
            GRPCServerConnection(fd: fd, listener: listener, server: box.object!)
        }
        box.object = self
    }

    /// Binds and starts accepting; returns the port.
    @discardableResult
    public func start() throws -> Int { try tcp.start() }

    /// Sends GOAWAY on every connection, lets calls in flight finish, and returns when
    /// every connection is closed or `gracePeriod` has passed.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        await tcp.shutdown(gracePeriod: gracePeriod)
    }

    /// The number of open connections.
    public var connectionCount: Int { tcp.openConnections.current }

    /// Connections turned away over ``Configuration/maxConnections``, since start.
    public var refusedConnections: Int { tcp.refusedConnections.current }

    /// Times accepting paused for want of descriptors or memory, since start.
    public var acceptPauses: Int { tcp.acceptPauses.current }
}
