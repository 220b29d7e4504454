/// Exponential backoff with jitter, the one every retry loop uses: the first pause is
/// `initial`, each failure doubles it up to `maximum`, and each pause is drawn from the
/// upper half of its step (`jitter: true`) so that many clients do not retry in step.
public struct Backoff: Sendable {
    /// The first pause.
    public let initial: Duration
    /// The longest pause.
    public let maximum: Duration
    /// Whether a pause is drawn at random from [step / 2, step].
    public let jitter: Bool
    private var attempt = 0

    /// A backoff from `initial` (default 50 ms) doubling up to `maximum` (default 5 s).
    public init(initial: Duration = .milliseconds(50), maximum: Duration = .seconds(5), jitter: Bool = true) {
        self.initial = initial
        self.maximum = max(initial, maximum)
        self.jitter = jitter
    }

    /// How many pauses were taken since the last ``reset()``.
    public var attempts: Int { attempt }

    /// The step of the current attempt without jitter: `initial · 2^attempts`, capped.
    public var step: Duration {
        // 2^20 times any initial pause in use is far beyond any maximum; stop doubling there.
        min(maximum, initial * (1 << min(attempt, 20)))
    }

    /// The pause before the next try; counts one more attempt.
    public mutating func next() -> Duration {
        let step = self.step
        attempt += 1
        return jitter ? step * Double.random(in: 0.5...1.0) : step
    }

    /// Back to the first pause, after a success.
    public mutating func reset() { attempt = 0 }
}
