import Glibc

/// The wall clock in microseconds since 1970 (UTC), for audit and parking times that people
/// read. Nothing orders events by it: machines' clocks differ.
public enum WallClock {
    /// Microseconds since 1970-01-01T00:00:00Z, from `CLOCK_REALTIME`.
    public static func microseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }
}
