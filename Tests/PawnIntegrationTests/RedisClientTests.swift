import PawnPorts
import PawnRedis
import PawnTestSupport
import Testing

@Suite("Redis client against the test server", .enabled(if: RedisTestSupport.serverIsConfigured))
struct RedisClientTests {
    @Test("strings: ping, get, set with and without expiry, del, exists, expire, incr")
    func stringCommands() async throws {
        let client = try RedisTestSupport.client()
        try await RedisTestSupport.withPrefix(client) { prefix in
            try await client.ping()
            #expect(try await client.get(prefix + "missing") == nil)

            try await client.set(prefix + "a", "hello")
            #expect(try await client.get(prefix + "a") == Array("hello".utf8))
            try await client.set(prefix + "b", [1, 2, 3] as [UInt8], expiry: .seconds(30))
            let ttl = try await client.command(["PTTL", prefix + "b"])
            guard case .integer(let milliseconds) = ttl else { throw Unexpected(reply: ttl) }
            #expect(milliseconds > 0 && milliseconds <= 30_000)

            #expect(try await client.exists(prefix + "a"))
            #expect(try await client.exists([prefix + "a", prefix + "b", prefix + "missing"]) == 2)
            #expect(try await client.expire(prefix + "a", after: .milliseconds(60_500)))
            #expect(try await client.expire(prefix + "missing", after: .seconds(1)) == false)
            let ttlA = try await client.command(["PTTL", prefix + "a"])
            // The expiry just set, give or take the time the commands took (under TSan more than a
            // second once passed between EXPIRE and PTTL).
            #expect(ttlA.integerValue.map { $0 > 30_000 && $0 <= 60_500 } == true, "\(ttlA)")

            #expect(try await client.incr(prefix + "n") == 1)
            #expect(try await client.incr(prefix + "n") == 2)
            #expect(try await client.get(prefix + "n") == Array("2".utf8))

            #expect(try await client.del(prefix + "a"))
            #expect(try await client.del(prefix + "a") == false)
            #expect(try await client.del([prefix + "b", prefix + "n", prefix + "missing"]) == 2)
            #expect(try await client.exists([prefix + "a", prefix + "b", prefix + "n"]) == 0)
        }
    }

    @Test("a key that expires is gone after its expiry")
    func expiryTakesEffect() async throws {
        let client = try RedisTestSupport.client()
        try await RedisTestSupport.withPrefix(client) { prefix in
            try await client.set(prefix + "short", "x", expiry: .milliseconds(50))
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await client.get(prefix + "short") == nil)
            await #expect(throws: RedisError.self) { try await client.set(prefix + "x", "x", expiry: .zero) }
        }
    }

    @Test("sets: sadd, srem, sismember, smembers, scard")
    func setCommands() async throws {
        let client = try RedisTestSupport.client()
        try await RedisTestSupport.withPrefix(client) { prefix in
            let key = prefix + "set"
            #expect(try await client.sadd(key, ["ann", "bob", "cy"]) == 3)
            #expect(try await client.sadd(key, ["ann", "dee"]) == 1)
            #expect(try await client.scard(key) == 4)
            #expect(try await client.sismember(key, "bob"))
            #expect(try await client.sismember(key, "zed") == false)
            #expect(try await client.srem(key, ["bob", "zed"]) == 1)
            let members = Set(try await client.smembers(key).map { String(decoding: $0, as: UTF8.self) })
            #expect(members == ["ann", "cy", "dee"])
            #expect(try await client.smembers(prefix + "none").isEmpty)
            #expect(try await client.scard(prefix + "none") == 0)
        }
    }

    @Test("lists and rename: rpush, lrange, lpop, llen, rename")
    func listCommands() async throws {
        let client = try RedisTestSupport.client()
        try await RedisTestSupport.withPrefix(client) { prefix in
            let key = prefix + "list"
            #expect(try await client.rpush(key, ["one", "two"]) == 2)
            #expect(try await client.rpush(key, [[0, 255]] as [[UInt8]]) == 3)
            #expect(try await client.llen(key) == 3)
            #expect(try await client.lrange(key, 0, -1) == [Array("one".utf8), Array("two".utf8), [0, 255]])
            #expect(try await client.lrange(key, 1, 1) == [Array("two".utf8)])
            #expect(try await client.lpop(key) == Array("one".utf8))

            try await client.rename(key, to: prefix + "moved")
            #expect(try await client.exists(key) == false)
            #expect(try await client.llen(prefix + "moved") == 2)
            #expect(try await client.lpop(prefix + "moved") == Array("two".utf8))
            #expect(try await client.lpop(prefix + "moved") == [0, 255])
            #expect(try await client.lpop(prefix + "moved") == nil)
            #expect(try await client.llen(prefix + "moved") == 0)

            // RENAME of a missing key is a server error, typed and named.
            do throws(RedisError) {
                try await client.rename(prefix + "missing", to: prefix + "other")
                Issue.record("RENAME of a missing key succeeded")
            } catch {
                #expect(
                    error.code == .server && error.command == "RENAME"
                        && error.message.contains("no such key"))
            }
        }
    }

    @Test("a server error is typed, names the command and leaves the connection usable")
    func serverErrors() async throws {
        let client = try RedisTestSupport.client(poolSize: 1)
        try await RedisTestSupport.withPrefix(client) { prefix in
            _ = try await client.rpush(prefix + "list", ["x"])
            do throws(RedisError) {
                _ = try await client.get(prefix + "list")
                Issue.record("GET of a list succeeded")
            } catch {
                #expect(
                    error.code == .server && error.command == "GET" && error.message.hasPrefix("WRONGTYPE"))
            }
            do throws(RedisError) {
                _ = try await client.command(["nosuchcommand", "a"])
                Issue.record("an unknown command succeeded")
            } catch {
                #expect(error.code == .server && error.command == "NOSUCHCOMMAND")
            }
            // The only connection is still good.
            try await client.ping()
        }
    }

    @Test("values and keys are binary-safe: NUL bytes, every byte value, invalid UTF-8, empty")
    func binarySafety() async throws {
        let client = try RedisTestSupport.client()
        try await RedisTestSupport.withPrefix(client) { prefix in
            let everyByte = (0...255).map { UInt8($0) }
            let invalidUTF8: [UInt8] = [0xFF, 0xFE, 0x00, 0xC3, 0x28, 0x00]
            try await client.set(prefix + "every", everyByte)
            try await client.set(prefix + "invalid", invalidUTF8)
            try await client.set(prefix + "empty", [UInt8]())
            #expect(try await client.get(prefix + "every") == everyByte)
            #expect(try await client.get(prefix + "invalid") == invalidUTF8)
            #expect(try await client.get(prefix + "empty") == [])

            // A key with a NUL and a non-UTF-8 byte in it, through the generic command.
            let key = Array(prefix.utf8) + [0x00, 0xFF, 0x41]
            _ = try await client.command(["SET", key, invalidUTF8])
            #expect(try await client.command(["GET", key]) == .bulk(invalidUTF8))
            #expect(try await client.command(["STRLEN", key]) == .integer(invalidUTF8.count))
            _ = try await client.command(["DEL", key])

            // Members too.
            #expect(try await client.sadd(prefix + "set", [everyByte, invalidUTF8, [0]]) == 3)
            #expect(try await client.sismember(prefix + "set", [0] as [UInt8]))
            #expect(Set(try await client.smembers(prefix + "set")) == [everyByte, invalidUTF8, [0]])
            // A large value.
            let large = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            try await client.set(prefix + "large", large)
            #expect(try await client.get(prefix + "large") == large)
        }
    }

    @Test("a pipeline of 1,000 commands returns 1,000 replies in order; one failure fails only itself")
    func pipeline() async throws {
        let client = try RedisTestSupport.client()
        try await RedisTestSupport.withPrefix(client) { prefix in
            try await client.set(prefix + "text", "not a number")
            var commands: [[any RedisArgument]] = []
            for index in 0..<1000 {
                if index == 500 {
                    commands.append(["INCR", prefix + "text"])  // ERR value is not an integer
                } else if index % 2 == 0 {
                    commands.append(["SET", prefix + "k\(index)", "v\(index)"])
                } else {
                    commands.append(["RPUSH", prefix + "list", index])
                }
            }
            let replies = try await client.pipeline(commands)
            #expect(replies.count == 1000)
            var pushed = 0
            for (index, reply) in replies.enumerated() {
                if index == 500 {
                    guard case .error(let text) = reply else {
                        Issue.record("reply 500 is \(reply)")
                        continue
                    }
                    #expect(text.contains("not an integer"))
                } else if index % 2 == 0 {
                    #expect(reply == .status("OK"), "reply \(index)")
                } else {
                    pushed += 1
                    #expect(reply == .integer(pushed), "reply \(index)")
                }
            }
            // The list holds the odd numbers in order, and the keys are there.
            let list = try await client.lrange(prefix + "list", 0, -1)
            #expect(
                list.map { String(decoding: $0, as: UTF8.self) }
                    == stride(from: 1, to: 1000, by: 2).map(String.init))
            let written = stride(from: 0, to: 1000, by: 2).filter { $0 != 500 }
            let gets = try await client.pipeline(written.map { ["GET", prefix + "k\($0)"] })
            let wrong = zip(written, gets).filter { $1 != .bulk(Array("v\($0)".utf8)) }.map(\.0)
            #expect(gets.count == written.count && wrong.isEmpty, "wrong values for keys \(wrong)")
            #expect(try await client.exists(prefix + "k500") == false)
            #expect(try await client.pipeline([]).isEmpty)
        }
    }

    @Test("many more concurrent callers than connections all get their own answers")
    func concurrentCallers() async throws {
        let client = try RedisTestSupport.client(poolSize: 3)
        try await RedisTestSupport.withPrefix(client) { prefix in
            let callers = 200
            try await withThrowingTaskGroup(of: Void.self) { group in
                for caller in 0..<callers {
                    group.addTask {
                        let value = Array("caller-\(caller)".utf8) + [0, UInt8(caller % 256)]
                        try await client.set(prefix + "c\(caller)", value)
                        _ = try await client.incr(prefix + "counter")
                        let read = try await client.get(prefix + "c\(caller)")
                        #expect(read == value, "caller \(caller)")
                        let replies = try await client.pipeline([["GET", prefix + "c\(caller)"], ["PING"]])
                        #expect(replies == [.bulk(value), .status("PONG")], "caller \(caller)")
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await client.get(prefix + "counter") == Array(String(callers).utf8))
        }
    }

    @Test("redis-cli, an independent client, reads what we wrote and we read what it wrote")
    func redisCLIPeer() async throws {
        guard RedisTestSupport.toolsAreInstalled else { return }
        let client = try RedisTestSupport.client()
        let (host, port) = RedisTestSupport.serverHostPort
        try await RedisTestSupport.withPrefix(client) { prefix in
            let binary: [UInt8] = [0x00, 0xFF, 0x41, 0x0A, 0xC3]
            try await client.set(prefix + "bin", binary)
            try await client.set(prefix + "text", "grüße")
            _ = try await client.sadd(prefix + "set", ["a", "b"])
            _ = try await client.rpush(prefix + "list", ["x", "y", "z"])

            // Not on a terminal, redis-cli prints raw bytes and a newline after each value.
            let get = try await RedisTestSupport.redisCLI(host: host, port: port, ["GET", prefix + "bin"])
            #expect(get.status == 0 && get.stdout == binary + [0x0A])
            let text = try await RedisTestSupport.redisCLI(host: host, port: port, ["GET", prefix + "text"])
            #expect(text.text == "grüße\n")
            let members = try await RedisTestSupport.redisCLI(
                host: host, port: port, ["SMEMBERS", prefix + "set"])
            #expect(Set(members.text.split(separator: "\n")) == ["a", "b"])
            let list = try await RedisTestSupport.redisCLI(
                host: host, port: port, ["LRANGE", prefix + "list", "0", "-1"])
            #expect(list.text == "x\ny\nz\n")
            let length = try await RedisTestSupport.redisCLI(
                host: host, port: port, ["STRLEN", prefix + "bin"])
            #expect(length.text == "5\n")

            // The other way round.
            let set = try await RedisTestSupport.redisCLI(
                host: host, port: port, ["SET", prefix + "fromcli", "peer value"])
            #expect(set.text == "OK\n")
            #expect(try await client.get(prefix + "fromcli") == Array("peer value".utf8))
            let sadd = try await RedisTestSupport.redisCLI(
                host: host, port: port, ["SADD", prefix + "set", "c"])
            #expect(sadd.text == "1\n")
            #expect(try await client.scard(prefix + "set") == 3)
        }
    }

    @Test("RedisFraudList finds a listed name whatever its case and surrounding white space")
    func fraudList() async throws {
        let client = try RedisTestSupport.client()
        try await RedisTestSupport.withPrefix(client) { prefix in
            let key = prefix + "fraudsters"
            _ = try await client.sadd(key, ["john smith", "client-42"].map(FraudNames.normalize))
            let list = RedisFraudList(client: client, key: key)
            #expect(try await list.contains("john smith"))
            #expect(try await list.contains("  John SMITH\t\n"))
            #expect(try await list.contains("CLIENT-42 "))
            #expect(try await list.contains("jane doe") == false)
            #expect(try await list.contains("john  smith") == false)
            #expect(RedisFraudList(client: client).key == "fraudsters")
        }
    }

    @Test("a closed client refuses calls with .unavailable")
    func closedClient() async throws {
        let client = try RedisTestSupport.client()
        try await client.ping()
        client.close()
        client.close()
        do throws(RedisError) {
            try await client.ping()
            Issue.record("a closed client answered")
        } catch {
            #expect(error.code == .unavailable && error.command == "PING")
        }
    }
}

/// A reply of a type the test did not expect.
struct Unexpected: Error {
    let reply: RedisReply
}

extension RedisReply {
    /// The integer of an integer reply, for compact expectations.
    var integerValue: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }
}
