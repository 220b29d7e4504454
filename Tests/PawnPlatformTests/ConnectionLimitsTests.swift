import Foundation
import PawnTestSupport
import Testing

/// What a process does when peers hold more connections than it may have descriptors: it
/// stops polling its listener for a while instead of spinning on EMFILE, keeps serving the
/// connections it has, and accepts again once descriptors are free.
@Suite("Connection limits (a separate process)", .serialized)
struct ConnectionLimitsTests {
    @Test("out of descriptors: no spin, open connections served, accepting again once they close")
    func outOfDescriptors() async throws {
        RawSocket.raiseFileLimit()
        // prlimit execs the dispatcher in its own process, with 64 descriptors at most.
        let dispatcher = try ChildProcess(
            "/usr/bin/prlimit",
            [
                "--nofile=64:64", ChildProcess.pawnshopPath, "dispatcher", "--port", "0", "--grpc-port", "0",
                "--token", "t", "--loops", "1",
            ])
        let banner = try await dispatcher.waitForLine(containing: "HTTP on http://127.0.0.1:")
        let port = try #require(number(after: "HTTP on http://127.0.0.1:", in: banner))
        let first = try RawSocket(port: port)
        try first.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try first.receiveResponses(1)[0].hasPrefix("HTTP/1.1 200"))
        // More than the process can accept: the kernel completes the rest into the backlog.
        var held: [RawSocket] = []
        for _ in 0..<100 { held.append(try RawSocket(port: port)) }
        _ = try await dispatcher.waitForLine(containing: "cannot accept connections", timeout: .seconds(10))
        let before = try #require(dispatcher.cpuSeconds)
        try await Task.sleep(for: .seconds(2))
        let used = try #require(dispatcher.cpuSeconds) - before
        #expect(used < 0.5, "the dispatcher used \(used) s of CPU in 2 s while out of descriptors")
        // A connection it already had is still served.
        try first.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try await offPool { try first.receiveResponses(1)[0] }.hasPrefix("HTTP/1.1 200"))
        // Descriptors free again: a new connection is accepted and answered.
        held.removeAll()  // each RawSocket closes its descriptor
        let fresh = try RawSocket(port: port)
        try fresh.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try await offPool { try fresh.receiveResponses(1)[0] }.hasPrefix("HTTP/1.1 200"))
        dispatcher.signal(SIGTERM)
        #expect(await dispatcher.wait() == 0, "\(dispatcher.output.suffix(5))")
    }

    @Test("over --max-connections: 503 with Retry-After and a close; served again below it")
    func overTheCap() async throws {
        let dispatcher = try ChildProcess.pawnshop([
            "dispatcher", "--port", "0", "--grpc-port", "0", "--token", "t", "--loops", "1",
            "--max-connections", "3",
        ])
        let banner = try await dispatcher.waitForLine(containing: "HTTP on http://127.0.0.1:")
        let port = try #require(number(after: "HTTP on http://127.0.0.1:", in: banner))
        var open = try (0..<3).map { _ in try RawSocket(port: port) }
        for socket in open {
            try socket.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try socket.receiveResponses(1)[0].hasPrefix("HTTP/1.1 200"))
        }
        let extra = try RawSocket(port: port)
        try extra.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
        let refused = String(decoding: try await offPool { try extra.receiveAll() }, as: UTF8.self)
        #expect(refused.hasPrefix("HTTP/1.1 503"), "\(refused)")
        #expect(refused.contains("Retry-After: 1") && refused.contains("Connection: close"))
        #expect(refused.contains("\"tooManyConnections\""), "the API's JSON error body: \(refused)")
        open.removeFirst()  // closed by its deinit
        // The server notices the close on its next read; then there is room again.
        var served = false
        for _ in 0..<50 where !served {
            try await Task.sleep(for: .milliseconds(100))
            let again = try RawSocket(port: port)
            try again.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
            served = String(decoding: try await offPool { try again.receive() }, as: UTF8.self)
                .hasPrefix("HTTP/1.1 200")
        }
        #expect(served, "no room after a connection closed")
        dispatcher.signal(SIGTERM)
        #expect(await dispatcher.wait() == 0, "\(dispatcher.output.suffix(5))")
    }
}
