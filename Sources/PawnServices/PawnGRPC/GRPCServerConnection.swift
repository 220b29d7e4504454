import Glibc
import PawnHPACK
import PawnHTTP2
import PawnIO
import PawnProtocol

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

    /// One call's state; like the connection, touched only on the loop's thread.
    private final class Call: @unchecked Sendable {
        let streamID: UInt32
        var service: (any GRPCService)?
        var method = ""
        var metadata: [HeaderField] = []
        var deframer: GRPCDeframer
        var messages: [[UInt8]] = []
        var deadline: ContinuousClock.Instant?
        var timer: UInt64?
        var task: Task<Void, Never>?
        var answered = false

        init(streamID: UInt32, maxMessageSize: Int) {
            self.streamID = streamID
            deframer = GRPCDeframer(maxMessageSize: maxMessageSize)
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
                if endStream { requestComplete(call) }
            } else {
                begin(streamID, fields, endStream: endStream)
            }
        case .data(let streamID, let bytes, let endStream):
            guard let call = calls[streamID], !call.answered else { return }
            do {
                call.messages += try call.deframer.append(bytes)
            } catch .tooLarge(let length, let limit) {
                fail(
                    call,
                    GRPCStatus(
                        .resourceExhausted, "request message of \(length) bytes exceeds the limit of \(limit)"
                    ))
                return
            } catch {
                fail(call, GRPCStatus(.internalError, "compressed messages are not supported"))
                return
            }
            if endStream { requestComplete(call) }
        case .streamReset(let streamID, _, _):
            if let call = calls.removeValue(forKey: streamID) { cancel(call) }
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
        var method = ""
        var path = ""
        var contentType = ""
        var timeout: String?
        for field in fields {
            switch field.name {
            case ":method": method = field.value
            case ":path": path = field.value
            case "content-type": contentType = field.value
            case "grpc-timeout": timeout = field.value
            default: if !field.name.hasPrefix(":") { call.metadata.append(field) }
            }
        }
        guard
            contentType == "application/grpc" || contentType.hasPrefix("application/grpc+")
                || contentType.hasPrefix("application/grpc;")
        else {
            // Not gRPC at all: an HTTP answer (gRPC's PROTOCOL-HTTP2.md).
            call.answered = true
            http2.sendHeaders(streamID, [HeaderField(":status", "415")], endStream: true)
            finishStream(call)
            return
        }
        guard method == "POST" else {
            fail(call, GRPCStatus(.internalError, "gRPC calls use POST, not \(method)"))
            return
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].isEmpty, let service = server.services[String(parts[1])] else {
            fail(call, GRPCStatus(.unimplemented, "unknown service in \(path)"))
            return
        }
        guard service.methods.contains(String(parts[2])) else {
            fail(call, GRPCStatus(.unimplemented, "unknown method \(parts[2]) of \(parts[1])"))
            return
        }
        call.service = service
        call.method = String(parts[2])
        if let timeout {
            guard let nanos = GRPCTimeout.parse(timeout) else {
                fail(call, GRPCStatus(.internalError, "malformed grpc-timeout '\(timeout)'"))
                return
            }
            call.deadline = ContinuousClock.now + .nanoseconds(nanos)
            call.timer = listener.loop.schedule(after: .nanoseconds(nanos)) { [self] in
                guard calls[streamID] === call, !call.answered else { return }
                fail(call, GRPCStatus(.deadlineExceeded, "the deadline of \(timeout) passed"))
                cancel(call)
                flush()
            }
        }
        if endStream { requestComplete(call) }
    }

    /// The client sent its last message: run the handler.
    private func requestComplete(_ call: Call) {
        guard !call.answered, call.task == nil, let service = call.service else { return }
        guard call.messages.count == 1, !call.deframer.hasPartialMessage else {
            fail(
                call,
                GRPCStatus(
                    .internalError,
                    "a unary call needs exactly one request message, got \(call.messages.count)"))
            return
        }
        let request = call.messages[0]
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
        guard !closed, calls[call.streamID] === call, !call.answered else { return }
        call.answered = true
        if result.messages.isEmpty {
            http2.sendHeaders(call.streamID, trailersOnly(result.status, result.trailers), endStream: true)
        } else {
            http2.sendHeaders(
                call.streamID,
                [HeaderField(":status", "200"), HeaderField("content-type", "application/grpc")],
                endStream: false)
            for message in result.messages {
                http2.sendData(call.streamID, GRPCFraming.frame(message), endStream: false)
            }
            http2.sendHeaders(call.streamID, trailers(result.status, result.trailers), endStream: true)
        }
        finishStream(call)
        flush()
    }

    /// Answers with an error status at once (trailers-only), whatever the client still sends.
    private func fail(_ call: Call, _ status: GRPCStatus) {
        guard !call.answered else { return }
        call.answered = true
        http2.sendHeaders(call.streamID, trailersOnly(status, []), endStream: true)
        finishStream(call)
    }

    private func finishStream(_ call: Call) {
        if let timer = call.timer { listener.loop.cancelTimer(timer) }
        calls[call.streamID] = nil
        // The client may still be sending: once our answer is out, tell it to stop.
        http2.stopReceiving(call.streamID)
    }

    private func cancel(_ call: Call) {
        call.task?.cancel()
        if let timer = call.timer { listener.loop.cancelTimer(timer) }
    }

    private func trailers(_ status: GRPCStatus, _ extra: [HeaderField]) -> [HeaderField] {
        var fields = [HeaderField("grpc-status", String(status.code.rawValue))]
        if !status.message.isEmpty {
            fields.append(HeaderField("grpc-message", GRPCStatus.percentEncode(status.message)))
        }
        return fields + extra
    }

    private func trailersOnly(_ status: GRPCStatus, _ extra: [HeaderField]) -> [HeaderField] {
        [HeaderField(":status", "200"), HeaderField("content-type", "application/grpc")]
            + trailers(status, extra)
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

    func tick(now: UInt64) {}

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
