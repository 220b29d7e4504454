import PawnIO
import Testing

@Suite("Backoff and durations")
struct BackoffTests {
    @Test("without jitter: initial, doubling, capped at the maximum; reset starts over")
    func doubling() {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(1), jitter: false)
        let pauses = (0..<6).map { _ in backoff.next() }
        #expect(
            pauses == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1),
                .seconds(1),
            ])
        #expect(backoff.attempts == 6)
        backoff.reset()
        #expect(backoff.next() == .milliseconds(100))
    }

    @Test("with jitter, each pause lies in the upper half of its step")
    func jitter() {
        var backoff = Backoff(initial: .milliseconds(50), maximum: .seconds(5))
        for attempt in 0..<40 {
            let step = backoff.step
            let pause = backoff.next()
            #expect(
                pause >= step / 2 && pause <= step,
                "attempt \(attempt): \(pause) outside [\(step / 2), \(step)]")
        }
        #expect(backoff.step == .seconds(5), "many failures must not overflow past the maximum")
    }

    @Test("a maximum below the initial pause is raised to it")
    func maximumBelowInitial() {
        var backoff = Backoff(initial: .seconds(2), maximum: .seconds(1), jitter: false)
        #expect(backoff.next() == .seconds(2))
        #expect(backoff.next() == .seconds(2))
    }

    @Test("milliseconds and microseconds round down and saturate instead of trapping")
    func conversions() {
        #expect(Duration.milliseconds(1_500).milliseconds == 1_500)
        #expect(Duration.microseconds(1_999).milliseconds == 1)
        #expect(Duration.nanoseconds(999).microseconds == 0)
        #expect(Duration.seconds(3).microseconds == 3_000_000)
        #expect(Duration.seconds(-2).milliseconds == -2_000)
        #expect(Duration.seconds(Int64.max).milliseconds == .max)
        #expect(Duration.seconds(Int64.min).microseconds == .min)
        #expect(Duration.seconds(Int64.max).milliseconds32 == .max)
        #expect(Duration.milliseconds(1_250).seconds == 1.25)
    }
}
