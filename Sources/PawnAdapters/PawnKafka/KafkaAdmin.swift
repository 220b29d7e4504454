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

    /// The partition count of each of `topics` that exists, from the cluster's metadata.
    static func partitionCounts(_ topics: [String], handle: KafkaHandle, timeout: Duration)
        async throws(EventLogError) -> [String: Int]
    {
        let milliseconds = timeout.milliseconds32
        let wanted = Set(topics)
        let outcome: Result<[String: Int], EventLogError>? = await blocking {
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let code = rd_kafka_metadata(handle.pointer, 1, nil, &metadata, milliseconds)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
                return .failure(
                    EventLogError(
                        .unavailable, "cannot read the topics' metadata: \(KafkaHandle.describe(code))"))
            }
            defer { rd_kafka_metadata_destroy(metadata) }
            var counts: [String: Int] = [:]
            for index in 0..<Int(metadata.pointee.topic_cnt) {
                let topic = metadata.pointee.topics[index]
                let name = String(cString: topic.topic)
                if wanted.contains(name), topic.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    counts[name] = Int(topic.partition_cnt)
                }
            }
            return .success(counts)
        }
        guard let outcome else { throw EventLogError(.unavailable, "the Kafka admin pool is full") }
        return try outcome.get()
    }

    /// Fails, naming every topic and its count, unless `topics` all exist with one partition
    /// count: an item's events meet on one member only when partition *n* of each topic
    /// holds the same keys.
    static func checkPartitionCounts(_ topics: [String], handle: KafkaHandle, timeout: Duration)
        async throws(EventLogError) -> Int
    {
        let counts = try await partitionCounts(topics, handle: handle, timeout: timeout)
        let missing = topics.filter { counts[$0] == nil }
        guard missing.isEmpty else {
            throw EventLogError(
                .unavailable, "topics \(missing.joined(separator: ", ")) are not known to the brokers yet")
        }
        guard Set(counts.values).count == 1, let count = counts.values.first else {
            let listed = topics.map { "\($0)=\(counts[$0]!)" }.joined(separator: ", ")
            throw EventLogError(
                .partitionCountsDiffer,
                "the ordered topics must have one partition count, so that an item's events meet on one worker; they have \(listed)"
            )
        }
        return count
    }
}
