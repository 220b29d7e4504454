import Dispatch
import Glibc
import PawnIO

/// Waiting for SIGINT or SIGTERM without blocking a thread of the cooperative pool.
enum Signals {
    /// Returns when the process gets SIGINT or SIGTERM (their default actions are turned off).
    static func waitForTermination() async {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let queue = DispatchQueue(label: "pawnshop.signals")
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let state = SignalState(continuation)
            for number in [SIGINT, SIGTERM] {
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { @Sendable in state.fire() }
                source.resume()
                // The sources must live as long as the process: retain them for good.
                _ = Unmanaged.passRetained(source as AnyObject)
            }
        }
    }
}

/// Resumes the continuation once, whichever signal comes first.
private final class SignalState: Sendable {
    private let continuation: Locked<CheckedContinuation<Void, Never>?>

    init(_ continuation: CheckedContinuation<Void, Never>) { self.continuation = Locked(continuation) }

    func fire() {
        let taken = continuation.withLock { stored in
            defer { stored = nil }
            return stored
        }
        taken?.resume()
    }
}
