// The cost of the per-item ordering rule on the write path (#18): CLIENTS clients, each
// publishing its own item's actions one after another and waiting for every acknowledgement
// (as a client waits for its 202), for SECONDS, twice in one process: with the barrier (the
// action topics ordered: a ListOffsets round shared by the publishes waiting, then the
// send) and without it (the send alone, no order across topics). Alternates which goes
// first with `--barrier-first false`. Prints one line per side:
// `ordering: SIDE N publishes in S s: R publishes/s, p50 A ms, p99 B ms`.
import PawnKafka
import PawnWire

private func publishLoad(_ log: KafkaEventLog, clients: Int, seconds limit: Double) async -> (
    Int, Double, [Double]
) {
    let start = ContinuousClock.now
    let latencies = await withTaskGroup(of: [Double].self) { group in
        for client in 0..<clients {
            group.addTask {
                var latencies: [Double] = []
                var step = 0
                let key = "ordering-\(UInt32.random(in: 0 ... .max))-\(client)"
                while seconds(since: start) < limit {
                    let topic = Topics.actionTopics[step % Topics.actionTopics.count]
                    let sent = ContinuousClock.now
                    do {
                        _ = try await log.publish(
                            topic: topic, key: key, value: Array("step \(step)".utf8),
                            headers: [Topics.eventIdHeader: "\(key)-\(step)"])
                    } catch {
                        fail("\(error)")
                    }
                    latencies.append(seconds(since: sent) * 1_000)
                    step += 1
                }
                return latencies
            }
        }
        return await group.reduce(into: []) { $0 += $1 }
    }
    return (latencies.count, seconds(since: start), latencies.sorted())
}

func benchOrdering(_ arguments: [String]) async {
    let clients = Int(option("--clients", arguments, "32"))!
    let limit = Double(option("--seconds", arguments, "10"))!
    let barrierFirst = option("--barrier-first", arguments, "true") != "false"
    for ordered in barrierFirst ? [true, false] : [false, true] {
        var configuration = kafkaConfiguration(arguments)
        configuration.orderedTopics = ordered ? Topics.actionTopics : []
        let log: KafkaEventLog
        do {
            log = try KafkaEventLog(configuration: configuration)
            try await log.ensureTopics(Topics.actionTopics)
        } catch {
            fail("\(error)")
        }
        let (count, elapsed, latencies) = await publishLoad(log, clients: clients, seconds: limit)
        await log.close()
        func percentile(_ p: Double) -> String {
            latencies.isEmpty
                ? "-" : format(latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))])
        }
        print(
            "ordering: \(ordered ? "barrier" : "none") \(count) publishes in \(format(elapsed)) s: \(Int(Double(count) / elapsed)) publishes/s, p50 \(percentile(0.5)) ms, p99 \(percentile(0.99)) ms"
        )
    }
}
