import Foundation
import Glibc
import PawnRedis
import PawnTestSupport

/// What the Redis tests share: the configured server, key prefixes of their own, free ports,
/// a listener that never answers, a private redis-server, and redis-cli as a peer.
enum RedisTestSupport {
    /// Whether `PAWN_TEST_REDIS` names a server; prints why the tests skip when it does not
    /// (once: the traits of every test ask).
    static let serverIsConfigured: Bool = {
        if TestServers.redis != nil { return true }
        _ = TestServers.skipReason("Redis", "PAWN_TEST_REDIS")
        return false
    }()

    /// Whether redis-server and redis-cli are installed (for the tests that start their own).
    static let toolsAreInstalled: Bool = {
        if Command.find("redis-server") != nil && Command.find("redis-cli") != nil { return true }
        print("skipped: redis-server or redis-cli is not installed (apt-get install redis-server)")
        return false
    }()

    /// A client for the configured server.
    static func client(poolSize: Int = 4) throws -> RedisClient {
        RedisClient(configuration: try RedisConfiguration(address: TestServers.redis!, poolSize: poolSize))
    }

    /// Runs `body` with a key prefix no other test uses, then deletes every key under it
    /// (the shared server is never flushed).
    static func withPrefix(_ client: RedisClient, _ body: (String) async throws -> Void) async throws {
        let prefix = "pawn-test:\(UUID().uuidString):"
        do {
            try await body(prefix)
        } catch {
            try? await deleteKeys(client, prefix)
            throw error
        }
        try await deleteKeys(client, prefix)
    }

    /// Deletes the keys that start with `prefix`, found with SCAN.
    static func deleteKeys(_ client: RedisClient, _ prefix: String) async throws {
        var cursor = "0"
        repeat {
            let reply = try await client.command(["SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000"])
            guard case .array(let parts) = reply, parts.count == 2, let next = parts[0].text,
                case .array(let keys) = parts[1]
            else { throw RedisError(.protocol, command: "SCAN", message: "\(reply)") }
            let names = keys.compactMap(\.text)
            if !names.isEmpty { try await client.del(names) }
            cursor = next
        } while cursor != "0"
    }

    /// A TCP port on loopback that nothing listens on (just now).
    static func freePort() throws -> Int {
        let listener = try Listener()
        return listener.port
    }

    /// Runs redis-cli against `host:port` with `arguments`, on a thread of its own.
    static func redisCLI(
        host: String = "127.0.0.1", port: Int, _ arguments: [String]
    ) async throws -> Command.Result {
        let executable = Command.find("redis-cli")!
        return try await offPool {
            try Command.run(executable, ["-h", host, "-p", String(port)] + arguments)
        }
    }

    /// The host and port of the configured server.
    static var serverHostPort: (host: String, port: Int) {
        let configuration = try! RedisConfiguration(address: TestServers.redis!)
        return (configuration.host, configuration.port)
    }

    /// A socket listening on loopback that accepts nothing: connecting succeeds (the kernel
    /// completes the handshake) but no reply ever comes.
    final class Listener: @unchecked Sendable {
        // @unchecked Sendable: the descriptor is written in init and only read after.
        let fd: Int32
        let port: Int

        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw RawSocketError.system("socket", errno) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(fd, pointer, length) == 0 && listen(fd, 16) == 0
                        && getsockname(fd, pointer, &length) == 0
                }
            }
            guard bound else {
                let code = errno
                close(fd)
                throw RawSocketError.system("bind/listen", code)
            }
            self.fd = fd
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(fd) }
    }

    /// A redis-server of the test's own on `port`, with no persistence.
    static func startServer(port: Int, extra: [String] = []) async throws -> ChildProcess {
        let server = try ChildProcess(
            Command.find("redis-server")!,
            ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"] + extra)
        _ = try await server.waitForLine(containing: "Ready to accept connections")
        return server
    }
}
