import CRdKafka
import PawnIO
import PawnPorts

/// High watermarks of the ordered topics, each snapshot asked of the brokers *after* every
/// caller waiting for it arrived.
///
/// That order is the whole point: a record acknowledged before a caller arrived is below
/// the watermark the caller gets, and a record produced after the caller's own record was
/// acknowledged is not. Callers that arrive while a snapshot is under way wait for the
/// next one, so a burst of writes shares one ListOffsets round trip per broker.
final class KafkaWatermarks: Sendable {
    private typealias Waiter = (
        partition: Int, continuation: CheckedContinuation<Result<[String: Int64], EventLogError>, Never>
    )

    private struct State {
        var waiting: [Waiter] = []
        var running = false
        var queries = 0
    }

    private let handle: KafkaHandle
    private let topics: [String]
    private let timeout: Duration
    private let state = Locked(State())

    /// Snapshots of `topics` through `handle`; a round that takes longer than `timeout` fails.
    init(handle: KafkaHandle, topics: [String], timeout: Duration) {
        self.handle = handle
        self.topics = topics
        self.timeout = timeout
    }

    /// How many queries were sent to the brokers.
    var queries: Int { state.withLock { $0.queries } }

    /// The high watermark of partition `partition` of every ordered topic, from a query sent
    /// after this call began.
    func snapshot(partition: Int) async throws(EventLogError) -> [String: Int64] {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<[String: Int64], EventLogError>, Never>) in
            let start = state.withLock { state in
                state.waiting.append((partition, continuation))
                defer { state.running = true }
                return !state.running
            }
            if start { Task { await self.rounds() } }
        }
        return try result.get()
    }

    /// Serves rounds until nobody waits.
    private func rounds() async {
        while true {
            let batch = state.withLock { state -> [Waiter] in
                defer { state.waiting.removeAll() }
                if state.waiting.isEmpty { state.running = false } else { state.queries += 1 }
                return state.waiting
            }
            guard !batch.isEmpty else { return }
            let numbers = Set(batch.map(\.partition))
            let (handle, topics, milliseconds) = (self.handle, self.topics, timeout.milliseconds32)
            let answer =
                await KafkaAdmin.blocking { Self.query(handle, topics, numbers, milliseconds) }
                ?? .failure(EventLogError(.unavailable, "the Kafka admin pool is full"))
            for waiter in batch {
                waiter.continuation.resume(
                    returning: answer.map { marks in
                        var barrier: [String: Int64] = [:]
                        for topic in topics {
                            barrier[topic] = marks[TopicPartition(topic: topic, partition: waiter.partition)]
                        }
                        return barrier
                    })
            }
        }
    }

    /// One ListOffsets(latest) per leader for partitions `numbers` of `topics`.
    private static func query(
        _ handle: KafkaHandle, _ topics: [String], _ numbers: Set<Int>, _ milliseconds: Int32
    ) -> Result<[TopicPartition: Int64], EventLogError> {
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count * numbers.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics {
            for number in numbers.sorted() {
                // The "timestamp" -1 asks for the latest offset: the high watermark.
                rd_kafka_topic_partition_list_add(list, topic, Int32(number))?.pointee.offset = -1
            }
        }
        let code = rd_kafka_offsets_for_times(handle.pointer, list, milliseconds)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let list else {
            return .failure(
                EventLogError(
                    .unavailable,
                    "cannot read the high watermarks of \(topics): \(KafkaHandle.describe(code))"))
        }
        var marks: [TopicPartition: Int64] = [:]
        for index in 0..<Int(list.pointee.cnt) {
            let element = list.pointee.elems[index]
            let partition = TopicPartition(
                topic: String(cString: element.topic), partition: Int(element.partition))
            guard element.err == RD_KAFKA_RESP_ERR_NO_ERROR, element.offset >= 0 else {
                // OFFSET_NOT_AVAILABLE: a new leader whose high watermark is not known yet.
                return .failure(
                    EventLogError(
                        .unavailable,
                        "no high watermark for \(partition): \(KafkaHandle.describe(element.err))"))
            }
            marks[partition] = element.offset
        }
        return .success(marks)
    }
}
