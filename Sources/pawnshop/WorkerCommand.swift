// `pawnshop worker`: consumes events, serves reads over gRPC, joins a dispatcher.
import PawnLog
import PawnPlatform
import PawnWorker

func runWorker(_ options: WorkerOptions) async {
    startLog(options.log, service: "worker")
    let adapters = RealAdapters(options: options.adapters)
    warnIfAlone("worker", options.adapters)
    let log = await adapters.eventLog()
    let store = await adapters.itemStore()
    let group = makeGroup(loops: options.loops)
    let node: WorkerNode
    do {
        node = try WorkerNode(
            id: options.id, log: log, store: store, group: group, host: options.host, port: options.port,
            maxConnections: options.maxConnections,
            dispatchers: options.dispatchers, advertise: options.advertise, token: options.token,
            consumerGroup: options.adapters.consumerGroup, stallThreshold: options.stallAfter,
            metricsPort: options.metricsPort)
    } catch {
        fail("cannot reach the dispatcher \(options.dispatcherText): \(error)")
    }
    if options.seedDemo { try? await DemoCatalogue.publish(to: log) }
    let logger = processLog.with("worker_id", .string(options.id))
    logger.notice("consuming; joining the dispatchers at \(options.dispatcherText)")
    let port: Int
    do { port = try await node.start() } catch { fail("\(error)") }
    logger.notice(
        "serving gRPC on \(options.host):\(port) (\(options.adapters.description))",
        ["grpc": .string("\(options.host):\(port)")])
    if let metrics = node.metricsPort {
        logger.notice(
            "serving GET /metrics on http://\(options.host):\(metrics)/metrics",
            ["metrics": .string("\(options.host):\(metrics)")])
    }
    await Signals.waitForTermination()
    logger.notice("leaving")
    await node.stop()
    await log.close()
    store.close()
    group.shutdown()
}
