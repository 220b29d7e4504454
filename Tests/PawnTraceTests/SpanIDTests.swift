import PawnTelemetry
import PawnTrace
import Testing

@Suite("Trace and span ids the tracer draws")
struct SpanIDTests {
    @Test("unique, never zero, and every bit set about half the time (samplers read the trace id's bits)")
    func idsAreUniqueAndEvenlySpread() {
        let count = 20_000
        var traces = Set<TraceID>()
        var spans = Set<SpanID>()
        var ones = [Int](repeating: 0, count: 192)
        for _ in 0..<count {
            // No parent: a new trace, with a new span id.
            let context = Tracer.start("id", kind: .internal, parent: nil).context
            traces.insert(context.traceID)
            spans.insert(context.spanID)
            for bit in 0..<64 {
                ones[bit] += Int(context.traceID.high >> UInt64(bit) & 1)
                ones[64 + bit] += Int(context.traceID.low >> UInt64(bit) & 1)
                ones[128 + bit] += Int(context.spanID.value >> UInt64(bit) & 1)
            }
        }
        #expect(traces.count == count)
        #expect(spans.count == count)
        // A fair bit is set 10,000 ± 71 (one standard deviation) times in 20,000; 9,000–11,000
        // is 14 of them: a bit stuck at 0 or 1, or a counter's low bits, fail.
        let skewed = ones.enumerated().filter { !(9_000...11_000).contains($0.element) }
        #expect(skewed.isEmpty, "bits set far from half the time: \(skewed)")
    }
}
