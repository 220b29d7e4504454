// The `pawnshop` executable.
//   pawnshop                 dispatcher + workers in one process, in memory, over gRPC on loopback
//   pawnshop dispatcher      the HTTP API and the gRPC service workers join
//   pawnshop worker          a worker: consumes events, serves reads over gRPC, joins a dispatcher
//   pawnshop feeder          the fraud list from S3 into Redis, every interval
import Foundation
import PawnDispatcher
import PawnGRPC
import PawnHTTP1
import PawnIO
import PawnKafka
import PawnMongo
import PawnPlatform
import PawnPorts
import PawnWorker

// Line-buffered output, so that logs reach a pipe or a file as they happen.
ProcessSetup.lineBufferStandardOutput()

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("pawnshop: \(message)\n".utf8))
    exit(2)
}

let common: [SettingKey] = [
    SettingKey(
        "loops", flag: "--loops", environment: "PAWNSHOP_LOOPS", kind: .integer(1...256), default: nil,
        help: "event-loop threads (default: one per core)"),
    SettingKey(
        "seedDemo", flag: "--seed-demo", environment: "PAWNSHOP_SEED_DEMO", kind: .boolean, default: "false",
        help: "load a small sample catalogue"),
]
let httpKeys: [SettingKey] = [
    SettingKey(
        "host", flag: "--host", environment: "PAWNSHOP_HOST", kind: .string, default: "127.0.0.1",
        help: "HTTP address"),
    SettingKey(
        "port", flag: "--port", environment: "PAWNSHOP_PORT", kind: .integer(0...65_535), default: "8080",
        help: "HTTP port (0: any free port)"),
    SettingKey(
        "fraudsters", flag: "--fraudsters", environment: "PAWNSHOP_FRAUDSTERS", kind: .string, default: nil,
        help: "comma-separated clients to refuse"),
]
let commands: [String: (keys: [SettingKey], summary: String)] = [
    "all-in-one": (
        httpKeys + common + [
            SettingKey(
                "workers", flag: "--workers", environment: "PAWNSHOP_WORKERS", kind: .integer(1...64),
                default: "2", help: "workers in the process")
        ] + RealAdapterKeys.allInOne, "dispatcher and workers in one process, in memory (the default)"
    ),
    "dispatcher": (
        httpKeys + common + [
            SettingKey(
                "grpcHost", flag: "--grpc-host", environment: "PAWNSHOP_GRPC_HOST", kind: .string,
                default: "127.0.0.1", help: "gRPC address workers join"),
            SettingKey(
                "grpcPort", flag: "--grpc-port", environment: "PAWNSHOP_GRPC_PORT",
                kind: .integer(0...65_535), default: "50051", help: "gRPC port workers join"),
            SettingKey(
                "token", flag: "--token", environment: "PAWNSHOP_JOIN_TOKEN", kind: .string, default: nil,
                help: "shared secret workers must present (required)"),
        ] + RealAdapterKeys.dispatcher, "the HTTP API and the gRPC service workers join"
    ),
    "worker": (
        common + [
            SettingKey(
                "id", flag: "--id", environment: "PAWNSHOP_WORKER_ID", kind: .string, default: nil,
                help: "worker id (default: worker-PID)"),
            SettingKey(
                "host", flag: "--host", environment: "PAWNSHOP_HOST", kind: .string, default: "127.0.0.1",
                help: "gRPC address to serve on"),
            SettingKey(
                "port", flag: "--port", environment: "PAWNSHOP_PORT", kind: .integer(0...65_535),
                default: "50061", help: "gRPC port (0: any free port)"),
            SettingKey(
                "dispatcher", flag: "--dispatcher", environment: "PAWNSHOP_DISPATCHER", kind: .string,
                default: "127.0.0.1:50051", help: "the dispatcher's gRPC host:port"),
            SettingKey(
                "token", flag: "--token", environment: "PAWNSHOP_JOIN_TOKEN", kind: .string, default: nil,
                help: "shared secret to join with (required)"),
        ] + RealAdapterKeys.worker, "a worker that joins a dispatcher and serves reads over gRPC"
    ),
    "feeder": (FeederKeys.all, "the fraud list from an S3 object into Redis, every interval"),
]

var arguments = Array(CommandLine.arguments.dropFirst())
var command = "all-in-one"
if let first = arguments.first, !first.hasPrefix("-") {
    guard commands[first] != nil, first != "all-in-one" else {
        fail("unknown command '\(first)'; see --help")
    }
    command = first
    arguments.removeFirst()
}
let (keys, _) = commands[command]!
if arguments.contains("--help") || arguments.contains("-h") {
    print(
        """
        usage: pawnshop [dispatcher | worker | feeder] [OPTIONS]

        \(commands.sorted { $0.key < $1.key }.map { "  \($0.key.padding(toLength: 12, withPad: " ", startingAt: 0)) \($0.value.summary)" }.joined(separator: "\n"))

        options of '\(command)' (flags > environment > --config FILE / PAWNSHOP_CONFIG > defaults):
        \(Settings.usage(keys))
          --config FILE          a JSON object with the keys above
        """)
    exit(0)
}

let settings: Settings
do {
    settings = try Settings.load(keys, arguments: arguments, environment: ProcessInfo.processInfo.environment)
} catch {
    fail(error.description)
}
if command == "feeder" { await runFeeder(settings) }
if command != "all-in-one" && settings.string("token") == nil {
    fail(
        SettingsError(
            key: "token", source: "flag --token or environment PAWNSHOP_JOIN_TOKEN", message: "is required"
        ).description)
}

func makeGroup() -> EventLoopGroup {
    do {
        return try settings.integer("loops").map { try EventLoopGroup(loopCount: $0) } ?? EventLoopGroup()
    } catch {
        fail("cannot start the event loops: \(error)")
    }
}

func url(_ host: String, _ port: Int) -> String {
    "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
}

func printExamples(_ base: String) {
    print(
        """
        Try:
          curl -s -X POST \(base)/item/add -H 'Content-Type: application/json' \\
               -d '{"id":"ring-1","name":"Gold ring","category":"Jewelry","price":45000,"state":"Good","ageInMonths":12}'
          curl -s \(base)/item/fetch/ring-1
          curl -s '\(base)/item/fetch?category=Jewelry&limit=5'
        Stop with Ctrl-C.
        """)
}

let fraudsters = settings.string("fraudsters")?.split(separator: ",").map(String.init) ?? []
let adapters = RealAdapters(settings: settings)
if command != "all-in-one" && settings.string("kafka") == nil && !settings.boolean("real") {
    print(
        "pawnshop \(command): no --kafka given: events stay in this process's memory, so a separate dispatcher and worker do not see each other's writes"
    )
}

switch command {
case "dispatcher":
    let log = await adapters.parking(adapters.eventLog())
    let fraudList = await adapters.fraudList(fallback: fraudsters)
    let group = makeGroup()
    let node = DispatcherNode(
        log: log, fraudList: fraudList, group: group,
        http: HTTPServer.Configuration(host: settings.string("host")!, port: settings.integer("port")!),
        grpc: GRPCServer.Configuration(
            host: settings.string("grpcHost")!, port: settings.integer("grpcPort")!),
        token: settings.string("token")!)
    let ports: (http: Int, grpc: Int)
    do { ports = try node.start() } catch { fail("cannot listen: \(error)") }
    if settings.boolean("seedDemo") { try? await DemoCatalogue.publish(to: log) }
    print(
        "PawnShop dispatcher: HTTP on \(url(settings.string("host")!, ports.http)), workers join gRPC on \(settings.string("grpcHost")!):\(ports.grpc) (\(adapters.description))"
    )
    printExamples(url(settings.string("host")!, ports.http))
    await Signals.waitForTermination()
    print("pawnshop dispatcher: shutting down")
    await node.stop()
    await log.close()
    group.shutdown()

case "worker":
    let log = await adapters.eventLog()
    let store = await adapters.itemStore()
    let group = makeGroup()
    let target = settings.string("dispatcher")!
    guard let colon = target.lastIndex(of: ":"),
        let dispatcherPort = Int(target[target.index(after: colon)...]),
        (1...65_535).contains(dispatcherPort)
    else {
        fail(
            "invalid dispatcher (from \(settings.source("dispatcher") ?? "default")): \"\(target)\" is not host:port"
        )
    }
    let dispatcherHost = String(target[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
    let id = settings.string("id") ?? "worker-\(ProcessInfo.processInfo.processIdentifier)"
    let node: WorkerNode
    do {
        node = try WorkerNode(
            id: id, log: log, store: store, group: group, host: settings.string("host")!,
            port: settings.integer("port")!, dispatcher: (dispatcherHost, dispatcherPort),
            token: settings.string("token")!, consumerGroup: settings.string("group")!)
    } catch {
        fail("cannot reach the dispatcher \(target): \(error)")
    }
    if settings.boolean("seedDemo") { try? await DemoCatalogue.publish(to: log) }
    print("pawnshop worker \(id): joining the dispatcher at \(target)…")
    let port: Int
    do { port = try await node.start() } catch { fail("\(error)") }
    print(
        "pawnshop worker \(id): joined; serving gRPC on \(settings.string("host")!):\(port) (\(adapters.description))"
    )
    await Signals.waitForTermination()
    print("pawnshop worker \(id): leaving")
    await node.stop()
    await log.close()
    store.close()
    group.shutdown()

case "all-in-one" where adapters.anyReal:
    // The real adapters in one process: a dispatcher and its workers sharing the clients.
    let kafka = await adapters.eventLog()
    let log = await adapters.parking(kafka)
    let store = await adapters.itemStore()
    let fraudList = await adapters.fraudList(fallback: fraudsters)
    let group = makeGroup()
    let token = "all-in-one-\(UInt64.random(in: 0 ... .max))"
    let node = DispatcherNode(
        log: log, fraudList: fraudList, group: group,
        http: HTTPServer.Configuration(host: settings.string("host")!, port: settings.integer("port")!),
        grpc: GRPCServer.Configuration(host: "127.0.0.1", port: 0), token: token)
    let ports: (http: Int, grpc: Int)
    do { ports = try node.start() } catch { fail("cannot listen: \(error)") }
    var workers: [WorkerNode] = []
    for index in 0..<settings.integer("workers")! {
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
    if settings.boolean("seedDemo") { try? await DemoCatalogue.publish(to: log) }
    let base = url(settings.string("host")!, ports.http)
    print("PawnShop is serving on \(base) (dispatcher + \(workers.count) workers; \(adapters.description))")
    printExamples(base)
    await Signals.waitForTermination()
    print("pawnshop: shutting down")
    await node.stop()
    for worker in workers { await worker.stop() }
    await log.close()
    store.close()
    group.shutdown()

default:
    let platform: EmbeddedPlatform
    do {
        platform = try EmbeddedPlatform(
            host: settings.string("host")!, port: settings.integer("port")!,
            workerCount: settings.integer("workers")!,
            fraudsters: fraudsters, loops: settings.integer("loops"))
    } catch {
        fail("cannot start: \(error)")
    }
    let port: Int
    do { port = try await platform.start() } catch {
        fail("cannot listen on \(settings.string("host")!):\(settings.integer("port")!): \(error)")
    }
    if settings.boolean("seedDemo") {
        do { try await platform.seedDemo() } catch { fail("cannot load the demo catalogue: \(error)") }
    }
    let base = url(settings.string("host")!, port)
    print(
        "PawnShop is serving on \(base) (dispatcher + \(platform.workers.count) workers over gRPC, in memory)"
    )
    printExamples(base)
    await Signals.waitForTermination()
    print("pawnshop: shutting down")
    await platform.stop()
}
exit(0)
