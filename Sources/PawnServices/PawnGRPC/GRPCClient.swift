import PawnHPACK
import PawnIO
import PawnProtocol

/// A gRPC client for one peer: calls are multiplexed on one HTTP/2 connection; a broken
/// connection is replaced on the next call, after a jittered backoff while the peer keeps
/// failing (calls during the backoff fail fast with UNAVAILABLE).
public final class GRPCClient: Sendable {
    /// Limits and reconnection pacing.
    public struct Configuration: Sendable {
        /// The largest response message accepted (RESOURCE_EXHAUSTED past it).
        public var maxReceiveMessageSize: Int
        /// The first pause after a failed connection; it doubles up to ``maxBackoff``.
        public var initialBackoff: Duration
        /// The longest pause between connection attempts.
        public var maxBackoff: Duration

        /// A configuration; the defaults are 4 MiB, 100 ms and 5 s.
        public init(
            maxReceiveMessageSize: Int = 4 * 1024 * 1024, initialBackoff: Duration = .milliseconds(100),
            maxBackoff: Duration = .seconds(5)
        ) {
            self.maxReceiveMessageSize = maxReceiveMessageSize
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
        }
    }

    /// The peer's host.
    public let host: String
    /// The peer's port.
    public let port: Int
    /// Limits and reconnection pacing.
    public let configuration: Configuration
    private let address: Socket.Address
    private let loop: EventLoop
    private let state: Locked<State>

    private struct State {
        var connection: GRPCClientConnection?
        var backoff: Backoff
        var retryAt: ContinuousClock.Instant?
        var closed = false
    }

    /// A client of `host:port` whose connection lives on a loop of `group`. Resolving a
    /// name may block: from a loop or a task, use
    /// ``resolving(host:port:group:configuration:on:)``.
    public convenience init(
        host: String, port: Int, group: EventLoopGroup, configuration: Configuration = Configuration()
    ) throws {
        try self.init(
            host: host, port: port, address: Socket.resolve(host: host, port: port), group: group,
            configuration: configuration)
    }

    /// The process's threads for resolving names (shared: a pool per client would leave
    /// threads behind).
    public static let resolver = BlockingPool(threads: 2, queueLimit: 256, name: "pawn-resolve")

    /// A client of `host:port`, resolved on `pool` (DNS blocks; never on a loop or the
    /// cooperative pool).
    public static func resolving(
        host: String, port: Int, group: EventLoopGroup, configuration: Configuration = Configuration(),
        on pool: BlockingPool = resolver
    ) async throws -> GRPCClient {
        let address = try await pool.run { try Socket.resolve(host: host, port: port) }
        return GRPCClient(
            host: host, port: port, address: address, group: group, configuration: configuration)
    }

    private init(
        host: String, port: Int, address: Socket.Address, group: EventLoopGroup, configuration: Configuration
    ) {
        self.host = host
        self.port = port
        self.configuration = configuration
        self.address = address
        loop = group.next()
        state = Locked(
            State(backoff: Backoff(initial: configuration.initialBackoff, maximum: configuration.maxBackoff)))
    }

    /// Calls `path` (`/package.Service/Method`) with an encoded request; returns the
    /// encoded response, or throws the call's status.
    public func unary(
        _ path: String, request: [UInt8], metadata: [HeaderField] = [], timeout: Duration? = nil
    ) async throws(GRPCStatus) -> [UInt8] {
        let connection: GRPCClientConnection
        switch currentConnection() {
        case .success(let live): connection = live
        case .failure(let status): throw status
        }
        let box = CallBox()
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let call = GRPCClientConnection.PendingCall(
                        path: path, request: request, metadata: metadata, timeout: timeout,
                        maxMessageSize: configuration.maxReceiveMessageSize, continuation: continuation)
                    box.set(call)
                    connection.loop.execute { connection.start(call) }
                }
            } onCancel: {
                if let call = box.get() { connection.loop.execute { connection.cancel(call) } }
            }
        } catch let status as GRPCStatus {
            throw status
        } catch {
            throw GRPCStatus(.unknown, "\(error)")
        }
    }

    /// A typed unary call.
    public func unary<Request: ProtoMessage, Response: ProtoMessage>(
        _ path: String, _ request: Request, as: Response.Type = Response.self, metadata: [HeaderField] = [],
        timeout: Duration? = nil
    ) async throws(GRPCStatus) -> Response {
        let bytes = try await unary(
            path, request: request.serializedBytes(), metadata: metadata, timeout: timeout)
        do {
            return try Response(
                serializedBytes: bytes,
                options: ProtoDecodingOptions(maxMessageSize: configuration.maxReceiveMessageSize))
        } catch {
            throw GRPCStatus(.internalError, "malformed response: \(error)")
        }
    }

    /// Closes the connection; later calls fail with UNAVAILABLE.
    public func close() {
        let connection = state.withLock { state in
            state.closed = true
            defer { state.connection = nil }
            return state.connection
        }
        if let connection { connection.loop.execute { connection.close() } }
    }

    private func currentConnection() -> Result<GRPCClientConnection, GRPCStatus> {
        state.withLock { state in
            if state.closed { return .failure(GRPCStatus(.unavailable, "the client is closed")) }
            if let connection = state.connection { return .success(connection) }
            if let retryAt = state.retryAt, ContinuousClock.now < retryAt {
                return .failure(
                    GRPCStatus(.unavailable, "\(host):\(port) is unreachable; retrying after a pause"))
            }
            let connection = GRPCClientConnection(
                loop: loop, authority: "\(host):\(port)",
                maxReceiveMessageSize: configuration.maxReceiveMessageSize)
            connection.onClose = { [weak self, weak connection] connected in
                self?.connectionClosed(connection, connected: connected)
            }
            state.connection = connection
            let address = self.address
            loop.execute { connection.connect(to: address) }
            return .success(connection)
        }
    }

    private func connectionClosed(_ connection: GRPCClientConnection?, connected: Bool) {
        state.withLock { state in
            if state.connection === connection { state.connection = nil }
            if connected {
                state.backoff.reset()
                state.retryAt = nil
            } else {
                state.retryAt = .now + state.backoff.next()
            }
        }
    }
}

/// Hands the call to the cancellation handler, which may run on another thread.
private final class CallBox: Sendable {
    private let call = Locked<GRPCClientConnection.PendingCall?>(nil)
    func set(_ value: GRPCClientConnection.PendingCall) { call.withLock { $0 = value } }
    func get() -> GRPCClientConnection.PendingCall? { call.withLock { $0 } }
}
