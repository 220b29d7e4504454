import Synchronization

/// A shared counter (for round-robin choices and metrics).
final class AtomicCounter: Sendable {
    private let value = Atomic<Int>(0)

    init() {}

    /// Adds `amount`; returns the value before.
    @discardableResult
    func add(_ amount: Int) -> Int { value.add(amount, ordering: .relaxed).oldValue }

    var current: Int { value.load(ordering: .relaxed) }
}
