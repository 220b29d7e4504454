import Foundation
import PawnProtocol
import PawnTestSupport
import Testing

/// Our OTLP trace bodies read by OpenTelemetry's own generated Python messages
/// (PyPI `opentelemetry-proto`), an independent peer of the codec and of our copy of the schema.
@Suite(
    "OTLP read by opentelemetry-proto",
    .enabled(
        if: Python.available(["opentelemetry.proto.collector.trace.v1.trace_service_pb2"]),
        "python3 cannot import opentelemetry-proto: run scripts/install-test-deps.sh"))
struct OTLPPeerTests {
    @Test("an export request decodes to the same resource, scope, ids, times, attributes, status and flags")
    func exportRequest() throws {
        var span = Samples.span
        span.attributes.append(OTLP.KeyValue("messaging.system", .string("kafka")))
        span.attributes.append(OTLP.KeyValue("sampled.ratio", .double(0.01)))
        span.attributes.append(OTLP.KeyValue("error", .bool(false)))
        var child = Samples.span
        child.kind = .client
        child.name = "pawnshop.v1.Worker/FetchItemById"
        child.parentSpanId = span.spanId
        child.spanId = [9, 9, 9, 9, 9, 9, 9, 9]
        child.status = OTLP.Status(code: .error, message: "UNAVAILABLE")
        let request = OTLP.ExportTraceServiceRequest(resourceSpans: [
            OTLP.ResourceSpans(
                resource: OTLP.Resource(attributes: [
                    OTLP.KeyValue("service.name", .string("dispatcher")),
                    OTLP.KeyValue("deployment.environment", .string("test")),
                ]),
                scopeSpans: [
                    OTLP.ScopeSpans(
                        scope: OTLP.InstrumentationScope(name: "pawnshop", version: "1"),
                        spans: [span, child],
                        schemaUrl: "https://opentelemetry.io/schemas/1.27.0")
                ])
        ])
        let script = Protoc.repositoryRoot.appendingPathComponent("Tests/Interop/otlp_decode.py").path
        let result = try Command.run(Command.find("python3")!, [script], input: request.serializedBytes())
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.text.utf8)) as? [String: Any])
        let resourceSpans = try #require((json["resourceSpans"] as? [[String: Any]])?.first)
        let resource = try #require(
            (resourceSpans["resource"] as? [String: Any])?["attributes"] as? [[String: Any]])
        #expect(resource.count == 2)
        #expect(resource.first?["key"] as? String == "service.name")
        #expect((resource.first?["value"] as? [String: Any])?["stringValue"] as? String == "dispatcher")
        let scopeSpans = try #require((resourceSpans["scopeSpans"] as? [[String: Any]])?.first)
        #expect((scopeSpans["scope"] as? [String: Any])?["version"] as? String == "1")
        #expect(scopeSpans["schemaUrl"] as? String == "https://opentelemetry.io/schemas/1.27.0")
        let spans = try #require(scopeSpans["spans"] as? [[String: Any]])
        try #require(spans.count == 2)
        let server = spans[0]
        #expect(server["traceId"] as? String == Data(span.traceId).base64EncodedString())
        #expect(server["spanId"] as? String == Data(span.spanId).base64EncodedString())
        #expect(server["parentSpanId"] as? String == Data(span.parentSpanId).base64EncodedString())
        #expect(server["traceState"] as? String == "rojo=1")
        #expect(server["name"] as? String == "POST /item/add")
        #expect(server["kind"] as? String == "SPAN_KIND_SERVER")
        #expect(server["startTimeUnixNano"] as? String == "1796256000000000000")
        #expect(server["endTimeUnixNano"] as? String == "1796256000001250000")
        #expect(server["flags"] as? Int == 0x0301)
        #expect((server["status"] as? [String: Any])?["code"] as? String == "STATUS_CODE_OK")
        let attributes = try #require(server["attributes"] as? [[String: Any]])
        let values = Dictionary(
            uniqueKeysWithValues: attributes.map { ($0["key"] as! String, $0["value"] as! [String: Any]) })
        #expect(values["http.request.method"]?["stringValue"] as? String == "POST")
        #expect(values["http.response.status_code"]?["intValue"] as? String == "202")
        #expect(values["messaging.system"]?["stringValue"] as? String == "kafka")
        #expect(values["sampled.ratio"]?["doubleValue"] as? Double == 0.01)
        #expect(values["error"]?["boolValue"] as? Bool == false, "a oneof false is still set")
        let client = spans[1]
        #expect(client["kind"] as? String == "SPAN_KIND_CLIENT")
        #expect(client["parentSpanId"] as? String == Data(span.spanId).base64EncodedString())
        #expect((client["status"] as? [String: Any])?["code"] as? String == "STATUS_CODE_ERROR")
        #expect((client["status"] as? [String: Any])?["message"] as? String == "UNAVAILABLE")
    }
}
