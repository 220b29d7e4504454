import PawnGRPC
import PawnIO
import PawnMetrics
import PawnPorts
import PawnProtocol
import Synchronization

/// `pawnshop.v1.Dispatcher` over gRPC: workers join, send heartbeats and leave, each with
/// the shared token (compared in constant time; without it, UNAUTHENTICATED). A joined worker becomes ready for reads once its health check
/// (`grpc.health.v1.Health/Check` on its own server) answers SERVING.
public struct DispatcherGRPCService: GRPCService {
    public let name = "pawnshop.v1.Dispatcher"
    public let methods: Set<String> = ["Join", "Heartbeat", "Leave"]
    let registry: WorkerRegistry
    let token: String
    let group: EventLoopGroup
    /// How often joined workers are asked to send heartbeats.
    public let heartbeatInterval: Duration
    /// Where calls served and calls made to workers are recorded.
    let metrics: Metrics?

    /// The service that adds workers presenting `token` to `registry`; their gRPC clients live on `group`.
    public init(
        registry: WorkerRegistry, token: String, group: EventLoopGroup,
        heartbeatInterval: Duration = .seconds(2), metrics: Metrics? = nil
    ) {
        self.registry = registry
        self.token = token
        self.group = group
        self.heartbeatInterval = heartbeatInterval
        self.metrics = metrics
    }

    public func call(_ method: String, request: [UInt8], context: GRPCContext) async -> GRPCResult {
        let started = ContinuousClock.now
        let result = await answer(method, request)
        metrics?.observe(
            .grpcServer, ["method": method, "code": result.status.code.name],
            seconds: started.duration(to: .now).seconds)
        return result
    }

    private func answer(_ method: String, _ request: [UInt8]) async -> GRPCResult {
        switch method {
        case "Join":
            return await GRPCUnary.handle(request) { (join: Wire.JoinRequest) throws(GRPCStatus) in
                await self.join(join)
            }
        case "Heartbeat":
            return await GRPCUnary.handle(request) { (beat: Wire.HeartbeatRequest) throws(GRPCStatus) in
                try self.authenticate(beat.token)
                let report = WorkerPipelineReport(
                    stalled: beat.stalled,
                    lag: Dictionary(
                        beat.lag.map {
                            (TopicPartition(topic: $0.topic, partition: Int($0.partition)), max(0, $0.lag))
                        },
                        uniquingKeysWith: max),
                    oldestUnapplied: .milliseconds(max(0, beat.oldestUnappliedMs)))
                return Wire.HeartbeatReply(known: registry.heartbeat(id: beat.workerId, report: report))
            }
        case "Leave":
            return await GRPCUnary.handle(request) { (leave: Wire.LeaveRequest) throws(GRPCStatus) in
                try self.authenticate(leave.token)
                registry.leave(id: leave.workerId)
                return Wire.LeaveReply()
            }
        default:
            return .failure(GRPCStatus(.unimplemented, "pawnshop.v1.Dispatcher has no method \(method)"))
        }
    }

    private func authenticate(_ presented: String) throws(GRPCStatus) {
        guard Secret.matches(presented, token) else {
            throw GRPCStatus(.unauthenticated, "the join token is not valid")
        }
    }

    private func join(_ join: Wire.JoinRequest) async -> Wire.JoinReply {
        guard Secret.matches(join.token, token) else {
            return Wire.JoinReply(response: .rejected, reason: "the join token is not valid")
        }
        guard let info = join.workerInfo, !info.workerId.isEmpty, !info.host.isEmpty,
            (1...65_535).contains(info.port)
        else {
            return Wire.JoinReply(
                response: .rejected, reason: "workerInfo needs a workerId, a host and a port")
        }
        let client: GRPCClient
        do {
            // Resolved off the loop this handler runs on (a name may need DNS).
            client = try await GRPCClient.resolving(host: info.host, port: Int(info.port), group: group)
        } catch {
            return Wire.JoinReply(response: .rejected, reason: "cannot resolve \(info.host): \(error)")
        }
        let member = registry.join(
            id: info.workerId, client: GRPCWorkerClient(client: client, metrics: metrics),
            address: "\(info.host):\(info.port)",
            ready: false)
        // Ready once its health check answers; checked in the background so the join returns now.
        Task { await registry.admit(member) }
        return Wire.JoinReply(
            response: .joined,
            heartbeatIntervalMs: heartbeatInterval.milliseconds32)
    }
}
