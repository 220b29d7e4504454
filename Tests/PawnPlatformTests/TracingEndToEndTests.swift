import Foundation
import PawnPlatform
import PawnTelemetry
import PawnTestSupport
import PawnTrace
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Spans of the embedded platform exported to a real OTLP receiver (Tests/Interop/otlp_receiver.py,
/// decoding with PyPI's opentelemetry-proto): a write is one trace from the HTTP request
/// through the publish and the worker's processing to the store; a read is one trace from the
/// HTTP request through the gRPC call to the worker's read.
@Suite(
    "Traces exported end to end", .serialized,
    .enabled(
        if: Python.available(["opentelemetry.proto.collector.trace.v1.trace_service_pb2"]),
        "python3 cannot import opentelemetry-proto: run scripts/install-test-deps.sh"))
struct TracingEndToEndTests {
    @Test(
        "a write and a read, each one trace continuing the client's, parent to child across HTTP, the event log and gRPC"
    )
    func writeAndRead() async throws { try await TracerTurns.exclusive { try await writeAndReadAlone() } }

    func writeAndReadAlone() async throws {
        let script = Protoc.repositoryRoot.appendingPathComponent("Tests/Interop/otlp_receiver.py").path
        let receiver = try ChildProcess(Command.find("python3")!, [script])
        let port = try #require(
            number(after: "listening ", in: try await receiver.waitForLine(containing: "listening ")))
        Tracer.configure(
            TracingConfiguration(
                endpoint: "http://127.0.0.1:\(port)/v1/traces", serviceName: "platform-test",
                // The client's sampled traces only: the other suites' requests, which run
                // meanwhile, are not recorded (a flood of them would fill the export queue).
                sampler: .parentBased(root: .alwaysOff)))
        defer { Tracer.reset() }
        let writeTrace = TraceID.random()
        let readTrace = TraceID.random()
        let clientSpan = SpanID.random()
        try await withPlatform { client, _ in
            let reply = try await client.post(
                "/item/add", addBody("traced-1"),
                headers: ["traceparent": TraceContext(traceID: writeTrace, spanID: clientSpan).traceparent])
            #expect(reply.status == 202)
            let eventId = try #require(reply.json["eventId"] as? String)
            #expect(try await client.settle(eventId)["traceId"] as? String == writeTrace.hex)
            let read = try await client.send(
                "GET", "/item/fetch/traced-1",
                headers: ["traceparent": TraceContext(traceID: readTrace, spanID: clientSpan).traceparent])
            #expect(read.status == 200)
        }
        Tracer.flush()

        func spans(_ trace: TraceID, count: Int) async throws -> [[String: Any]] {
            let id = Data(trace.bytes).base64EncodedString()
            var found: [[String: Any]] = []
            for _ in 0..<250 {
                found = PeerReadings.otlpSpans(receiver.output).filter { $0["traceId"] as? String == id }
                if found.count >= count { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            return found
        }
        func byName(_ spans: [[String: Any]]) -> [String: [String: Any]] {
            Dictionary(spans.map { ($0["name"] as? String ?? "", $0) }) { first, _ in first }
        }
        func parent(_ span: [String: Any]?) -> String? { span?["parentSpanId"] as? String }
        func id(_ span: [String: Any]?) -> String? { span?["spanId"] as? String }
        func attribute(_ span: [String: Any]?, _ key: String) -> [String: Any]? {
            ((span?["attributes"] as? [[String: Any]]) ?? []).first { $0["key"] as? String == key }?["value"]
                as? [String: Any]
        }

        let write = byName(try await spans(writeTrace, count: 5))
        let server = write["POST /item/add"]
        let publish = write["items publish"]
        let process = write["items process"]
        let apply = write["apply add"]
        let store = write["store write"]
        #expect(
            server != nil && publish != nil && process != nil && apply != nil && store != nil,
            "\(write.keys.sorted())")
        #expect(
            parent(server) == Data(clientSpan.bytes).base64EncodedString(), "the client's span is the parent")
        #expect(
            parent(publish) == id(server) && parent(process) == id(publish) && parent(apply) == id(process)
                && parent(store) == id(apply))
        #expect(attribute(apply, "pawnshop.outcome")?["stringValue"] as? String == "applied")
        #expect(
            server?["kind"] as? String == "SPAN_KIND_SERVER"
                && publish?["kind"] as? String == "SPAN_KIND_PRODUCER")
        #expect(
            process?["kind"] as? String == "SPAN_KIND_CONSUMER"
                && store?["kind"] as? String == "SPAN_KIND_CLIENT")
        #expect(attribute(server, "http.route")?["stringValue"] as? String == "/item/add")
        #expect(attribute(server, "http.response.status_code")?["intValue"] as? String == "202")
        #expect(attribute(publish, "messaging.system")?["stringValue"] as? String == "kafka")
        #expect(attribute(publish, "messaging.destination.name")?["stringValue"] as? String == "items")
        #expect(attribute(process, "pawnshop.outcome")?["stringValue"] as? String == "applied")

        let readSpans = try await spans(readTrace, count: 4)
        let httpRead = byName(readSpans)["GET /item/fetch/{id}"]
        let grpcClient = readSpans.first {
            $0["kind"] as? String == "SPAN_KIND_CLIENT"
                && ($0["name"] as? String)?.hasPrefix("pawnshop.v1.Worker/") == true
        }
        let grpcServer = readSpans.first {
            $0["kind"] as? String == "SPAN_KIND_SERVER"
                && ($0["name"] as? String)?.hasPrefix("pawnshop.v1.Worker/") == true
        }
        let storeRead = byName(readSpans)["store read"]
        #expect(
            httpRead != nil && grpcClient != nil && grpcServer != nil && storeRead != nil,
            "\(readSpans.map { $0["name"] as? String ?? "" })")
        #expect(
            parent(grpcClient) == id(httpRead) && parent(grpcServer) == id(grpcClient)
                && parent(storeRead) == id(grpcServer))
        #expect(attribute(grpcClient, "rpc.system")?["stringValue"] as? String == "grpc")
        #expect(attribute(grpcServer, "rpc.method")?["stringValue"] as? String == "FetchItemById")
        receiver.signal(SIGTERM)
    }
}
