import Foundation
import PawnTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("Multi-process", .serialized)
struct MultiProcessTests {
    /// A dispatcher and two worker processes; one worker is killed with SIGKILL while reads
    /// run: every read still succeeds (retried on the other), the dead worker is evicted,
    /// and a restarted worker joins again and serves.
    @Test func killAWorkerMidLoad() async throws {
        let token = "test-\(UInt32.random(in: 0 ... .max))"
        let dispatcher = try ChildProcess.pawnshop([
            "dispatcher", "--port", "0", "--grpc-port", "0", "--token", token, "--loops", "2",
        ])
        let banner = try await dispatcher.waitForLine(containing: "workers join gRPC on")
        let httpPort = try #require(number(after: "HTTP on http://127.0.0.1:", in: banner))
        let grpcPort = try #require(number(after: "workers join gRPC on 127.0.0.1:", in: banner))
        func worker(_ id: String) throws -> ChildProcess {
            try ChildProcess.pawnshop([
                "worker", "--id", id, "--port", "0", "--dispatcher", "127.0.0.1:\(grpcPort)", "--token",
                token, "--seed-demo", "--loops", "1",
            ])
        }
        let first = try worker("w-a")
        let second = try worker("w-b")
        _ = try await first.waitForLine(containing: "joined")
        _ = try await second.waitForLine(containing: "joined")
        let client = Client(base: "http://127.0.0.1:\(httpPort)")
        try await waitFor { (try? await client.get("/health/ready").json["workers"] as? Int) == 2 }
        try await waitFor { (try? await client.get("/item/fetch/guitar-1").status) == 200 }

        // Reads while one worker is killed: none may fail.
        var failures: [String] = []
        for round in 0..<300 {
            if round == 100 { first.signal(SIGKILL) }
            let reply = try await client.get("/item/fetch/guitar-1")
            if reply.status != 200 { failures.append("\(round): \(reply.status) \(reply.text)") }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        try await waitFor { (try? await client.get("/health/ready").json["workers"] as? Int) == 1 }

        // A restarted worker joins again and serves.
        let restarted = try worker("w-a")
        _ = try await restarted.waitForLine(containing: "joined")
        try await waitFor { (try? await client.get("/health/ready").json["workers"] as? Int) == 2 }
        second.signal(SIGTERM)
        #expect(await second.wait() == 0)
        try await waitFor { (try? await client.get("/health/ready").json["workers"] as? Int) == 1 }
        #expect(try await client.get("/item/fetch/ring-1").status == 200)

        restarted.signal(SIGTERM)
        dispatcher.signal(SIGTERM)
        #expect(await restarted.wait() == 0)
        #expect(await dispatcher.wait() == 0)
    }

    private func waitFor(_ condition: () async -> Bool) async throws {
        for _ in 0..<300 {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out")
    }
}
