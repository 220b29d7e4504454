import Foundation
import PawnTestSupport
import PawnTrace
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Spans from separate processes on real servers: a `pawnshop dispatcher` and a `pawnshop
/// worker` on Kafka and MongoDB, each exporting to one OTLP receiver
/// (Tests/Interop/otlp_receiver.py, decoding with PyPI's opentelemetry-proto) under the service
/// name OTEL_SERVICE_NAME gives it. A client's traceparent is continued through both.
@Suite(
    "Traces across processes on Kafka and MongoDB", .serialized,
    .enabled(
        if: pipelineServersAvailable()
            && Python.available(["opentelemetry.proto.collector.trace.v1.trace_service_pb2"])))
struct TracingProcessesTests {
    @Test(
        "a write is one trace dispatcher → Kafka → worker → MongoDB; a read dispatcher → gRPC → worker → MongoDB"
    )
    func acrossProcesses() async throws {
        let run = "trace\(UInt32.random(in: 0 ... .max))"
        let (kafka, mongo) = (TestServers.kafka!, TestServers.mongo!)
        let script = Protoc.repositoryRoot.appendingPathComponent("Tests/Interop/otlp_receiver.py").path
        // The worker consumes the whole topic, other tests' records too: the receiver keeps
        // this test's two traces only.
        let writeTrace = TraceID.random()
        let readTrace = TraceID.random()
        let receiver = try ChildProcess(
            Command.find("python3")!, [script, "--traces", "\(writeTrace.hex),\(readTrace.hex)"])
        let port = try #require(
            number(after: "listening ", in: try await receiver.waitForLine(containing: "listening ")))
        func traced(_ service: String, _ arguments: [String]) throws -> ChildProcess {
            try ChildProcess(
                "/usr/bin/env",
                [
                    "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:\(port)", "OTEL_SERVICE_NAME=\(service)",
                    "OTEL_RESOURCE_ATTRIBUTES=deployment.environment=test", ChildProcess.pawnshopPath,
                ] + arguments)
        }
        let token = "token-\(run)"
        let dispatcher = try traced(
            "shop-dispatcher",
            [
                "dispatcher", "--port", "0", "--grpc-port", "0", "--token", token, "--kafka", kafka,
                "--loops", "1",
            ])
        let banner = try await dispatcher.waitForLine(containing: "workers join gRPC on")
        let httpPort = try #require(number(after: "HTTP on http://127.0.0.1:", in: banner))
        let grpcPort = try #require(number(after: "workers join gRPC on 127.0.0.1:", in: banner))
        let worker = try traced(
            "shop-worker",
            [
                "worker", "--id", "w-\(run)", "--port", "0", "--dispatcher", "127.0.0.1:\(grpcPort)",
                "--token", token,
                "--kafka", kafka, "--mongo", mongo, "--mongo-database", "pawn-\(run)", "--group",
                "workers-\(run)",
                "--kafka-session-timeout-ms", "6000", "--loops", "1",
            ])
        _ = try await worker.waitForLine(containing: "joined", timeout: .seconds(60))
        let client = Client(base: "http://127.0.0.1:\(httpPort)")
        for _ in 0..<600 where (try? await client.get("/health/ready").json["workers"] as? Int) != 1 {
            try await Task.sleep(for: .milliseconds(50))
        }

        let clientSpan = SpanID.random()
        let item = "\(run)-1"
        let reply = try await client.post(
            "/item/add",
            #"{"id":"\#(item)","name":"Lamp","category":"Decoration","price":1200,"state":"Good","ageInMonths":3}"#,
            headers: ["traceparent": TraceContext(traceID: writeTrace, spanID: clientSpan).traceparent])
        #expect(reply.status == 202, "\(reply.text)")
        let eventId = try #require(reply.json["eventId"] as? String)
        var status: [String: Any] = [:]
        for _ in 0..<600 {
            status = try await client.get("/event/\(eventId)").json
            if status["status"] as? String == "applied" { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(
            status["status"] as? String == "applied" && status["traceId"] as? String == writeTrace.hex,
            "\(status)")
        let read = try await client.send(
            "GET", "/item/fetch/\(item)",
            headers: ["traceparent": TraceContext(traceID: readTrace, spanID: clientSpan).traceparent])
        #expect(read.status == 200)

        /// The spans of `trace` the receiver printed, each with its resource's service.name.
        func spans(_ trace: TraceID, atLeast count: Int) async throws -> [(
            service: String, span: [String: Any]
        )] {
            let id = Data(trace.bytes).base64EncodedString()
            var found: [(String, [String: Any])] = []
            for _ in 0..<600 {
                found = []
                for line in receiver.output {
                    guard
                        let body = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                    else {
                        continue
                    }
                    for resource in (body["resourceSpans"] as? [[String: Any]]) ?? [] {
                        let attributes =
                            ((resource["resource"] as? [String: Any])?["attributes"] as? [[String: Any]])
                            ?? []
                        let service =
                            (attributes.first { $0["key"] as? String == "service.name" }?["value"]
                            as? [String: Any])?[
                                "stringValue"] as? String ?? ""
                        for scope in (resource["scopeSpans"] as? [[String: Any]]) ?? [] {
                            for span in (scope["spans"] as? [[String: Any]]) ?? []
                            where span["traceId"] as? String == id {
                                found.append((service, span))
                            }
                        }
                    }
                }
                if found.count >= count { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            return found
        }
        func named(_ spans: [(service: String, span: [String: Any])], _ name: String, kind: String) -> (
            service: String, span: [String: Any]
        )? {
            spans.first { $0.span["name"] as? String == name && $0.span["kind"] as? String == kind }
        }
        func id(_ entry: (service: String, span: [String: Any])?) -> String? {
            entry?.span["spanId"] as? String
        }
        func parent(_ entry: (service: String, span: [String: Any])?) -> String? {
            entry?.span["parentSpanId"] as? String
        }

        let write = try await spans(writeTrace, atLeast: 5)
        let diagnosis = {
            "receiver: \(receiver.output.count) lines; dispatcher: \(dispatcher.output.filter { $0.contains("tracing") || $0.contains("spans") }); worker: \(worker.output.filter { $0.contains("tracing") || $0.contains("spans") })"
        }
        #expect(write.count >= 5, "\(diagnosis())")
        let server = named(write, "POST /item/add", kind: "SPAN_KIND_SERVER")
        let publish = named(write, "items publish", kind: "SPAN_KIND_PRODUCER")
        let process = named(write, "items process", kind: "SPAN_KIND_CONSUMER")
        let apply = named(write, "apply add", kind: "SPAN_KIND_INTERNAL")
        let store = named(write, "mongodb write", kind: "SPAN_KIND_CLIENT")
        #expect(
            server?.service == "shop-dispatcher" && publish?.service == "shop-dispatcher",
            "\(write.map(\.span))")
        #expect(process?.service == "shop-worker" && store?.service == "shop-worker", "\(write.map(\.span))")
        #expect(parent(server) == Data(clientSpan.bytes).base64EncodedString())
        #expect(
            parent(publish) == id(server) && parent(process) == id(publish) && parent(apply) == id(process)
                && parent(store) == id(apply))

        let reads = try await spans(readTrace, atLeast: 4)
        let http = named(reads, "GET /item/fetch/{id}", kind: "SPAN_KIND_SERVER")
        let call = named(reads, "pawnshop.v1.Worker/FetchItemById", kind: "SPAN_KIND_CLIENT")
        let served = named(reads, "pawnshop.v1.Worker/FetchItemById", kind: "SPAN_KIND_SERVER")
        let lookup = named(reads, "mongodb read", kind: "SPAN_KIND_CLIENT")
        #expect(
            http?.service == "shop-dispatcher" && call?.service == "shop-dispatcher", "\(reads.map(\.span))")
        #expect(served?.service == "shop-worker" && lookup?.service == "shop-worker", "\(reads.map(\.span))")
        #expect(parent(call) == id(http) && parent(served) == id(call) && parent(lookup) == id(served))

        worker.signal(SIGTERM)
        dispatcher.signal(SIGTERM)
        #expect(await worker.wait() == 0)
        #expect(await dispatcher.wait() == 0)
        receiver.signal(SIGTERM)
    }
}
