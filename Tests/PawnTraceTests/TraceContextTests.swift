import Testing

@testable import PawnTrace

@Suite("W3C Trace Context: traceparent and tracestate")
struct TraceContextTests {
    let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test("a version 00 traceparent is read and written back the same")
    func roundTrip() throws {
        let context = try #require(TraceContext(traceparent: valid))
        #expect(context.traceID.hex == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(context.spanID.hex == "00f067aa0ba902b7")
        #expect(context.sampled)
        #expect(context.traceparent == valid)
        #expect(context.traceID.bytes.count == 16 && context.traceID.bytes.first == 0x4b)
        #expect(context.spanID.bytes == [0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7])
        let unsampled = try #require(
            TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"))
        #expect(!unsampled.sampled)
    }

    @Test(
        "malformed traceparents are refused (the receiver starts a new trace)",
        arguments: [
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",  // short
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",  // version 00 with more
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // uppercase
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // zero span id
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version ff
            "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version not hex
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",  // separators
            "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",  // not hex
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x",  // flags not hex
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",  // later version, no - after
            "00-4bf92f3577b34da6a3ce929d0e0e47é-00f067aa0ba902b7-01",  // not ASCII
        ])
    func malformed(_ field: String) {
        #expect(TraceContext(traceparent: field) == nil, "\(field)")
    }

    @Test(
        "a later version is read as 00: longer, with a - after the 55th character; its flags kept to the known bits"
    )
    func laterVersion() throws {
        let context = try #require(
            TraceContext(
                traceparent: "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff-what-comes-next"))
        #expect(context.traceparent == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03")
        #expect(TraceContext(traceparent: "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") != nil)
    }

    @Test("tracestate: a well-formed list is kept; a malformed one is dropped and the traceparent kept")
    func traceState() throws {
        for state in [
            "rojo=00f067aa0ba902b7", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", "a@b=1, c=2 ,,d=3",
            "t1@vendor-2=x",
        ] {
            let context = try #require(TraceContext(traceparent: valid, tracestate: state))
            #expect(context.traceState == state, "\(state)")
        }
        let tooMany = (0..<33).map { "k\($0)=v" }.joined(separator: ",")
        for state in [
            "", "Upper=1", "noequals", "a=1,a=2", "a=b=c", "a=1 ,b", tooMany,
            "k=" + String(repeating: "v", count: 600),
        ] {
            let context = try #require(TraceContext(traceparent: valid, tracestate: state))
            #expect(context.traceState == "", "\(state)")
        }
    }

    @Test(
        "a new trace has random ids and the random flag; a child keeps the trace, state and flags with a new span"
    )
    func newAndChild() {
        let first = TraceContext.newTrace()
        let second = TraceContext.newTrace(sampled: false)
        #expect(first.traceID != second.traceID)
        #expect(first.sampled && !second.sampled)
        #expect(first.flags & 0x02 != 0)
        #expect(TraceContext(traceparent: first.traceparent) == first)
        let parent = TraceContext(traceparent: valid, tracestate: "rojo=1")!
        let child = parent.child()
        #expect(child.traceID == parent.traceID && child.spanID != parent.spanID)
        #expect(child.traceState == "rojo=1" && child.flags == parent.flags)
    }

    @Test("random bytes never crash the parser")
    func randomBytes() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789abcdefABCDEF-xz ".utf8)
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...70, using: &generator)
            let bytes = (0..<count).map { _ in alphabet.randomElement(using: &generator)! }
            let text = String(decoding: bytes, as: UTF8.self)
            if let context = TraceContext(traceparent: text) {
                #expect(
                    TraceContext(traceparent: context.traceparent)
                        == TraceContext(
                            traceID: context.traceID, spanID: context.spanID, flags: context.flags))
            }
            _ = TraceContext.wellFormedState(text)
        }
    }
}
