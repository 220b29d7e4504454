import PawnGRPC
import PawnHTTP1
import PawnIO
import PawnLog
import PawnMetrics
import PawnPorts
import PawnProtocol
import PawnTelemetry

/// A worker as a running service: it consumes the event log, serves `pawnshop.v1.Worker`
/// over gRPC, and joins every dispatcher it is given (retrying with backoff), so that each
/// of them can send it reads.
///
/// A dispatcher given by a name is resolved again every `resolveEvery`: each address the
/// name has is a dispatcher to join (a replicated service behind one DNS name), an address
/// that disappears is left. The consuming does not wait for any dispatcher: events flow
/// from the log to the store while none is up.
public final class WorkerNode: Sendable {
    /// The consumer and its reads.
    public let worker: Worker
    /// The gRPC server of `pawnshop.v1.Worker`.
    public let grpc: GRPCServer
    /// The HTTP server of `GET /metrics`, when the node was given a metrics port.
    public let metricsServer: HTTPServer?
    private let boundMetricsPort = Locked<Int?>(nil)
    /// The port `GET /metrics` is served on, once started (when it is served).
    public var metricsPort: Int? { boundMetricsPort.withLock { $0 } }
    let host: String
    let dispatchers: [(host: String, port: Int)]
    let advertise: (host: String, port: Int)?
    let token: String
    let resolveEvery: Duration
    let group: EventLoopGroup
    private let agents = Locked<[String: WorkerAgent]>([:])
    /// The loop that resolves the dispatchers again; `stopped` once ``stop()`` began, so
    /// that a start still under way does not begin it (or join anyone) afterwards.
    private let membership = Locked<(task: Task<Void, Never>?, stopped: Bool)>((nil, false))
    private let resolver = BlockingPool(threads: 1, queueLimit: 16, name: "pawn-resolve")
    private let logger: Logger
    private let report: (@Sendable (String) -> Void)?

    /// A worker `id` serving gRPC on `host:port`, joining every dispatcher of `dispatchers`
    /// (host, port), consuming as a member of `consumerGroup`. Dispatchers reach it at
    /// `advertise`, or at `host` and the port it serves on; a wildcard `host` (`0.0.0.0`,
    /// `::`) needs `advertise`. It keeps at most `maxConnections` gRPC connections open. Its pipeline counts as stalled after `stallThreshold` with
    /// records waiting and none stored. What it reports (joined, refused, a dispatcher it cannot
    /// resolve or reach) goes to the process's log, or to `report` instead when one is given.
    /// It records its metrics into `metrics` (one its process shares) or its own, and serves
    /// them at `GET /metrics` over HTTP on `host:metricsPort` when that is given (0: any free port).
    public init(
        id: String, log: any EventLog, store: any ItemStore, group: EventLoopGroup,
        host: String = "127.0.0.1",
        port: Int = 0, maxConnections: Int = 1_000, dispatchers: [(host: String, port: Int)],
        advertise: (host: String, port: Int)? = nil, token: String,
        consumerGroup: String = "pawnshop-workers", stallThreshold: Duration = .seconds(30),
        resolveEvery: Duration = .seconds(30), metrics: Metrics? = nil, metricsPort: Int? = nil,
        report: (@Sendable (String) -> Void)? = nil
    ) throws {
        let worker = Worker(
            id: id, log: log, store: store, group: consumerGroup, stallThreshold: stallThreshold,
            metrics: metrics ?? Metrics())
        self.worker = worker
        self.host = host
        self.dispatchers = dispatchers
        self.advertise = advertise
        self.token = token
        self.resolveEvery = resolveEvery
        self.group = group
        self.report = report
        logger = Logger(["component": "worker", "worker_id": .string(id)])
        let serving = SharedFlag()
        grpc = GRPCServer(
            configuration: .init(host: host, port: port, maxConnections: maxConnections), group: group,
            services: [
                WorkerGRPCService(worker: worker, metrics: worker.metrics),
                GRPCHealthService(services: ["pawnshop.v1.Worker"]) { serving.value },
            ])
        self.serving = serving
        metricsServer = metricsPort.map { port in
            var router = Router()
            router.add(.get, "/metrics") { _, _ in
                HTTPResponse(
                    status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
                    body: Array(Self.exposition(worker).utf8))
            }
            return HTTPServer(
                configuration: .init(host: host, port: port, maxConnections: 64), group: group,
                handler: router)
        }
    }

    /// The worker's metrics with its pipeline's gauges: lag per partition, the oldest record
    /// held, whether it is stalled.
    static func exposition(_ worker: Worker) -> String {
        let status = worker.pipelineStatus()
        let id = "worker=\"\(Metrics.escape(worker.id))\""
        let lag = status.lag.sorted { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }
            .map {
                (
                    labels:
                        "\(id),topic=\"\(Metrics.escape($0.key.topic))\",partition=\"\($0.key.partition)\"",
                    value: Double($0.value)
                )
            }
        return worker.metrics.render(
            gauges: TelemetryMetrics.gauges,
            series: [
                (
                    "pawnshop_worker_consumer_lag",
                    "Records on the event log a worker has not applied yet, per partition.", lag
                ),
                (
                    "pawnshop_worker_oldest_unapplied_seconds",
                    "How long the oldest record a worker fetched and has not applied has waited.",
                    [(id, (status.oldestUnapplied ?? .zero).seconds)]
                ),
                (
                    "pawnshop_worker_stalled", "1 while the worker's pipeline is stalled.",
                    [(id, status.stalled ? 1 : 0)]
                ),
                (
                    "pawnshop_worker_order_give_ups_total",
                    "Records a worker's consumer released without proof of their order (their predecessors on a sibling partition never came).",
                    [(id, Double(status.orderGiveUps))]
                ),
            ])
    }

    /// A worker joining the one dispatcher at `dispatcher`, or none when it is `nil`.
    public convenience init(
        id: String, log: any EventLog, store: any ItemStore, group: EventLoopGroup,
        host: String = "127.0.0.1",
        port: Int = 0, dispatcher: (host: String, port: Int)?, token: String,
        consumerGroup: String = "pawnshop-workers", stallThreshold: Duration = .seconds(30)
    ) throws {
        try self.init(
            id: id, log: log, store: store, group: group, host: host, port: port,
            dispatchers: dispatcher.map { [$0] } ?? [], token: token, consumerGroup: consumerGroup,
            stallThreshold: stallThreshold)
    }

    /// Whether the health check says SERVING: from the start of consuming to the stop.
    private let serving: SharedFlag

    /// Why a worker node cannot start.
    public struct StartError: Error, CustomStringConvertible {
        /// For people.
        public let description: String
    }

    /// Whether `host` binds every interface (and so names no address a dispatcher can reach).
    public static func isWildcard(_ host: String) -> Bool { ["0.0.0.0", "::", "[::]", ""].contains(host) }

    /// Starts consuming and serving, then joins every dispatcher; returns the gRPC port once
    /// one of them accepted it (the others keep being tried in the background). With no
    /// dispatchers it returns at once.
    @discardableResult
    public func start() async throws -> Int {
        if Self.isWildcard(host) && advertise == nil && !dispatchers.isEmpty {
            throw StartError(
                description:
                    "the worker binds \(host.isEmpty ? "every address" : host), which dispatchers cannot connect to: give --advertise host:port"
            )
        }
        try await worker.start()
        let port = try grpc.start()
        if let metricsServer {
            let bound = try metricsServer.start()
            boundMetricsPort.withLock { $0 = bound }
        }
        // Serving before joining: a dispatcher health-checks us as it lets us join.
        serving.set(true)
        guard !dispatchers.isEmpty else { return port }
        let info = Wire.WorkerInfo(
            workerId: worker.id, host: advertise?.host ?? host, port: Int32(advertise?.port ?? port))
        await reconcile(info)
        let task = Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: resolveEvery)
                if Task.isCancelled { break }
                await reconcile(info)
            }
        }
        let began = membership.withLock { state in
            guard !state.stopped else { return false }
            state.task = task
            return true
        }
        guard began else {
            task.cancel()
            return port
        }
        while !Task.isCancelled {
            let current = agents.withLock { Array($0.values) }
            if current.contains(where: { $0.joined.withLock { $0 } }) { return port }
            if !current.isEmpty && current.allSatisfy({ $0.refused.withLock { $0 } != nil }) {
                throw current.first!.refused.withLock { $0 }!
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return port
    }

    /// The dispatchers joined or being joined, as `address:port`.
    public var dispatcherAddresses: [String] { agents.withLock { $0.keys.sorted() } }

    /// Resolves every dispatcher and joins the addresses not joined yet; leaves the ones gone.
    /// Writes `message` to the log at `level`, or hands it to `report` when there is one.
    private func note(_ level: LogLevel, _ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        if let report { report(message) } else { logger.log(level, message, fields) }
    }

    private func reconcile(_ info: Wire.WorkerInfo) async {
        guard !isStopped else { return }
        var wanted: [String: (host: String, port: Int)] = [:]
        var unresolved: Set<Int> = []
        for (index, dispatcher) in dispatchers.enumerated() {
            let name = dispatcher.host
            let addresses: [String]
            do {
                addresses = try await resolver.run { try Socket.numericAddresses(of: name) }
            } catch {
                if isStopped { return }  // stop() shut the resolver down meanwhile
                // Keep what this name had: a resolver hiccup is no reason to leave.
                unresolved.insert(index)
                note(.warning, "cannot resolve \(name): \(error)", ["dispatcher": .string(name)])
                continue
            }
            for address in addresses { wanted["\(address):\(dispatcher.port)"] = (address, dispatcher.port) }
        }
        let keep = unresolved.isEmpty
        if isStopped { return }
        let (added, removed) = agents.withLock {
            agents -> ([(String, (host: String, port: Int))], [WorkerAgent]) in
            let added = wanted.filter { agents[$0.key] == nil }.map { ($0.key, $0.value) }
            let gone = keep ? agents.keys.filter { wanted[$0] == nil } : []
            return (added, gone.compactMap { agents.removeValue(forKey: $0) })
        }
        for agent in removed {
            let dispatcher = "\(agent.dispatcher.host):\(agent.dispatcher.port)"
            note(.notice, "leaving \(dispatcher), no longer resolved", ["dispatcher": .string(dispatcher)])
            await agent.stop()
            agent.dispatcher.close()
        }
        for (key, address) in added {
            let client: GRPCClient
            do {
                client = try await GRPCClient.resolving(
                    host: address.host, port: address.port, group: group, on: resolver)
            } catch {
                if isStopped { return }
                note(.warning, "cannot reach \(key): \(error)", ["dispatcher": .string(key)])
                continue
            }
            let worker = self.worker
            let agent = WorkerAgent(
                info: info, dispatcher: client, token: token,
                status: { Self.heartbeat(worker.pipelineStatus()) })
            // Checked under the agents' lock: stop() removes every agent after it set
            // `stopped`, so an agent is either refused here or removed (and stopped) there.
            let kept = agents.withLock { agents in
                guard !isStopped else { return false }
                agents[key] = agent
                return true
            }
            guard kept else {
                client.close()
                return
            }
            agent.startInBackground { [self] event in
                note(event == "joined" ? .info : .error, "\(event) \(key)", ["dispatcher": .string(key)])
            }
        }
    }

    /// What a heartbeat says of the pipeline.
    static func heartbeat(_ status: PipelineStatus) -> Wire.HeartbeatRequest {
        Wire.HeartbeatRequest(
            partitions: Array(Set(status.lag.keys.map { Int32($0.partition) })).sorted(),
            stalled: status.stalled,
            lag: status.lag.sorted { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }.map
            {
                Wire.PartitionLag(topic: $0.key.topic, partition: Int32($0.key.partition), lag: $0.value)
            },
            oldestUnappliedMs: status.oldestUnapplied?.milliseconds ?? 0)
    }

    private var isStopped: Bool { membership.withLock { $0.stopped } }

    /// Leaves every dispatcher, finishes the calls in flight, stops consuming. A start still
    /// under way joins no one afterwards.
    public func stop() async {
        serving.set(false)
        let task = membership.withLock { state in
            state.stopped = true
            defer { state.task = nil }
            return state.task
        }
        task?.cancel()
        await task?.value
        let all = agents.withLock { agents in
            defer { agents.removeAll() }
            return Array(agents.values)
        }
        for agent in all { await agent.stop() }
        await grpc.shutdown(gracePeriod: .seconds(5))
        await metricsServer?.shutdown(gracePeriod: .seconds(1))
        await worker.stop()
        for agent in all { agent.dispatcher.close() }
        resolver.shutdown()
    }
}

/// A flag shared between a node and its health service.
final class SharedFlag: Sendable {
    private let state = Locked(false)
    var value: Bool { state.withLock { $0 } }
    func set(_ value: Bool) { state.withLock { $0 = value } }
}
