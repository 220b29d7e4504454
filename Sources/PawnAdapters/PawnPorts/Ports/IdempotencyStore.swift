/// Where a dispatcher keeps the first answer to each `Idempotency-Key`, and the ids of the
/// events it accepted: Redis when several dispatchers share them, memory for one process.
///
/// A key is claimed atomically by the first request that uses it; until that request is
/// answered (or its claim expires), the same request elsewhere is told it is in progress.
/// The fingerprint identifies the request (a hash of method, path and body), so a key
/// reused for a different request is told apart.
public protocol IdempotencyStore: Sendable {
    /// Claims `key` for the request identified by `fingerprint`, or says what it holds.
    func claim(_ key: String, fingerprint: String) async throws(IdempotencyStoreError) -> IdempotencyClaim

    /// Stores the answer to a key this process claimed.
    func finish(_ key: String, fingerprint: String, answer: StoredAnswer) async throws(IdempotencyStoreError)

    /// Releases a claim without an answer worth repeating (a failure the client retries).
    func abandon(_ key: String, fingerprint: String) async throws(IdempotencyStoreError)

    /// Notes that `eventId` was accepted (answered 202), for `GET /event`.
    func noteAccepted(eventId: String) async throws(IdempotencyStoreError)

    /// Whether `eventId` was accepted by any dispatcher sharing this store (within its memory).
    func wasAccepted(eventId: String) async throws(IdempotencyStoreError) -> Bool
}

/// What a claim found.
public enum IdempotencyClaim: Sendable, Hashable {
    /// First use: the caller answers, then calls `finish` or `abandon`.
    case proceed
    /// Answered before, for the same request.
    case replay(StoredAnswer)
    /// Claimed by a request still being answered (here or on another dispatcher).
    case inProgress
    /// Used before for a different request.
    case mismatch
}

/// An HTTP answer as a store keeps it.
public struct StoredAnswer: Sendable, Hashable {
    /// The status code.
    public var status: Int
    /// The `Content-Type` header.
    public var contentType: String
    /// The body.
    public var body: [UInt8]

    /// An answer.
    public init(status: Int, contentType: String, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// The store could not be read or written.
public struct IdempotencyStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// For people.
    public var message: String

    /// An error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
