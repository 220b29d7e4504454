import PawnGRPC
import PawnIO
import PawnProtocol
import PawnWorker
import Synchronization
import Testing

@Suite("A worker's membership agent")
struct WorkerAgentTests {
    /// A dispatcher's control plane that registers a joining worker at once and answers the
    /// join only after `answerAfter`: a join in flight has already registered the worker.
    final class SlowJoins: GRPCService {
        let name = "pawnshop.v1.Dispatcher"
        let methods: Set<String> = ["Join", "Heartbeat", "Leave"]
        let answerAfter: Duration
        let calls = Mutex<[String]>([])
        init(answerAfter: Duration) { self.answerAfter = answerAfter }

        func call(_ method: String, request: [UInt8], context: GRPCContext) async -> GRPCResult {
            calls.withLock { $0.append(method) }
            switch method {
            case "Join":
                try? await Task.sleep(for: answerAfter)
                var reply = Wire.JoinReply()
                reply.heartbeatIntervalMs = 100
                return GRPCResult(messages: [reply.serializedBytes()])
            case "Heartbeat":
                var reply = Wire.HeartbeatReply()
                reply.known = true
                return GRPCResult(messages: [reply.serializedBytes()])
            default:
                return GRPCResult(messages: [Wire.LeaveReply().serializedBytes()])
            }
        }
    }

    /// Found when a worker evicted under load was stopped while it rejoined: the dispatcher
    /// kept it registered, because the agent left only when a join had been answered.
    @Test("stopped while a join is in flight, the agent still leaves")
    func leavesAfterAJoinCutShort() async throws {
        let group = try EventLoopGroup(loopCount: 1)
        defer { group.shutdown() }
        let dispatcher = SlowJoins(answerAfter: .seconds(30))
        let server = GRPCServer(configuration: .init(port: 0), group: group, services: [dispatcher])
        let port = try server.start()
        let client = try GRPCClient(host: "127.0.0.1", port: port, group: group)
        let agent = WorkerAgent(
            info: Wire.WorkerInfo(workerId: "w-cut", host: "127.0.0.1", port: 1), dispatcher: client,
            token: "t")
        agent.startInBackground { _ in }
        for _ in 0..<250 where !dispatcher.calls.withLock({ $0.contains("Join") }) {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(dispatcher.calls.withLock { $0 } == ["Join"])
        await agent.stop()
        #expect(agent.joined.withLock { $0 } == false)
        #expect(dispatcher.calls.withLock { $0 } == ["Join", "Leave"])
        client.close()
        await server.shutdown(gracePeriod: .seconds(1))
    }

    @Test("an agent that never sent a join does not leave")
    func noJoinNoLeave() async throws {
        let group = try EventLoopGroup(loopCount: 1)
        defer { group.shutdown() }
        let dispatcher = SlowJoins(answerAfter: .zero)
        let server = GRPCServer(configuration: .init(port: 0), group: group, services: [dispatcher])
        let port = try server.start()
        let client = try GRPCClient(host: "127.0.0.1", port: port, group: group)
        let agent = WorkerAgent(
            info: Wire.WorkerInfo(workerId: "w-idle", host: "127.0.0.1", port: 1), dispatcher: client,
            token: "t")
        await agent.stop()
        #expect(dispatcher.calls.withLock { $0 }.isEmpty)
        client.close()
        await server.shutdown(gracePeriod: .seconds(1))
    }
}
