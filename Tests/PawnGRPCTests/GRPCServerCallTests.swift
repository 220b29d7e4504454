import PawnGRPC
import PawnHPACK
import PawnProtocol
import PawnTestSupport
import Testing

/// The server call's rules without a connection: heads, messages, trailers.
@Suite("gRPC server call (sans-I/O)")
struct GRPCServerCallTests {
    let known: (String, String) -> Bool? = { service, method in
        service == "pawnshop.v1.Worker" ? ["FetchItemById"].contains(method) : nil
    }

    func head(_ extra: [(String, String)] = [], path: String = "/pawnshop.v1.Worker/FetchItemById")
        -> [HeaderField]
    {
        [
            HeaderField(":method", "POST"), HeaderField(":scheme", "http"), HeaderField(":path", path),
            HeaderField(":authority", "w"), HeaderField("content-type", "application/grpc"),
        ] + extra.map { HeaderField($0.0, $0.1) }
    }

    func refusal(_ fields: [HeaderField]) -> GRPCStatus? {
        if case .refused(let status) = GRPCServerCall.head(fields, serves: known) { return status }
        return nil
    }

    @Test("a valid head names the service and method, keeps custom metadata, and parses grpc-timeout")
    func validHead() {
        let parsed = GRPCServerCall.head(
            head([("grpc-timeout", "250m"), ("x-client", "test")]), serves: known)
        #expect(
            parsed
                == .call(
                    service: "pawnshop.v1.Worker", method: "FetchItemById",
                    metadata: [HeaderField("x-client", "test")], timeoutNanoseconds: 250_000_000))
        guard case .call(_, _, let metadata, let timeout) = GRPCServerCall.head(head(), serves: known) else {
            return unexpected("not a call")
        }
        #expect(metadata.isEmpty && timeout == nil)
    }

    @Test(
        "content types: application/grpc and its +proto and ;params forms are gRPC, anything else is HTTP 415"
    )
    func contentTypes() {
        for type in ["application/grpc+proto", "application/grpc;charset=utf-8"] {
            var fields = head()
            fields[4] = HeaderField("content-type", type)
            #expect(refusal(fields) == nil, "\(type)")
        }
        for type in ["application/json", "text/plain", ""] {
            var fields = head()
            fields[4] = HeaderField("content-type", type)
            #expect(GRPCServerCall.head(fields, serves: known) == .notGRPC, "\(type)")
        }
    }

    @Test("a wrong method, path, service, method name or timeout is refused with the right status")
    func refusals() {
        var get = head()
        get[0] = HeaderField(":method", "GET")
        #expect(refusal(get)?.code == .internalError)
        #expect(refusal(head(path: "/pawnshop.v1.Nope/FetchItemById"))?.code == .unimplemented)
        #expect(refusal(head(path: "/pawnshop.v1.Worker/Nope"))?.code == .unimplemented)
        #expect(refusal(head(path: "pawnshop.v1.Worker/FetchItemById"))?.code == .unimplemented)
        #expect(refusal(head(path: "/pawnshop.v1.Worker/FetchItemById/x"))?.code == .unimplemented)
        for bad in ["", "5", "S", "123456789S", "-1S", "1x", "1.5S"] {
            #expect(refusal(head([("grpc-timeout", bad)]))?.code == .internalError, "grpc-timeout '\(bad)'")
        }
    }

    @Test("grpc-timeout units and the 8-digit limit")
    func timeouts() {
        #expect(GRPCTimeout.parse("1H") == 3_600_000_000_000)
        #expect(GRPCTimeout.parse("2M") == 120_000_000_000)
        #expect(GRPCTimeout.parse("3S") == 3_000_000_000)
        #expect(GRPCTimeout.parse("4m") == 4_000_000)
        #expect(GRPCTimeout.parse("5u") == 5_000)
        #expect(GRPCTimeout.parse("6n") == 6)
        #expect(GRPCTimeout.parse("99999999H") == .max, "an 8-digit hour count overflows Int64: it saturates")
        #expect(GRPCTimeout.parse("999999999H") == nil)
        // A client's 99999999H saturates to Int64.max; formatting it (the deadline's message)
        // trapped on `+ scale - 1`.
        for nanos: Int64 in [
            0, 1, 999, 1_000, 123_456_789, 99_999_999_000, 3_600_000_000_000 * 50, .max - 1, .max,
        ] {
            let text = GRPCTimeout.format(nanoseconds: nanos)
            let back = GRPCTimeout.parse(text)!
            #expect(back >= nanos, "\(nanos) → \(text) → \(back) is shorter")
        }
    }

    @Test("one message, then the end of the request, runs the handler with it; split frames are joined")
    func oneMessage() {
        var call = GRPCServerCall(maxMessageSize: 1024)
        let framed = GRPCFraming.frame([1, 2, 3])
        #expect(call.receive(Array(framed[0..<2]), endStream: false) == .none)
        #expect(call.receive(Array(framed[2...]), endStream: false) == .none)
        #expect(call.endOfRequest() == .run(request: [1, 2, 3]))
        #expect(call.receive(framed, endStream: true) == .none, "bytes after the request counted")
        let first = call.answer()
        let second = call.answer()
        #expect(first)
        #expect(!second, "a call answered twice")
    }

    @Test("no message, two messages, or a partial message at the end are INTERNAL")
    func wrongMessageCounts() {
        var empty = GRPCServerCall(maxMessageSize: 1024)
        guard case .fail(let none) = empty.endOfRequest() else { return unexpected("no message ran") }
        #expect(none.code == .internalError)
        #expect(empty.isAnswered)

        var two = GRPCServerCall(maxMessageSize: 1024)
        let both = GRPCFraming.frame([1]) + GRPCFraming.frame([2])
        guard case .fail(let status) = two.receive(both, endStream: true) else {
            return unexpected("two ran")
        }
        #expect(status.code == .internalError)

        var partial = GRPCServerCall(maxMessageSize: 1024)
        let framed = GRPCFraming.frame([1, 2, 3]) + GRPCFraming.frame([4, 5])
        guard case .fail = partial.receive(Array(framed.dropLast()), endStream: true) else {
            return unexpected("a partial second message ran")
        }
    }

    @Test("a second message is refused when it arrives, without waiting for the end of the stream")
    func aSecondMessageFailsAtOnce() {
        // The attack: 1 KiB messages for ever, END_STREAM never sent.
        var call = GRPCServerCall(maxMessageSize: 4096)
        let message = GRPCFraming.frame([UInt8](repeating: 7, count: 1024))
        #expect(call.receive(message, endStream: false) == .none)
        guard case .fail(let status) = call.receive(message, endStream: false) else {
            return unexpected("a second message was buffered")
        }
        #expect(status.code == .internalError)
        #expect(call.isAnswered)
        for _ in 0..<100 { #expect(call.receive(message, endStream: false) == .none) }
        guard case .answered = call.state else { return unexpected("the call holds messages again") }
    }

    @Test(
        "a message over the limit is RESOURCE_EXHAUSTED as soon as its length is read; a compressed one INTERNAL"
    )
    func limits() {
        var call = GRPCServerCall(maxMessageSize: 16)
        guard case .fail(let status) = call.receive([0, 0, 0, 0, 17], endStream: false) else {
            return unexpected("a 17-byte message was accepted")
        }
        #expect(status.code == .resourceExhausted)
        #expect(call.receive([1, 2, 3], endStream: true) == .none, "an answered call took more bytes")

        var compressed = GRPCServerCall(maxMessageSize: 16)
        guard case .fail(let other) = compressed.receive([1, 0, 0, 0, 1, 9], endStream: true) else {
            return unexpected("a compressed message ran")
        }
        #expect(other.code == .internalError)
    }

    @Test(
        "trailers carry the status code and the percent-encoded message; trailers-only starts with :status 200"
    )
    func trailers() {
        let status = GRPCStatus(.notFound, "no item ring-1 (100%)")
        #expect(
            GRPCServerCall.trailers(status, [HeaderField("x-extra", "1")]) == [
                HeaderField("grpc-status", "5"), HeaderField("grpc-message", "no item ring-1 (100%25)"),
                HeaderField("x-extra", "1"),
            ])
        #expect(GRPCServerCall.trailers(.ok) == [HeaderField("grpc-status", "0")])
        #expect(Array(GRPCServerCall.trailersOnly(.ok).prefix(2)) == GRPCServerCall.responseHeaders)
    }
}
