import CMongoc
import PawnBSON
import PawnIO
import PawnPorts

/// A libmongoc client pool and the threads that use it.
///
/// Every libmongoc call blocks, so none runs on Swift's cooperative pool: each operation
/// is a job on a `BlockingPool` of our own with exactly as many threads as the client
/// pool has clients, so that a thread that takes a client never waits for one (a thread
/// holds at most one client at a time, and there are never more threads than clients).
public final class MongoClientPool: Sendable {
    /// The `mongoc_client_pool_t`. libmongoc documents the pool as thread-safe (pop and
    /// push from any thread), which is all this wrapper shares across threads; a client
    /// popped from it is used by one thread only, for one job.
    private struct Handle: @unchecked Sendable {
        let pool: OpaquePointer
    }

    /// The configuration the pool was made with.
    public let configuration: MongoConfiguration
    private let handle: Handle
    private let threads: BlockingPool
    private let closed = Locked(false)

    /// Opens a pool for `configuration` (connections are made lazily, on first use).
    /// Throws `ItemStoreError.Code.failed` when libmongoc refuses the URI.
    public init(_ configuration: MongoConfiguration) throws(ItemStoreError) {
        MongoRuntime.acquire()
        var error = bson_error_t()
        guard let uri = mongoc_uri_new_with_error(configuration.uri, &error) else {
            MongoRuntime.release()
            throw MongoFailure.error(error, "parsing the uri setting")
        }
        defer { mongoc_uri_destroy(uri) }
        mongoc_uri_set_option_as_int32(uri, MONGOC_URI_MAXPOOLSIZE, Int32(configuration.poolSize))
        mongoc_uri_set_option_as_int32(
            uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, Int32(configuration.serverSelectionTimeoutMilliseconds))
        guard let pool = mongoc_client_pool_new_with_error(uri, &error) else {
            MongoRuntime.release()
            throw MongoFailure.error(error, "opening the client pool")
        }
        // Version 2 reports server errors in the MONGOC_ERROR_SERVER domain with the
        // server's own codes (11000 for a duplicate key).
        mongoc_client_pool_set_error_api(pool, 2)
        self.configuration = configuration
        self.handle = Handle(pool: pool)
        self.threads = BlockingPool(threads: configuration.poolSize, name: "pawn-mongo")
    }

    /// Runs `body` with a client on a pool thread. The job captures the handle, never
    /// `self`, so that the pool's last reference is never dropped on one of its own
    /// threads (whose shutdown joins them).
    func withConnection<T: Sendable>(
        _ what: String, _ body: @escaping @Sendable (MongoConnection) throws(ItemStoreError) -> T
    ) async throws(ItemStoreError) -> T {
        let handle = self.handle
        let database = configuration.database
        do {
            return try await threads.run { () throws(ItemStoreError) -> T in
                // Never waits: there are as many threads as clients. NULL only when the
                // pool could not start its topology (a TLS or option error).
                guard let client = mongoc_client_pool_pop(handle.pool) else {
                    throw ItemStoreError(.unavailable, "MongoDB \(what): the client pool gave no client")
                }
                defer { mongoc_client_pool_push(handle.pool, client) }
                return try body(MongoConnection(client: client, database: database))
            }
        } catch let error as ItemStoreError {
            throw error
        } catch {
            throw ItemStoreError(.unavailable, "MongoDB \(what) was not run: \(error)")
        }
    }

    /// Runs a database command (`{"ping": 1}`, `{"dropDatabase": 1}`) against `database`
    /// (the configured one by default) and returns the server's reply.
    public func runCommand(_ command: BSONDocument, database: String? = nil) async throws(ItemStoreError)
        -> BSONDocument
    {
        let name = command.keys.first ?? "command"
        return try await withConnection("command \(name)") { connection throws(ItemStoreError) in
            try connection.command(command, database: database, what: "command \(name)")
        }
    }

    /// Lets running operations finish, then closes every connection; later operations fail
    /// as unavailable. Called by `deinit` when not called before.
    public func close() {
        let wasClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        threads.shutdown()
        mongoc_client_pool_destroy(handle.pool)
        MongoRuntime.release()
    }

    deinit { close() }
}
