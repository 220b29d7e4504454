import Foundation
import PawnHTTP1
import PawnIO
import PawnTestSupport
import Synchronization
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// How many `/slow` requests with the query `shutdown` handlers have started, so the shutdown
/// test can wait for its own to be in flight (a plain `/slow` of a test running alongside
/// must not count: it let the shutdown begin before the request arrived).
let slowRequestsStarted = Atomic<Int>(0)
/// Set by the shutdown test once the shutdown has begun: its slow request answers only then
/// (a fixed pause let the answer go out first on a loaded machine, without `Connection: close`).
let shutdownBegun = Atomic<Bool>(false)

/// Answers with what it was asked, so that tests can see exactly what arrived.
struct EchoHandler: HTTPHandler {
    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        if request.path == "/slow" {
            if request.query.contains(where: { $0.name == "shutdown" }) {
                slowRequestsStarted.add(1, ordering: .relaxed)
                for _ in 0..<500 where !shutdownBegun.load(ordering: .relaxed) {
                    try? await Task.sleep(for: .milliseconds(10))
                }
            }
            try? await Task.sleep(for: .milliseconds(300))
        }
        let query = request.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        var text = "\(request.method) \(request.path) \(query)"
        if !request.body.isEmpty { text += " body=" + String(decoding: request.body, as: UTF8.self) }
        return HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: Array(text.utf8))
    }
}

/// A server on an ephemeral port for one test.
final class TestServer: @unchecked Sendable {
    // @unchecked Sendable: immutable after init; the server and group are Sendable.
    let group: EventLoopGroup
    let server: HTTPServer
    let port: Int

    init(
        configuration: HTTPServer.Configuration = .init(port: 0), handler: any HTTPHandler = EchoHandler(),
        loops: Int = 2
    )
        throws
    {
        var configuration = configuration
        configuration.port = 0
        group = try EventLoopGroup(loopCount: loops)
        server = HTTPServer(configuration: configuration, group: group, handler: handler)
        port = try server.start()
    }

    func stop() async {
        await server.shutdown(gracePeriod: .seconds(2))
        group.shutdown()
    }

    var base: String { "http://127.0.0.1:\(port)" }
}

@Suite("HTTP server", .serialized)
struct HTTPServerTests {
    @Test(.enabled(if: curlAvailable, "curl is not installed: run scripts/test.sh"))
    func curlRequests() async throws {
        let server = try TestServer()
        let curl = Command.find("curl")!
        let get = try Command.run(curl, ["-sS", "\(server.base)/item/fetch/a%20b?name=Gold+ring"])
        #expect(get.status == 0 && get.text == "GET /item/fetch/a b name=Gold ring")
        let post = try Command.run(
            curl,
            [
                "-sS", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", "{\"a\":1}",
                "\(server.base)/echo",
            ])
        #expect(post.text == "POST /echo  body={\"a\":1}")
        let chunked = try Command.run(
            curl, ["-sS", "-H", "Transfer-Encoding: chunked", "--data-binary", "@-", "\(server.base)/up"],
            input: Array(String(repeating: "z", count: 100_000).utf8))
        #expect(chunked.text == "POST /up  body=" + String(repeating: "z", count: 100_000))
        let expect = try Command.run(
            curl, ["-sS", "-H", "Expect: 100-continue", "--data-binary", "hello", "\(server.base)/e"])
        #expect(expect.text == "POST /e  body=hello")
        let head = try Command.run(curl, ["-sS", "-I", "\(server.base)/h"])
        #expect(head.text.hasPrefix("HTTP/1.1 200 OK") && head.text.contains("Content-Length: 8"))
        // Several requests on one keep-alive connection.
        let many = try Command.run(curl, ["-sS", "\(server.base)/1", "\(server.base)/2", "\(server.base)/3"])
        #expect(many.text == "GET /1 GET /2 GET /3 ")
        await server.stop()
    }

    @Test func urlSession() async throws {
        let server = try TestServer()
        let (data, response) = try await URLSession.shared.data(from: URL(string: "\(server.base)/x?y=1")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self) == "GET /x y=1")
        await server.stop()
    }

    @Test func pipelinedResponsesComeBackInOrder() async throws {
        let server = try TestServer()
        let socket = try RawSocket(port: server.port)
        try socket.send(
            "GET /slow HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhiGET /c HTTP/1.1\r\nHost: x\r\n\r\n"
        )
        let responses = try socket.receiveResponses(3)
        #expect(responses[0].hasSuffix("GET /slow "))
        #expect(responses[1].hasSuffix("POST /b  body=hi"))
        #expect(responses[2].hasSuffix("GET /c "))
        #expect(responses.allSatisfy { $0.hasPrefix("HTTP/1.1 200 OK\r\n") && $0.contains("\r\nDate: ") })
        await server.stop()
    }

    @Test func expectContinueGetsAnInterimResponse() async throws {
        let server = try TestServer()
        let socket = try RawSocket(port: server.port)
        try socket.send("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        let interim = try socket.receive()
        #expect(String(decoding: interim, as: UTF8.self) == "HTTP/1.1 100 Continue\r\n\r\n")
        try socket.send("data")
        let final = try socket.receiveResponses(1)
        #expect(final[0].hasSuffix("POST /e  body=data"))
        await server.stop()
    }

    @Test func malformedRequestsGetTheConfiguredErrorAndAClose() async throws {
        // The transport knows no body format: the application's responder words the answer.
        let json: HTTPErrorResponder = { status, code, message in
            HTTPResponse(
                status: status, headers: ["Content-Type": "application/json; charset=utf-8"],
                body: Array(#"{"error":{"code":"\#(code)","message":"\#(message)"}}"#.utf8))
        }
        let server = try TestServer(configuration: .init(port: 0, errorResponse: json))
        let socket = try RawSocket(port: server.port)
        try socket.send(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")
        let text = String(decoding: try socket.receiveAll(), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(text.contains("Connection: close\r\n"))
        #expect(text.contains("Content-Type: application/json; charset=utf-8"))
        #expect(
            text.hasSuffix(
                #"{"error":{"code":"badRequest","message":"both Content-Length and Transfer-Encoding"}}"#))

        let big = try RawSocket(port: server.port)
        try big.send("GET / HTTP/1.1\r\nHost: x\r\nX: " + String(repeating: "a", count: 20_000) + "\r\n\r\n")
        #expect(String(decoding: try big.receiveAll(), as: UTF8.self).hasPrefix("HTTP/1.1 431 "))
        await server.stop()
    }

    @Test("without a responder, errors are plain text naming the problem")
    func defaultErrorsArePlainText() async throws {
        let server = try TestServer()
        let socket = try RawSocket(port: server.port)
        try socket.send("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n")
        let text = String(decoding: try socket.receiveAll(), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(text.contains("Content-Type: text/plain; charset=utf-8\r\n"))
        #expect(!text.contains("{"))
        await server.stop()
    }

    @Test("a slowloris client is cut off at the header timeout while others are served")
    func slowloris() async throws {
        let server = try TestServer(configuration: .init(headerTimeout: .seconds(1)))
        let slow = try RawSocket(port: server.port)
        try slow.send("GET / HTTP/1.1\r\n")
        let started = ContinuousClock.now
        var cutOff = false
        for index in 0..<40 {
            try? await Task.sleep(for: .milliseconds(100))
            if (try? slow.send("X-\(index): v\r\n")) == nil {
                cutOff = true
                break
            }
            // Meanwhile a well-behaved client is served at once.
            if index % 10 == 0 {
                let fine = try RawSocket(port: server.port)
                try fine.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try fine.receiveResponses(1)[0].hasSuffix("GET /ok "))
            }
            if let text = try? await offPool({ try slow.receiveIfReady(max: 4096) }), !text.isEmpty {
                #expect(String(decoding: text, as: UTF8.self).hasPrefix("HTTP/1.1 408 Request Timeout"))
                cutOff = true
                break
            }
        }
        #expect(cutOff)
        #expect(ContinuousClock.now - started < .seconds(4))
        await server.stop()
    }

    @Test func idleConnectionsAreClosed() async throws {
        let server = try TestServer(configuration: .init(idleTimeout: .seconds(1)))
        let socket = try RawSocket(port: server.port)
        try socket.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try socket.receiveResponses(1)
        let started = ContinuousClock.now
        // Closed by the server, without a response.
        #expect(try await offPool { try socket.receive() }.isEmpty)
        #expect(ContinuousClock.now - started < .seconds(4))
        await server.stop()
    }

    @Test("1,000 concurrent keep-alive connections, each making requests, all answered")
    func thousandConnections() async throws {
        RawSocket.raiseFileLimit()
        let server = try TestServer()
        let sockets = try (0..<1_000).map { _ in try RawSocket(port: server.port) }
        for round in 0..<3 {
            for (index, socket) in sockets.enumerated() {
                try socket.send("GET /c\(index)?round=\(round) HTTP/1.1\r\nHost: x\r\n\r\n")
            }
            for (index, socket) in sockets.enumerated() {
                let response = try socket.receiveResponses(1)[0]
                #expect(response.hasSuffix("GET /c\(index) round=\(round)"))
            }
        }
        #expect(server.server.connectionCount == 1_000)
        await server.stop()
    }

    @Test func gracefulShutdownFinishesInFlightRequests() async throws {
        let server = try TestServer()
        let busy = try RawSocket(port: server.port)
        let idle = try RawSocket(port: server.port)
        try idle.send("GET /warm HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try idle.receiveResponses(1)
        let before = slowRequestsStarted.load(ordering: .relaxed)
        try busy.send("GET /slow?shutdown=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        // Shut down only once the request is in flight (a fixed pause raced a busy machine).
        for _ in 0..<500 where slowRequestsStarted.load(ordering: .relaxed) == before {
            try await Task.sleep(for: .milliseconds(10))
        }
        server.server.beginShutdown()
        shutdownBegun.store(true, ordering: .relaxed)
        async let stopped: Void = server.server.shutdown(gracePeriod: .seconds(5))
        let text = String(decoding: try busy.receiveAll(), as: UTF8.self)
        #expect(
            text.hasPrefix("HTTP/1.1 200 OK") && text.contains("Connection: close")
                && text.hasSuffix("GET /slow shutdown=1"), "\(text)")
        #expect(try idle.receive().isEmpty)
        await stopped
        #expect(throws: (any Error).self) { try RawSocket(port: server.port) }
        server.group.shutdown()
    }
}
