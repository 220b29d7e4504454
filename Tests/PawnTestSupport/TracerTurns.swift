/// The process has one tracer (`Tracer.configure`), and Swift Testing runs suites in
/// parallel: tests that configure it take turns through this lock, so that one test's
/// configuration is not replaced under another's feet.
public actor TracerTurns {
    /// The one lock.
    public static let shared = TracerTurns()

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` while no other test holds the tracer.
    public static func exclusive<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await shared.acquire()
        do {
            let value = try await body()
            await shared.release()
            return value
        } catch {
            await shared.release()
            throw error
        }
    }

    private func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
