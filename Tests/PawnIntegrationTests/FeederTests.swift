import Foundation
import PawnDispatcher
import PawnFeeder
import PawnIO
import PawnPorts
import PawnProtocol
import PawnRedis
import PawnS3
import PawnTestSupport
import PawnWire
import Testing

/// The feeder, the S3 client and the dispatcher's fraud checks against moto (which checks
/// our SigV4 signatures) and Redis. Serialized: one test pauses the S3 server.
@Suite("Feeder on S3 and Redis", .serialized, .enabled(if: S3TestSupport.available))
struct FeederTests {
    @Test("a wrong secret gets S3's 403, named, not a crash or a retry loop")
    func wrongSecretIsRefused() async throws {
        let bucket = "pawn-\(UInt32.random(in: 0 ... .max))"
        try await S3TestSupport.upload(bucket: bucket, key: "list.txt", body: Array("a\n".utf8))
        let client = try S3TestSupport.client(secret: "not-the-secret")
        do {
            _ = try await client.getObject(bucket: bucket, key: "list.txt")
            Issue.record("a wrong secret was accepted")
        } catch {
            #expect(error.code == .accessDenied)
            #expect(error.status == 403)
            #expect(error.message.contains("SignatureDoesNotMatch"), "\(error)")
            #expect(!error.isRetryable)
        }
        let missing = try S3TestSupport.client()
        do {
            _ = try await missing.getObject(bucket: bucket, key: "missing.txt")
            Issue.record("a missing key was found")
        } catch {
            #expect(error.code == .notFound)
        }
    }

    @Test("our GET with our signature reads what boto3 uploaded; If-None-Match skips an unchanged object")
    func getAndConditionalGet() async throws {
        let bucket = "pawn-\(UInt32.random(in: 0 ... .max))"
        // A key with a slash, a space and a tilde: the path is signed as sent. (moto 5.2.1's
        // own signature check refuses keys with UTF-8, parentheses or '=' even from boto3, so
        // those are covered by the botocore comparison in PawnAdaptersTests instead.)
        let key = "lists/fraud list~v1.txt"
        var body: [UInt8] = []
        for index in 0..<50_000 { body += Array("Name \(index)\r\n".utf8) }
        let etag = try await S3TestSupport.upload(bucket: bucket, key: key, body: body)
        let client = try S3TestSupport.client()
        guard case .downloaded(let download) = try await client.getObject(bucket: bucket, key: key) else {
            Issue.record("no download")
            return
        }
        #expect(download.etag == etag)
        #expect(download.size == body.count)
        var lines = 0
        try download.forEachLine { line in
            #expect(line.last == UInt8(ascii: "\r"))
            lines += 1
        }
        #expect(lines == 50_000)
        let again = try await client.getObject(bucket: bucket, key: key, ifNoneMatch: etag)
        guard case .notModified = again else {
            Issue.record("an unchanged object was downloaded again")
            return
        }
        let file = download.file
        _ = consume download
        #expect(
            !FileManager.default.fileExists(atPath: file.path), "the temporary file outlived its download")
    }

    @Test("the feeder loads, swaps, skips an unchanged list, keeps the old one while S3 is away")
    func feederRounds() async throws {
        let redis = try RedisTestSupport.client()
        try await RedisTestSupport.withPrefix(redis) { prefix in
            let lines = LogLines()
            let (bucket, store, feeder) = try await Self.feeder(
                redis, prefix, list: "\u{FEFF}Mallory\r\n  Eve \n\nmallory\nZOË\n", timeout: .seconds(1),
                log: lines.append)

            #expect(await feeder.runOnce() == .loaded(names: 3, added: 3, removed: 0))
            #expect(try await store.allNames() == ["mallory", "eve", "zoë"])
            // redis-cli, the independent peer, reads the same set.
            let cli = try await RedisTestSupport.redisCLI(
                port: RedisTestSupport.serverHostPort.port, ["SMEMBERS", prefix + "fraudsters"])
            #expect(Set(cli.text.split(separator: "\n").map(String.init)) == ["eve", "mallory", "zoë"])
            #expect(await feeder.runOnce() == .unchanged)

            try await S3TestSupport.upload(bucket: bucket, key: "f.txt", body: Array("eve\ntrent\n".utf8))
            #expect(await feeder.runOnce() == .loaded(names: 2, added: 1, removed: 2))
            #expect(try await store.allNames() == ["eve", "trent"])
            #expect(lines.all.contains { $0.contains("+1 −2") })

            // S3 stops answering: the round fails, Redis keeps the list.
            try await S3TestSupport.servers(["pause", "s3"])
            let outcome = await feeder.runOnce()
            try await S3TestSupport.servers(["resume", "s3"])
            guard case .failed(let message) = outcome else {
                Issue.record("a round with S3 paused did not fail: \(outcome)")
                return
            }
            #expect(message.contains("did not answer"), "\(message)")
            // A transfer that failed leaves no file behind.
            let temporary = try FileManager.default.contentsOfDirectory(
                atPath: FileManager.default.temporaryDirectory.path)
            #expect(!temporary.contains { $0.hasPrefix("pawnshop-s3-") }, "a failed download left its file")
            #expect(try await store.allNames() == ["eve", "trent"])

            // Back: unchanged, then a new version is picked up.
            #expect(await feeder.runOnce() == .unchanged)
            try await S3TestSupport.upload(bucket: bucket, key: "f.txt", body: Array("trent\n".utf8))
            #expect(await feeder.runOnce() == .loaded(names: 1, added: 0, removed: 1))

            // Redis emptied behind the feeder's back is reloaded although S3 did not change.
            _ = try await redis.del(prefix + "fraudsters")
            #expect(await feeder.runOnce() == .loaded(names: 1, added: 0, removed: 0))
            #expect(try await store.allNames() == ["trent"])

            // An empty list empties the set.
            try await S3TestSupport.upload(bucket: bucket, key: "f.txt", body: Array("\n \n".utf8))
            #expect(await feeder.runOnce() == .loaded(names: 0, added: 0, removed: 1))
            #expect(try await store.count() == 0)
        }
    }

    @Test("a list missing from Redis is not an empty list: the dispatcher keeps what it read")
    func missingListIsNotEmpty() async throws {
        let redis = try RedisTestSupport.client()
        try await RedisTestSupport.withPrefix(redis) { prefix in
            let store = RedisFraudList(client: redis, key: prefix + "fraudsters")
            await #expect(throws: FraudListError.self) { _ = try await store.allNames() }
            try await store.replace(with: ["mallory"])
            let cache = CachedFraudList(store: store, refreshInterval: .milliseconds(50), log: { _ in })
            #expect(await cache.start())
            defer { cache.stop() }
            _ = try await redis.del(prefix + "fraudsters")  // Redis lost it
            #expect(await cache.refresh() == false)
            #expect(try await cache.contains("Mallory"))
            #expect(cache.status?.stale == true)
            // An empty list the feeder stored is a list: everyone is allowed.
            try await store.replace(with: [])
            #expect(try await store.allNames() == [])
            #expect(await cache.refresh())
            #expect(try await cache.contains("mallory") == false)
        }
    }

    @Test(
        "Redis going away: the feeder keeps the downloaded list and stores it when Redis is back",
        .enabled(if: RedisTestSupport.toolsAreInstalled))
    func redisGoesAway() async throws {
        // A redis-server of this test's own, so that stopping it disturbs nobody else.
        let port = try RedisTestSupport.freePort()
        var server = try await RedisTestSupport.startServer(port: port)
        let redis = RedisClient(
            configuration: try RedisConfiguration(host: "127.0.0.1", port: port, commandTimeout: .seconds(2)))
        let (bucket, store, feeder) = try await Self.feeder(redis, "pawn-test:", list: "alice\nbob\n")
        #expect(await feeder.runOnce() == .loaded(names: 2, added: 2, removed: 0))
        server.signal(SIGKILL)
        _ = await server.wait()
        try await S3TestSupport.upload(bucket: bucket, key: "f.txt", body: Array("bob\ncarol\n".utf8))
        guard case .failed(let message) = await feeder.runOnce() else {
            Issue.record("a round with Redis down did not fail")
            return
        }
        #expect(message.contains("cannot store the list (2 names, kept for the next try)"), "\(message)")
        // Back, empty (no persistence): the kept list is stored without asking S3 again.
        server = try await RedisTestSupport.startServer(port: port)
        #expect(await feeder.runOnce() == .loaded(names: 2, added: 1, removed: 1))
        #expect(try await store.allNames() == ["bob", "carol"])
        #expect(await feeder.statistics.failures == 1)
        // SIGKILL: a child of the test process may have inherited SIGTERM ignored.
        server.signal(SIGKILL)
        _ = await server.wait()
    }

    @Test("a list that is not UTF-8 is refused whole; the stored list stays")
    func notUTF8() async throws {
        let redis = try RedisTestSupport.client()
        try await RedisTestSupport.withPrefix(redis) { prefix in
            let (bucket, store, feeder) = try await Self.feeder(redis, prefix, list: "alice\n")
            #expect(await feeder.runOnce() == .loaded(names: 1, added: 1, removed: 0))
            try await S3TestSupport.upload(
                bucket: bucket, key: "f.txt", body: [0x62, 0x6F, 0x62, 0x0A, 0xFF, 0xFE, 0x0A])
            #expect(
                await feeder.runOnce()
                    == .failed(
                        "cannot read the list from s3://\(bucket)/f.txt at \(S3TestSupport.endpoint!): line 2 is not UTF-8"
                    ))
            #expect(try await store.allNames() == ["alice"])
        }
    }

    @Test("pawnshop feeder: picks up a changed list on the next interval, rides out S3 stopping")
    func feederProcess() async throws {
        let redis = try RedisTestSupport.client()
        try await RedisTestSupport.withPrefix(redis) { prefix in
            let bucket = "pawn-\(UInt32.random(in: 0 ... .max))"
            let key = prefix + "fraudsters"
            try await S3TestSupport.upload(bucket: bucket, key: "list.txt", body: Array("Alice\nBob\n".utf8))
            let process = try ChildProcess.pawnshop([
                "feeder", "--s3-endpoint", S3TestSupport.endpoint!, "--s3-bucket", bucket, "--s3-key",
                "list.txt",
                "--s3-access-key-id", S3TestSupport.accessKey, "--s3-secret-access-key",
                S3TestSupport.secretKey,
                "--s3-timeout-ms", "1000", "--redis", TestServers.redis!, "--fraud-key", key,
                "--interval-seconds", "1",
            ])
            defer { process.signal(SIGTERM) }
            _ = try await process.waitForLine(containing: "loaded 2 names")
            #expect(
                Set(try await redis.smembers(key).map { String(decoding: $0, as: UTF8.self) }) == [
                    "alice", "bob",
                ])

            try await S3TestSupport.upload(bucket: bucket, key: "list.txt", body: Array("Bob\nCarol\n".utf8))
            _ = try await process.waitForLine(containing: "(+1 −1)", timeout: .seconds(10))
            #expect(
                Set(try await redis.smembers(key).map { String(decoding: $0, as: UTF8.self) }) == [
                    "bob", "carol",
                ])

            try await S3TestSupport.servers(["pause", "s3"])
            _ = try await process.waitForLine(
                containing: "Redis keeps the last good list", timeout: .seconds(10))
            #expect(
                Set(try await redis.smembers(key).map { String(decoding: $0, as: UTF8.self) }) == [
                    "bob", "carol",
                ])
            try await S3TestSupport.servers(["resume", "s3"])
            try await S3TestSupport.upload(bucket: bucket, key: "list.txt", body: Array("Dave\n".utf8))
            _ = try await process.waitForLine(containing: "loaded 1 names", timeout: .seconds(15))
            #expect(
                Set(try await redis.smembers(key).map { String(decoding: $0, as: UTF8.self) }) == ["dave"])
            process.signal(SIGTERM)
            #expect(await process.wait() == 0)
        }
    }

    @Test("bad feeder configuration: one line naming the key, a non-zero exit, before anything starts")
    func badConfiguration() async throws {
        let base = [
            "feeder", "--s3-endpoint", S3TestSupport.endpoint!, "--s3-bucket", "b", "--s3-access-key-id", "a",
            "--s3-secret-access-key", "s", "--redis", TestServers.redis!,
        ]
        // Exit 64 for what is wrong on the command line, 1 for what the servers answered.
        let cases: [([String], String, Int32)] = [
            (base + ["--colour", "blue"], "invalid --colour (from command line): unknown flag", 64),
            (
                base + ["--interval-seconds", "soon"],
                "invalid intervalSeconds (from flag --interval-seconds)", 64
            ),
            (
                ["feeder", "--s3-bucket", "b", "--redis", TestServers.redis!],
                "invalid s3AccessKeyId (from flag --s3-access-key-id, environment AWS_ACCESS_KEY_ID", 64
            ),
            (base + ["--s3-endpoint", "not a url"], "invalid s3Endpoint", 64),
            (base + ["--s3-addressing", "sideways"], "invalid s3Addressing", 64),
            (base + ["--s3-endpoint", "http://127.0.0.1:1"], "cannot reach http://127.0.0.1:1", 1),
            (base + ["--redis", "127.0.0.1:1"], "cannot reach Redis at 127.0.0.1:1", 1),
            (base, "access to s3://b/fraudsters.txt was refused", 1),
        ]
        for (arguments, expected, code) in cases {
            let result = try await offPool {
                try Command.run(ChildProcess.pawnshopPath, arguments)
            }
            #expect(result.status == code, "\(arguments) exited \(result.status), not \(code)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
        }
        // A config file with a wrong type and an unknown key.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("feeder-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        for (json, expected) in [
            (
                #"{"intervalSeconds": "60"}"#,
                "invalid intervalSeconds (from file \(file.path)): must be an integer"
            ),
            (#"{"s3Bucket": "b", "colour": 1}"#, "invalid colour (from file \(file.path)): unknown key"),
        ] {
            try Data(json.utf8).write(to: file)
            let result = try await offPool {
                try Command.run(ChildProcess.pawnshopPath, ["feeder", "--config", file.path])
            }
            #expect(result.status == 64, "exited \(result.status)")
            #expect(result.stderr.contains(expected), "\(result.stderr)")
        }
    }
}

extension FeederTests {
    @Test("the dispatcher on Redis: a listed client gets 403; after the feeder swaps the list, 202")
    func dispatcherFollowsTheList() async throws {
        let redis = try RedisTestSupport.client()
        try await RedisTestSupport.withPrefix(redis) { prefix in
            let (bucket, store, feeder) = try await Self.feeder(redis, prefix, list: "Mallory\n")
            #expect(await feeder.runOnce() == .loaded(names: 1, added: 1, removed: 0))
            let cache = CachedFraudList(store: store, refreshInterval: .milliseconds(100), log: { _ in })
            #expect(await cache.start())
            defer { cache.stop() }
            let log = InMemoryEventLog()
            let group = try EventLoopGroup(loopCount: 1)
            defer { group.shutdown() }
            let node = DispatcherNode(
                log: log, fraudList: cache, group: group, http: .init(host: "127.0.0.1", port: 0),
                grpc: .init(host: "127.0.0.1", port: 0), token: "t")
            let ports = try node.start()
            let client = Client(base: "http://127.0.0.1:\(ports.http)")
            let buy = #"{"itemId":"ring-1","clientId":"  MALLORY ","price":100,"date":"2025-01-02"}"#
            let refused = try await client.post("/item/action/buy", buy, headers: ["X-Request-Id": "req-1"])
            #expect(refused.status == 403)
            #expect(refused.errorCode == "fraudulentClient")
            #expect(refused.headers["x-request-id"] == "req-1")

            try await S3TestSupport.upload(bucket: bucket, key: "f.txt", body: Array("Eve\n".utf8))
            #expect(await feeder.runOnce() == .loaded(names: 1, added: 1, removed: 1))
            var allowed = 0
            for _ in 0..<50 where allowed == 0 {
                let reply = try await client.post("/item/action/buy", buy, headers: ["X-Request-Id": "req-2"])
                if reply.status == 202 { allowed += 1 } else { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(allowed == 1, "the client was still refused after the list changed")

            // Both requests are on long_term_storage, with their outcome.
            let consumer = try await log.consumer(group: "audit", topics: [Topics.longTermStorage])
            var records: [Wire.AuditRecord] = []
            for _ in 0..<50 where records.last?.outcome != .accepted {
                for record in try await consumer.poll(maxRecords: 10, timeout: .milliseconds(100)) {
                    records.append(try Wire.AuditRecord(serializedBytes: record.value))
                }
            }
            // The cache may refuse once more before its next refresh: every refusal is a 403
            // record, and the last record is the accepted one.
            #expect(records.first?.requestId == "req-1")
            #expect(records.last?.requestId == "req-2")
            #expect(records.dropLast().allSatisfy { $0.outcome == .refused && $0.status == 403 })
            #expect(records.last?.outcome == .accepted && records.last?.status == 202)
            #expect(
                records.allSatisfy {
                    $0.route == "/item/action/buy" && $0.clientId.lowercased().contains("mallory")
                })
            #expect(records.last?.topic == Topics.topic(for: .buy))
            #expect(
                records.allSatisfy { $0.answeredAtMicros >= $0.receivedAtMicros && $0.receivedAtMicros > 0 })
            await node.stop()
        }
    }
}

extension FeederTests {
    /// A bucket holding `list` as `f.txt` (uploaded with boto3), a Redis list under `prefix`,
    /// and a feeder from one to the other.
    static func feeder(
        _ redis: RedisClient, _ prefix: String, list: String, timeout: Duration = .seconds(5),
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> (bucket: String, store: RedisFraudList, feeder: Feeder) {
        let bucket = "pawn-\(UInt32.random(in: 0 ... .max))"
        try await S3TestSupport.upload(bucket: bucket, key: "f.txt", body: Array(list.utf8))
        let store = RedisFraudList(client: redis, key: prefix + "fraudsters")
        let source = S3FraudListSource(
            client: try S3TestSupport.client(timeout: timeout), bucket: bucket, key: "f.txt")
        return (bucket, store, Feeder(source: source, store: store, interval: .seconds(60), log: log))
    }
}

/// Log lines collected from a component under test.
final class LogLines: Sendable {
    private let lines = Locked<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
}
