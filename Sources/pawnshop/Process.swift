// What every command shares: the log, the loops, the start-up lines.
import Foundation
import Glibc
import PawnIO
import PawnLog
import PawnTelemetry
import PawnTrace

/// The process's own lines (started, listening, stopping), beside the modules' loggers.
let processLog = Logger(["component": "process"])

/// Configures the log for `service` from `--log-level`, `--log-format` and `--access-log`,
/// and the tracer from OpenTelemetry's variables (`OTEL_EXPORTER_OTLP_ENDPOINT`, …; off
/// without an endpoint; a bad value is a usage error naming the variable).
func startLog(_ options: LogOptions, service: String) {
    Log.configure(
        level: options.level, format: options.format, service: service, accessLog: options.accessLog)
    let tracing: TracingConfiguration
    do {
        tracing = try TracingConfiguration.fromEnvironment(
            ProcessInfo.processInfo.environment, defaultService: service)
    } catch {
        fail("\(error)", .usage)
    }
    Tracer.configure(tracing)
    if let endpoint = tracing.endpoint {
        processLog.notice(
            "exporting spans to \(endpoint) as \(tracing.serviceName)",
            ["otlp_endpoint": .string(endpoint), "sampler": .string("\(tracing.sampler)")])
    }
}

/// Writes what the log and the tracer hold before the process exits.
func flushTelemetry() {
    Tracer.flush(timeout: .seconds(2))
    Log.flush()
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
/// The first line a serving process writes: where the operator console is (when it is on).
func announceConsole(_ base: String, _ server: ServerOptions) {
    guard server.console else { return }
    processLog.notice("operator console: \(base)/", ["console": .string("\(base)/")])
}

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
