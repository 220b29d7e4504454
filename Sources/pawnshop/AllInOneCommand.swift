// `pawnshop all-in-one` (and `pawnshop` alone): a dispatcher and its workers in one
// process, in memory, or sharing the real clients when servers are given.
import PawnDispatcher
import PawnGRPC
import PawnHTTP1
import PawnLog
import PawnPlatform
import PawnWorker

func runAllInOne(_ options: AllInOneOptions) async {
    startLog(options.log, service: "pawnshop")
    if options.adapters.anyReal {
        await runOnRealServers(options)
        return
    }
    let platform: EmbeddedPlatform
    do {
        platform = try EmbeddedPlatform(
            host: options.server.host, port: options.server.port, workerCount: options.workers,
            fraudsters: options.server.fraudsters, loops: options.server.loops,
            http: HTTPServer.Configuration(maxConnections: options.server.maxConnections),
            console: options.server.console)
    } catch {
        fail("cannot start: \(error)")
    }
    let port: Int
    let (host, server) = (options.server.host, options.server)
    do {
        port = try await platform.start { port in announceConsole(url(host, port), server) }
    } catch {
        fail("cannot listen on \(options.server.host):\(options.server.port): \(error)")
    }
    if options.server.seedDemo {
        do { try await platform.seedDemo() } catch { fail("cannot load the demo catalogue: \(error)") }
    }
    let base = url(options.server.host, port)
    processLog.notice(
        "PawnShop is serving on \(base) (dispatcher + \(platform.workers.count) workers over gRPC, in memory)",
        ["http": .string(base)])
    printExamples(base)
    await Signals.waitForTermination()
    processLog.notice("shutting down")
    await platform.stop()
}

/// The real adapters in one process: a dispatcher and its workers sharing the clients.
private func runOnRealServers(_ options: AllInOneOptions) async {
    let adapters = RealAdapters(options: options.adapters)
    let kafka = await adapters.eventLog()
    let log = await adapters.parking(kafka, httpPort: options.server.port)
    let store = await adapters.itemStore()
    let fraudList = await adapters.fraudList(fallback: options.server.fraudsters)
    let group = makeGroup(loops: options.server.loops)
    let token = "all-in-one-\(UInt64.random(in: 0 ... .max))"
    let node = DispatcherNode(
        log: log, fraudList: fraudList, group: group,
        http: HTTPServer.Configuration(
            host: options.server.host, port: options.server.port,
            maxConnections: options.server.maxConnections),
        grpc: GRPCServer.Configuration(host: "127.0.0.1", port: 0), token: token,
        idempotency: adapters.idempotency(), console: options.server.console)
    let ports: (http: Int, grpc: Int)
    do { ports = try node.start() } catch { fail("cannot listen: \(error)") }
    let base = url(options.server.host, ports.http)
    announceConsole(base, options.server)
    var workers: [WorkerNode] = []
    for index in 0..<options.workers {
        do {
            let worker = try WorkerNode(
                id: "worker-\(index + 1)", log: kafka, store: store, group: group, port: 0,
                dispatcher: ("127.0.0.1", ports.grpc), token: token)
            try await worker.start()
            workers.append(worker)
        } catch {
            fail("cannot start worker \(index + 1): \(error)")
        }
    }
    if options.server.seedDemo { try? await DemoCatalogue.publish(to: log) }
    processLog.notice(
        "PawnShop is serving on \(base) (dispatcher + \(workers.count) workers; \(options.adapters.description))",
        ["http": .string(base)])
    printExamples(base)
    await Signals.waitForTermination()
    processLog.notice("shutting down")
    await node.stop()
    for worker in workers { await worker.stop() }
    await log.close()
    store.close()
    group.shutdown()
}
