import Foundation
import PawnPlatform
import PawnPorts
import PawnTestSupport
import PawnTrace
import PawnWire
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// W3C Trace Context through the embedded platform: HTTP in, the Kafka record's headers, the
/// worker's event record, and back out through `GET /event/{id}`.
@Suite("Trace context end to end", .serialized)
struct TraceContextEndToEndTests {
    let clientTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
    var clientParent: String { "00-\(clientTrace)-00f067aa0ba902b7-01" }

    @Test(
        "a client's traceparent is continued: echoed with the dispatcher's span, on the record, recorded by the worker, returned by GET /event"
    )
    func continued() async throws {
        try await withPlatform { client, platform in
            let reply = try await client.post(
                "/item/add", addBody("trace-1"),
                headers: ["traceparent": clientParent, "tracestate": "rojo=00f067aa0ba902b7"])
            #expect(reply.status == 202, "\(reply.text)")
            let echoed = try #require(TraceContext(traceparent: reply.headers["traceparent"]))
            #expect(echoed.traceID.hex == clientTrace)
            #expect(
                echoed.spanID.hex != "00f067aa0ba902b7",
                "the answer names the dispatcher's span, not the client's")

            let record = try #require(platform.log.records(topic: Topics.items).last)
            let carried = try #require(
                TraceContext(
                    traceparent: record.headers["traceparent"], tracestate: record.headers["tracestate"]))
            #expect(carried.traceID.hex == clientTrace)
            #expect(carried.traceState == "rojo=00f067aa0ba902b7")

            let eventId = try #require(reply.json["eventId"] as? String)
            let status = try await client.settle(eventId)
            #expect(status["status"] as? String == "applied")
            #expect(status["traceId"] as? String == clientTrace)

            // A read continues the client's trace too.
            let read = try await client.send(
                "GET", "/item/fetch/trace-1", headers: ["traceparent": clientParent])
            #expect(read.status == 200)
            #expect(TraceContext(traceparent: read.headers["traceparent"])?.traceID.hex == clientTrace)
        }
    }

    @Test(
        "without a traceparent, or with a malformed one, a new trace is started, echoed and recorded with the event"
    )
    func started() async throws {
        try await withPlatform { client, platform in
            var traces: Set<String> = []
            for (index, header) in [
                nil, "00-not-a-trace", "00-\(String(repeating: "0", count: 32))-00f067aa0ba902b7-01",
            ].enumerated() {
                let reply = try await client.post(
                    "/item/add", addBody("fresh-\(index)"), headers: header.map { ["traceparent": $0] } ?? [:]
                )
                #expect(reply.status == 202)
                let echoed = try #require(
                    TraceContext(traceparent: reply.headers["traceparent"]), "\(reply.headers)")
                traces.insert(echoed.traceID.hex)
                let eventId = try #require(reply.json["eventId"] as? String)
                #expect(try await client.settle(eventId)["traceId"] as? String == echoed.traceID.hex)
                let record = try #require(
                    platform.log.records(topic: Topics.items).first {
                        $0.headers[Topics.eventIdHeader] == eventId
                    })
                #expect(TraceContext(traceparent: record.headers["traceparent"])?.traceID == echoed.traceID)
            }
            #expect(traces.count == 3, "each request its own trace")
            // Probes and scrapes start no trace.
            #expect(try await client.get("/health/live").headers["traceparent"] == nil)
            #expect(try await client.get("/metrics").headers["traceparent"] == nil)
        }
    }
}
