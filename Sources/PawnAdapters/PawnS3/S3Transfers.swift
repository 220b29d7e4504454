import Foundation
import PawnIO

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The session delegate of an ``S3Client``: streams each GET's body into a file of ours as
/// it arrives (so the body never sits in memory, and a failed transfer's file is removed —
/// URLSession's own download tasks leave theirs behind in /tmp on Linux when a transfer
/// fails), and hands the outcome to the waiting caller.
final class S3Transfers: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // @unchecked Sendable: the only mutable state is `transfers`, behind a `Locked`; URLSession
    // calls the delegate methods on its own queue.

    /// How a transfer ended: the response and, for a 200, the file holding the body; for
    /// anything else, the first 64 KiB of the body (S3's XML error).
    struct Finished: Sendable {
        var response: HTTPURLResponse?
        var file: URL?
        var size: Int
        var errorBody: [UInt8]
    }

    private struct Transfer {
        var continuation: CheckedContinuation<Result<Finished, any Error>, Never>
        var response: HTTPURLResponse?
        var file: URL?
        var handle: FileHandle?
        var size = 0
        var errorBody: [UInt8] = []
        var writeError: (any Error)?
    }

    private let transfers = Locked<[Int: Transfer]>([:])

    /// Runs `request` on `session` (whose delegate this is) and waits for it to end.
    func run(_ request: URLRequest, on session: URLSession) async -> Result<Finished, any Error> {
        await withCheckedContinuation { continuation in
            let task = session.dataTask(with: request)
            transfers.withLock { $0[task.taskIdentifier] = Transfer(continuation: continuation) }
            task.resume()
        }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let http = response as? HTTPURLResponse
        var file: URL?
        var handle: FileHandle?
        if http?.statusCode == 200 {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent(
                "pawnshop-s3-\(UUID().uuidString)")
            if FileManager.default.createFile(
                atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
            {
                file = url
                handle = FileHandle(forWritingAtPath: url.path)
            }
        }
        transfers.withLock { transfers in
            transfers[dataTask.taskIdentifier]?.response = http
            transfers[dataTask.taskIdentifier]?.file = file
            transfers[dataTask.taskIdentifier]?.handle = handle
            if http?.statusCode == 200 && handle == nil {
                transfers[dataTask.taskIdentifier]?.writeError = S3Error(
                    .failed,
                    "cannot create a temporary file in \(FileManager.default.temporaryDirectory.path)")
            }
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        transfers.withLock { transfers in
            guard var transfer = transfers[dataTask.taskIdentifier] else { return }
            if let handle = transfer.handle {
                do {
                    try handle.write(contentsOf: data)
                    transfer.size += data.count
                } catch {
                    transfer.writeError = error
                    dataTask.cancel()
                }
            } else if transfer.errorBody.count < 64 * 1024 {
                transfer.errorBody += data.prefix(64 * 1024 - transfer.errorBody.count)
            }
            transfers[dataTask.taskIdentifier] = transfer
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let transfer = transfers.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else {
            return
        }
        try? transfer.handle?.close()
        if let failure = transfer.writeError ?? error {
            if let file = transfer.file { try? FileManager.default.removeItem(at: file) }
            transfer.continuation.resume(returning: .failure(failure))
            return
        }
        transfer.continuation.resume(
            returning: .success(
                Finished(
                    response: transfer.response, file: transfer.file, size: transfer.size,
                    errorBody: transfer.errorBody)))
    }
}
