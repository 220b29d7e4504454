import PawnDispatcher
import PawnGRPC
import PawnHTTP1
import PawnIO
import PawnMetrics
import PawnPorts
import PawnProtocol
import PawnTestSupport
import PawnWorker
import Testing

@Suite("Stalled workers in readiness and metrics")
struct StalledWorkersTests {
    @Test func aStalledHeartbeatShowsInReadinessAndEveryPartitionsLagInMetrics() async throws {
        let registry = WorkerRegistry(onEvict: { _ in })
        let worker = Worker(id: "w-1", log: InMemoryEventLog(partitions: 1), store: InMemoryItemStore())
        registry.join(id: "w-1", client: worker)
        let group = try EventLoopGroup(loopCount: 1)
        defer { group.shutdown() }
        let service = DispatcherGRPCService(registry: registry, token: "t", group: group)
        let beat = Wire.HeartbeatRequest(
            workerId: "w-1", stalled: true,
            lag: [
                Wire.PartitionLag(topic: "items", partition: 2, lag: 7),
                Wire.PartitionLag(topic: "buy-actions", partition: 2, lag: 0),
            ], oldestUnappliedMs: 42_500, token: "t")
        let result = await service.call("Heartbeat", request: beat.serializedBytes(), context: GRPCContext())
        #expect(try Wire.HeartbeatReply(serializedBytes: result.messages.first ?? []).known)
        #expect(registry.stalledCount == 1)
        let router = Dispatcher(
            log: InMemoryEventLog(partitions: 1), fraudList: InMemoryFraudList(), workers: registry
        )
        .router
        let ready = await router.handle(
            HTTPRequest(method: .get, target: "/health/ready", path: "/health/ready"))
        #expect(String(decoding: ready.body, as: UTF8.self).contains(#""workersStalled":1"#))
        let metrics = String(
            decoding: await router.handle(HTTPRequest(method: .get, target: "/metrics", path: "/metrics"))
                .body,
            as: UTF8.self)
        #expect(metrics.contains("pawnshop_workers_stalled 1.0"), "\(metrics)")
        #expect(
            metrics.contains(#"pawnshop_worker_consumer_lag{worker="w-1",topic="items",partition="2"} 7.0"#))
        #expect(
            metrics.contains(
                #"pawnshop_worker_consumer_lag{worker="w-1",topic="buy-actions",partition="2"} 0.0"#))
        #expect(metrics.contains(#"pawnshop_worker_oldest_unapplied_seconds{worker="w-1"} 42.5"#))
        // The next heartbeat says it moves again.
        _ = await service.call(
            "Heartbeat", request: Wire.HeartbeatRequest(workerId: "w-1", token: "t").serializedBytes(),
            context: GRPCContext())
        #expect(registry.stalledCount == 0)
    }

    @Test func labelValuesAreEscapedForTheTextFormat() {
        #expect(Metrics.escape(#"a"b\c"# + "\n") == #"a\"b\\c\n"#)
    }
}
