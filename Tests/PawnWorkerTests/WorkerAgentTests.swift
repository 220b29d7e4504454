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

    /// An agent named `id` for a `SlowJoins` dispatcher on loopback; `body` gets both, and the
    /// server, client and loop are shut down after it.
    func withAgent(
        _ id: String, answerAfter: Duration, _ body: (WorkerAgent, SlowJoins) async throws -> Void
    ) async throws {
        let group = try EventLoopGroup(loopCount: 1)
        defer { group.shutdown() }
        let dispatcher = SlowJoins(answerAfter: answerAfter)
        let server = GRPCServer(configuration: .init(port: 0), group: group, services: [dispatcher])
        let port = try server.start()
        let client = try GRPCClient(host: "127.0.0.1", port: port, group: group)
        let agent = WorkerAgent(
            info: Wire.WorkerInfo(workerId: id, host: "127.0.0.1", port: 1), dispatcher: client, token: "t")
        try await body(agent, dispatcher)
        client.close()
        await server.shutdown(gracePeriod: .seconds(1))
    }

    /// Found when a worker evicted under load was stopped while it rejoined: the dispatcher
    /// kept it registered, because the agent left only when a join had been answered.
    @Test("stopped while a join is in flight, the agent still leaves")
    func leavesAfterAJoinCutShort() async throws {
        try await withAgent("w-cut", answerAfter: .seconds(30)) { agent, dispatcher in
            agent.startInBackground { _ in }
            for _ in 0..<250 where !dispatcher.calls.withLock({ $0.contains("Join") }) {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(dispatcher.calls.withLock { $0 } == ["Join"])
            await agent.stop()
            #expect(agent.joined.withLock { $0 } == false)
            #expect(dispatcher.calls.withLock { $0 } == ["Join", "Leave"])
        }
    }

    @Test("an agent that never sent a join does not leave")
    func noJoinNoLeave() async throws {
        try await withAgent("w-idle", answerAfter: .zero) { agent, dispatcher in
            await agent.stop()
            #expect(dispatcher.calls.withLock { $0 }.isEmpty)
        }
    }
}
