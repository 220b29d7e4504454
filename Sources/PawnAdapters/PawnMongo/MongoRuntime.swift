import CMongoc
import Glibc
import Synchronization

/// The one owner of libmongoc's process-wide state: `mongoc_init` runs once, before the
/// first pool is made, and `mongoc_cleanup` runs at exit, only when no pool is still open
/// (libmongoc cannot be initialised again after a cleanup, and cleaning up under a live
/// pool would free what its threads use).
enum MongoRuntime {
    private static let openPools = Atomic<Int>(0)

    private static let initialised: Bool = {
        mongoc_init()
        // Debian's libmongoc logs connection attempts at debug level to stderr; keep
        // warnings and errors only, through libmongoc's own printer.
        mongoc_log_set_handler(
            { level, domain, message, _ in
                if level.rawValue <= MONGOC_LOG_LEVEL_WARNING.rawValue {
                    mongoc_log_default_handler(level, domain, message, nil)
                }
            }, nil)
        atexit { MongoRuntime.cleanUpAtExit() }
        return true
    }()

    /// Initialises libmongoc if needed and counts one more open pool.
    static func acquire() {
        _ = initialised
        openPools.add(1, ordering: .sequentiallyConsistent)
    }

    /// Counts one pool fewer.
    static func release() {
        openPools.subtract(1, ordering: .sequentiallyConsistent)
    }

    private static func cleanUpAtExit() {
        if openPools.load(ordering: .sequentiallyConsistent) == 0 { mongoc_cleanup() }
    }
}
