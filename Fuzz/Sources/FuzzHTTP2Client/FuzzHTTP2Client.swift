import PawnHPACK
import PawnHTTP2

/// Feeds a client-role `HTTP2Connection` (PawnHTTP2) the input as the server's bytes
/// (its SETTINGS, then anything), after the client has sent its preface and a gRPC request
/// on stream 1: in two `receive` calls (the input cut in half) and with the output drained
/// after each, as the gRPC client's connection does. Responses, resets, GOAWAY, PING,
/// SETTINGS and WINDOW_UPDATE all reach a stream the client really opened.
///
/// Protocol errors are expected (they are events, not throws). Asserted: a `connectionError`
/// event leaves the connection failed, and a failed connection ignores further input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = Array(UnsafeRawBufferPointer(start: start, count: count))
    var client = HTTP2Connection(role: .client)
    if let id = client.makeStream() {
        let request = [
            HeaderField(":method", "POST"), HeaderField(":scheme", "http"),
            HeaderField(":path", "/pawnshop.v1.Worker/FetchItemById"), HeaderField(":authority", "worker"),
            HeaderField("content-type", "application/grpc"), HeaderField("te", "trailers"),
        ]
        client.sendHeaders(id, request, endStream: false)
        client.sendData(id, [0, 0, 0, 0, 2, 0x0A, 0x00], endStream: true)
    }
    _ = client.takeOutput()
    let half = input.count / 2
    for piece in [Array(input[..<half]), Array(input[half...])] {
        let wasFailed = client.isFailed
        let events = client.receive(piece)
        if wasFailed && !events.isEmpty { fatalError("a failed connection still reports events: \(events)") }
        for case .connectionError(let error) in events where !client.isFailed {
            fatalError("\(error) left the connection running")
        }
        _ = client.takeOutput()
    }
    return 0
}
