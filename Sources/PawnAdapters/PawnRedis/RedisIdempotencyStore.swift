import PawnPorts

/// Idempotency answers and accepted event ids in Redis, shared by every dispatcher that uses
/// the same `prefix`: a retry that reaches another replica, or the same one after a
/// restart, gets the first answer.
///
/// `<prefix>:idempotency:<key>` holds `p|<fingerprint>` while the first request is answered
/// (claimed with `SET NX`, expiring after `claimTTL` so that a dispatcher that died
/// mid-request does not hold the key for ever), then `d|<fingerprint>|<status>|<length of
/// the content type>|<content type><body>` for `ttl`. `<prefix>:accepted:<eventId>` marks an accepted event for `ttl`.
public final class RedisIdempotencyStore: IdempotencyStore {
    let client: RedisClient
    let prefix: String
    let ttl: Duration
    let claimTTL: Duration

    /// A store on `client` under `prefix`.
    public init(
        client: RedisClient, prefix: String = "pawnshop", ttl: Duration = .seconds(24 * 3600),
        claimTTL: Duration = .seconds(30)
    ) {
        self.client = client
        self.prefix = prefix
        self.ttl = ttl
        self.claimTTL = claimTTL
    }

    func keyName(_ key: String) -> String { "\(prefix):idempotency:\(key)" }

    public func claim(_ key: String, fingerprint: String) async throws(IdempotencyStoreError)
        -> IdempotencyClaim
    {
        let name = keyName(key)
        let claimMilliseconds = String(claimTTL.milliseconds)
        // Twice at most: the key may expire between a refused SET NX and the GET.
        for _ in 0..<2 {
            let reply = try await run { () async throws(RedisError) in
                try await client.command(["SET", name, "p|\(fingerprint)", "NX", "PX", claimMilliseconds])
            }
            if case .status("OK") = reply { return .proceed }
            guard let stored = try await run({ () async throws(RedisError) in try await client.get(name) })
            else { continue }
            return Self.decode(stored, fingerprint: fingerprint)
        }
        throw IdempotencyStoreError("the Idempotency-Key \(key) kept changing in Redis")
    }

    public func finish(_ key: String, fingerprint: String, answer: StoredAnswer)
        async throws(IdempotencyStoreError)
    {
        let contentType = Array(answer.contentType.utf8)
        var value = Array("d|\(fingerprint)|\(answer.status)|\(contentType.count)|".utf8)
        value += contentType + answer.body
        try await run { () async throws(RedisError) in try await client.set(keyName(key), value, expiry: ttl)
        }
    }

    public func abandon(_ key: String, fingerprint: String) async throws(IdempotencyStoreError) {
        // Only our own claim: the key may have expired and been claimed by another request.
        let script =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end"
        _ = try await run { () async throws(RedisError) in
            try await client.command(["EVAL", script, "1", keyName(key), "p|\(fingerprint)"])
        }
    }

    public func noteAccepted(eventId: String) async throws(IdempotencyStoreError) {
        try await run { () async throws(RedisError) in
            try await client.set("\(prefix):accepted:\(eventId)", "1", expiry: ttl)
        }
    }

    public func wasAccepted(eventId: String) async throws(IdempotencyStoreError) -> Bool {
        try await run { () async throws(RedisError) in
            try await client.exists("\(prefix):accepted:\(eventId)")
        }
    }

    /// What a stored value says to a request with `fingerprint`.
    static func decode(_ stored: [UInt8], fingerprint: String) -> IdempotencyClaim {
        let fields = stored.split(
            separator: UInt8(ascii: "|"), maxSplits: 4, omittingEmptySubsequences: false)
        guard fields.count >= 2, String(decoding: fields[1], as: UTF8.self) == fingerprint else {
            return .mismatch
        }
        switch fields[0].first {
        case UInt8(ascii: "d"):
            guard fields.count == 5, let status = Int(String(decoding: fields[2], as: UTF8.self)),
                let length = Int(String(decoding: fields[3], as: UTF8.self)),
                (0...fields[4].count).contains(length)
            else { return .mismatch }
            let rest = fields[4]
            return .replay(
                StoredAnswer(
                    status: status, contentType: String(decoding: rest.prefix(length), as: UTF8.self),
                    body: Array(rest.dropFirst(length))))
        default:
            return .inProgress
        }
    }

    private func run<T>(_ body: () async throws(RedisError) -> T) async throws(IdempotencyStoreError) -> T {
        do { return try await body() } catch { throw IdempotencyStoreError("Redis: \(error)") }
    }
}
