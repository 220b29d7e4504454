import CMongoc
import Glibc
import PawnLog
import Synchronization

/// The one owner of libmongoc's process-wide state: `mongoc_init` runs once, before the
/// first pool is made, and `mongoc_cleanup` runs at exit, only when no pool is still open
/// (libmongoc cannot be initialised again after a cleanup, and cleaning up under a live
/// pool would free what its threads use).
enum MongoRuntime {
    private static let openPools = Atomic<Int>(0)

    private static let initialised: Bool = {
        mongoc_init()
        // libmongoc's lines go through the process's log, at their level (Debian's libmongoc
        // logs every connection attempt at debug, below the default level).
        mongoc_log_set_handler(
            { level, domain, message, _ in
                let mapped = MongoRuntime.level(level)
                guard Log.isEnabled(mapped) else { return }
                let text = message.map { String(cString: $0) } ?? ""
                let facility = domain.map { String(cString: $0) } ?? ""
                MongoRuntime.log.log(mapped, text, ["mongoc_domain": .string(facility)])
            }, nil)
        atexit { MongoRuntime.cleanUpAtExit() }
        return true
    }()

    private static let log = Logger(["component": "mongo"])

    /// Our level of a libmongoc level.
    static func level(_ level: mongoc_log_level_t) -> LogLevel {
        switch level {
        case MONGOC_LOG_LEVEL_ERROR: .error
        case MONGOC_LOG_LEVEL_CRITICAL: .critical
        case MONGOC_LOG_LEVEL_WARNING: .warning
        case MONGOC_LOG_LEVEL_MESSAGE: .notice
        case MONGOC_LOG_LEVEL_INFO: .info
        case MONGOC_LOG_LEVEL_DEBUG: .debug
        default: .trace
        }
    }

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
