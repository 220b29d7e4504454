// `pawnshop dispatcher`: the HTTP API and the gRPC service workers join.
import PawnDispatcher
import PawnGRPC
import PawnHTTP1
import PawnLog
import PawnPlatform

func runDispatcher(_ options: DispatcherOptions) async {
    startLog(options.log, service: "dispatcher")
    let adapters = RealAdapters(options: options.adapters)
    warnIfAlone("dispatcher", options.adapters)
    let log = await adapters.parking(adapters.eventLog(), httpPort: options.server.port)
    let fraudList = await adapters.fraudList(fallback: options.server.fraudsters)
    let group = makeGroup(loops: options.server.loops)
    let node = DispatcherNode(
        log: log, fraudList: fraudList, group: group,
        http: HTTPServer.Configuration(
            host: options.server.host, port: options.server.port,
            maxConnections: options.server.maxConnections),
        grpc: GRPCServer.Configuration(host: options.grpcHost, port: options.grpcPort), token: options.token,
        idempotency: adapters.idempotency(), console: options.server.console)
    let ports: (http: Int, grpc: Int)
    do { ports = try node.start() } catch { fail("cannot listen: \(error)") }
    if options.server.seedDemo { try? await DemoCatalogue.publish(to: log) }
    let base = url(options.server.host, ports.http)
    announceConsole(base, options.server)
    processLog.notice(
        "PawnShop dispatcher: HTTP on \(base), workers join gRPC on \(options.grpcHost):\(ports.grpc) (\(options.adapters.description))",
        ["http": .string(base), "grpc": .string("\(options.grpcHost):\(ports.grpc)")])
    printExamples(base)
    await Signals.waitForTermination()
    processLog.notice("shutting down")
    await node.stop()
    await log.close()
    group.shutdown()
}
