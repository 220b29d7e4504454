import PawnDispatcher
import PawnGRPC
import PawnHTTP1
import PawnIO
import PawnPorts
import PawnTestSupport
import PawnWorker
import Testing

@Suite("A worker joins every dispatcher")
struct JoinEveryDispatcherTests {
    func dispatcher(_ group: EventLoopGroup) throws -> (DispatcherNode, Int) {
        let node = DispatcherNode(
            log: InMemoryEventLog(partitions: 1), fraudList: InMemoryFraudList(), group: group,
            http: .init(host: "127.0.0.1", port: 0), grpc: .init(host: "127.0.0.1", port: 0), token: "t",
            heartbeatInterval: .milliseconds(200))
        return (node, try node.start().grpc)
    }

    @Test func aWorkerGivenTwoDispatchersIsReadyOnBothAndLeavesBoth() async throws {
        let group = try EventLoopGroup(loopCount: 1)
        defer { group.shutdown() }
        let (first, firstPort) = try dispatcher(group)
        let (second, secondPort) = try dispatcher(group)
        let worker = try WorkerNode(
            id: "w-both", log: InMemoryEventLog(partitions: 1), store: InMemoryItemStore(), group: group,
            dispatchers: [("127.0.0.1", firstPort), ("localhost", secondPort)], token: "t", report: { _ in })
        try await worker.start()
        for _ in 0..<250 where first.registry.readyCount + second.registry.readyCount < 2 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(first.registry.readyCount == 1 && second.registry.readyCount == 1)
        #expect(first.registry.ids == ["w-both"] && second.registry.ids == ["w-both"])
        // localhost is every address it resolves to.
        #expect(worker.dispatcherAddresses.contains("127.0.0.1:\(secondPort)"))
        await worker.stop()
        #expect(first.registry.count == 0 && second.registry.count == 0)
        await first.stop(gracePeriod: .seconds(1))
        await second.stop(gracePeriod: .seconds(1))
    }

    @Test func aWildcardHostWithoutAnAdvertisedAddressIsAnError() async throws {
        let group = try EventLoopGroup(loopCount: 1)
        defer { group.shutdown() }
        let worker = try WorkerNode(
            id: "w-wild", log: InMemoryEventLog(partitions: 1), store: InMemoryItemStore(), group: group,
            host: "0.0.0.0", dispatchers: [("127.0.0.1", 1)], token: "t", report: { _ in })
        await #expect(throws: WorkerNode.StartError.self) { try await worker.start() }
    }

    @Test func aNameResolvesToItsNumericAddresses() throws {
        #expect(try Socket.numericAddresses(of: "127.0.0.1") == ["127.0.0.1"])
        #expect(try Socket.numericAddresses(of: "localhost").contains("127.0.0.1"))
        #expect(throws: SystemError.self) { try Socket.numericAddresses(of: "no-such-host.invalid") }
    }
}
