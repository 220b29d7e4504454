import Glibc
import PawnHPACK
import PawnHTTP2
import PawnIO
import PawnProtocol

/// One HTTP/2 connection of a ``GRPCClient``, confined to one event loop: it connects,
/// multiplexes calls as streams, and fails every call in flight with UNAVAILABLE if the
/// connection breaks.
final class GRPCClientConnection: EventLoopSource, @unchecked Sendable {
    // @unchecked Sendable: every method runs on `loop`'s thread (the client reaches it
    // through `loop.execute`); completions resume continuations, which is thread-safe.
    enum State { case connecting, ready, closed }

    let loop: EventLoop
    private let authority: String
    private let maxReceiveMessageSize: Int
    private var fd: Int32 = -1
    private(set) var state = State.connecting
    private var http2 = HTTP2Connection(role: .client)
    private var output = ConnectionOutput(registeredWritable: true)
    private var waiting: [PendingCall] = []
    private var calls: [UInt32: PendingCall] = [:]
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    /// Called once when the connection is closed (so the client makes a new one next time).
    var onClose: (@Sendable (_ connected: Bool) -> Void)?
    private var wasReady = false
    /// A flush is waiting for the end of the loop's round.
    private var flushPending = false

    final class PendingCall: @unchecked Sendable {
        // @unchecked Sendable: like the connection, touched only on its loop.
        let path: String
        let request: [UInt8]
        let metadata: [HeaderField]
        let timeout: Duration?
        var continuation: CheckedContinuation<[UInt8], any Error>?
        var streamID: UInt32 = 0
        var timer: UInt64?
        var deframer: GRPCDeframer
        var messages: [[UInt8]] = []
        var httpStatus: String?
        var retried = false

        init(
            path: String, request: [UInt8], metadata: [HeaderField], timeout: Duration?, maxMessageSize: Int,
            continuation: CheckedContinuation<[UInt8], any Error>
        ) {
            self.path = path
            self.request = request
            self.metadata = metadata
            self.timeout = timeout
            self.continuation = continuation
            deframer = GRPCDeframer(maxMessageSize: maxMessageSize)
        }

        func complete(_ result: Result<[UInt8], GRPCStatus>) {
            let continuation = self.continuation
            self.continuation = nil
            continuation?.resume(with: result.mapError { $0 as any Error })
        }
    }

    init(loop: EventLoop, authority: String, maxReceiveMessageSize: Int) {
        self.loop = loop
        self.authority = authority
        self.maxReceiveMessageSize = maxReceiveMessageSize
    }

    /// Starts connecting (on the loop).
    func connect(to address: Socket.Address) {
        do {
            fd = try Socket.startConnect(address)
            try loop.register(fd, self, readable: true, writable: true)
        } catch {
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
            fail(GRPCStatus(.unavailable, "cannot connect to \(authority): \(error)"))
        }
    }

    /// Starts a call (on the loop): now if connected, once connected otherwise.
    func start(_ call: PendingCall) {
        switch state {
        case .closed:
            call.complete(.failure(GRPCStatus(.unavailable, "the connection to \(authority) is closed")))
        case .connecting: waiting.append(call)
        case .ready: calls.count < http2.peerSettings.maxConcurrentStreams ? send(call) : waiting.append(call)
        }
        if let timeout = call.timeout {
            call.timer = loop.schedule(after: timeout) { [self] in
                guard call.continuation != nil else { return }
                if call.streamID != 0 {
                    calls[call.streamID] = nil
                    http2.resetStream(call.streamID, code: .cancel)
                    flush()
                }
                waiting.removeAll { $0 === call }
                call.complete(
                    .failure(GRPCStatus(.deadlineExceeded, "no answer from \(authority) within \(timeout)")))
            }
        }
    }

    /// Cancels a call (on the loop): RST_STREAM(CANCEL), and CANCELLED to the caller.
    func cancel(_ call: PendingCall) {
        guard call.continuation != nil else { return }
        if let timer = call.timer { loop.cancelTimer(timer) }
        waiting.removeAll { $0 === call }
        if call.streamID != 0, calls.removeValue(forKey: call.streamID) != nil {
            http2.resetStream(call.streamID, code: .cancel)
            flush()
        }
        call.complete(.failure(GRPCStatus(.cancelled, "the call was cancelled")))
    }

    private func send(_ call: PendingCall) {
        guard let streamID = http2.makeStream() else {
            call.complete(.failure(GRPCStatus(.unavailable, "the connection to \(authority) is going away")))
            return
        }
        call.streamID = streamID
        calls[streamID] = call
        var headers = [
            HeaderField(":method", "POST"), HeaderField(":scheme", "http"), HeaderField(":path", call.path),
            HeaderField(":authority", authority), HeaderField("content-type", "application/grpc"),
            HeaderField("te", "trailers"),
        ]
        if let timeout = call.timeout {
            headers.append(
                HeaderField(
                    "grpc-timeout", GRPCTimeout.format(nanoseconds: Int64(clamping: timeout.nanoseconds))))
        }
        headers += call.metadata
        http2.sendHeaders(streamID, headers, endStream: false)
        http2.sendData(streamID, GRPCFraming.frame(call.request), endStream: true)
        flushAtEndOfRound()
    }

    /// Writes at the end of the loop's round: the calls started in one round leave in one
    /// system call.
    private func flushAtEndOfRound() {
        guard !flushPending else { return }
        flushPending = true
        loop.atEndOfRound { [self] in
            flushPending = false
            flush()
        }
    }

    // MARK: - I/O

    func writable() {
        if state == .connecting {
            let error = Socket.connectError(fd)
            guard error == 0 else {
                fail(
                    GRPCStatus(
                        .unavailable, "cannot connect to \(authority): \(String(cString: strerror(error)))"))
                return
            }
            state = .ready
            wasReady = true
            startWaiting()
        }
        flush()
    }

    /// Starts waiting calls while the peer's concurrency limit allows.
    private func startWaiting() {
        while state == .ready, !waiting.isEmpty, calls.count < http2.peerSettings.maxConcurrentStreams {
            let call = waiting.removeFirst()
            if call.continuation != nil { send(call) }
        }
    }

    func readable() {
        guard state != .closed else { return }
        if state == .connecting {
            writable()
            if state != .ready { return }
        }
        var events: [HTTP2Event] = []
        let peerClosed = Socket.readAvailable(fd, buffer: &readBuffer) { events += http2.receive(Array($0)) }
        for event in events { handle(event) }
        startWaiting()
        flush()
        if peerClosed || http2.isFailed {
            fail(GRPCStatus(.unavailable, "the connection to \(authority) closed"))
        }
    }

    private func handle(_ event: HTTP2Event) {
        switch event {
        case .headers(let streamID, let fields, let endStream):
            guard let call = calls[streamID] else { return }
            if call.httpStatus == nil {
                call.httpStatus = fields.first { $0.name == ":status" }?.value ?? ""
            }
            if endStream { finish(call, trailers: fields) }
        case .data(let streamID, let bytes, _):
            guard let call = calls[streamID] else { return }
            do {
                call.messages += try call.deframer.append(bytes)
            } catch {
                calls[streamID] = nil
                http2.resetStream(streamID, code: .cancel)
                call.complete(
                    .failure(
                        GRPCStatus(
                            .resourceExhausted, "the response message exceeds \(maxReceiveMessageSize) bytes")
                    ))
            }
        case .streamReset(let streamID, let code, _):
            guard let call = calls.removeValue(forKey: streamID) else { return }
            if code == .refusedStream && !call.retried {
                // The server did not process the stream (RFC 9113 8.7): try once more.
                call.retried = true
                call.streamID = 0
                waiting.insert(call, at: 0)
                return
            }
            let status: GRPCStatus.Code =
                switch code {
                case .refusedStream: .unavailable
                case .cancel: .cancelled
                case .enhanceYourCalm: .resourceExhausted
                default: .internalError
                }
            call.complete(.failure(GRPCStatus(status, "the stream was reset: \(code)")))
        case .goAway(let lastStreamID, _, _):
            for (id, call) in calls where id > lastStreamID {
                calls[id] = nil
                call.complete(.failure(GRPCStatus(.unavailable, "the server went away before this call")))
            }
            onClose?(wasReady)
            onClose = nil  // new calls go to a new connection; these ones finish here
        case .pingAcknowledged:
            break
        case .connectionError(let error):
            fail(GRPCStatus(.unavailable, "HTTP/2 error: \(error)"))
        }
    }

    private func finish(_ call: PendingCall, trailers: [HeaderField]) {
        calls[call.streamID] = nil
        if let timer = call.timer { loop.cancelTimer(timer) }
        guard call.httpStatus == "200" else {
            call.complete(
                .failure(
                    GRPCStatus(
                        Self.code(httpStatus: call.httpStatus ?? ""),
                        "HTTP status \(call.httpStatus ?? "missing")")))
            return
        }
        guard let statusText = trailers.first(where: { $0.name == "grpc-status" })?.value,
            let number = Int(statusText)
        else {
            call.complete(.failure(GRPCStatus(.internalError, "the response has no grpc-status")))
            return
        }
        let message =
            trailers.first { $0.name == "grpc-message" }.map { GRPCStatus.percentDecode($0.value) } ?? ""
        let code = GRPCStatus.Code(wire: number)
        guard code == .ok else {
            call.complete(.failure(GRPCStatus(code, message)))
            return
        }
        guard call.messages.count == 1 else {
            call.complete(
                .failure(
                    GRPCStatus(
                        .internalError, "a unary response needs one message, got \(call.messages.count)")))
            return
        }
        call.complete(.success(call.messages[0]))
    }

    /// gRPC's mapping of HTTP statuses for responses that are not gRPC.
    static func code(httpStatus: String) -> GRPCStatus.Code {
        switch httpStatus {
        case "400": .internalError
        case "401": .unauthenticated
        case "403": .permissionDenied
        case "404": .unimplemented
        case "429", "502", "503", "504": .unavailable
        default: .unknown
        }
    }

    private func flush() {
        guard state != .closed, fd >= 0 else { return }
        if http2.hasOutput { output.append(http2.takeOutput()) }
        guard state == .ready else { return }
        switch output.flush(fd, on: loop, readable: true) {
        case .drained, .blocked: break
        case .failed:
            fail(GRPCStatus(.unavailable, "cannot write to \(authority)"))
        }
    }

    /// Closes the connection and fails every call with `status`.
    func fail(_ status: GRPCStatus) {
        guard state != .closed else { return }
        state = .closed
        if fd >= 0 {
            loop.deregister(fd)
            Glibc.close(fd)
            fd = -1
        }
        for call in waiting + Array(calls.values) {
            if let timer = call.timer { loop.cancelTimer(timer) }
            call.complete(.failure(status))
        }
        waiting.removeAll()
        calls.removeAll()
        onClose?(wasReady)
        onClose = nil
    }

    /// Closes gracefully: GOAWAY, then the socket.
    func close() {
        http2.goAway()
        flush()
        fail(GRPCStatus(.unavailable, "the client was closed"))
    }
}
