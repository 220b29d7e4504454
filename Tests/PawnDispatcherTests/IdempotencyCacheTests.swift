import PawnDispatcher
import PawnHTTP1
import PawnTestSupport
import Testing

@Suite("Idempotency cache")
struct IdempotencyCacheTests {
    let answer = HTTPResponse(status: .accepted, headers: ["X": "1"], body: Array("first".utf8))

    @Test("a first use proceeds, a retry with the same request replays the first answer")
    func replay() {
        let cache = IdempotencyCache()
        guard case .proceed = cache.begin("k", fingerprint: [1]) else { return unexpected("not proceed") }
        guard case .inProgress = cache.begin("k", fingerprint: [1]) else {
            return unexpected("not in progress")
        }
        cache.finish("k", fingerprint: [1], response: answer)
        guard case .replay(let replayed) = cache.begin("k", fingerprint: [1]) else {
            return unexpected("no replay")
        }
        #expect(replayed.status == .accepted && replayed.body == answer.body && replayed.headers["X"] == "1")
    }

    @Test("the same key with another request is a mismatch, in progress or answered")
    func mismatch() {
        let cache = IdempotencyCache()
        _ = cache.begin("k", fingerprint: [1])
        guard case .mismatch = cache.begin("k", fingerprint: [2]) else { return unexpected("in progress") }
        cache.finish("k", fingerprint: [1], response: answer)
        guard case .mismatch = cache.begin("k", fingerprint: [2]) else { return unexpected("answered") }
    }

    @Test("an abandoned key can be used again")
    func abandon() {
        let cache = IdempotencyCache()
        _ = cache.begin("k", fingerprint: [1])
        cache.abandon("k")
        guard case .proceed = cache.begin("k", fingerprint: [2]) else { return unexpected("not released") }
    }

    @Test("answers older than the time to live are forgotten")
    func expiry() async throws {
        let cache = IdempotencyCache(ttl: .milliseconds(50))
        _ = cache.begin("k", fingerprint: [1])
        cache.finish("k", fingerprint: [1], response: answer)
        try await Task.sleep(for: .milliseconds(80))
        guard case .proceed = cache.begin("k", fingerprint: [1]) else { return unexpected("not expired") }
    }

    @Test("the cache never holds more than its capacity")
    func bounded() {
        let cache = IdempotencyCache(capacity: 100)
        for n in 0..<1_000 {
            _ = cache.begin("k\(n)", fingerprint: [UInt8(n % 256)])
            cache.finish("k\(n)", fingerprint: [UInt8(n % 256)], response: answer)
        }
        var remembered = 0
        for n in 0..<1_000 {
            if case .replay = cache.begin("k\(n)", fingerprint: [UInt8(n % 256)]) { remembered += 1 }
        }
        #expect(remembered <= 100)
        #expect(remembered > 0)
    }
}
