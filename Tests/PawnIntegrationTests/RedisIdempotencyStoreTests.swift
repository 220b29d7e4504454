import Foundation
import PawnDispatcher
import PawnHTTP1
import PawnPorts
import PawnProtocol
import PawnRedis
import PawnTestSupport
import PawnWorker
import Testing

@Suite("Idempotency shared through Redis", .enabled(if: RedisTestSupport.serverIsConfigured))
struct RedisIdempotencyStoreTests {
    @Test func keepsTheContract() async throws {
        let client = try RedisTestSupport.client()
        try await RedisTestSupport.withPrefix(client) { prefix in
            try await IdempotencyStoreContract.check(
                RedisIdempotencyStore(client: client, prefix: prefix), key: "k")
            // 4 s: under ThreadSanitizer, with the suite in parallel, two claims 1 s apart
            // were seen (the second found the first expired).
            try await IdempotencyStoreContract.checkClaimExpiry(
                RedisIdempotencyStore(client: client, prefix: prefix, claimTTL: .seconds(4)),
                key: "late",
                after: .milliseconds(4_500))
            // The body is never stored, only a hash of the request.
            let stored = try await client.get("\(prefix):idempotency:k") ?? []
            #expect(!String(decoding: stored, as: UTF8.self).contains("f2"))
        }
        client.close()
    }

    @Test func aRetryThatReachesAnotherDispatcherGetsTheFirstAnswerAndGETEventKnowsIt() async throws {
        let client = try RedisTestSupport.client()
        try await RedisTestSupport.withPrefix(client) { prefix in
            let log = InMemoryEventLog(partitions: 1)
            func replica() -> Router {
                let registry = WorkerRegistry(onEvict: { _ in })
                registry.join(id: "w", client: Worker(id: "w", log: log, store: InMemoryItemStore()))
                return Dispatcher(
                    log: log, fraudList: InMemoryFraudList(), workers: registry,
                    idempotency: RedisIdempotencyStore(client: client, prefix: prefix)
                ).router
            }
            let (first, second) = (replica(), replica())
            func add(_ router: Router, body: String) async -> HTTPResponse {
                await router.handle(
                    HTTPRequest(
                        method: .post, target: "/item/add", path: "/item/add",
                        headers: ["Content-Type": "application/json", "Idempotency-Key": "retry-1"],
                        body: Array(body.utf8)))
            }
            let body =
                #"{"id":"vase-1","name":"Vase","category":"Decoration","price":100,"state":"Good","ageInMonths":1}"#
            let answer = await add(first, body: body)
            #expect(answer.status.code == 202)
            let replay = await add(second, body: body)
            #expect(
                replay.status.code == 202 && replay.body == answer.body, "the retry published a second event")
            #expect(log.records(topic: "items").count == 1)
            // Another request under the same key, on either replica: 422.
            #expect(
                await add(second, body: body.replacingOccurrences(of: "Vase", with: "Jug")).status.code == 422
            )
            // The event was accepted by the first; the second knows it is pending.
            struct Accepted: Decodable { let eventId: String }
            let eventId = try JSONDecoder().decode(Accepted.self, from: Data(answer.body)).eventId
            let status = await second.handle(
                HTTPRequest(method: .get, target: "/event/\(eventId)", path: "/event/\(eventId)"))
            #expect(
                status.status.code == 200 && String(decoding: status.body, as: UTF8.self).contains("pending"))
            let unknown = await second.handle(
                HTTPRequest(method: .get, target: "/event/nope", path: "/event/nope"))
            #expect(unknown.status.code == 404)
        }
        client.close()
    }
}

@Suite("Parking lot shared through Redis", .enabled(if: RedisTestSupport.serverIsConfigured))
struct RedisParkingLotTests {
    @Test("keeps order and per-item counts, and one lease at a time that expires and fences removals")
    func keepsTheContract() async throws {
        let client = try RedisTestSupport.client()
        try await RedisTestSupport.withPrefix(client) { prefix in
            try await ParkingLotContract.check(
                RedisParkingLot(client: client, key: "\(prefix)parked"), leaseFor: .milliseconds(500))
        }
        client.close()
    }

    @Test(
        "pawnshop parked list shows the dead letters; redrive moves them back for the drainer, with their items"
    )
    func deadLettersByCommand() async throws {
        let client = try RedisTestSupport.client()
        try await RedisTestSupport.withPrefix(client) { prefix in
            let lot = RedisParkingLot(client: client, key: "\(prefix)parked")
            for n in 0..<3 {
                var record = Wire.ParkedRecord()
                record.topic = "sell-actions"
                record.key = "item-\(n)"
                record.value = [UInt8](repeating: 1, count: n + 1)
                record.headers = [Wire.RecordHeader(name: "eventId", value: "e\(n)")]
                try await lot.bury(record.serializedBytes())
            }
            let common = ["--redis", TestServers.redis!, "--parking-key", "\(prefix)parked"]
            let list = try await offPool {
                try Command.run(ChildProcess.pawnshopPath, ["parked", "list"] + common)
            }
            #expect(list.status == 0, "\(list.stderr)")
            #expect(list.text.contains("0 events waiting"), "\(list.text)")
            #expect(list.text.contains("3 dead letters"), "\(list.text)")
            #expect(list.text.contains("1. topic sell-actions item item-0 1 bytes"), "\(list.text)")
            #expect(list.text.contains("eventId=e2"), "\(list.text)")
            let some = try await offPool {
                try Command.run(ChildProcess.pawnshopPath, ["parked", "redrive", "--count", "2"] + common)
            }
            #expect(some.status == 0, "\(some.stderr)")
            #expect(some.text.contains("moved 2 of 3"), "\(some.text)")
            #expect(try await lot.count() == 2)
            #expect(try await lot.holdsRecords(of: "item-1"))
            #expect(try await lot.holdsRecords(of: "item-2") == false)
            #expect(try await lot.deadLetters(10).total == 1)
        }
        client.close()
    }
}
