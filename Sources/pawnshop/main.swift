// The `pawnshop` executable. With no command it runs the whole platform in one process on
// in-memory adapters: the HTTP dispatcher and two workers.
import Dispatch
import Foundation
import PawnServices

let keys: [SettingKey] = [
    SettingKey(
        "host", flag: "--host", environment: "PAWNSHOP_HOST", kind: .string, default: "127.0.0.1",
        help: "address to listen on"),
    SettingKey(
        "port", flag: "--port", environment: "PAWNSHOP_PORT", kind: .integer(0...65_535), default: "8080",
        help: "HTTP port (0: any free port)"),
    SettingKey(
        "workers", flag: "--workers", environment: "PAWNSHOP_WORKERS", kind: .integer(1...64), default: "2",
        help: "workers in the process"),
    SettingKey(
        "loops", flag: "--loops", environment: "PAWNSHOP_LOOPS", kind: .integer(1...256), default: nil,
        help: "event-loop threads (default: one per core)"),
    SettingKey(
        "seedDemo", flag: "--seed-demo", environment: "PAWNSHOP_SEED_DEMO", kind: .boolean, default: "false",
        help: "load a small sample catalogue"),
    SettingKey(
        "fraudsters", flag: "--fraudsters", environment: "PAWNSHOP_FRAUDSTERS", kind: .string, default: nil,
        help: "comma-separated clients to refuse"),
]

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("pawnshop: \(message)\n".utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") || arguments.contains("-h") {
    print(
        """
        usage: pawnshop [OPTIONS]           run dispatcher and workers in one process, in memory
               pawnshop dispatcher|worker|feeder [OPTIONS]   (arrive with the gRPC, adapter and feeder issues)

        options (flags > environment > --config FILE / PAWNSHOP_CONFIG > defaults):
        \(Settings.usage(keys))
          --config FILE          a JSON object with the keys above (host, port, workers, …)
        """)
    exit(0)
}
if let command = arguments.first, !command.hasPrefix("-") {
    switch command {
    case "dispatcher", "worker", "feeder":
        fail(
            "'\(command)' runs as a separate process once the gRPC, adapter and feeder issues land; run 'pawnshop' alone for the all-in-one platform"
        )
    default:
        fail("unknown command '\(command)'; see --help")
    }
}

let settings: Settings
do {
    settings = try Settings.load(keys, arguments: arguments, environment: ProcessInfo.processInfo.environment)
} catch {
    fail(error.description)
}

let fraudsters = settings.string("fraudsters")?.split(separator: ",").map(String.init) ?? []
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
do {
    port = try await platform.start()
} catch {
    fail("cannot listen on \(settings.string("host")!):\(settings.integer("port")!): \(error)")
}
if settings.boolean("seedDemo") {
    do { try await platform.seedDemo() } catch { fail("cannot load the demo catalogue: \(error)") }
}

let host = settings.string("host")!
let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
print(
    """
    PawnShop is serving on \(base) (dispatcher + \(platform.workers.count) workers, in memory)
    Try:
      curl -s -X POST \(base)/item/add -H 'Content-Type: application/json' \\
           -d '{"id":"ring-1","name":"Gold ring","category":"Jewelry","price":45000,"state":"Good","ageInMonths":12}'
      curl -s \(base)/item/fetch/ring-1
      curl -s '\(base)/item/fetch?category=Jewelry&limit=5'
    Stop with Ctrl-C.
    """)

// Graceful shutdown on SIGINT/SIGTERM: stop accepting, finish what is in flight, exit 0.
await Signals.waitForTermination()
print("pawnshop: shutting down")
await platform.stop()
exit(0)
