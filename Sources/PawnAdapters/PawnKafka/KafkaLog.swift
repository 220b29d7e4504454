import CRdKafka
import PawnIO
import PawnLog

/// librdkafka's log lines and error events, through the process's log, each distinct text
/// once every ten seconds: a broker that is down reports the same error every second (as a
/// log line and as an error event), which would drown the log.
enum KafkaLog {
    private static let recent = Locked<[String: ContinuousClock.Instant]>([:])
    private static let logger = Logger(["component": "kafka"])

    /// Logs an `RD_KAFKA_EVENT_ERROR` event of a client named `client`, at error level
    /// (critical when fatal).
    static func error(_ event: OpaquePointer, from client: String) {
        let code = rd_kafka_event_error(event)
        let text = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
        let fatal = rd_kafka_event_error_is_fatal(event) != 0
        log(
            fatal ? .critical : .error, client: client, text,
            ["kafka_error": .string(String(cString: rd_kafka_err2name(code)))])
    }

    /// Logs one of librdkafka's own lines (its log callback): `level` is a syslog severity,
    /// `facility` librdkafka's short tag (`FAIL`, `REQTMOUT`, …).
    static func library(level: Int32, facility: String, _ line: String) {
        let mapped = LogLevel(syslog: Int(level))
        guard Log.isEnabled(mapped) else { return }
        // "[thrd:127.0.0.1:9092/bootstrap]: 127.0.0.1:9092/bootstrap: Connect … failed": the
        // thread's tag goes, so that the line and the error event of the same failure match.
        var text = Substring(line)
        if text.hasPrefix("[thrd:"), let end = text.firstRange(of: "]: ") { text = text[end.upperBound...] }
        log(mapped, client: "librdkafka", String(text), ["kafka_facility": .string(facility)])
    }

    /// Logs `message` for `client` at warning level, unless the same text was logged in the
    /// last ten seconds.
    static func warning(client: String, _ message: String) { log(.warning, client: client, message) }

    private static func log(
        _ level: LogLevel, client: String, _ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]
    ) {
        guard Log.isEnabled(level) else { return }
        let now = ContinuousClock.now
        let fresh = recent.withLock { recent in
            if let last = recent[message], now - last < .seconds(10) { return false }
            if recent.count > 1_000 { recent.removeAll() }
            recent[message] = now
            return true
        }
        guard fresh else { return }
        var logger = logger.with("kafka_client", .string(client))
        for (key, value) in fields { logger = logger.with(key, value) }
        logger.log(level, message)
    }
}
