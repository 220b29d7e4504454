import PawnDispatcher
import PawnGRPC
import PawnHPACK
import PawnIO
import PawnProtocol
import PawnTrace
import Synchronization
import Testing

/// The dispatcher's reads carry the request's trace to the worker in gRPC metadata.
@Suite("Trace context in gRPC metadata")
struct TraceMetadataTests {
    /// A `pawnshop.v1.Worker` that remembers the metadata of each call and answers NOT_FOUND.
    final class Recorder: GRPCService {
        let name = "pawnshop.v1.Worker"
        let methods: Set<String> = ["FetchItemById", "GetEvent"]
        let seen = Mutex<[[HeaderField]]>([])

        func call(_ method: String, request: [UInt8], context: GRPCContext) async -> GRPCResult {
            seen.withLock { $0.append(context.metadata) }
            if method == "GetEvent" {
                return GRPCResult(messages: [Wire.GetEventResponse().serializedBytes()])
            }
            return .failure(GRPCStatus(.notFound, "none"))
        }
    }

    @Test(
        "inside a request's trace, GRPCWorkerClient sends its call's traceparent and the tracestate; outside, neither"
    )
    func metadata() async throws {
        let group = try EventLoopGroup(loopCount: 1)
        let recorder = Recorder()
        let server = GRPCServer(configuration: .init(port: 0), group: group, services: [recorder])
        let port = try server.start()
        let worker = GRPCWorkerClient(client: try GRPCClient(host: "127.0.0.1", port: port, group: group))
        let context = TraceContext(
            traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", tracestate: "rojo=1")!
        try await TraceContext.$current.withValue(context) {
            #expect(try await worker.fetchItem(id: "x") == nil)
            _ = try await worker.eventStatus(eventId: "e")
        }
        #expect(try await worker.fetchItem(id: "x") == nil)
        let seen = recorder.seen.withLock { $0 }
        #expect(seen.count == 3)
        for metadata in seen.prefix(2) {
            // The request's trace, with the span id of the call's own client span.
            let sent = TraceContext(
                traceparent: metadata.first { $0.name == "traceparent" }?.value,
                tracestate: metadata.first { $0.name == "tracestate" }?.value)
            #expect(sent?.traceID == context.traceID && sent?.spanID != context.spanID, "\(metadata)")
            #expect(sent?.traceState == "rojo=1", "\(metadata)")
        }
        #expect(!(seen.last ?? []).contains { $0.name == "traceparent" || $0.name == "tracestate" })
        await server.shutdown(gracePeriod: .seconds(1))
        group.shutdown()
    }
}
