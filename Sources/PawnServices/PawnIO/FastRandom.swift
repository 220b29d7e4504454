import Synchronization

/// A fast generator for what must be unique and evenly spread but not secret (trace and span
/// ids, a worker picked at random): wyrand (a 64-bit counter stepped by an odd constant, each
/// step mixed by a 128-bit multiply) over one atomic counter, seeded once from the system's
/// generator. Lock-free, so any thread may draw. Never for secrets (tokens, keys).
///
/// `SystemRandomNumberGenerator` makes a `getrandom` system call per 8 bytes: four to six per
/// read request (the trace, a span id per hop, the worker picked), 3 % of a read's time in
/// the kernel's random pool in a `perf` profile of `GET /item/fetch`. OpenTelemetry's SDKs
/// draw their ids from non-cryptographic generators too.
public struct FastRandom: RandomNumberGenerator {
    /// A generator (they all draw from one sequence).
    public init() {}

    private static let counter = Atomic<UInt64>(
        {
            var system = SystemRandomNumberGenerator()
            return system.next()
        }())

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let step: UInt64 = 0xa076_1d64_78bd_642f
        let state = Self.counter.wrappingAdd(step, ordering: .relaxed).newValue
        let product = state.multipliedFullWidth(by: state ^ 0xe703_7ed1_a0b4_28db)
        return product.high ^ product.low
    }
}
