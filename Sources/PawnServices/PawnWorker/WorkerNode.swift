import PawnGRPC
import PawnIO
import PawnPorts
import PawnProtocol

/// A worker as a running service: it consumes the event log, serves `pawnshop.v1.Worker`
/// over gRPC, and joins a dispatcher (retrying with backoff) before it counts as serving.
public final class WorkerNode: Sendable {
    /// The consumer and its reads.
    public let worker: Worker
    /// The gRPC server of `pawnshop.v1.Worker`.
    public let grpc: GRPCServer
    let host: String
    let dispatcherClient: GRPCClient?
    let token: String
    private let agent = Locked<WorkerAgent?>(nil)

    /// A worker `id` serving gRPC on `host:port`, joining the dispatcher at
    /// `dispatcher` (host, port) when given, consuming as a member of `consumerGroup`.
    public init(
        id: String, log: any EventLog, store: any ItemStore, group: EventLoopGroup,
        host: String = "127.0.0.1",
        port: Int = 0, dispatcher: (host: String, port: Int)?, token: String,
        consumerGroup: String = "pawnshop-workers"
    ) throws {
        worker = Worker(id: id, log: log, store: store, group: consumerGroup)
        self.host = host
        self.token = token
        let serving = SharedFlag()
        grpc = GRPCServer(
            configuration: .init(host: host, port: port), group: group,
            services: [
                WorkerGRPCService(worker: worker),
                GRPCHealthService(services: ["pawnshop.v1.Worker"]) { serving.value },
            ])
        dispatcherClient = try dispatcher.map { try GRPCClient(host: $0.host, port: $0.port, group: group) }
        self.serving = serving
    }

    /// Whether the health check says SERVING: from the start of consuming to the stop.
    private let serving: SharedFlag

    /// Starts consuming and serving, then joins; returns the gRPC port once joined.
    @discardableResult
    public func start() async throws -> Int {
        try await worker.start()
        let port = try grpc.start()
        // Serving before joining: the dispatcher health-checks us as it lets us join.
        serving.set(true)
        if let dispatcherClient {
            let agent = WorkerAgent(
                info: Wire.WorkerInfo(workerId: worker.id, host: host, port: Int32(port)),
                dispatcher: dispatcherClient,
                token: token)
            try await agent.start()
            self.agent.withLock { $0 = agent }
        }
        return port
    }

    /// Leaves the dispatcher, finishes the calls in flight, stops consuming.
    public func stop() async {
        serving.set(false)
        if let agent = agent.withLock({ $0 }) { await agent.stop() }
        await grpc.shutdown(gracePeriod: .seconds(5))
        await worker.stop()
        dispatcherClient?.close()
    }
}

/// A flag shared between a node and its health service.
final class SharedFlag: Sendable {
    private let state = Locked(false)
    var value: Bool { state.withLock { $0 } }
    func set(_ value: Bool) { state.withLock { $0 = value } }
}
