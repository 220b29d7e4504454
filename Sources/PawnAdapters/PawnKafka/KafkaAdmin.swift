import CRdKafka
import PawnIO
import PawnPorts

/// Blocking librdkafka calls that are not tied to one client's event thread (metadata,
/// topic creation), run on a small pool of threads of our own.
enum KafkaAdmin {
    private static let pool = BlockingPool(threads: 2, queueLimit: 1_000, name: "pawn-kafka-admin")

    /// Runs `body` on an admin thread; `nil` when the pool refused it.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T? {
        try? await pool.run(body)
    }

    /// Creates `topics` with `partitions` partitions each on the cluster `handle` talks to;
    /// a topic that already exists is left as it is.
    static func ensureTopics(
        _ topics: [String], partitions: Int, replicationFactor: Int, handle: KafkaHandle, timeout: Duration
    ) async throws(EventLogError) {
        let milliseconds = timeout.milliseconds32
        let outcome: Result<Void, EventLogError>? = await blocking {
            createTopics(topics, partitions, replicationFactor, handle, milliseconds)
        }
        guard let outcome else { throw EventLogError(.unavailable, "the Kafka admin pool is full") }
        try outcome.get()
    }

    private static func createTopics(
        _ topics: [String], _ partitions: Int, _ replicationFactor: Int, _ handle: KafkaHandle,
        _ milliseconds: Int32
    ) -> Result<Void, EventLogError> {
        var message = [CChar](repeating: 0, count: 512)
        var requests: [OpaquePointer?] = []
        defer { for request in requests { rd_kafka_NewTopic_destroy(request) } }
        for topic in topics {
            guard
                let request = rd_kafka_NewTopic_new(
                    topic, Int32(partitions), Int32(replicationFactor), &message, message.count)
            else {
                return .failure(EventLogError(.failed, "topic \(topic): \(KafkaHandle.text(message))"))
            }
            requests.append(request)
        }
        guard let queue = rd_kafka_queue_new(handle.pointer) else {
            return .failure(EventLogError(.failed, "cannot create a Kafka queue"))
        }
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(handle.pointer, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_operation_timeout(options, milliseconds, &message, message.count)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, milliseconds, &message, message.count)
        rd_kafka_CreateTopics(handle.pointer, &requests, requests.count, options, queue)
        guard let event = rd_kafka_queue_poll(queue, milliseconds + 1_000) else {
            return .failure(
                EventLogError(.unavailable, "no answer to CreateTopics within \(milliseconds) ms"))
        }
        defer { rd_kafka_event_destroy(event) }
        let code = rd_kafka_event_error(event)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            return .failure(KafkaHandle.error(code, "cannot create topics \(topics)"))
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else { return .success(()) }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return .success(()) }
        for index in 0..<count {
            let topicResult = results[index]
            let code = rd_kafka_topic_result_error(topicResult)
            guard code != RD_KAFKA_RESP_ERR_NO_ERROR, code != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS else {
                continue
            }
            let name = String(cString: rd_kafka_topic_result_name(topicResult))
            let text = rd_kafka_topic_result_error_string(topicResult).map { String(cString: $0) } ?? ""
            return .failure(KafkaHandle.error(code, "cannot create topic \(name) (\(text))"))
        }
        return .success(())
    }
}
