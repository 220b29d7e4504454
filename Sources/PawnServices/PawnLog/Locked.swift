import Glibc

/// A value behind a `pthread_mutex_t`: the lock every type of ours uses for state shared
/// between threads, with `Synchronization.Mutex`'s `withLock`.
///
/// Why not `Mutex`: on Linux it waits with raw futex calls that ThreadSanitizer cannot
/// see, so TSan reports every access it protects as a race (a two-thread program that only
/// touches an array inside `withLock` gets "data race" reports), which buries real races.
/// TSan understands pthread mutexes, and an uncontended lock costs the same.
public final class Locked<Value: ~Copyable>: @unchecked Sendable {
    // @unchecked Sendable: `value` is only touched between pthread_mutex_lock and unlock,
    // and `withLock` hands it out as `sending`, as Mutex does.
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// A lock holding `value`.
    public init(_ value: consuming sending Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value, holding the lock.
    public func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
