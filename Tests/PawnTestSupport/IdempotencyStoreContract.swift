import PawnPorts
import Testing

/// What every `IdempotencyStore` must do, run against each implementation.
public enum IdempotencyStoreContract {
    static let answer = StoredAnswer(
        status: 202, contentType: "application/json", body: Array(#"{"eventId":"e1"}"#.utf8))

    /// Claims, replays, mismatches, abandons and accepted ids; `key` makes the keys unique.
    public static func check(_ store: any IdempotencyStore, key: String) async throws {
        #expect(try await store.claim(key, fingerprint: "f1") == .proceed)
        #expect(try await store.claim(key, fingerprint: "f1") == .inProgress)
        #expect(try await store.claim(key, fingerprint: "f2") == .mismatch)
        try await store.finish(key, fingerprint: "f1", answer: answer)
        #expect(try await store.claim(key, fingerprint: "f1") == .replay(answer))
        #expect(try await store.claim(key, fingerprint: "f2") == .mismatch)
        // Abandoning someone else's claim does nothing; one's own frees the key.
        let other = key + "-abandon"
        #expect(try await store.claim(other, fingerprint: "f1") == .proceed)
        try await store.abandon(other, fingerprint: "f9")
        #expect(try await store.claim(other, fingerprint: "f1") == .inProgress)
        try await store.abandon(other, fingerprint: "f1")
        #expect(try await store.claim(other, fingerprint: "f2") == .proceed)
        // A body with the separator and any byte comes back as it was.
        let binary = StoredAnswer(status: 409, contentType: "text/plain|x", body: [0, 124, 255, 10])
        let third = key + "-binary"
        _ = try await store.claim(third, fingerprint: "f1")
        try await store.finish(third, fingerprint: "f1", answer: binary)
        #expect(try await store.claim(third, fingerprint: "f1") == .replay(binary))
        #expect(try await store.wasAccepted(eventId: key + "-event") == false)
        try await store.noteAccepted(eventId: key + "-event")
        #expect(try await store.wasAccepted(eventId: key + "-event"))
    }

    /// A claim whose request never finished expires after the store's claim time.
    public static func checkClaimExpiry(_ store: any IdempotencyStore, key: String, after: Duration)
        async throws
    {
        #expect(try await store.claim(key, fingerprint: "f1") == .proceed)
        #expect(try await store.claim(key, fingerprint: "f1") == .inProgress)
        try await Task.sleep(for: after)
        #expect(try await store.claim(key, fingerprint: "f1") == .proceed)
    }
}
