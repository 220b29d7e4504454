import PawnGRPC
import PawnHTTP1
import PawnIO
import PawnLog
import PawnPorts

/// A dispatcher as a running service: the HTTP API, the `pawnshop.v1.Dispatcher` gRPC
/// service that workers join, and the sweeper that evicts silent workers.
public final class DispatcherNode: Sendable {
    /// The HTTP routes' logic.
    public let dispatcher: Dispatcher
    /// The workers that joined.
    public let registry: WorkerRegistry
    /// The HTTP API.
    public let http: HTTPServer
    /// The gRPC server workers join.
    public let grpc: GRPCServer
    private let sweeper = Locked<Task<Void, Never>?>(nil)
    private let heartbeatInterval: Duration

    /// A dispatcher node over its ports, admitting workers that present `token`; Idempotency-Key
    /// answers and accepted event ids go to `idempotency`; with `console`, the operator console
    /// is served at `/`.
    public init(
        log: any EventLog, fraudList: any FraudList, group: EventLoopGroup, http: HTTPServer.Configuration,
        grpc: GRPCServer.Configuration, token: String, heartbeatInterval: Duration = .seconds(2),
        idempotency: any IdempotencyStore = InMemoryIdempotencyStore(), console: Bool = true
    ) {
        registry = WorkerRegistry(heartbeatTimeout: heartbeatInterval * 3)
        self.heartbeatInterval = heartbeatInterval
        dispatcher = Dispatcher(
            log: log, fraudList: fraudList, workers: registry, idempotency: idempotency, console: console)
        var http = http
        http.errorResponse = ErrorBody.responder
        self.http = HTTPServer(configuration: http, group: group, handler: dispatcher.router)
        let membership = DispatcherGRPCService(
            registry: registry, token: token, group: group, heartbeatInterval: heartbeatInterval,
            metrics: dispatcher.metrics)
        self.grpc = GRPCServer(
            configuration: grpc, group: group,
            services: [membership, GRPCHealthService(services: ["pawnshop.v1.Dispatcher"])])
    }

    /// Starts both servers and the sweeper; returns the HTTP and gRPC ports.
    public func start() throws -> (http: Int, grpc: Int) {
        let grpcPort = try grpc.start()
        let httpPort = try http.start()
        let registry = self.registry
        let heartbeatInterval = self.heartbeatInterval
        let task = Task {
            var sweep = SweepAfterPause(every: .milliseconds(500), grace: heartbeatInterval)
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                guard sweep.due() else { continue }
                for id in registry.evictSilent() {
                    Logger(["component": "workers"]).warning(
                        "evicted worker \(id) (no heartbeat)", ["worker_id": .string(id)])
                }
            }
        }
        sweeper.withLock { $0 = task }
        return (httpPort, grpcPort)
    }

    /// Stops the HTTP server (finishing requests in flight), then the gRPC server.
    public func stop(gracePeriod: Duration = .seconds(10)) async {
        sweeper.withLock { $0?.cancel() }
        await http.shutdown(gracePeriod: gracePeriod)
        await grpc.shutdown(gracePeriod: .seconds(2))
    }
}

/// When the sweeper may evict silent workers: on every tick, except for `grace` after a tick
/// that came much later than `every` — this process was paused or starved, and the heartbeats
/// its workers sent meanwhile may still be waiting in its sockets (without this, a pause of a
/// few seconds evicted every worker at once).
public struct SweepAfterPause: Sendable {
    let every: Duration
    let grace: Duration
    private var last: ContinuousClock.Instant
    private var quietUntil: ContinuousClock.Instant?

    /// A sweep ticking `every`, holding off for `grace` after a late tick.
    public init(every: Duration, grace: Duration, now: ContinuousClock.Instant = .now) {
        self.every = every
        self.grace = grace
        last = now
    }

    /// Whether the tick at `now` may evict.
    public mutating func due(now: ContinuousClock.Instant = .now) -> Bool {
        defer { last = now }
        if now - last > every * 4 { quietUntil = now + grace }
        if let quietUntil, now < quietUntil { return false }
        quietUntil = nil
        return true
    }
}
