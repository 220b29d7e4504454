import Foundation
import PawnTestSupport
import PawnTrace
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The log as an operator's collector sees it: a dispatcher and a worker process with
/// `--log-format json`, every line of their output one JSON object, one access line per HTTP
/// request and per gRPC call.
@Suite("Logs of the processes", .serialized)
struct LogProcessTests {
    @Test(
        "--log-format json: every line is a JSON object with time, level, service and msg; one access line per request and per call"
    )
    func jsonLogs() async throws {
        let token = "test-\(UInt32.random(in: 0 ... .max))"
        let dispatcher = try ChildProcess.pawnshop([
            "dispatcher", "--port", "0", "--grpc-port", "0", "--token", token, "--loops", "1", "--log-format",
            "json",
        ])
        let banner = try await dispatcher.waitForLine(containing: "workers join gRPC on")
        let httpPort = try #require(number(after: "HTTP on http://127.0.0.1:", in: banner))
        let grpcPort = try #require(number(after: "workers join gRPC on 127.0.0.1:", in: banner))
        let worker = try ChildProcess.pawnshop([
            "worker", "--id", "w-log", "--port", "0", "--dispatcher", "127.0.0.1:\(grpcPort)", "--token",
            token,
            "--seed-demo", "--loops", "1", "--log-format", "json",
        ])
        _ = try await worker.waitForLine(containing: "joined")
        let client = Client(base: "http://127.0.0.1:\(httpPort)")
        var polls = 0
        while polls < 300 {
            polls += 1
            if (try? await client.get("/item/fetch/guitar-1").status) == 200 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        // The lines of those polls are written by the log's thread, a moment later: wait for
        // them, and for the worker's lines of their calls, so that only what follows is
        // counted against the requests made from here on.
        func accessLines(_ process: ChildProcess, _ message: String) -> [[String: Any]] {
            Self.objects(process.output).filter { $0["msg"] as? String == message }
        }
        for _ in 0..<200 where accessLines(dispatcher, "http request").count < polls {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(accessLines(dispatcher, "http request").count == polls)
        try await Task.sleep(for: .milliseconds(300))
        let workerBefore = worker.output.count

        let add = try await client.post(
            "/item/add",
            #"{"id":"log-1","name":"Lamp","category":"Decoration","price":1200,"state":"Good","ageInMonths":3}"#,
            headers: ["X-Request-Id": "req-log-1"])
        #expect(add.status == 202, "\(add.text)")
        let fetch = try await client.get("/item/fetch/guitar-1")
        #expect(fetch.status == 200)
        let bad = try await client.post("/item/action/buy", #"{"itemId": 7}"#)
        #expect(bad.status == 400)
        let unknown = try await client.get("/no/such/route")
        #expect(unknown.status == 404)
        let expected: [(method: String, route: String, status: Int)] = [
            ("POST", "/item/add", 202), ("GET", "/item/fetch/{id}", 200), ("POST", "/item/action/buy", 400),
            ("GET", "unmatched", 404),
        ]
        var access: [[String: Any]] = []
        for _ in 0..<200 {
            access = Array(accessLines(dispatcher, "http request").dropFirst(polls))
            if access.count >= expected.count { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(access.count == expected.count, "\(access)")
        for (line, want) in zip(access, expected) {
            #expect(line["http.request.method"] as? String == want.method, "\(line)")
            #expect(line["http.route"] as? String == want.route, "\(line)")
            #expect(line["http.response.status_code"] as? Int == want.status, "\(line)")
            #expect((line["duration_ms"] as? Double).map { $0 >= 0 } == true, "\(line)")
            #expect(line["bytes_out"] as? Int ?? 0 > 0, "\(line)")
            #expect(line["component"] as? String == "http")
        }
        #expect(access.first?["request_id"] as? String == "req-log-1")
        // Each access line names the trace its answer's traceparent carries.
        let addTrace = TraceContext(traceparent: add.headers["traceparent"])?.traceID.hex
        #expect(addTrace != nil && access.first?["trace_id"] as? String == addTrace, "\(access.first ?? [:])")
        #expect(access.first?["bytes_in"] as? Int ?? 0 > 50)

        // The read reached the worker over gRPC: its server wrote the call's line.
        var calls: [[String: Any]] = []
        for _ in 0..<200 {
            calls = Self.objects(Array(worker.output.dropFirst(workerBefore))).filter {
                $0["msg"] as? String == "grpc call"
                    && ($0["rpc.method"] as? String)?.hasPrefix("/pawnshop.v1.Worker/") == true
            }
            if !calls.isEmpty { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(calls.count == 1, "\(calls)")
        #expect(calls.first?["rpc.grpc.status_code"] as? Int == 0)
        #expect(calls.first?["rpc.system"] as? String == "grpc")
        // The worker's line names the read's trace, which came in the call's metadata.
        let fetchTrace = TraceContext(traceparent: fetch.headers["traceparent"])?.traceID.hex
        #expect(fetchTrace != nil && calls.first?["trace_id"] as? String == fetchTrace, "\(calls)")

        worker.signal(SIGTERM)
        dispatcher.signal(SIGTERM)
        #expect(await worker.wait() == 0)
        #expect(await dispatcher.wait() == 0)
        for (process, service) in [(dispatcher, "dispatcher"), (worker, "worker")] {
            let lines = process.output.filter { !$0.isEmpty }
            #expect(lines.count > 3)
            for line in lines {
                guard let object = Self.object(line) else {
                    Issue.record("\(service): not a JSON object: \(line)")
                    continue
                }
                #expect(object["service"] as? String == service, "\(line)")
                #expect(
                    ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(
                        object["level"] as? String ?? ""), "\(line)")
                #expect(!(object["msg"] as? String ?? "").isEmpty, "\(line)")
                let time = object["time"] as? String ?? ""
                #expect(
                    time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(line)")
            }
            #expect(lines.last.flatMap(Self.object)?["msg"] as? String != nil)
        }
        #expect(worker.output.contains { Self.object($0)?["worker_id"] as? String == "w-log" })
    }

    @Test("logfmt by default; --access-log=false writes no access line; --log-level warning drops info")
    func switches() async throws {
        let quiet = try ChildProcess.pawnshop(["--port", "0", "--access-log=false"])
        let banner = try await quiet.waitForLine(containing: "PawnShop is serving on")
        #expect(banner.hasPrefix("time="), "\(banner)")
        #expect(banner.contains(" level=notice service=pawnshop msg=\"PawnShop is serving on"), "\(banner)")
        let port = try #require(number(after: "serving on http://127.0.0.1:", in: banner))
        let client = Client(base: "http://127.0.0.1:\(port)")
        #expect(try await client.get("/health/live").status == 200)
        quiet.signal(SIGTERM)
        #expect(await quiet.wait() == 0)
        #expect(!quiet.output.contains { $0.contains("msg=\"http request\"") || $0.contains("grpc call") })
        for line in quiet.output where !line.isEmpty { #expect(line.hasPrefix("time="), "\(line)") }

        let warnings = try ChildProcess.pawnshop(["--port", "0", "--log-level", "warning"])
        try await Task.sleep(for: .seconds(2))
        warnings.signal(SIGTERM)
        #expect(await warnings.wait() == 0)
        #expect(!warnings.output.contains { $0.contains("level=info") || $0.contains("level=notice") })
    }

    @Test("a log level or format that does not exist is a usage error naming the flag")
    func badValues() async throws {
        for (flag, value) in [("--log-level", "loud"), ("--log-format", "xml")] {
            let result = try await offPool {
                try Command.run(ChildProcess.pawnshopPath, ["--port", "0", flag, value])
            }
            #expect(result.status == 64, "\(flag) \(value): \(result.stderr)")
            #expect(result.stderr.contains(flag) && result.stderr.contains(value), "\(result.stderr)")
        }
    }

    @Test("an OTEL_* variable that cannot be used is a usage error naming it")
    func badTracingVariables() async throws {
        for (variable, value) in [
            ("OTEL_TRACES_SAMPLER", "sometimes"), ("OTEL_TRACES_SAMPLER_ARG", "2"),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
            ("OTEL_RESOURCE_ATTRIBUTES", "novalue"),
        ] {
            let environment =
                variable == "OTEL_TRACES_SAMPLER_ARG" ? ["OTEL_TRACES_SAMPLER=traceidratio"] : []
            let result = try await offPool {
                try Command.run(
                    "/usr/bin/env",
                    environment + ["\(variable)=\(value)", ChildProcess.pawnshopPath, "--port", "0"])
            }
            let named = variable == "OTEL_TRACES_SAMPLER_ARG" ? "OTEL_TRACES_SAMPLER" : variable
            #expect(result.status == 64, "\(variable)=\(value): \(result.stderr)")
            #expect(result.stderr.contains(named) && result.stderr.contains(value), "\(result.stderr)")
        }
    }

    private static func object(_ line: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    private static func objects(_ lines: [String]) -> [[String: Any]] { lines.compactMap(object) }
}
