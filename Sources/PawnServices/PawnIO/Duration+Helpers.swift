extension Duration {
    /// Whole milliseconds, rounded down, saturating at `Int64`'s range (negative durations
    /// stay negative). For C interfaces and settings that count milliseconds.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflowSum) = product.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        return overflowSum ? (seconds < 0 ? .min : .max) : sum
    }

    /// ``milliseconds`` clamped into `Int32`, as librdkafka's and hiredis's timeouts take.
    public var milliseconds32: Int32 { Int32(clamping: milliseconds) }

    /// Whole nanoseconds, 0 for a negative duration, `UInt64.max` for one too long to count
    /// (the event loop's timers; a peer's `grpc-timeout` may ask for centuries).
    public var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, overflowSum) = whole.addingReportingOverflow(UInt64(max(0, attoseconds) / 1_000_000_000))
        return overflow || overflowSum ? .max : sum
    }

    /// Whole microseconds, rounded down, saturating like ``milliseconds``.
    public var microseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflowSum) = product.addingReportingOverflow(attoseconds / 1_000_000_000_000)
        return overflowSum ? (seconds < 0 ? .min : .max) : sum
    }
}

extension Duration {
    /// The duration in seconds, as a `Double` (for rates and `TimeInterval`s).
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
