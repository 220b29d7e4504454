import PawnGRPC
import PawnHPACK
import PawnProtocol

/// Feeds gRPC's server-side rules: the input is `[cut] timeout LF path LF body`. The timeout
/// text goes to `GRPCTimeout.parse` (PawnProtocol) and, with the path, in a request head to
/// `GRPCServerCall.head` (PawnGRPC); the body goes to a `GRPCDeframer` (PawnProtocol) in one
/// piece and in two (cut where the first byte says), and to a `GRPCServerCall` in the same
/// two pieces, the second ending the request. Both texts also go through
/// `GRPCStatus.percentEncode`/`percentDecode` (the `grpc-message` coding).
///
/// Asserted, each a documented rule: a parsed timeout is not negative and survives
/// `format` → `parse` without getting shorter (GRPCServerCallTests.timeouts); a head with a
/// malformed timeout is never a call, and a call carries the parsed timeout; the deframer gives
/// the same messages and the same error however the bytes are split, and its messages framed
/// again are the bytes it consumed; the server call runs exactly when the deframer found one
/// whole message and nothing more, and fails with the deframer's error otherwise (or with
/// INTERNAL as soon as a second whole message arrives, before the deframer's error);
/// `percentDecode` inverts `percentEncode`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = Array(UnsafeRawBufferPointer(start: start, count: count))
    guard let first = input.first else { return 0 }
    let parts = input.dropFirst().split(separator: 0x0A, maxSplits: 2, omittingEmptySubsequences: false)
    let timeout = String(decoding: parts[0], as: UTF8.self)
    let path = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : ""
    let body = parts.count > 2 ? Array(parts[2]) : []
    let cut = body.count * Int(first) / 255

    checkTimeout(timeout, path: path)
    for text in [timeout, path] where GRPCStatus.percentDecode(GRPCStatus.percentEncode(text)) != text {
        fatalError("percentDecode(percentEncode(\(text.debugDescription))) differs")
    }
    checkMessages(body, cut: cut)
    return 0
}

private func checkTimeout(_ text: String, path: String) {
    let parsed = GRPCTimeout.parse(text)
    if let parsed {
        guard parsed >= 0 else { fatalError("grpc-timeout \(text.debugDescription) parsed as \(parsed)") }
        // Past this, format(nanoseconds:) rounding up would overflow (a timeout of 292 years).
        if parsed <= Int64.max - 3_600_000_000_000 {
            let formatted = GRPCTimeout.format(nanoseconds: parsed)
            guard let back = GRPCTimeout.parse(formatted), back >= parsed else {
                fatalError("\(parsed) ns formats as \(formatted), which parses shorter")
            }
        }
    }
    let fields = [
        HeaderField(":method", "POST"), HeaderField(":scheme", "http"), HeaderField(":path", path),
        HeaderField("content-type", "application/grpc"), HeaderField("grpc-timeout", text),
    ]
    let served = GRPCServerCall.head(fields) { service, method in
        service == "pawnshop.v1.Worker" ? method == "FetchItemById" : nil
    }
    if case .call(_, _, _, let nanoseconds) = served, parsed == nil || nanoseconds != parsed {
        fatalError("grpc-timeout \(text.debugDescription) (\(String(describing: parsed))) became \(served)")
    }
}

private func checkMessages(_ body: [UInt8], cut: Int) {
    let maxMessageSize = 1 << 16  // small, so that the limit is reachable
    var whole = GRPCDeframer(maxMessageSize: maxMessageSize)
    var messages: [[UInt8]] = []
    var failure: GRPCDeframer.Failure?
    do {
        messages = try whole.append(body)
    } catch {
        failure = error
    }

    var split = GRPCDeframer(maxMessageSize: maxMessageSize)
    var splitMessages: [[UInt8]] = []
    var splitFailure: GRPCDeframer.Failure?
    do {
        splitMessages += try split.append(Array(body[..<cut]))
        splitMessages += try split.append(Array(body[cut...]))
    } catch {
        splitFailure = error
    }
    guard failure == splitFailure else {
        fatalError("cut at \(cut): \(String(describing: splitFailure)), not \(String(describing: failure))")
    }
    if failure == nil {
        guard splitMessages == messages, split.hasPartialMessage == whole.hasPartialMessage else {
            fatalError("cut at \(cut): other messages than in one piece")
        }
        let framed = messages.flatMap { GRPCFraming.frame($0) }
        guard body.starts(with: framed), whole.hasPartialMessage == (framed.count < body.count) else {
            fatalError("the messages framed again are not the bytes the deframer consumed")
        }
    }

    var call = GRPCServerCall(maxMessageSize: maxMessageSize)
    var action = call.receive(Array(body[..<cut]), endStream: false)
    if action == .none { action = call.receive(Array(body[cut...]), endStream: true) }
    switch (failure, action) {
    case (.some(.tooLarge), .fail(let status)) where status.code == .resourceExhausted: break
    case (.some(.compressed), .fail(let status)) where status.code == .internalError: break
    case (nil, .run(let request)) where messages == [request] && !whole.hasPartialMessage: break
    case (nil, .fail(let status))
    where status.code == .internalError && (messages.count != 1 || whole.hasPartialMessage):
        break
    case (.some, .fail(let status))
    where status.code == .internalError && wholeFrames(body, maxMessageSize: maxMessageSize) >= 2:
        break  // a second message is refused when it arrives, before the bad frame after it
    default:
        fatalError("the server call answered \(action) to \(messages.count) messages and \(failure as Any)")
    }
}

/// How many whole, well-formed messages (flag 0, length within the limit) open `body`.
private func wholeFrames(_ body: [UInt8], maxMessageSize: Int) -> Int {
    var offset = 0
    var count = 0
    while body.count - offset >= 5, body[offset] == 0 {
        let length = body[(offset + 1)..<(offset + 5)].reduce(0) { $0 << 8 | Int($1) }
        guard length <= maxMessageSize, body.count - offset - 5 >= length else { break }
        offset += 5 + length
        count += 1
    }
    return count
}
