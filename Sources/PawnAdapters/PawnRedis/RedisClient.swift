import Glibc
import PawnIO

/// A Redis client: a few hiredis connections, each driven by one thread of a blocking pool
/// of its own, so callers `await` and the cooperative thread pool never blocks on a socket.
///
/// A connection that fails (I/O error, closed by the server, timeout) is dropped and a new one
/// is opened on the next call, so the client recovers by itself once the server is back.
/// Typed helpers are in `RedisClient+Commands.swift`.
public final class RedisClient: Sendable {
    /// The settings the client was made with.
    public let configuration: RedisConfiguration
    private let connections: RedisConnectionPool
    private let threads: BlockingPool
    private let closed = Locked(false)

    /// A client for `configuration`. No connection is opened until the first call.
    public init(configuration: RedisConfiguration, queueLimit: Int = 10_000) {
        self.configuration = configuration
        connections = RedisConnectionPool(configuration: configuration)
        threads = Self.makeThreads(count: configuration.poolSize, queueLimit: queueLimit)
    }

    /// Starts the threads with SIGPIPE blocked: hiredis writes with `write(2)`, and a write
    /// to a connection the server has closed would otherwise kill the process. Threads
    /// inherit the creating thread's signal mask, so the mask is changed only around their
    /// creation, and the process's signal handling is left alone.
    private static func makeThreads(count: Int, queueLimit: Int) -> BlockingPool {
        var pipe = sigset_t()
        var previous = sigset_t()
        sigemptyset(&pipe)
        sigaddset(&pipe, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipe, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return BlockingPool(threads: count, queueLimit: queueLimit, name: "pawn-redis")
    }

    deinit { close() }

    /// Lets calls already queued finish, then stops the threads and frees every connection.
    /// Later calls throw `.unavailable`. Calling it again does nothing.
    public func close() {
        let already = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        if already { return }
        threads.shutdown()
        connections.close()
    }

    /// Runs one command and returns its reply; a server error reply throws `.server`.
    public func command(_ arguments: [any RedisArgument]) async throws(RedisError) -> RedisReply {
        let bytes = arguments.map(\.redisBytes)
        let name = Self.name(of: bytes)
        let reply = try await call(command: name) { connection throws(RedisError) in
            try connection.run(bytes, command: name)
        }
        if case .error(let text) = reply { throw RedisError(.server, command: name, message: text) }
        return reply
    }

    /// Sends all `commands` in one write and reads their replies, in order, on one connection.
    /// A command the server refuses has an `.error` reply and the others are unaffected; a
    /// broken connection or a timeout throws for the whole batch. Commands from other
    /// callers may run between these: a pipeline is not a transaction.
    public func pipeline(_ commands: [[any RedisArgument]]) async throws(RedisError) -> [RedisReply] {
        if commands.isEmpty { return [] }
        let bytes = commands.map { $0.map(\.redisBytes) }
        return try await call(command: "PIPELINE") { connection throws(RedisError) in
            try connection.pipeline(bytes)
        }
    }

    /// Runs `body` with a connection on one of the client's threads.
    private func call<T: Sendable>(
        command: String, _ body: @escaping @Sendable (RedisConnection) throws(RedisError) -> T
    ) async throws(RedisError) -> T {
        let connections = self.connections
        let result: Result<T, RedisError>
        do {
            result = try await threads.run {
                // The error is carried as a value: BlockingPool's bridge rethrows untyped.
                Result { () throws(RedisError) -> T in
                    try connections.withConnection(command: command, body)
                }
            }
        } catch {
            throw RedisError(.unavailable, command: command, message: "\(error)")
        }
        return try result.get()
    }

    /// The command's name, for errors: its first argument, upper-cased when it is short text.
    private static func name(of arguments: [[UInt8]]) -> String {
        guard let first = arguments.first, first.count <= 32,
            first.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return "COMMAND" }
        return String(decoding: first, as: UTF8.self).uppercased()
    }
}
