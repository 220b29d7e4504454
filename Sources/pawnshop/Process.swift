// What every command shares: the log, the loops, the start-up lines.
import Glibc
import PawnIO
import PawnLog

/// The process's own lines (started, listening, stopping), beside the modules' loggers.
let processLog = Logger(["component": "process"])

/// Configures the log for `service` from `--log-level`, `--log-format` and `--access-log`.
func startLog(_ options: LogOptions, service: String) {
    Log.configure(
        level: options.level, format: options.format, service: service, accessLog: options.accessLog)
}

/// The event loops: `loops` threads, or one per core.
func makeGroup(loops: Int?) -> EventLoopGroup {
    do { return try loops.map { try EventLoopGroup(loopCount: $0) } ?? EventLoopGroup() } catch {
        fail("cannot start the event loops: \(error)")
    }
}

/// `http://host:port`, with an IPv6 host in brackets.
func url(_ host: String, _ port: Int) -> String {
    "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
}

/// Says so when a separate process keeps its events in its own memory.
func warnIfAlone(_ command: String, _ adapters: AdapterOptions) {
    guard adapters.kafka == nil else { return }
    processLog.warning(
        "no --kafka given: events stay in this process's memory, so a separate dispatcher and worker do not see each other's writes"
    )
}

/// A few requests to try, printed at start when standard output is a terminal (a person
/// reading, not a log collector parsing lines).
func printExamples(_ base: String) {
    guard isatty(STDOUT_FILENO) == 1 else { return }
    Log.flush()
    print(
        """
        Try:
          curl -s -X POST \(base)/item/add -H 'Content-Type: application/json' \\
               -d '{"id":"ring-1","name":"Gold ring","category":"Jewelry","price":45000,"state":"Good","ageInMonths":12}'
          curl -s \(base)/item/fetch/ring-1
          curl -s '\(base)/item/fetch?category=Jewelry&limit=5'
        Stop with Ctrl-C.
        """)
}
