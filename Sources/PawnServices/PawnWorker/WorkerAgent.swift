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
    let status: @Sendable () -> Wire.HeartbeatRequest
    /// The join and heartbeat loop; `stopped` once ``stop()`` began (a loop started after
    /// that is cancelled at once).
    private let task = Locked<(loop: Task<Void, Never>?, stopped: Bool)>((nil, false))
    /// Whether the dispatcher has accepted this worker.
    public let joined = Locked(false)
    /// Whether a join was ever sent: one cancelled by ``stop()`` before its answer may still
    /// have registered this worker, so leaving is owed even though ``joined`` never became
    /// true (a rejoin after an eviction, cut short by a stop, left the worker registered).
    private let joinSent = Locked(false)

    /// An agent that joins `dispatcher` as `info` with `token`; each heartbeat carries what
    /// `status` says (the worker id is filled in).
    public init(
        info: Wire.WorkerInfo, dispatcher: GRPCClient, token: String,
        status: @escaping @Sendable () -> Wire.HeartbeatRequest = { Wire.HeartbeatRequest() }
    ) {
        self.info = info
        self.dispatcher = dispatcher
        self.token = token
        self.status = status
    }

    /// Joins and heartbeats in the background; `log` hears "joined", and "refused by" when
    /// the dispatcher refuses for good (a wrong token), which ``refused`` then holds.
    public func startInBackground(log: @escaping @Sendable (String) -> Void) {
        let loop = Task { [self] in
            do throws(GRPCStatus) {
                let interval = try await joinWithBackoff()
                log("joined")
                await heartbeats(every: interval)
            } catch {
                guard error.code != .cancelled else { return }
                refused.withLock { $0 = error }
                log("refused (\(error.message)) by")
            }
        }
        let kept = task.withLock { state in
            guard !state.stopped else { return false }
            state.loop = loop
            return true
        }
        if !kept { loop.cancel() }
    }

    /// Why the dispatcher refused this worker for good, if it did.
    public let refused = Locked<GRPCStatus?>(nil)

    private func heartbeats(every interval: Duration) async {
        var every = interval
        while !Task.isCancelled {
            try? await Task.sleep(for: every)
            var beat = status()
            beat.workerId = info.workerId
            beat.token = token
            let reply = try? await dispatcher.unary(
                "/pawnshop.v1.Dispatcher/Heartbeat", beat,
                as: Wire.HeartbeatReply.self, timeout: .seconds(2))
            if reply?.known == false {
                joined.withLock { $0 = false }
                if let again = try? await joinWithBackoff() { every = again }
            }
        }
    }

    private func joinWithBackoff() async throws(GRPCStatus) -> Duration {
        var backoff = Backoff()
        while true {
            do throws(GRPCStatus) {
                joinSent.withLock { $0 = true }
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
        let loop = task.withLock { state in
            state.stopped = true
            defer { state.loop = nil }
            return state.loop
        }
        loop?.cancel()
        await loop?.value
        guard joinSent.withLock({ $0 }) else { return }
        _ = try? await dispatcher.unary(
            "/pawnshop.v1.Dispatcher/Leave", Wire.LeaveRequest(workerId: info.workerId, token: token),
            as: Wire.LeaveReply.self,
            timeout: .seconds(2))
        joined.withLock { $0 = false }
    }
}
