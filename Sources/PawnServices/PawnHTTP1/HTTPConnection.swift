import Glibc
import PawnIO

/// One client connection: reads bytes into the parser, runs one request at a time in
/// arrival order (so pipelined responses leave in order), writes responses without
/// blocking, and enforces the header, body and idle timeouts.
final class HTTPConnection: ServerConnection, @unchecked Sendable {
    // @unchecked Sendable: every method runs on `state.loop`'s thread. Request handlers
    // run as tasks preferring that loop, and `complete` hops to it if ever called elsewhere.
    private let fd: Int32
    private unowned let state: ListenerLoop
    private let server: HTTPServer
    private var parser: HTTP1RequestParser
    private var output = ConnectionOutput()
    private var inFlight = false
    private var closeAfterWrite = false
    private var peerClosed = false
    private var closed = false
    private var readingPaused = false
    /// When the request being read started (its first byte), for the header timeout.
    private var requestStarted: UInt64 = 0
    private var headComplete: UInt64 = 0
    private var lastActivity: UInt64

    init(fd: Int32, listener: ListenerLoop, server: HTTPServer) {
        self.fd = fd
        self.state = listener
        self.server = server
        parser = HTTP1RequestParser(limits: server.configuration.limits)
        lastActivity = MonotonicClock.now()
    }

    // MARK: - Reading

    func readable() {
        guard !closed else { return }
        var received = false
        if !readingPaused {
            peerClosed =
                Socket.readAvailable(fd, buffer: &state.readBuffer) { bytes in
                    if parser.isIdle { requestStarted = MonotonicClock.now() }
                    parser.append(bytes)
                    received = true
                } || peerClosed
        }
        if received { lastActivity = MonotonicClock.now() }
        processRequests()
        if peerClosed && !inFlight && output.isEmpty {
            // The peer has nothing more to send and we have nothing more to say.
            close()
        } else if peerClosed && !inFlight {
            // Stop polling a half-closed socket; what is left is written, then we close.
            closeAfterWrite = true
            updateInterest()
        }
    }

    private func processRequests() {
        while !inFlight && !closed && !closeAfterWrite {
            let event: HTTP1ParserEvent?
            do {
                event = try parser.next()
            } catch {
                respondToParseError(error)
                return
            }
            guard let event else { break }
            switch event {
            case .expectContinue:
                output.append(HTTP1ResponseWriter.continueResponse)
                flush()
            case .request(let request):
                headComplete = 0
                inFlight = true
                dispatch(request)
            }
        }
        // Backpressure: while a request runs, stop reading once a full request is buffered.
        let shouldPause = inFlight && !parser.isIdle
        if shouldPause != readingPaused {
            readingPaused = shouldPause
            updateInterest()
        }
        if !parser.isIdle && !inFlight && headComplete == 0 && !parser.isReadingHead {
            headComplete = MonotonicClock.now()
        }
    }

    private func dispatch(_ request: HTTPRequest) {
        let handler = server.handler
        let loop = state.loop
        Task(executorPreference: loop) {
            let response = await handler.handle(request)
            self.complete(response, for: request)
        }
    }

    private func complete(_ response: HTTPResponse, for request: HTTPRequest) {
        guard state.loop.inLoop else {
            state.loop.execute { self.complete(response, for: request) }
            return
        }
        inFlight = false
        guard !closed else { return }
        let keepAlive = request.keepAlive && !state.draining && !peerClosed
        if !keepAlive { closeAfterWrite = true }
        let date = state.date
        output.withStorage {
            HTTP1ResponseWriter.write(
                response, keepAlive: keepAlive, date: date, includeBody: request.method != .head, into: &$0)
        }
        lastActivity = MonotonicClock.now()
        if !parser.isIdle { requestStarted = lastActivity }
        flush()
        if !closed {
            processRequests()
            if readingPaused == false && peerClosed && !inFlight && output.isEmpty { close() }
        }
    }

    private func respondToParseError(_ error: HTTP1ParseError) {
        let response = server.configuration.errorResponse(error.status, error.status.errorCode, error.message)
        closeAfterWrite = true
        output.withStorage {
            HTTP1ResponseWriter.write(response, keepAlive: false, date: state.date, into: &$0)
        }
        flush()
    }

    // MARK: - Writing

    func writable() { flush() }

    private func flush() {
        guard !closed else { return }
        switch output.flush(fd, on: state.loop, readable: !readingPaused && !peerClosed) {
        case .blocked: break
        case .failed: close()
        case .drained: if closeAfterWrite && !inFlight { close() }
        }
    }

    private func updateInterest() {
        guard !closed else { return }
        state.loop.modify(fd, readable: !readingPaused && !peerClosed, writable: output.wantsWritable)
    }

    // MARK: - Timeouts and shutdown

    func tick(now: UInt64) {
        let configuration = server.configuration
        guard !closed, !inFlight else { return }
        if parser.isReadingHead, now &- requestStarted > configuration.headerTimeout.nanoseconds {
            timeOut("the request head did not arrive within \(configuration.headerTimeout)")
        } else if headComplete != 0, now &- headComplete > configuration.bodyTimeout.nanoseconds {
            timeOut("the request body did not arrive within \(configuration.bodyTimeout)")
        } else if parser.isIdle, output.isEmpty,
            now &- lastActivity > configuration.idleTimeout.nanoseconds
        {
            close()
        }
    }

    private func timeOut(_ message: String) {
        closeAfterWrite = true
        let response = server.configuration.errorResponse(.requestTimeout, "requestTimeout", message)
        output.withStorage {
            HTTP1ResponseWriter.write(response, keepAlive: false, date: state.date, into: &$0)
        }
        flush()
    }

    /// Server shutdown: idle connections close now; a busy one closes after its response.
    func drain() {
        if !inFlight && parser.isIdle && output.isEmpty {
            close()
        } else {
            closeAfterWrite = true
        }
    }

    func close() {
        guard !closed else { return }
        closed = true
        state.loop.deregister(fd)
        Glibc.close(fd)
        state.connectionClosed(fd)
    }
}
