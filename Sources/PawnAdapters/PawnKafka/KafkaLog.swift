import CRdKafka
import PawnIO

/// librdkafka's error events, printed once per distinct message every ten seconds: a
/// broker that is down reports the same error every second, which would drown the log.
enum KafkaLog {
    private static let recent = Locked<[String: ContinuousClock.Instant]>([:])

    /// Prints an `RD_KAFKA_EVENT_ERROR` event of a client named `client`.
    static func error(_ event: OpaquePointer, from client: String) {
        let code = rd_kafka_event_error(event)
        let text = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
        let fatal = rd_kafka_event_error_is_fatal(event) != 0
        print(client: client, "\(fatal ? "fatal " : "")\(String(cString: rd_kafka_err2name(code))): \(text)")
    }

    /// Prints `message` for `client`, unless the same line was printed in the last ten seconds.
    static func print(client: String, _ message: String) {
        let now = ContinuousClock.now
        let fresh = recent.withLock { recent in
            if let last = recent[message], now - last < .seconds(10) { return false }
            if recent.count > 1_000 { recent.removeAll() }
            recent[message] = now
            return true
        }
        if fresh { Swift.print("pawnshop kafka \(client): \(message)") }
    }
}
