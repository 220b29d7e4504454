import CRdKafka
import PawnPorts

/// One `rd_kafka_t` and its queue, owned by exactly one producer or consumer, destroyed once.
///
/// `@unchecked Sendable`: librdkafka's handle and queue are thread-safe for the calls we
/// make from several threads (produce, commit, pause, metadata); the pointers are set once
/// in the initialiser and freed only by ``destroy()``, which the owner calls after its
/// event thread has stopped.
final class KafkaHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    /// The queue the owner's event thread serves (main queue for a producer, the consumer
    /// queue for a consumer).
    let queue: OpaquePointer
    private var destroyed = false

    /// A client of `type` with `properties`, delivering `events` (`RD_KAFKA_EVENT_*`) to its queue.
    init(_ type: rd_kafka_type_t, properties: [(String, String)], events: Int32) throws(EventLogError) {
        guard let conf = rd_kafka_conf_new() else { throw EventLogError(.failed, "rd_kafka_conf_new failed") }
        var message = [CChar](repeating: 0, count: 512)
        for (key, value) in properties {
            let result = rd_kafka_conf_set(conf, key, value, &message, message.count)
            guard result == RD_KAFKA_CONF_OK else {
                rd_kafka_conf_destroy(conf)
                throw EventLogError(
                    .failed, "Kafka setting \(key)=\(value): \(KafkaHandle.text(message))")
            }
        }
        rd_kafka_conf_set_events(conf, Int32(events))
        // librdkafka's own lines (stderr by default) go through the process's log; KafkaLog
        // keeps one of a line and the error event that says the same.
        rd_kafka_conf_set_log_cb(conf) { _, level, facility, line in
            KafkaLog.library(
                level: level, facility: facility.map { String(cString: $0) } ?? "",
                line.map { String(cString: $0) } ?? "")
        }
        guard let handle = rd_kafka_new(type, conf, &message, message.count) else {
            rd_kafka_conf_destroy(conf)  // still ours when rd_kafka_new fails
            throw EventLogError(.failed, "cannot create a Kafka client: \(KafkaHandle.text(message))")
        }
        pointer = handle
        if type == RD_KAFKA_CONSUMER {
            rd_kafka_poll_set_consumer(handle)
            queue = rd_kafka_queue_get_consumer(handle)
        } else {
            queue = rd_kafka_queue_get_main(handle)
        }
    }

    /// Frees the queue and the handle; call once, after the event thread stopped. A consumer
    /// that `rd_kafka_consumer_close` did not take out of its group leaves it here, unless
    /// `consumerClose` is false (then the broker drops it when its session expires).
    func destroy(consumerClose: Bool = true) {
        guard !destroyed else { return }
        destroyed = true
        rd_kafka_queue_destroy(queue)
        rd_kafka_destroy_flags(pointer, consumerClose ? 0 : RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE)
    }

    /// The text in a C buffer librdkafka wrote an error message into.
    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The error's name and librdkafka's sentence for it.
    static func describe(_ code: rd_kafka_resp_err_t) -> String {
        "\(String(cString: rd_kafka_err2name(code))): \(String(cString: rd_kafka_err2str(code)))"
    }

    /// The event log's error for librdkafka's `code`.
    static func error(_ code: rd_kafka_resp_err_t, _ context: String) -> EventLogError {
        let kind: EventLogError.Code =
            code == RD_KAFKA_RESP_ERR__QUEUE_FULL
            ? .queueFull
            : retryable.contains(code)
                ? .unavailable : refusedRecord.contains(code) ? .recordRefused : .failed
        return EventLogError(kind, "\(context): \(describe(code))")
    }

    /// The errors that are the record's own: it will never be taken, whatever the producer.
    private static let refusedRecord: Set<rd_kafka_resp_err_t> = [
        RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, RD_KAFKA_RESP_ERR_INVALID_MSG, RD_KAFKA_RESP_ERR_INVALID_RECORD,
        RD_KAFKA_RESP_ERR__BAD_MSG, RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE,
        RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE,
    ]

    /// The errors after which trying again later may succeed.
    private static let retryable: Set<rd_kafka_resp_err_t> = [
        RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__TRANSPORT,
        RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
        RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
        RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
    ]
}
