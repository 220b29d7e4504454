import Foundation
import PawnDispatcher
import PawnPorts
import PawnTelemetry
import PawnTestSupport
import PawnTrace
import Testing

/// A write Kafka did not take is parked and re-published in its own trace: `items park` and
/// `items republish` are children of the publish span (the record headers' context), and the
/// re-published record carries the republish span's context to the worker. Spans reach a real
/// OTLP receiver (Tests/Interop/otlp_receiver.py).
@Suite(
    "Park and re-publish spans", .serialized,
    .enabled(
        if: Python.available(["opentelemetry.proto.collector.trace.v1.trace_service_pb2"]),
        "python3 cannot import opentelemetry-proto: run scripts/install-test-deps.sh"))
struct ParkingSpansTests {
    @Test("park and republish are children of the publish span; the record carries the republish span")
    func parkAndRepublish() async throws { try await TracerTurns.exclusive { try await alone() } }

    func alone() async throws {
        let script = Protoc.repositoryRoot.appendingPathComponent("Tests/Interop/otlp_receiver.py").path
        let publish = TraceContext.newTrace()
        let receiver = try ChildProcess(Command.find("python3")!, [script, "--traces", publish.traceID.hex])
        let port = try #require(
            number(after: "listening ", in: try await receiver.waitForLine(containing: "listening ")))
        defer { Tracer.reset() }
        Tracer.configure(
            TracingConfiguration(
                endpoint: "http://127.0.0.1:\(port)/v1/traces", serviceName: "parking-test",
                sampler: .parentBased(root: .alwaysOff)))

        let flaky = FlakyLog()
        flaky.mode.withLock { $0 = .failing }
        let lot = InMemoryParkingLot()
        let log = ParkingEventLog(
            inner: flaky, lot: lot, owner: "one", deadline: .milliseconds(200), leaseDuration: .seconds(10),
            poll: .milliseconds(20), log: { _ in })
        await log.start()
        let headers = [
            "pawnshop-event-id": "span-e1", TraceContext.traceparentName: publish.traceparent,
        ]
        #expect(try await log.take(topic: "items", key: "span-a", value: [1], headers: headers) == .parked)
        flaky.mode.withLock { $0 = .working }
        var records: [LogRecord] = []
        for _ in 0..<1_500 where records.isEmpty {
            records = try await flaky.records("items")
            try await Task.sleep(for: .milliseconds(20))
        }
        await log.stop()
        Tracer.flush()
        let record = try #require(records.first)

        var spans: [[String: Any]] = []
        let traceId = Data(publish.traceID.bytes).base64EncodedString()
        for _ in 0..<250 {
            spans = PeerReadings.otlpSpans(receiver.output).filter { $0["traceId"] as? String == traceId }
            if spans.count >= 2 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let byName = Dictionary(spans.map { ($0["name"] as? String ?? "", $0) }) { a, _ in a }
        let park = try #require(byName["items park"], "\(spans)")
        let republish = try #require(byName["items republish"], "\(spans)")
        let parent = Data(publish.spanID.bytes).base64EncodedString()
        #expect(park["parentSpanId"] as? String == parent)
        #expect(republish["parentSpanId"] as? String == parent)
        #expect(park["kind"] as? String == "SPAN_KIND_PRODUCER")
        #expect(republish["kind"] as? String == "SPAN_KIND_PRODUCER")
        let attributes = (park["attributes"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
        #expect(attributes.contains("pawnshop.parking.reason"), "\(park)")
        // The worker continues from the re-publish.
        let carried = try #require(
            TraceContext(traceparent: record.headers[TraceContext.traceparentName], tracestate: nil))
        #expect(carried.traceID == publish.traceID)
        #expect(Data(carried.spanID.bytes).base64EncodedString() == republish["spanId"] as? String)
    }
}
