import PawnHPACK
import PawnHTTP2
import Testing

/// A client and a server connection wired back to back in memory.
struct Pair {
    var client = HTTP2Connection(role: .client)
    var server = HTTP2Connection(role: .server)

    /// Moves bytes both ways until both are quiet; returns the events each side saw.
    mutating func pump() -> (client: [HTTP2Event], server: [HTTP2Event]) {
        var clientEvents: [HTTP2Event] = []
        var serverEvents: [HTTP2Event] = []
        while client.hasOutput || server.hasOutput {
            let toServer = client.takeOutput()
            if !toServer.isEmpty { serverEvents += server.receive(toServer) }
            let toClient = server.takeOutput()
            if !toClient.isEmpty { clientEvents += client.receive(toClient) }
        }
        return (clientEvents, serverEvents)
    }
}

let request = [
    HeaderField(":method", "POST"), HeaderField(":scheme", "http"),
    HeaderField(":path", "/pawnshop.v1.Worker/FetchItemById"),
    HeaderField(":authority", "localhost"), HeaderField("content-type", "application/grpc"),
    HeaderField("te", "trailers"),
]

/// A frame as raw bytes.
func frame(_ type: UInt8, flags: UInt8 = 0, stream: UInt32, _ payload: [UInt8] = []) -> [UInt8] {
    let length = payload.count
    return [UInt8(length >> 16), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF), type, flags]
        + [
            UInt8(stream >> 24), UInt8((stream >> 16) & 0xFF), UInt8((stream >> 8) & 0xFF),
            UInt8(stream & 0xFF),
        ] + payload
}

/// A server that has read the preface and an empty SETTINGS.
func readyServer(limits: HTTP2AbuseLimits = HTTP2AbuseLimits()) -> HTTP2Connection {
    var server = HTTP2Connection(role: .server, limits: limits)
    _ = server.receive(HTTP2Connection.preface + frame(4, stream: 0))
    _ = server.takeOutput()
    return server
}

func connectionError(_ events: [HTTP2Event]) -> HTTP2ErrorCode? {
    for case .connectionError(let error) in events { return error.code }
    return nil
}

@Suite("HTTP/2 connection")
struct HTTP2ConnectionTests {
    @Test func requestAndResponse() {
        var pair = Pair()
        let id = pair.client.makeStream()!
        pair.client.sendHeaders(id, request, endStream: false)
        pair.client.sendData(id, [1, 2, 3], endStream: true)
        let first = pair.pump()
        #expect(
            first.server == [
                .headers(streamID: 1, fields: request, endStream: false),
                .data(streamID: 1, bytes: [1, 2, 3], endStream: true),
            ])
        pair.server.sendHeaders(id, [HeaderField(":status", "200")], endStream: false)
        pair.server.sendData(id, [9], endStream: false)
        pair.server.sendHeaders(id, [HeaderField("grpc-status", "0")], endStream: true)
        let second = pair.pump()
        #expect(
            second.client == [
                .headers(streamID: 1, fields: [HeaderField(":status", "200")], endStream: false),
                .data(streamID: 1, bytes: [9], endStream: false),
                .headers(streamID: 1, fields: [HeaderField("grpc-status", "0")], endStream: true),
            ])
        #expect(pair.client.activeStreams == 0 && pair.server.activeStreams == 0)
    }

    @Test("a megabyte each way through 64 KiB windows: WINDOW_UPDATE keeps it moving")
    func flowControl() {
        var pair = Pair()
        let id = pair.client.makeStream()!
        let big = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0) }
        pair.client.sendHeaders(id, request, endStream: false)
        pair.client.sendData(id, big, endStream: true)
        let events = pair.pump().server
        let received = events.compactMap { event -> [UInt8]? in
            if case .data(_, let bytes, _) = event { return bytes } else { return nil }
        }
        #expect(received.joined().elementsEqual(big))
        pair.server.sendHeaders(id, [HeaderField(":status", "200")], endStream: false)
        pair.server.sendData(id, big, endStream: true)
        let back = pair.pump().client.compactMap { event -> [UInt8]? in
            if case .data(_, let bytes, _) = event { return bytes } else { return nil }
        }
        #expect(back.joined().elementsEqual(big))
    }

    @Test("a header block larger than a frame goes out as HEADERS + CONTINUATION and comes back whole")
    func continuation() {
        var settings = HTTP2Settings()
        settings.maxHeaderListSize = 64 * 1024
        var pair = Pair(server: HTTP2Connection(role: .server, settings: settings))
        let id = pair.client.makeStream()!
        let large =
            request + (0..<40).map { HeaderField("x-h\($0)", String(repeating: "v\($0)", count: 200)) }
        pair.client.sendHeaders(id, large, endStream: true)
        #expect(pair.pump().server == [.headers(streamID: 1, fields: large, endStream: true)])
    }

    @Test func pingIsAnswered() {
        var pair = Pair()
        _ = pair.pump()
        pair.client.ping(0x0102_0304_0506_0708)
        #expect(pair.pump().client == [.pingAcknowledged(0x0102_0304_0506_0708)])
    }

    @Test("each violation is named: the error case says which rule broke, the GOAWAY carries its text")
    func namedViolations() {
        let cases: [([UInt8], Bool, HTTP2ConnectionError)] = [
            (Array("GET / HTTP/1.1\r\n\r\n".utf8) + [UInt8](repeating: 0, count: 10), false, .invalidPreface),
            (frame(0, stream: 1, [1]), true, .idleStream(.data, streamID: 1)),
            (frame(0, stream: 0, [1]), true, .frameOnStreamZero(.data)),
            (frame(4, stream: 1), true, .connectionFrameOnStream(.settings)),
            (frame(4, stream: 0, [0, 1, 0]), true, .invalidFrameLength(.settings, length: 3)),
            (frame(4, stream: 0, [0, 2, 0, 0, 0, 2]), true, .invalidSetting(name: "SETTINGS_ENABLE_PUSH")),
            (
                frame(4, stream: 0, [0, 4, 0x80, 0, 0, 0]), true,
                .invalidSetting(name: "SETTINGS_INITIAL_WINDOW_SIZE")
            ),
            (frame(6, stream: 0, [0, 0, 0, 0, 0, 0, 0]), true, .invalidFrameLength(.ping, length: 7)),
            (frame(8, stream: 0, [0, 0, 0, 0]), true, .zeroWindowIncrement),
            (frame(8, stream: 0, [0x7F, 0xFF, 0xFF, 0xFF]), true, .windowOverflow(streamID: 0)),
            (frame(3, stream: 5, [0, 0, 0, 8]), true, .idleStream(.rstStream, streamID: 5)),
            (frame(9, flags: 4, stream: 1, [0x82]), true, .continuationWithoutHeaderBlock),
            (frame(5, flags: 4, stream: 1, [0, 0, 0, 2]), true, .pushPromiseRefused),
            (frame(1, flags: 0x0C, stream: 1, [5, 0x82]), true, .paddingTooLong),
        ]
        for (bytes, afterPreface, expected) in cases {
            var server = afterPreface ? readyServer() : HTTP2Connection(role: .server)
            let events = server.receive(bytes)
            #expect(events.contains(.connectionError(expected)), "\(expected): \(events)")
            let goAway = frames(server.takeOutput()).last
            #expect(
                goAway.map { String(decoding: $0.payload.dropFirst(8), as: UTF8.self) }
                    == expected.description)
        }
        #expect(HTTP2ConnectionError.frameOnStreamZero(.rstStream).description == "RST_STREAM on stream 0")
        #expect(HTTP2ConnectionError.resetFlood.code == .enhanceYourCalm)
    }

    @Test(
        "violations get the right error",
        arguments: [
            (
                "bad preface", Array("GET / HTTP/1.1\r\n\r\n".utf8) + [UInt8](repeating: 0, count: 10),
                HTTP2ErrorCode.protocolError, false
            ),
            ("DATA on idle stream", frame(0, stream: 1, [1]), .protocolError, true),
            ("DATA on stream 0", frame(0, stream: 0, [1]), .protocolError, true),
            ("HEADERS on stream 0", frame(1, flags: 4, stream: 0, [0x82]), .protocolError, true),
            ("even stream from a client", frame(1, flags: 4, stream: 2, [0x82]), .protocolError, true),
            ("SETTINGS on a stream", frame(4, stream: 1), .protocolError, true),
            ("SETTINGS of odd length", frame(4, stream: 0, [0, 1, 0]), .frameSizeError, true),
            (
                "SETTINGS ACK with payload", frame(4, flags: 1, stream: 0, [0, 1, 0, 0, 0, 0]),
                .frameSizeError, true
            ),
            ("ENABLE_PUSH 2", frame(4, stream: 0, [0, 2, 0, 0, 0, 2]), .protocolError, true),
            ("window over 2^31-1", frame(4, stream: 0, [0, 4, 0x80, 0, 0, 0]), .flowControlError, true),
            ("frame size under 16384", frame(4, stream: 0, [0, 5, 0, 0, 0x10, 0]), .protocolError, true),
            ("PING of 7 bytes", frame(6, stream: 0, [0, 0, 0, 0, 0, 0, 0]), .frameSizeError, true),
            ("PING on a stream", frame(6, stream: 1, [0, 0, 0, 0, 0, 0, 0, 0]), .protocolError, true),
            ("WINDOW_UPDATE of 0", frame(8, stream: 0, [0, 0, 0, 0]), .protocolError, true),
            (
                "connection window overflow", frame(8, stream: 0, [0x7F, 0xFF, 0xFF, 0xFF]),
                .flowControlError, true
            ),
            ("RST_STREAM on idle stream", frame(3, stream: 5, [0, 0, 0, 8]), .protocolError, true),
            ("CONTINUATION out of nowhere", frame(9, flags: 4, stream: 1, [0x82]), .protocolError, true),
            (
                "PUSH_PROMISE from a client", frame(5, flags: 4, stream: 1, [0, 0, 0, 2]), .protocolError,
                true
            ),
            ("bad HPACK", frame(1, flags: 5, stream: 1, [0x80]), .compressionError, true),
            (
                "oversized frame", [0, 0x40, 0x01, 0, 0, 0, 0, 0, 1] + [UInt8](repeating: 0, count: 16_385),
                .frameSizeError, true
            ),
            (
                "padding longer than the frame", frame(1, flags: 0x0C, stream: 1, [5, 0x82]), .protocolError,
                true
            ),
        ])
    func violations(name: String, bytes: [UInt8], code: HTTP2ErrorCode, afterPreface: Bool) {
        var server = afterPreface ? readyServer() : HTTP2Connection(role: .server)
        let events = server.receive(bytes)
        #expect(connectionError(events) == code, "\(name): \(events)")
        // The last frame written is a GOAWAY carrying the code.
        let last = frames(server.takeOutput()).last
        #expect(
            last?.type == 7 && last.map { Array($0.payload[4..<8]) } == [0, 0, 0, UInt8(code.rawValue)],
            "\(name)")
        #expect(server.isFailed)
    }

    /// The frames in a byte string (after a client preface, if any).
    private func frames(_ bytes: [UInt8]) -> [(type: UInt8, stream: UInt32, payload: [UInt8])] {
        var result: [(type: UInt8, stream: UInt32, payload: [UInt8])] = []
        var index = 0
        while index + 9 <= bytes.count {
            let length = Int(bytes[index]) << 16 | Int(bytes[index + 1]) << 8 | Int(bytes[index + 2])
            let stream =
                UInt32(bytes[index + 5]) << 24 | UInt32(bytes[index + 6]) << 16 | UInt32(bytes[index + 7])
                << 8 | UInt32(bytes[index + 8])
            result.append(
                (bytes[index + 3], stream, Array(bytes[(index + 9)..<min(bytes.count, index + 9 + length)])))
            index += 9 + length
        }
        return result
    }

    @Test("stream errors reset the stream and keep the connection")
    func streamErrors() {
        var server = readyServer()
        var encoder = HPACKEncoder()
        var block: [UInt8] = []
        encoder.encode([HeaderField(":method", "GET"), HeaderField("Upper", "x")], into: &block)
        let events = server.receive(frame(1, flags: 5, stream: 1, block))
        #expect(events == [.streamReset(streamID: 1, code: .protocolError, byPeer: false)])
        #expect(!server.isFailed)
        var good: [UInt8] = []
        encoder.encode(request, into: &good)
        #expect(
            server.receive(frame(1, flags: 5, stream: 3, good)) == [
                .headers(streamID: 3, fields: request, endStream: true)
            ])
        // DATA on a stream whose peer side is closed: STREAM_CLOSED on that stream only.
        #expect(
            server.receive(frame(0, stream: 3, [1])) == [
                .streamReset(streamID: 3, code: .streamClosed, byPeer: false)
            ])
        #expect(!server.isFailed)
    }

    @Test("floods are told to calm down", arguments: [0, 1, 2, 3])
    func floods(kind: Int) {
        var limits = HTTP2AbuseLimits()
        limits.maxResets = 50
        limits.maxEmptyFrames = 50
        limits.maxControlFrames = 50
        limits.maxContinuations = 8
        var server = readyServer(limits: limits)
        var encoder = HPACKEncoder()
        var input: [UInt8] = []
        switch kind {
        case 0:  // rapid reset: open a stream and reset it, over and over
            for index in 0..<60 {
                var block: [UInt8] = []
                encoder.encode(request, into: &block)
                let id = UInt32(2 * index + 1)
                input += frame(1, flags: 4, stream: id, block) + frame(3, stream: id, [0, 0, 0, 8])
            }
        case 1:  // empty DATA frames
            var block: [UInt8] = []
            encoder.encode(request, into: &block)
            input += frame(1, flags: 4, stream: 1, block)
            for _ in 0..<60 { input += frame(0, stream: 1) }
        case 2:  // PING flood
            for _ in 0..<60 { input += frame(6, stream: 0, [UInt8](repeating: 0, count: 8)) }
        default:  // a header block that never ends
            input += frame(1, stream: 1, [0x82])
            for _ in 0..<20 { input += frame(9, stream: 1, [0x82]) }
        }
        #expect(connectionError(server.receive(input)) == .enhanceYourCalm)
    }

    @Test func tooManyStreamsAreRefused() {
        var settings = HTTP2Settings()
        settings.maxConcurrentStreams = 2
        var server = HTTP2Connection(role: .server, settings: settings)
        _ = server.receive(HTTP2Connection.preface + frame(4, stream: 0))
        var encoder = HPACKEncoder()
        var events: [HTTP2Event] = []
        for id in [1, 3, 5] as [UInt32] {
            var block: [UInt8] = []
            encoder.encode(request, into: &block)
            events += server.receive(frame(1, flags: 4, stream: id, block))
        }
        #expect(events.count == 2)
        let output = server.takeOutput()
        // RST_STREAM(REFUSED_STREAM) for stream 5 is the last frame.
        #expect(Array(output.suffix(13)) == frame(3, stream: 5, [0, 0, 0, 7]))
    }

    @Test func goAwayStopsNewStreams() {
        var pair = Pair()
        _ = pair.pump()
        pair.server.goAway()
        let events = pair.pump().client
        #expect(events == [.goAway(lastStreamID: 0, code: .noError, debug: "")])
        #expect(pair.client.makeStream() == nil)
    }
}
