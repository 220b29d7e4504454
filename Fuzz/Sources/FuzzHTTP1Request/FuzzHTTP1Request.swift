import PawnHTTP1

/// Feeds `HTTP1RequestParser` (PawnHTTP1: request line, header fields, Content-Length and
/// chunked bodies, trailers) the input after its first byte twice: in one piece, and split
/// in two at a point the first byte chooses (0 = before everything, 255 = after), so that
/// the incremental paths (a head, a chunk-size line or a body cut anywhere) run too.
///
/// Errors are expected and ignored. When both runs end without an error they must have
/// produced the same requests: however the bytes are split, pipelined requests come out the
/// same (HTTP1ParserTests.pipelined asserts this for valid input). Nothing is asserted when
/// either run fails: refusals at the limits may depend on where the bytes were cut.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = Array(UnsafeRawBufferPointer(start: start, count: count))
    guard let first = input.first else { return 0 }
    let bytes = Array(input.dropFirst())
    let cut = bytes.count * Int(first) / 255
    let whole = parse([bytes])
    let split = parse([Array(bytes[..<cut]), Array(bytes[cut...])])
    if !whole.failed && !split.failed {
        guard whole.requests.count == split.requests.count,
            zip(whole.requests, split.requests).allSatisfy({ same($0, $1) })
        else {
            fatalError("split at \(cut) of \(bytes.count): different requests than in one piece")
        }
    }
    return 0
}

/// The requests one parser makes of `pieces` fed in order, and whether it stopped at an error.
/// Its limits are small, so that the 413 and 431 paths are reachable with short inputs.
private func parse(_ pieces: [[UInt8]]) -> (requests: [HTTPRequest], failed: Bool) {
    let limits = HTTP1Limits(
        maxHeaderBytes: 1024, maxHeaderCount: 16, maxBodyBytes: 4096, maxChunkLineBytes: 64)
    var parser = HTTP1RequestParser(limits: limits)
    var requests: [HTTPRequest] = []
    for piece in pieces {
        parser.append(piece)
        do {
            while let event = try parser.next() {
                if case .request(let request) = event { requests.append(request) }
            }
        } catch {
            return (requests, true)
        }
    }
    return (requests, false)
}

/// Field-by-field equality (`HTTPRequest` is not `Equatable`: its query is a tuple array).
private func same(_ a: HTTPRequest, _ b: HTTPRequest) -> Bool {
    a.method == b.method && a.target == b.target && a.path == b.path && a.version == b.version
        && a.headers == b.headers && a.body == b.body && a.keepAlive == b.keepAlive
        && a.query.count == b.query.count
        && zip(a.query, b.query).allSatisfy { $0.name == $1.name && $0.value == $1.value }
}
