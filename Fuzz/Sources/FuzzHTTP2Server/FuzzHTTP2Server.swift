import PawnHPACK
import PawnHTTP2

/// Feeds a server-role `HTTP2Connection` (PawnHTTP2: frames, stream states, flow control,
/// SETTINGS, CONTINUATION, HPACK, abuse limits) the client preface followed by the input as
/// frames, in two `receive` calls (the input cut in half, so that frames are split too), and
/// drains what it writes after each. It answers like a server: a stream whose request ended
/// gets response headers, some data and trailers; a stream whose id is a multiple of 3 is
/// answered as soon as its headers arrive, with `stopReceiving` (an early answer).
///
/// Protocol errors are expected (they are events, not throws). Asserted: a `connectionError`
/// event leaves the connection failed, and a failed connection ignores further input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = Array(UnsafeRawBufferPointer(start: start, count: count))
    var server = HTTP2Connection(role: .server)
    _ = server.takeOutput()
    let half = input.count / 2
    let pieces: [[UInt8]] = [HTTP2Connection.preface + Array(input[..<half]), Array(input[half...])]
    for piece in pieces {
        let wasFailed = server.isFailed
        let events = server.receive(piece)
        if wasFailed && !events.isEmpty { fatalError("a failed connection still reports events: \(events)") }
        for event in events {
            switch event {
            case .headers(let id, _, true), .data(let id, _, true):
                answer(&server, id)
            case .headers(let id, _, false) where id % 3 == 0:
                server.stopReceiving(id)
                answer(&server, id)
            case .connectionError(let error):
                if !server.isFailed { fatalError("\(error) left the connection running") }
            default:
                break
            }
        }
        _ = server.takeOutput()
    }
    return 0
}

/// A gRPC-shaped answer: headers, a kilobyte of data (flow control permitting), trailers.
private func answer(_ server: inout HTTP2Connection, _ id: UInt32) {
    let head = [HeaderField(":status", "200"), HeaderField("content-type", "application/grpc")]
    server.sendHeaders(id, head, endStream: false)
    server.sendData(id, Array(repeating: 0x61, count: 1024), endStream: false)
    server.sendHeaders(id, [HeaderField("grpc-status", "0")], endStream: true)
}
