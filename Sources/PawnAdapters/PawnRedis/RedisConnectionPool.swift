import PawnIO

/// The idle connections of one client. A caller takes one (or opens a new one) for the
/// length of a call and gives it back; a broken connection is dropped instead, and so are
/// the idle ones opened before it broke, since a server restart breaks them all and each
/// would otherwise fail one more call.
final class RedisConnectionPool: Sendable {
    private struct State {
        var idle: [RedisConnection] = []
        /// Goes up whenever a connection breaks; connections opened before are not reused.
        var generation = 0
        var closed = false
    }

    private let configuration: RedisConfiguration
    private let state = Locked(State())

    init(configuration: RedisConfiguration) { self.configuration = configuration }

    /// Runs `body` with a connection of its own, opening one when none is idle. Called on a
    /// thread of the client's blocking pool, never on the cooperative pool.
    func withConnection<T>(command: String, _ body: (RedisConnection) throws(RedisError) -> T)
        throws(RedisError)
        -> T
    {
        let (reused, generation, closed) = state.withLock { state in
            (state.idle.popLast(), state.generation, state.closed)
        }
        if closed { throw RedisError(.unavailable, command: command, message: "the client is closed") }
        let connection: RedisConnection
        if let reused {
            connection = reused
        } else {
            do {
                connection = try RedisConnection(
                    configuration: configuration, generation: generation, command: command)
            } catch {
                if error.code == .connection || error.code == .timeout { dropIdle() }
                throw error
            }
        }
        do {
            let result = try body(connection)
            giveBack(connection, failed: false)
            return result
        } catch {
            // The connection threw only when it could not finish the exchange (a server's
            // error reply is a value): whatever it still has queued or unread would answer the
            // next caller, so it is never reused.
            giveBack(connection, failed: true)
            throw error
        }
    }

    private func giveBack(_ connection: RedisConnection, failed: Bool) {
        if failed || connection.isBroken {
            dropIdle()
            return  // released here: deinit frees the hiredis context
        }
        let stale: RedisConnection? = state.withLock { state in
            guard !state.closed, connection.generation == state.generation else { return connection }
            state.idle.append(connection)
            return nil
        }
        _ = stale  // released outside the lock: freeing a context closes a socket
    }

    /// Forgets the idle connections and starts a new generation.
    private func dropIdle() {
        let dropped = state.withLock { state in
            state.generation += 1
            defer { state.idle = [] }
            return state.idle
        }
        _ = dropped
    }

    /// Frees the idle connections and refuses further calls.
    func close() {
        let dropped = state.withLock { state in
            state.closed = true
            defer { state.idle = [] }
            return state.idle
        }
        _ = dropped
    }
}
