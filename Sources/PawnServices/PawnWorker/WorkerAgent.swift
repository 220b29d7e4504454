import PawnGRPC
import PawnIO
import PawnProtocol

/// The worker's side of membership: join (retrying with backoff), heartbeat, rejoin when
/// forgotten, leave on stop.
public final class WorkerAgent: Sendable {
    /// Who this worker is and where it serves.
    public let info: Wire.WorkerInfo
    let dispatcher: GRPCClient
    let token: String
    private let task = Locked<Task<Void, Never>?>(nil)
    /// Whether the dispatcher has accepted this worker.
    public let joined = Locked(false)

    /// An agent that joins `dispatcher` as `info` with `token`.
    public init(info: Wire.WorkerInfo, dispatcher: GRPCClient, token: String) {
        self.info = info
        self.dispatcher = dispatcher
        self.token = token
    }

    /// Joins (returning once joined, or throwing when the dispatcher refuses), then keeps
    /// heartbeating in the background.
    public func start() async throws(GRPCStatus) {
        let interval = try await joinWithBackoff()
        let loop = Task { [self] in
            var every = interval
            while !Task.isCancelled {
                try? await Task.sleep(for: every)
                let reply = try? await dispatcher.unary(
                    "/pawnshop.v1.Dispatcher/Heartbeat", Wire.HeartbeatRequest(workerId: info.workerId),
                    as: Wire.HeartbeatReply.self, timeout: .seconds(2))
                if reply?.known == false {
                    joined.withLock { $0 = false }
                    if let again = try? await joinWithBackoff() { every = again }
                }
            }
        }
        task.withLock { $0 = loop }
    }

    private func joinWithBackoff() async throws(GRPCStatus) -> Duration {
        var backoff = Backoff()
        while true {
            do throws(GRPCStatus) {
                let reply = try await dispatcher.unary(
                    "/pawnshop.v1.Dispatcher/Join", Wire.JoinRequest(workerInfo: info, token: token),
                    as: Wire.JoinReply.self,
                    timeout: .seconds(5))
                guard reply.response == .joined else {
                    throw GRPCStatus(
                        .permissionDenied, "the dispatcher refused to let this worker join: \(reply.reason)")
                }
                joined.withLock { $0 = true }
                return .milliseconds(max(100, Int64(reply.heartbeatIntervalMs)))
            } catch  where error.code == .permissionDenied {
                throw error
            } catch {
                if Task.isCancelled { throw GRPCStatus(.cancelled, "stopped while joining") }
                try? await Task.sleep(for: backoff.next())
            }
        }
    }

    /// Stops heartbeating and leaves.
    public func stop() async {
        let loop = task.withLock { task in
            defer { task = nil }
            return task
        }
        loop?.cancel()
        await loop?.value
        _ = try? await dispatcher.unary(
            "/pawnshop.v1.Dispatcher/Leave", Wire.LeaveRequest(workerId: info.workerId),
            as: Wire.LeaveReply.self,
            timeout: .seconds(2))
        joined.withLock { $0 = false }
    }
}
