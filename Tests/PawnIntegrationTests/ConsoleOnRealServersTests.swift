import Foundation
import PawnTestSupport
import Testing

extension RealStackSuites {
    /// The operator console on the real stack: the browser scenario of
    /// Tests/Interop/console_browser.py against a `pawnshop dispatcher` on Kafka and Redis (the
    /// fraud list and the parking lot in Redis) and a `pawnshop worker` on Kafka and MongoDB.
    @Suite(
        "The operator console on Kafka, MongoDB and Redis", .serialized,
        .enabled(
            if: pipelineServersAvailable() && TestServers.redis != nil && Python.available(["selenium"])
                && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
                && Command.find("redis-cli") != nil))
    struct ConsoleOnRealServersTests {
        @Test(
            "search, item, add, sell, pawn, a 403 from the Redis fraud list, the platform page; no console error"
        )
        func scenario() async throws {
            let run = "console\(UInt32.random(in: 0 ... .max))"
            let (kafka, mongo, redis) = (TestServers.kafka!, TestServers.mongo!, TestServers.redis!)
            let parts = redis.split(separator: ":")
            let fraudKey = "fraud-\(run)"
            let added = try Command.run(
                Command.find("redis-cli")!,
                ["-h", String(parts[0]), "-p", String(parts[1]), "SADD", fraudKey, "mallory"])
            #expect(added.status == 0, "\(added.stderr)")
            let token = "token-\(run)"
            let dispatcher = try ChildProcess.pawnshop([
                "dispatcher", "--port", "0", "--grpc-port", "0", "--token", token, "--kafka", kafka,
                "--redis",
                redis,
                "--fraud-key", fraudKey, "--parking-key", "parked-\(run)", "--seed-demo", "--loops", "1",
            ])
            let banner = try await dispatcher.waitForLine(containing: "workers join gRPC on")
            let httpPort = try #require(number(after: "HTTP on http://127.0.0.1:", in: banner))
            let grpcPort = try #require(number(after: "workers join gRPC on 127.0.0.1:", in: banner))
            let worker = try ChildProcess.pawnshop([
                "worker", "--id", "w-\(run)", "--port", "0", "--dispatcher", "127.0.0.1:\(grpcPort)",
                "--token",
                token,
                "--kafka", kafka, "--mongo", mongo, "--mongo-database", "pawn-\(run)", "--group",
                "workers-\(run)",
                "--kafka-session-timeout-ms", "6000", "--loops", "1",
            ])
            _ = try await worker.waitForLine(containing: "joined", timeout: .seconds(60))
            let client = Client(base: "http://127.0.0.1:\(httpPort)")
            for _ in 0..<1_200 where (try? await client.get("/item/fetch/ring-1").status) != 200 {
                try await Task.sleep(for: .milliseconds(50))
            }
            let script = Protoc.repositoryRoot.appendingPathComponent("Tests/Interop/console_browser.py").path
            let browser = try ChildProcess(
                Command.find("python3")!, [script, "http://127.0.0.1:\(httpPort)", "--fraudster", "mallory"])
            let status = await browser.wait(timeout: .seconds(240))
            #expect(status == 0, "\(browser.output.joined(separator: "\n"))")
            dispatcher.signal(SIGTERM)
            worker.signal(SIGTERM)
            _ = await worker.wait()
            _ = await dispatcher.wait()
        }
    }
}
