// swift-tools-version: 6.0
// PawnShop: the Swift toolchain only. No package dependencies, ever: peers that we
// measure against live in Benchmarks/Package.swift, which the product never imports.
//
// One target per layer; a target depends only on the layers listed before it, and
// scripts/check-layers.sh checks every import against the same order (Docs/Architecture.md).
// Folders follow one rule: Sources/<family>/<Target>, where the family (PawnDomain,
// PawnProtocol, PawnAdapters, PawnServices) is itself the folder when it is one target.
import PackageDescription

/// A target of `family`, in `Sources/<family>/<name>`.
func layer(_ name: String, in family: String, _ dependencies: [Target.Dependency] = []) -> Target {
    .target(name: name, dependencies: dependencies, path: "Sources/\(family)/\(name)")
}

/// A C library from a Debian package, wrapped by exactly one adapter target.
func cLibrary(_ name: String, pkgConfig: String, apt: String) -> Target {
    .systemLibrary(
        name: name, path: "Sources/PawnAdapters/\(name)", pkgConfig: pkgConfig, providers: [.apt([apt])])
}

let libraries = [
    "PawnDomain", "PawnProtocol", "PawnBSON", "PawnSigV4", "PawnHPACK", "PawnHTTP2", "PawnTrace", "PawnLog",
    "PawnConsole",
    "PawnIO", "PawnMetrics",
    "PawnPorts",
    "PawnKafka", "PawnMongo", "PawnRedis", "PawnS3", "PawnHTTP1", "PawnGRPC", "PawnWire", "PawnDispatcher",
    "PawnWorker", "PawnFeeder", "PawnPlatform", "PawnSettings",
]

let package = Package(
    name: "PawnShop",
    products: libraries.map { .library(name: $0, targets: [$0]) } + [
        .executable(name: "pawnshop", targets: ["pawnshop"]),
        .executable(name: "pawn-bench", targets: ["pawn-bench"]),
    ],
    targets: [
        // 1. Pure: the Swift standard library and nothing else (HTTP/2 may use HPACK).
        .target(name: "PawnDomain"),
        .target(name: "PawnProtocol"),
        layer("PawnBSON", in: "PawnAdapters"),
        // SHA-256's rounds on the CPU's SHA extensions: a header of inline intrinsics, no library.
        .systemLibrary(name: "CPawnSHA", path: "Sources/PawnAdapters/CPawnSHA"),
        layer("PawnSigV4", in: "PawnAdapters", ["CPawnSHA"]),
        layer("PawnHPACK", in: "PawnServices"),
        layer("PawnHTTP2", in: "PawnServices", ["PawnHPACK"]),
        // The operator console's HTML, CSS and ES modules, compiled in.
        layer("PawnConsole", in: "PawnServices"),
        // W3C Trace Context: traceparent and tracestate, the ids, the task's current context.
        layer("PawnTrace", in: "PawnServices", ["PawnProtocol"]),

        // 2. The log every service and adapter writes through (levels, logfmt or JSON).
        layer("PawnLog", in: "PawnServices"),

        // 2. I/O: the epoll loop, sockets, timers, the blocking pool and threads of our own.
        // epoll and eventfd, which Glibc's Swift module leaves out (kernel interfaces, no library).
        .systemLibrary(name: "CPawnSystem", path: "Sources/PawnServices/CPawnSystem"),
        layer("PawnIO", in: "PawnServices", ["CPawnSystem", "PawnLog"]),
        // Counters and histograms in the Prometheus text format.
        layer("PawnMetrics", in: "PawnServices", ["PawnIO"]),
        // The tracer: spans, the sampler, OTLP/HTTP export from a thread of its own.
        layer("PawnTelemetry", in: "PawnServices", ["PawnTrace", "PawnProtocol", "PawnIO", "PawnLog"]),
        // Typed settings from flags, the environment and a JSON file (the executable's).
        layer("PawnSettings", in: "PawnServices"),

        // 3. Ports (event log, item store, fraud list, parking lot, worker reads) and their
        // in-memory implementations.
        layer("PawnPorts", in: "PawnAdapters", ["PawnDomain", "PawnIO", "PawnLog"]),

        // 4. Adapters: each C client wrapped by one target; S3 over URLSession.
        cLibrary("CRdKafka", pkgConfig: "rdkafka", apt: "librdkafka-dev"),
        cLibrary("CMongoc", pkgConfig: "libmongoc-1.0", apt: "libmongoc-dev"),
        cLibrary("CHiredis", pkgConfig: "hiredis", apt: "libhiredis-dev"),
        layer("PawnKafka", in: "PawnAdapters", ["PawnPorts", "PawnIO", "PawnLog", "CRdKafka"]),
        layer(
            "PawnMongo", in: "PawnAdapters",
            ["PawnPorts", "PawnDomain", "PawnBSON", "PawnIO", "PawnLog", "CMongoc"]),
        layer("PawnRedis", in: "PawnAdapters", ["PawnPorts", "PawnIO", "CHiredis"]),
        layer("PawnS3", in: "PawnAdapters", ["PawnPorts", "PawnSigV4", "PawnIO"]),

        // 5. Transports on the I/O loop: HTTP/1.1 (parser, server, router); gRPC over HTTP/2.
        layer("PawnHTTP1", in: "PawnServices", ["PawnIO", "PawnLog", "PawnTrace"]),
        layer(
            "PawnGRPC", in: "PawnServices",
            ["PawnIO", "PawnLog", "PawnTrace", "PawnHPACK", "PawnHTTP2", "PawnProtocol"]),

        // 6. Services. PawnWire is what the dispatcher and the worker share: the topics and
        // the one mapping between domain values and wire messages.
        layer("PawnWire", in: "PawnServices", ["PawnDomain", "PawnProtocol", "PawnPorts"]),
        layer(
            "PawnDispatcher", in: "PawnServices",
            [
                "PawnWire", "PawnHTTP1", "PawnGRPC", "PawnHPACK", "PawnPorts", "PawnIO", "PawnLog",
                "PawnConsole", "PawnMetrics", "PawnTrace", "PawnTelemetry", "PawnDomain", "PawnProtocol",
                "PawnSigV4",
            ]),
        layer(
            "PawnWorker", in: "PawnServices",
            [
                "PawnWire", "PawnGRPC", "PawnHTTP1", "PawnPorts", "PawnIO", "PawnLog", "PawnMetrics",
                "PawnTrace", "PawnTelemetry", "PawnDomain", "PawnProtocol",
            ]),
        layer("PawnFeeder", in: "PawnServices", ["PawnPorts", "PawnIO", "PawnLog"]),
        layer(
            "PawnPlatform", in: "PawnServices",
            [
                "PawnDispatcher", "PawnWorker", "PawnWire", "PawnHTTP1", "PawnGRPC", "PawnPorts", "PawnIO",
                "PawnMetrics", "PawnDomain",
            ]),

        // 7. The executables: the only targets that know every module.
        .executableTarget(
            name: "pawnshop",
            dependencies: [
                "PawnPlatform", "PawnDispatcher", "PawnWorker", "PawnFeeder", "PawnWire", "PawnHTTP1",
                "PawnGRPC",
                "PawnIO", "PawnLog", "PawnTrace", "PawnTelemetry", "PawnPorts", "PawnKafka", "PawnMongo",
                "PawnRedis", "PawnS3", "PawnSigV4", "PawnSettings",
            ]),
        .executableTarget(
            name: "pawn-bench",
            dependencies: [
                "PawnDomain", "PawnProtocol", "PawnPorts", "PawnWire", "PawnWorker", "PawnIO", "PawnKafka",
                "PawnMongo", "PawnBSON", "CMongoc",
            ]),

        // Tests: one target per module (PawnIntegrationTests: the adapters and services on
        // real servers); helpers shared between them in PawnTestSupport.
        .target(
            name: "PawnTestSupport",
            dependencies: ["PawnDomain", "PawnIO", "PawnPorts", "PawnGRPC", "PawnWire", "PawnWorker"],
            path: "Tests/PawnTestSupport"),
        .testTarget(name: "PawnDomainTests", dependencies: ["PawnDomain", "PawnTestSupport"]),
        .testTarget(
            name: "PawnProtocolTests", dependencies: ["PawnProtocol", "PawnTestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "PawnBSONTests",
            dependencies: ["PawnBSON", "PawnMongo", "PawnPorts", "PawnDomain", "PawnTestSupport"]),
        .testTarget(name: "PawnSigV4Tests", dependencies: ["PawnSigV4", "PawnS3", "PawnTestSupport"]),
        .testTarget(name: "PawnLogTests", dependencies: ["PawnLog", "PawnTestSupport"]),
        .testTarget(
            name: "PawnTraceTests",
            dependencies: ["PawnTrace", "PawnTelemetry", "PawnProtocol", "PawnTestSupport"]),
        .testTarget(name: "PawnIOTests", dependencies: ["PawnIO", "PawnTestSupport"]),
        .testTarget(name: "PawnSettingsTests", dependencies: ["PawnSettings", "PawnTestSupport"]),
        .testTarget(name: "PawnPortsTests", dependencies: ["PawnPorts", "PawnDomain", "PawnTestSupport"]),
        .testTarget(name: "PawnKafkaTests", dependencies: ["PawnKafka", "PawnPorts", "PawnTestSupport"]),
        .testTarget(name: "PawnMongoTests", dependencies: ["PawnMongo", "PawnPorts", "PawnTestSupport"]),
        .testTarget(
            name: "PawnS3Tests", dependencies: ["PawnS3", "PawnSigV4", "PawnPorts", "PawnTestSupport"]),
        .testTarget(name: "PawnHPACKTests", dependencies: ["PawnHPACK", "PawnTestSupport"]),
        .testTarget(name: "PawnHTTP2Tests", dependencies: ["PawnHTTP2", "PawnHPACK", "PawnTestSupport"]),
        .testTarget(name: "PawnHTTP1Tests", dependencies: ["PawnHTTP1", "PawnIO", "PawnTestSupport"]),
        .testTarget(
            name: "PawnGRPCTests",
            dependencies: [
                "PawnGRPC", "PawnHTTP2", "PawnHPACK", "PawnIO", "PawnProtocol", "PawnWorker", "PawnWire",
                "PawnPorts",
                "PawnDomain", "PawnTestSupport",
            ]),
        .testTarget(
            name: "PawnDispatcherTests",
            dependencies: [
                "PawnDispatcher", "PawnFeeder", "PawnHTTP1", "PawnPorts", "PawnIO", "PawnProtocol",
                "PawnGRPC", "PawnHPACK", "PawnWorker", "PawnTrace", "PawnTelemetry", "PawnDomain",
                "PawnMetrics", "PawnTestSupport",
            ]),
        .testTarget(
            name: "PawnWireTests", dependencies: ["PawnWire", "PawnPorts", "PawnDomain", "PawnProtocol"]),
        .testTarget(
            name: "PawnFeederTests", dependencies: ["PawnFeeder", "PawnPorts", "PawnIO", "PawnTestSupport"]),
        .testTarget(
            name: "PawnWorkerTests",
            dependencies: [
                "PawnWorker", "PawnWire", "PawnPorts", "PawnDomain", "PawnProtocol", "PawnTestSupport",
                "PawnDispatcher",
                "PawnGRPC", "PawnHTTP1", "PawnIO", "PawnMetrics",
            ]),
        .testTarget(
            name: "PawnPlatformTests",
            dependencies: [
                "PawnPlatform", "PawnDispatcher", "PawnWorker", "PawnHTTP1", "PawnPorts", "PawnDomain",
                "PawnTrace", "PawnTelemetry", "PawnWire", "PawnMetrics", "PawnConsole", "PawnTestSupport",
            ]),
        // The real adapters against real servers (scripts/servers.sh starts them).
        .testTarget(
            name: "PawnIntegrationTests",
            dependencies: [
                "PawnKafka", "PawnMongo", "PawnProtocol", "PawnRedis", "PawnS3", "PawnSigV4", "PawnPorts",
                "PawnIO", "PawnWire",
                "PawnDispatcher", "PawnWorker", "PawnFeeder", "PawnPlatform", "PawnHTTP1", "PawnGRPC",
                "PawnDomain", "PawnTrace", "PawnTestSupport",
            ]),
    ],
    swiftLanguageModes: [.v6]
)
