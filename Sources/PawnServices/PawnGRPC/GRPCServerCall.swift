import PawnHPACK
import PawnProtocol

/// The rules of one unary call on the server side, without sockets, clocks or tasks: the
/// request head (`:method`, `content-type`, `:path`, `grpc-timeout`), the one-message rule,
/// and the response's headers and trailers (gRPC's PROTOCOL-HTTP2.md). The connection
/// feeds it what HTTP/2 delivers and does what it answers.
public struct GRPCServerCall: Sendable {
    /// Where the call is.
    public enum State: Sendable {
        /// Request messages are arriving.
        case receiving(GRPCDeframer, messages: [[UInt8]])
        /// The client finished sending; the handler runs with the one request message.
        case running
        /// The answer was sent (or the call failed); anything more from the client is ignored.
        case answered
    }

    /// What a request head asks for.
    public enum Head: Sendable, Equatable {
        /// A call of `method` of `service`, with the caller's custom metadata and deadline.
        case call(service: String, method: String, metadata: [HeaderField], timeoutNanoseconds: Int64?)
        /// Not gRPC at all (another content type): an HTTP 415 answer, no gRPC status.
        case notGRPC
        /// A gRPC request that cannot be served: answer trailers-only with this status.
        case refused(GRPCStatus)
    }

    /// What the connection does next.
    public enum Action: Sendable, Equatable {
        /// Nothing yet.
        case none
        /// Run the handler with this request message.
        case run(request: [UInt8])
        /// Answer trailers-only with this status.
        case fail(GRPCStatus)
    }

    /// Where the call is now.
    public private(set) var state: State

    /// A call whose request messages may be at most `maxMessageSize` bytes.
    public init(maxMessageSize: Int) {
        state = .receiving(GRPCDeframer(maxMessageSize: maxMessageSize), messages: [])
    }

    /// Reads a request head; `serves(service, method)` says whether the server has them:
    /// `nil` for no such service, `false` for a service without that method.
    public static func head(_ fields: [HeaderField], serves: (String, String) -> Bool?) -> Head {
        var method = ""
        var path = ""
        var contentType = ""
        var timeout: String?
        var metadata: [HeaderField] = []
        for field in fields {
            switch field.name {
            case ":method": method = field.value
            case ":path": path = field.value
            case "content-type": contentType = field.value
            case "grpc-timeout": timeout = field.value
            default: if !field.name.hasPrefix(":") { metadata.append(field) }
            }
        }
        guard
            contentType == "application/grpc" || contentType.hasPrefix("application/grpc+")
                || contentType.hasPrefix("application/grpc;")
        else { return .notGRPC }
        guard method == "POST" else {
            return .refused(GRPCStatus(.internalError, "gRPC calls use POST, not \(method)"))
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].isEmpty, let known = serves(String(parts[1]), String(parts[2]))
        else {
            return .refused(GRPCStatus(.unimplemented, "unknown service in \(path)"))
        }
        guard known else {
            return .refused(GRPCStatus(.unimplemented, "unknown method \(parts[2]) of \(parts[1])"))
        }
        var nanoseconds: Int64?
        if let timeout {
            guard let parsed = GRPCTimeout.parse(timeout) else {
                return .refused(GRPCStatus(.internalError, "malformed grpc-timeout '\(timeout)'"))
            }
            nanoseconds = parsed
        }
        return .call(
            service: String(parts[1]), method: String(parts[2]), metadata: metadata,
            timeoutNanoseconds: nanoseconds)
    }

    /// Request bytes from a DATA frame; `endStream` when the client is done sending.
    public mutating func receive(_ bytes: [UInt8], endStream: Bool) -> Action {
        guard case .receiving(var deframer, var messages) = state else { return .none }
        do {
            messages += try deframer.append(bytes)
        } catch .tooLarge(let length, let limit) {
            return fail(
                GRPCStatus(
                    .resourceExhausted, "request message of \(length) bytes exceeds the limit of \(limit)"))
        } catch {
            return fail(GRPCStatus(.internalError, "compressed messages are not supported"))
        }
        // A unary call takes one message: a second one is refused at once, not buffered until
        // the client ends the stream (a peer could send messages for ever), so a call never
        // holds more than one message and one partial message.
        guard messages.count <= 1 else {
            return fail(
                GRPCStatus(.internalError, "a unary call needs exactly one request message, got a second"))
        }
        state = .receiving(deframer, messages: messages)
        return endStream ? endOfRequest() : .none
    }

    /// The client ended its half of the call (END_STREAM on its headers or trailers).
    public mutating func endOfRequest() -> Action {
        guard case .receiving(let deframer, let messages) = state else { return .none }
        guard messages.count == 1, !deframer.hasPartialMessage else {
            return fail(
                GRPCStatus(
                    .internalError, "a unary call needs exactly one request message, got \(messages.count)"))
        }
        state = .running
        return .run(request: messages[0])
    }

    /// The answer is going out: nothing the client sends matters any more. Returns `false`
    /// when the call was already answered (an answer must be sent once).
    public mutating func answer() -> Bool {
        if case .answered = state { return false }
        state = .answered
        return true
    }

    /// Whether the answer was sent.
    public var isAnswered: Bool {
        if case .answered = state { return true }
        return false
    }

    private mutating func fail(_ status: GRPCStatus) -> Action {
        state = .answered
        return .fail(status)
    }

    // MARK: - The answer's headers

    /// The response headers before messages.
    public static let responseHeaders = [
        HeaderField(":status", "200"), HeaderField("content-type", "application/grpc"),
    ]

    /// The trailers that end a call with `status` (its message percent-encoded), then `extra`.
    public static func trailers(_ status: GRPCStatus, _ extra: [HeaderField] = []) -> [HeaderField] {
        var fields = [HeaderField("grpc-status", String(status.code.rawValue))]
        if !status.message.isEmpty {
            fields.append(HeaderField("grpc-message", GRPCStatus.percentEncode(status.message)))
        }
        return fields + extra
    }

    /// A whole answer in one HEADERS frame, for a call that ends without a message.
    public static func trailersOnly(_ status: GRPCStatus, _ extra: [HeaderField] = []) -> [HeaderField] {
        responseHeaders + trailers(status, extra)
    }
}
