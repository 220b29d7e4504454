import PawnProtocol
import Testing

@testable import PawnTrace

@Suite("Spans, samplers and the OTEL_* variables")
struct SpanTests {
    let trace = TraceID(hex: Array("4bf92f3577b34da6a3ce929d0e0e4736".utf8))!

    @Test("samplers: always, never, a ratio by trace id (the same answer everywhere), the parent's decision")
    func samplers() {
        let sampledParent = TraceContext(
            traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")!
        let unsampledParent = TraceContext(
            traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")!
        #expect(Sampler.alwaysOn.shouldSample(traceID: trace, parent: unsampledParent))
        #expect(!Sampler.alwaysOff.shouldSample(traceID: trace, parent: sampledParent))
        #expect(!Sampler.traceIDRatio(0).shouldSample(traceID: trace, parent: nil))
        #expect(Sampler.traceIDRatio(1).shouldSample(traceID: trace, parent: nil))
        let low = TraceID(high: 1, low: 0x0000_0000_0000_0001)!
        let high = TraceID(high: 1, low: 0x7FFF_FFFF_FFFF_FFFF)!
        #expect(Sampler.traceIDRatio(0.5).shouldSample(traceID: low, parent: nil))
        #expect(!Sampler.traceIDRatio(0.5).shouldSample(traceID: high, parent: nil))
        var sampled = 0
        for _ in 0..<20_000 where Sampler.traceIDRatio(0.25).shouldSample(traceID: .random(), parent: nil) {
            sampled += 1
        }
        #expect((4_000...6_000).contains(sampled), "\(sampled) of 20,000 at 25 %")
        let parentBased = Sampler.parentBased(root: .alwaysOff)
        #expect(parentBased.shouldSample(traceID: trace, parent: sampledParent))
        #expect(!Sampler.parentBased(root: .alwaysOn).shouldSample(traceID: trace, parent: unsampledParent))
        #expect(!parentBased.shouldSample(traceID: trace, parent: nil))
    }

    @Test("OTEL_TRACES_SAMPLER names and arguments")
    func samplerNames() {
        #expect(Sampler(name: nil, argument: nil) == .parentBased(root: .alwaysOn))
        #expect(Sampler(name: "always_on", argument: nil) == .alwaysOn)
        #expect(Sampler(name: "always_off", argument: nil) == .alwaysOff)
        #expect(Sampler(name: "traceidratio", argument: "0.01") == .traceIDRatio(0.01))
        #expect(Sampler(name: "traceidratio", argument: nil) == .traceIDRatio(1))
        #expect(Sampler(name: "parentbased_always_off", argument: nil) == .parentBased(root: .alwaysOff))
        #expect(
            Sampler(name: "parentbased_traceidratio", argument: "0.5")
                == .parentBased(root: .traceIDRatio(0.5)))
        #expect(Sampler(name: "sometimes", argument: nil) == nil)
        #expect(Sampler(name: "traceidratio", argument: "1.5") == nil)
        #expect(Sampler(name: "traceidratio", argument: "half") == nil)
    }

    @Test("the environment: endpoints, service name, resource attributes, disabled, bad values named")
    func environment() throws {
        let none = try TracingConfiguration.fromEnvironment([:], defaultService: "dispatcher")
        #expect(
            !none.enabled && none.serviceName == "dispatcher" && none.sampler == .parentBased(root: .alwaysOn)
        )
        let base = try TracingConfiguration.fromEnvironment(
            [
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/",
                "OTEL_RESOURCE_ATTRIBUTES": "service.name=shop, deployment.environment=prod,team=pawn%20ops",
                "OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.01",
            ], defaultService: "worker")
        #expect(base.endpoint == "http://collector:4318/v1/traces")
        #expect(base.serviceName == "shop")
        #expect(base.resourceAttributes == ["deployment.environment": "prod", "team": "pawn ops"])
        #expect(base.sampler == .traceIDRatio(0.01))
        let specific = try TracingConfiguration.fromEnvironment(
            [
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:4318",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://b:9/traces",
                "OTEL_SERVICE_NAME": "w1", "OTEL_RESOURCE_ATTRIBUTES": "service.name=ignored",
            ], defaultService: "worker")
        #expect(specific.endpoint == "http://b:9/traces" && specific.serviceName == "w1")
        let disabled = try TracingConfiguration.fromEnvironment(
            ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:4318", "OTEL_SDK_DISABLED": "TRUE"], defaultService: "x"
        )
        #expect(!disabled.enabled)
        for (variable, value, named) in [
            ("OTEL_TRACES_SAMPLER", "sometimes", "OTEL_TRACES_SAMPLER"),
            ("OTEL_RESOURCE_ATTRIBUTES", "novalue", "OTEL_RESOURCE_ATTRIBUTES"),
            ("OTEL_RESOURCE_ATTRIBUTES", "a=%zz", "OTEL_RESOURCE_ATTRIBUTES"),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318", "OTEL_EXPORTER_OTLP_ENDPOINT"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", "OTEL_EXPORTER_OTLP_PROTOCOL"),
        ] {
            #expect(throws: TracingConfiguration.Problem.self, "\(variable)=\(value)") {
                try TracingConfiguration.fromEnvironment([variable: value], defaultService: "x")
            }
            do {
                _ = try TracingConfiguration.fromEnvironment([variable: value], defaultService: "x")
            } catch {
                #expect(error.variable == named && error.description.contains(value), "\(error)")
            }
        }
    }

    @Test("a finished span as OTLP: ids as bytes, parent, kind, times, attributes by type, status, flags")
    func otlpMapping() throws {
        let parent = SpanID(0x00f0_67aa_0ba9_02b7)!
        let context = TraceContext(
            traceID: trace, spanID: SpanID(0x0102_0304_0506_0708)!, flags: 0x01, traceState: "rojo=1")
        let span = FinishedSpan(
            context: context, parentSpanID: parent, name: "POST /item/add", kind: .server,
            startNanoseconds: 10,
            endNanoseconds: 25,
            attributes: [
                ("http.request.method", "POST"), ("http.response.status_code", 503), ("ratio", .double(0.5)),
                ("ok", .bool(false)),
            ],
            status: .error("503"))
        let configuration = TracingConfiguration(
            endpoint: "http://x/v1/traces", serviceName: "dispatcher", resourceAttributes: ["team": "pawn"])
        let request = configuration.exportRequest([span])
        let resource = try #require(request.resourceSpans.first?.resource)
        #expect(
            resource.attributes == [
                OTLP.KeyValue("service.name", .string("dispatcher")), OTLP.KeyValue("team", .string("pawn")),
            ])
        let message = try #require(request.resourceSpans.first?.scopeSpans.first?.spans.first)
        #expect(message.traceId == trace.bytes && message.spanId == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(message.parentSpanId == parent.bytes && message.traceState == "rojo=1")
        #expect(message.kind == .server && message.startTimeUnixNano == 10 && message.endTimeUnixNano == 25)
        #expect(message.attributes[1] == OTLP.KeyValue("http.response.status_code", .int(503)))
        #expect(message.attributes[2] == OTLP.KeyValue("ratio", .double(0.5)))
        #expect(message.attributes[3] == OTLP.KeyValue("ok", .bool(false)))
        #expect(message.status == OTLP.Status(code: .error, message: "503"))
        #expect(message.flags == 0x101)
        let root = FinishedSpan(
            context: context, parentSpanID: nil, name: "r", kind: .internal, startNanoseconds: 1,
            endNanoseconds: 2)
        let rootMessage = TracingConfiguration.otlp(root)
        #expect(
            rootMessage.parentSpanId.isEmpty && rootMessage.status == nil && rootMessage.kind == .internal)
    }
}
