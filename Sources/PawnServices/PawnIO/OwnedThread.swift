import CPawnSystem
import Glibc

/// A thread we own, for loops and blocking work (never the cooperative pool's).
public final class OwnedThread: Sendable {
    // The pthread handle is written once before the initialiser returns.
    nonisolated(unsafe) private var handle = pthread_t()

    /// Starts a thread named `name` (at most 15 bytes show in `top`) running `body`.
    public init(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(ThreadBody(name: name, body: body))
        let result = pthread_create(
            &handle, nil,
            { raw in
                let body = Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue()
                let name = String(body.name.prefix(15))
                _ = pthread_setname_np(pthread_self(), name)
                body.body()
                return nil
            }, box.toOpaque())
        precondition(result == 0, "pthread_create failed: \(result)")
    }

    /// Waits for the thread to finish.
    public func join() { pthread_join(handle, nil) }

    /// Lets the thread's resources go when it finishes, with no one joining it (call this or
    /// ``join()``, once).
    public func detach() { pthread_detach(handle) }
}

private final class ThreadBody: Sendable {
    let name: String
    let body: @Sendable () -> Void
    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}
