import Glibc
import PawnHPACK
import PawnHTTP2
import PawnIO
import PawnLog
import PawnProtocol
import PawnTrace

/// One HTTP/2 connection of a ``GRPCServer``: frames in, calls dispatched to services,
/// responses (headers, messages, trailers) out, deadlines and cancellation enforced.
final class GRPCServerConnection: ServerConnection, @unchecked Sendable {
    // @unchecked Sendable: every method runs on `listener.loop`'s thread; handler tasks
    // prefer that loop, and `finish` hops to it if ever called elsewhere.
    private let fd: Int32
    private unowned let listener: ListenerLoop
    private let server: GRPCServer
    private var http2: HTTP2Connection
    private var output = ConnectionOutput()
    private var calls: [UInt32: Call] = [:]
    private var closed = false
    private var closeWhenIdle = false
    /// A flush is waiting for the end of the loop's round.
    private var flushPending = false
    private let accepted = MonotonicClock.now()

    /// One call: its rules (``GRPCServerCall``) and what the connection holds for it; like
    /// the connection, touched only on the loop's thread.
    private final class Call: @unchecked Sendable {
        let streamID: UInt32
        var rules: GRPCServerCall
        var service: (any GRPCService)?
        var method = ""
        /// The request's `:path` (`/pawnshop.v1.Worker/Fetch`), for the access log.
        var path = ""
        /// Request and answer bytes (gRPC messages with their framing), for the access log.
        var bytesIn = 0
        var bytesOut = 0
        var metadata: [HeaderField] = []
        var deadline: ContinuousClock.Instant?
        var timer: UInt64?
        var task: Task<Void, Never>?
        /// When its headers arrived (the loop's clock, for the request timeout).
        let began = MonotonicClock.now()

        init(streamID: UInt32, maxMessageSize: Int) {
            self.streamID = streamID
            rules = GRPCServerCall(maxMessageSize: maxMessageSize)
        }
    }

    init(fd: Int32, listener: ListenerLoop, server: GRPCServer) {
        self.fd = fd
        self.listener = listener
        self.server = server
        http2 = HTTP2Connection(
            role: .server, settings: server.configuration.http2, limits: server.configuration.abuseLimits)
        flush()
    }

    // MARK: - Reading

    func readable() {
        guard !closed else { return }
        var events: [HTTP2Event] = []
        let peerClosed = Socket.readAvailable(fd, buffer: &listener.readBuffer) {
            events += http2.receive(Array($0))
        }
        for event in events { handle(event) }
        flush()
        if peerClosed || http2.isFailed { close() }
    }

    private func handle(_ event: HTTP2Event) {
        switch event {
        case .headers(let streamID, let fields, let endStream):
            if let call = calls[streamID] {
                // Trailers from the client end its half of the call.
                if endStream { perform(call.rules.endOfRequest(), call) }
            } else {
                begin(streamID, fields, endStream: endStream)
            }
        case .data(let streamID, let bytes, let endStream):
            guard let call = calls[streamID] else { return }
            call.bytesIn += bytes.count
            perform(call.rules.receive(bytes, endStream: endStream), call)
        case .streamReset(let streamID, _, _):
            if let call = calls.removeValue(forKey: streamID) {
                cancel(call)
                logAccess(call, GRPCStatus(.cancelled, "reset by the client"))
            }
        case .goAway, .pingAcknowledged:
            break
        case .connectionError:
            for call in calls.values { cancel(call) }
            calls.removeAll()
        }
    }

    private func begin(_ streamID: UInt32, _ fields: [HeaderField], endStream: Bool) {
        let call = Call(streamID: streamID, maxMessageSize: server.configuration.maxReceiveMessageSize)
        calls[streamID] = call
        call.path = fields.first { $0.name == ":path" }?.value ?? ""
        let services = server.services
        switch GRPCServerCall.head(
            fields, serves: { name, method in services[name].map { $0.methods.contains(method) } })
        {
        case .notGRPC:
            // Not gRPC at all: an HTTP answer (gRPC's PROTOCOL-HTTP2.md).
            _ = call.rules.answer()
            http2.sendHeaders(streamID, [HeaderField(":status", "415")], endStream: true)
            finishStream(call, GRPCStatus(.internalError, "not a gRPC request: answered HTTP 415"))
        case .refused(let status):
            fail(call, status)
        case .call(let service, let method, let metadata, let timeout):
            call.service = services[service]
            call.method = method
            call.metadata = metadata
            if let timeout {
                call.deadline = ContinuousClock.now + .nanoseconds(timeout)
                call.timer = listener.loop.schedule(after: .nanoseconds(timeout)) { [self] in
                    guard calls[streamID] === call, !call.rules.isAnswered else { return }
                    fail(
                        call,
                        GRPCStatus(
                            .deadlineExceeded,
                            "the deadline of \(GRPCTimeout.format(nanoseconds: timeout)) passed"))
                    cancel(call)
                    flush()
                }
            }
            if endStream { perform(call.rules.endOfRequest(), call) }
        }
    }

    private func perform(_ action: GRPCServerCall.Action, _ call: Call) {
        switch action {
        case .none: break
        case .fail(let status): answerFailure(call, status)
        case .run(let request): run(call, request)
        }
    }

    /// The client sent its one message: run the handler.
    private func run(_ call: Call, _ request: [UInt8]) {
        guard call.task == nil, let service = call.service else { return }
        let context = GRPCContext(metadata: call.metadata, deadline: call.deadline)
        let method = call.method
        call.task = Task(executorPreference: listener.loop) { [self] in
            let result = await service.call(method, request: request, context: context)
            finish(call, result)
        }
    }

    // MARK: - Answering

    private func finish(_ call: Call, _ result: GRPCResult) {
        guard listener.loop.inLoop else {
            listener.loop.execute { self.finish(call, result) }
            return
        }
        guard !closed, calls[call.streamID] === call, call.rules.answer() else { return }
        if result.messages.isEmpty {
            http2.sendHeaders(
                call.streamID, GRPCServerCall.trailersOnly(result.status, result.trailers), endStream: true)
        } else {
            http2.sendHeaders(call.streamID, GRPCServerCall.responseHeaders, endStream: false)
            for message in result.messages {
                let framed = GRPCFraming.frame(message)
                call.bytesOut += framed.count
                http2.sendData(call.streamID, framed, endStream: false)
            }
            http2.sendHeaders(
                call.streamID, GRPCServerCall.trailers(result.status, result.trailers), endStream: true)
        }
        finishStream(call, result.status)
        flushAtEndOfRound()
    }

    /// Writes at the end of the loop's round: the answers finished in one round leave in one
    /// system call.
    private func flushAtEndOfRound() {
        guard !flushPending else { return }
        flushPending = true
        listener.loop.atEndOfRound { [self] in
            flushPending = false
            flush()
        }
    }

    /// Answers with an error status at once (trailers-only), whatever the client still sends.
    private func fail(_ call: Call, _ status: GRPCStatus) {
        guard call.rules.answer() else { return }
        answerFailure(call, status)
    }

    /// Sends the trailers-only answer of a call whose rules already count it answered.
    private func answerFailure(_ call: Call, _ status: GRPCStatus) {
        http2.sendHeaders(call.streamID, GRPCServerCall.trailersOnly(status), endStream: true)
        finishStream(call, status)
    }

    private func finishStream(_ call: Call, _ status: GRPCStatus) {
        logAccess(call, status)
        if let timer = call.timer { listener.loop.cancelTimer(timer) }
        calls[call.streamID] = nil
        // The client may still be sending: once our answer is out, tell it to stop.
        http2.stopReceiving(call.streamID)
    }

    private static let accessLogger = Logger(["component": "grpc"])

    /// The call's access line, when the log's `Log.accessLog` (PawnLog) is on.
    private func logAccess(_ call: Call, _ status: GRPCStatus) {
        guard Log.accessLog else { return }
        let nanoseconds = MonotonicClock.now() &- call.began
        var logger = Self.accessLogger
        if status.code != .ok { logger = logger.with("grpc.message", .string(status.message)) }
        let traceparent = call.metadata.first { $0.name == TraceContext.traceparentName }?.value
        if let trace = TraceContext(traceparent: traceparent) {
            logger = logger.with("trace_id", .string(trace.traceID.hex))
        }
        logger.info(
            "grpc call",
            [
                "rpc.system": "grpc", "rpc.method": .string(call.path),
                "rpc.grpc.status_code": .int(status.code.rawValue),
                "duration_ms": .double(Double(nanoseconds) / 1_000_000),
                "bytes_in": .int(call.bytesIn), "bytes_out": .int(call.bytesOut),
            ])
    }

    private func cancel(_ call: Call) {
        call.task?.cancel()
        if let timer = call.timer { listener.loop.cancelTimer(timer) }
    }

    // MARK: - Writing and closing

    func writable() { flush() }

    private func flush() {
        guard !closed else { return }
        if http2.hasOutput { output.append(http2.takeOutput()) }
        switch output.flush(fd, on: listener.loop, readable: true) {
        case .drained: if http2.isFailed || (closeWhenIdle && calls.isEmpty) { close() }
        case .blocked: break
        case .failed:
            close()
        }
    }

    func tick(now: UInt64) {
        guard !closed else { return }
        let configuration = server.configuration
        if !http2.peerStarted {
            // Not a client that speaks HTTP/2 (or one that stalled before its first frame).
            if now &- accepted > configuration.prefaceTimeout.nanoseconds { close() }
            return
        }
        let limit = configuration.requestTimeout.nanoseconds
        var late: [Call] = []
        for call in calls.values where call.task == nil && !call.rules.isAnswered && now &- call.began > limit
        {
            late.append(call)
        }
        guard !late.isEmpty else { return }
        for call in late {
            fail(
                call,
                GRPCStatus(.cancelled, "the request did not arrive within \(configuration.requestTimeout)"))
        }
        flush()
    }

    func drain() {
        http2.goAway()
        closeWhenIdle = true
        flush()
    }

    func close() {
        guard !closed else { return }
        closed = true
        for call in calls.values { cancel(call) }
        calls.removeAll()
        listener.loop.deregister(fd)
        Glibc.close(fd)
        listener.connectionClosed(fd)
    }
}
