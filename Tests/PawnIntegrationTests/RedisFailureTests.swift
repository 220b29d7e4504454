import Foundation
import Glibc
import PawnRedis
import PawnTestSupport
import Testing

@Suite("Redis client failures: configuration, timeouts, refused connections, restarts")
struct RedisFailureTests {
    @Test("a bad address or setting names the key and the value")
    func configurationErrors() throws {
        let cases: [(String, String, String)] = [
            ("localhost:abc", "port", "abc"),
            ("localhost:0", "port", "0"),
            ("localhost:70000", "port", "70000"),
            ("localhost", "address", "localhost"),
            (":6379", "host", ""),
            ("::1:6379", "address", "::1:6379"),
            ("[::1]6379", "address", "[::1]6379"),
        ]
        for (address, key, value) in cases {
            #expect(throws: RedisConfiguration.Invalid.self, "\(address)") {
                try RedisConfiguration(address: address)
            }
            do throws(RedisConfiguration.Invalid) {
                _ = try RedisConfiguration(address: address)
            } catch {
                #expect(error.key == key && error.value == value, "\(address): \(error)")
                #expect(error.description.contains(key) && error.description.contains("\"\(value)\""))
            }
        }
        let ipv6 = try RedisConfiguration(address: "[::1]:6380")
        #expect(ipv6.host == "::1" && ipv6.port == 6380)
        let plain = try RedisConfiguration(
            address: "redis.internal:6379", password: "secret", database: 3, poolSize: 8)
        #expect(
            plain.host == "redis.internal" && plain.port == 6379 && plain.database == 3 && plain.poolSize == 8
        )
        #expect(
            throws: RedisConfiguration.Invalid(
                key: "poolSize", value: "0", reason: "must be between 1 and 1024")
        ) {
            try RedisConfiguration(host: "h", poolSize: 0)
        }
        #expect(throws: RedisConfiguration.Invalid.self) { try RedisConfiguration(host: "h", database: -1) }
        #expect(throws: RedisConfiguration.Invalid.self) {
            try RedisConfiguration(host: "h", commandTimeout: .zero)
        }
        #expect(throws: RedisConfiguration.Invalid.self) { try RedisConfiguration(host: "", port: 6379) }
    }

    @Test("a server that accepts but never answers gives .timeout after the command timeout, not a hang")
    func commandTimeout() async throws {
        let listener = try RedisTestSupport.Listener()
        let client = RedisClient(
            configuration: try RedisConfiguration(
                host: "127.0.0.1", port: listener.port, commandTimeout: .milliseconds(300), poolSize: 2))
        for _ in 0..<2 {
            let start = ContinuousClock.now
            do throws(RedisError) {
                _ = try await client.get("anything")
                Issue.record("a silent server answered")
            } catch {
                #expect(error.code == .timeout && error.command == "GET", "\(error)")
            }
            let elapsed = ContinuousClock.now - start
            // A generous bound: it detects a hang, not a slow machine (the suite runs in parallel).
            #expect(elapsed >= .milliseconds(250) && elapsed < .seconds(30), "took \(elapsed)")
        }
        do throws(RedisError) {
            _ = try await client.pipeline([["PING"], ["PING"]])
            Issue.record("a silent server answered a pipeline")
        } catch {
            #expect(error.code == .timeout && error.command == "PIPELINE", "\(error)")
        }
        client.close()
    }

    @Test("nothing listening gives .connection, naming the command and the address")
    func connectionRefused() async throws {
        let port = try RedisTestSupport.freePort()
        let client = RedisClient(configuration: try RedisConfiguration(host: "127.0.0.1", port: port))
        do throws(RedisError) {
            try await client.ping()
            Issue.record("connected to a closed port")
        } catch {
            #expect(error.code == .connection && error.command == "PING", "\(error)")
            #expect(
                error.message.contains("127.0.0.1:\(port)") && error.message.contains("refused"), "\(error)")
        }
    }

    @Test(
        "the client survives a server restart: a typed error while it is down, then the same client works",
        .enabled(if: RedisTestSupport.toolsAreInstalled))
    func reconnectAfterRestart() async throws {
        let port = try RedisTestSupport.freePort()
        let password = "pw-\(UUID().uuidString)"
        let extra = ["--requirepass", password]
        var server = try await RedisTestSupport.startServer(port: port, extra: extra)
        // AUTH and SELECT are sent on every new connection: after the restart as well.
        let client = RedisClient(
            configuration: try RedisConfiguration(
                host: "127.0.0.1", port: port, password: password, database: 2, commandTimeout: .seconds(2),
                poolSize: 3))
        // Three connections, all idle when the server goes away.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<12 { group.addTask { try await client.set("k\(index)", "before") } }
            try await group.waitForAll()
        }
        #expect(try await client.get("k0") == Array("before".utf8))
        // The keys went to database 2, as redis-cli sees it.
        let cli = try await RedisTestSupport.redisCLI(port: port, ["-a", password, "-n", "2", "GET", "k0"])
        #expect(cli.text == "before\n")

        server.signal(SIGKILL)
        #expect(await server.wait() != nil)
        // A large write on a connection the server has left: write(2) fails with EPIPE, and
        // the SIGPIPE that comes with it must not end the test process.
        do throws(RedisError) {
            try await client.set("big", [UInt8](repeating: 7, count: 16 << 20))
            Issue.record("a killed server took a write")
        } catch {
            #expect(error.code == .connection && error.command == "SET", "\(error)")
        }
        do throws(RedisError) {
            _ = try await client.get("k0")
            Issue.record("a killed server answered")
        } catch {
            #expect(error.code == .connection && error.command == "GET", "\(error)")
        }
        // While it is down every call fails fast with a typed error.
        for _ in 0..<3 {
            do throws(RedisError) {
                try await client.ping()
                Issue.record("a killed server answered")
            } catch {
                #expect(error.code == .connection, "\(error)")
            }
        }

        server = try await RedisTestSupport.startServer(port: port, extra: extra)
        try await client.ping()
        try await client.set("k0", "after")
        #expect(try await client.get("k0") == Array("after".utf8))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<12 {
                group.addTask {
                    let value = try await client.incr("n")
                    #expect(value >= 1, "caller \(index)")
                }
            }
            try await group.waitForAll()
        }
        #expect(try await client.get("n") == Array("12".utf8))
        let after = try await RedisTestSupport.redisCLI(port: port, ["-a", password, "-n", "2", "GET", "n"])
        #expect(after.text == "12\n")

        // A wrong password is the server's error, named AUTH.
        let wrong = RedisClient(
            configuration: try RedisConfiguration(host: "127.0.0.1", port: port, password: "wrong"))
        do throws(RedisError) {
            try await wrong.ping()
            Issue.record("a wrong password was accepted")
        } catch {
            #expect(error.code == .server && error.command == "AUTH", "\(error)")
        }
        client.close()
        wrong.close()
        // No data to keep: SIGKILL spares the wait for a clean shutdown.
        server.signal(SIGKILL)
        _ = await server.wait()
    }
}
