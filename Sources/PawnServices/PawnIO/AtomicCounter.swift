import Synchronization

/// A shared counter (for round-robin choices and metrics).
public final class AtomicCounter: Sendable {
    private let value = Atomic<Int>(0)

    public init() {}

    /// Adds `amount`; returns the value before.
    @discardableResult
    public func add(_ amount: Int) -> Int { value.add(amount, ordering: .relaxed).oldValue }

    /// Back to zero.
    public func reset() { value.store(0, ordering: .relaxed) }

    /// The value now.
    public var current: Int { value.load(ordering: .relaxed) }
}
