import PawnDispatcher
import PawnGRPC
import PawnIO
import PawnPorts
import PawnProtocol
import PawnWorker
import Testing

/// The dispatcher's control plane (#14 item 4): Join, Heartbeat and Leave all need the token.
@Suite("Control plane")
struct ControlPlaneTests {
    @Test(
        "a Leave or Heartbeat without the join token is refused: the worker stays joined and is not told it is known"
    )
    func heartbeatAndLeaveNeedTheToken() async throws {
        let registry = WorkerRegistry(onEvict: { _ in })
        registry.join(
            id: "w-1", client: Worker(id: "w-1", log: InMemoryEventLog(), store: InMemoryItemStore()))
        let group = try EventLoopGroup(loopCount: 1)
        defer { group.shutdown() }
        let service = DispatcherGRPCService(registry: registry, token: "s3cret", group: group)
        for token in ["", "wrong", "s3cre", "s3cret "] {
            let leave = await service.call(
                "Leave", request: Wire.LeaveRequest(workerId: "w-1", token: token).serializedBytes(),
                context: GRPCContext())
            #expect(leave.status.code == .unauthenticated, "Leave with token '\(token)': \(leave.status)")
            #expect(registry.count == 1, "a Leave without the token evicted the worker")
            let beat = await service.call(
                "Heartbeat", request: Wire.HeartbeatRequest(workerId: "w-1", token: token).serializedBytes(),
                context: GRPCContext())
            #expect(beat.status.code == .unauthenticated, "Heartbeat with token '\(token)': \(beat.status)")
            #expect(beat.messages.isEmpty)
        }
        let beat = await service.call(
            "Heartbeat", request: Wire.HeartbeatRequest(workerId: "w-1", token: "s3cret").serializedBytes(),
            context: GRPCContext())
        #expect(try Wire.HeartbeatReply(serializedBytes: beat.messages.first ?? []).known)
        let leave = await service.call(
            "Leave", request: Wire.LeaveRequest(workerId: "w-1", token: "s3cret").serializedBytes(),
            context: GRPCContext())
        #expect(leave.status.code == .ok)
        #expect(registry.count == 0)
    }

    @Test("tokens are compared by every byte, whatever their lengths")
    func constantTimeComparison() {
        #expect(Secret.matches("s3cret", "s3cret"))
        for other in ["", "s", "s3cre", "s3cret!", "S3cret", "x3cret", "s3creT"] {
            #expect(!Secret.matches(other, "s3cret"), "\(other)")
        }
        #expect(Secret.matches("", ""))
    }
}
