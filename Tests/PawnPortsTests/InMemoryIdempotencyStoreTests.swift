import PawnPorts
import PawnTestSupport
import Testing

@Suite("Idempotency store in memory")
struct InMemoryIdempotencyStoreTests {
    @Test func keepsTheContract() async throws {
        try await IdempotencyStoreContract.check(InMemoryIdempotencyStore(), key: "k")
    }

    @Test func aClaimThatIsNeverFinishedExpires() async throws {
        try await IdempotencyStoreContract.checkClaimExpiry(
            InMemoryIdempotencyStore(claimTTL: .seconds(1)), key: "k", after: .milliseconds(1_500))
    }

    @Test func answersOlderThanTheirTimeToLiveAreForgotten() async throws {
        let store = InMemoryIdempotencyStore(ttl: .milliseconds(50))
        _ = try await store.claim("k", fingerprint: "f")
        try await store.finish(
            "k", fingerprint: "f", answer: StoredAnswer(status: 202, contentType: "", body: []))
        try await Task.sleep(for: .milliseconds(80))
        #expect(try await store.claim("k", fingerprint: "f") == .proceed)
    }

    @Test func neverHoldsMoreThanItsCapacity() async throws {
        let store = InMemoryIdempotencyStore(capacity: 100)
        let answer = StoredAnswer(status: 202, contentType: "", body: [])
        for n in 0..<1_000 {
            _ = try await store.claim("k\(n)", fingerprint: "f")
            try await store.finish("k\(n)", fingerprint: "f", answer: answer)
        }
        var remembered = 0
        for n in 0..<1_000 where try await store.claim("k\(n)", fingerprint: "f") == .replay(answer) {
            remembered += 1
        }
        #expect(remembered <= 100 && remembered > 0)
    }
}

@Suite("InMemoryParkingLot")
struct InMemoryParkingLotTests {
    @Test("keeps order and per-item counts, and one lease at a time that expires and fences removals")
    func contract() async throws {
        try await ParkingLotContract.check(InMemoryParkingLot(), leaseFor: .milliseconds(300))
    }
}
