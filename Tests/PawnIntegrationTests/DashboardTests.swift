import Foundation
import PawnTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension RealStackSuites {
    /// The Grafana dashboard in Docs uses only metrics that exist: every `pawnshop_…` name its
    /// queries reference is a sample name in a live exposition, parsed by prometheus_client —
    /// a `pawnshop dispatcher`'s `/metrics` (on Kafka, with Redis for the parking lot and the fraud
    /// list) and a `pawnshop worker --metrics-port`'s (on Kafka and MongoDB), after traffic.
    @Suite(
        "The Grafana dashboard's metrics exist", .serialized,
        .enabled(
            if: pipelineServersAvailable() && TestServers.redis != nil
                && Python.available(["prometheus_client.parser"])))
    struct DashboardTests {
        static let dashboard = Protoc.repositoryRoot.appendingPathComponent(
            "Docs/grafana/pawnshop-dashboard.json")

        /// Every `expr` of every panel's targets.
        static func expressions(_ value: Any) -> [String] {
            switch value {
            case let object as [String: Any]:
                return ((object["expr"] as? String).map { [$0] } ?? [])
                    + object.filter { $0.key != "expr" }.values.flatMap(expressions)
            case let array as [Any]: return array.flatMap(expressions)
            default: return []
            }
        }

        /// The sample names (`pawnshop_http_requests_total`, `…_bucket`) of an exposition.
        static func sampleNames(_ text: String) async throws -> Set<String> {
            let families = try await PeerReadings.prometheusFamilies(text)
            return Set(
                families.flatMap {
                    ($0["samples"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                })
        }

        @Test("every metric the dashboard's queries name is in a dispatcher's or a worker's exposition")
        func everyMetricExists() async throws {
            let board = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: Self.dashboard)) as? [String: Any])
            #expect((board["panels"] as? [Any])?.isEmpty == false)
            let expressions = Self.expressions(board)
            #expect(expressions.count >= 20, "\(expressions.count) queries")
            let pattern = try Regex("pawnshop_[a-z0-9_]+")
            let referenced = Set(
                expressions.flatMap {
                    $0.matches(of: pattern).compactMap { $0.output[0].substring.map(String.init) }
                })
            #expect(referenced.count >= 25, "\(referenced.sorted())")

            let run = "board\(UInt32.random(in: 0 ... .max))"
            let (kafka, mongo, redis) = (TestServers.kafka!, TestServers.mongo!, TestServers.redis!)
            let token = "token-\(run)"
            let dispatcher = try ChildProcess.pawnshop([
                "dispatcher", "--port", "0", "--grpc-port", "0", "--token", token, "--kafka", kafka,
                "--redis",
                redis, "--fraud-key", "fraud-\(run)", "--fraud-fail-open", "--parking-key", "parked-\(run)",
                "--loops", "1",
            ])
            let banner = try await dispatcher.waitForLine(containing: "workers join gRPC on")
            let httpPort = try #require(number(after: "HTTP on http://127.0.0.1:", in: banner))
            let grpcPort = try #require(number(after: "workers join gRPC on 127.0.0.1:", in: banner))
            let worker = try ChildProcess.pawnshop([
                "worker", "--id", "w-\(run)", "--port", "0", "--metrics-port", "0", "--dispatcher",
                "127.0.0.1:\(grpcPort)", "--token", token, "--kafka", kafka, "--mongo", mongo,
                "--mongo-database",
                "pawn-\(run)", "--group", "workers-\(run)", "--kafka-session-timeout-ms", "6000", "--loops",
                "1",
            ])
            let metricsLine = try await worker.waitForLine(
                containing: "serving GET /metrics on", timeout: .seconds(60))
            let metricsPort = try #require(number(after: "http://127.0.0.1:", in: metricsLine))
            let client = Client(base: "http://127.0.0.1:\(httpPort)")
            for _ in 0..<600 where (try? await client.get("/health/ready").json["workers"] as? Int) != 1 {
                try await Task.sleep(for: .milliseconds(50))
            }

            let item = "\(run)-1"
            let writes = [
                (
                    "/item/add",
                    #"{"id":"\#(item)","name":"Lamp","category":"Decoration","price":1200,"state":"Good","ageInMonths":3}"#
                ),
                ("/item/action/redeem", #"{"itemId":"\#(item)","clientId":"ana","date":"2024-03-20"}"#),
            ]
            for (path, body) in writes {
                let reply = try await client.post(path, body)
                #expect(reply.status == 202, "\(reply.text)")
                let eventId = try #require(reply.json["eventId"] as? String)
                for _ in 0..<600 {
                    if let status = try await client.get("/event/\(eventId)").json["status"] as? String,
                        status != "pending"
                    {
                        break
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            #expect(try await client.get("/item/fetch/\(item)").status == 200)
            #expect(try await client.get("/item/fetch/\(run)-absent").status == 404)

            let exposed = try await Self.sampleNames(try await client.get("/metrics").text)
            let workerMetrics = try await Client(base: "http://127.0.0.1:\(metricsPort)").get("/metrics")
            #expect(workerMetrics.status == 200)
            let workerExposed = try await Self.sampleNames(workerMetrics.text)
            #expect(workerExposed.contains("pawnshop_worker_rejections_total"), "\(workerExposed.sorted())")
            let missing = referenced.subtracting(exposed).subtracting(workerExposed)
            #expect(missing.isEmpty, "the dashboard names metrics no exposition has: \(missing.sorted())")
            dispatcher.signal(SIGTERM)
            worker.signal(SIGTERM)
            _ = await worker.wait()
            _ = await dispatcher.wait()
        }
    }
}
