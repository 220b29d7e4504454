import Foundation
import PawnTelemetry
import PawnTestSupport
import PawnTrace
import Testing

/// The tracer's OTLP/HTTP export against a receiver that decodes each body with
/// OpenTelemetry's own messages (Tests/Interop/otlp_receiver.py, PyPI opentelemetry-proto).
@Suite(
    "OTLP export to a real receiver", .serialized,
    .enabled(
        if: Python.available(["opentelemetry.proto.collector.trace.v1.trace_service_pb2"]),
        "python3 cannot import opentelemetry-proto: run scripts/install-test-deps.sh"))
struct ExporterTests {
    static let script = Protoc.repositoryRoot.appendingPathComponent("Tests/Interop/otlp_receiver.py").path

    func receiver(_ arguments: [String] = []) async throws -> (ChildProcess, String) {
        let process = try ChildProcess(Command.find("python3")!, [Self.script] + arguments)
        let line = try await process.waitForLine(containing: "listening ")
        let port = try #require(number(after: "listening ", in: line))
        return (process, "http://127.0.0.1:\(port)/v1/traces")
    }

    /// The spans the receiver printed so far whose trace id is `trace` (base64, as JSON has it).
    func spans(_ process: ChildProcess, trace: TraceID) -> [[String: Any]] {
        let id = Data(trace.bytes).base64EncodedString()
        return process.output.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        .flatMap { ($0["resourceSpans"] as? [[String: Any]]) ?? [] }
        .flatMap { resource in
            ((resource["scopeSpans"] as? [[String: Any]]) ?? []).flatMap {
                ($0["spans"] as? [[String: Any]]) ?? []
            }
            .map { span in span.merging(["resource": resource["resource"] ?? [:]]) { a, _ in a } }
        }
        .filter { $0["traceId"] as? String == id }
    }

    @Test("a parent and a child span reach the receiver as one trace, with the service name and the link")
    func export() async throws { try await TracerTurns.exclusive { try await exportAlone() } }

    func exportAlone() async throws {
        let (process, endpoint) = try await receiver()
        defer { Tracer.reset() }
        Tracer.configure(
            TracingConfiguration(
                endpoint: endpoint, serviceName: "exporter-test", sampler: .parentBased(root: .alwaysOff)))
        let before = Tracer.statistics.exported
        // Only traces whose caller sampled them are recorded: the other suites' requests,
        // which run meanwhile, are not (a flood of them would fill the queue).
        let caller = TraceContext.newTrace()
        let server = Tracer.start(
            "GET /item/fetch/{id}", kind: .server, parent: caller,
            attributes: [("http.request.method", "GET")])
        #expect(server.recording && server.context.sampled)
        let client = Tracer.start("pawnshop.v1.Worker/FetchItemById", kind: .client, parent: server.context)
        #expect(
            client.context.traceID == server.context.traceID && client.context.spanID != server.context.spanID
        )
        client.end(status: .ok, [("rpc.system", "grpc")])
        server.end(status: .unset, [("http.response.status_code", 200)])
        Tracer.flush()
        var received: [[String: Any]] = []
        for _ in 0..<250 {
            received = spans(process, trace: server.context.traceID)
            if received.count == 2 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(received.count == 2, "\(process.output)")
        let byName = Dictionary(uniqueKeysWithValues: received.map { ($0["name"] as! String, $0) })
        let serverSpan = try #require(byName["GET /item/fetch/{id}"])
        let clientSpan = try #require(byName["pawnshop.v1.Worker/FetchItemById"])
        #expect(serverSpan["parentSpanId"] as? String == Data(caller.spanID.bytes).base64EncodedString())
        #expect(
            clientSpan["parentSpanId"] as? String == Data(server.context.spanID.bytes).base64EncodedString())
        #expect(
            serverSpan["kind"] as? String == "SPAN_KIND_SERVER"
                && clientSpan["kind"] as? String == "SPAN_KIND_CLIENT")
        let resource = try #require(
            (serverSpan["resource"] as? [String: Any])?["attributes"] as? [[String: Any]])
        #expect(resource.first?["key"] as? String == "service.name")
        #expect((resource.first?["value"] as? [String: Any])?["stringValue"] as? String == "exporter-test")
        let start = UInt64(serverSpan["startTimeUnixNano"] as? String ?? "") ?? 0
        let end = UInt64(serverSpan["endTimeUnixNano"] as? String ?? "") ?? 0
        #expect(start > 1_700_000_000_000_000_000 && end >= start)
        #expect(Tracer.statistics.exported >= before + 2)
    }

    @Test("a span the sampler leaves out is not exported, and its context says so")
    func unsampled() async throws { try await TracerTurns.exclusive { try await unsampledAlone() } }

    func unsampledAlone() async throws {
        let (_, endpoint) = try await receiver()
        defer { Tracer.reset() }
        Tracer.configure(TracingConfiguration(endpoint: endpoint, serviceName: "t", sampler: .alwaysOff))
        let span = Tracer.start("x", kind: .internal, parent: nil)
        #expect(!span.recording && !span.context.sampled)
        let parent = TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")!
        Tracer.configure(
            TracingConfiguration(
                endpoint: endpoint, serviceName: "t", sampler: .parentBased(root: .alwaysOff)))
        let child = Tracer.start("y", kind: .server, parent: parent)
        #expect(child.recording && child.context.sampled, "a sampled caller is followed")
        Tracer.configure(TracingConfiguration(endpoint: nil, serviceName: "t"))
        let off = Tracer.start("z", kind: .server, parent: parent)
        #expect(
            !off.recording && off.context.sampled && off.context.traceID == parent.traceID,
            "off: the caller's flags passed on")
        let root = Tracer.start("w", kind: .server, parent: nil)
        #expect(!root.recording && !root.context.sampled, "off: a new trace is not sampled")
    }

    @Test(
        "failed exports are counted; a collector that never answers fills the queue and spans are dropped, never waited for"
    )
    func failuresAndDrops() async throws {
        try await TracerTurns.exclusive { try await failuresAndDropsAlone() }
    }

    func failuresAndDropsAlone() async throws {
        let (failing, endpoint) = try await receiver(["--fail", "1"])
        defer { Tracer.reset() }
        Tracer.configure(
            TracingConfiguration(
                endpoint: endpoint, serviceName: "t", sampler: .parentBased(root: .alwaysOff)))
        let failedBefore = Tracer.statistics.failed
        Tracer.start("lost", kind: .internal, parent: TraceContext.newTrace()).end()
        Tracer.flush()
        #expect(Tracer.statistics.failed >= failedBefore + 1)
        _ = failing

        // A listener that accepts and never answers: the exporter's thread waits on it (up to
        // its 10 s timeout) while spans keep coming.
        let silent = try ChildProcess(
            Command.find("python3")!,
            [
                "-c",
                "import socket, time\ns = socket.socket()\ns.bind(('127.0.0.1', 0))\ns.listen(64)\nprint('listening', s.getsockname()[1], flush=True)\ntime.sleep(60)",
            ])
        let line = try await silent.waitForLine(containing: "listening ")
        let port = try #require(number(after: "listening ", in: line))
        Tracer.configure(
            TracingConfiguration(
                endpoint: "http://127.0.0.1:\(port)/v1/traces", serviceName: "t", sampler: .alwaysOn))
        let droppedBefore = Tracer.statistics.dropped
        let started = ContinuousClock.now
        for index in 0..<(Tracer.queueLimit + 3 * Tracer.batchLimit) {
            Tracer.start("span \(index)", kind: .internal, parent: nil).end()
        }
        #expect(ContinuousClock.now - started < .seconds(5), "ending spans never waits for the collector")
        #expect(Tracer.statistics.dropped >= droppedBefore + Tracer.batchLimit)
        silent.signal(SIGKILL)
    }
}
