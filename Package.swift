// swift-tools-version: 6.0
// PawnShop: the Swift toolchain only. No package dependencies, ever: peers that we
// measure against live in Benchmarks/Package.swift, which the product never imports.
import PackageDescription

let package = Package(
    name: "PawnShop",
    products: [
        .library(name: "PawnDomain", targets: ["PawnDomain"]),
        .library(name: "PawnProtocol", targets: ["PawnProtocol"]),
        .library(name: "PawnAdapters", targets: ["PawnAdapters"]),
        .library(name: "PawnKafka", targets: ["PawnKafka"]),
        .library(name: "PawnMongo", targets: ["PawnMongo"]),
        .library(name: "PawnRedis", targets: ["PawnRedis"]),
        .library(name: "PawnS3", targets: ["PawnS3"]),
        .library(name: "PawnServices", targets: ["PawnServices"]),
        .executable(name: "pawnshop", targets: ["pawnshop"]),
        .executable(name: "pawn-bench", targets: ["pawn-bench"]),
    ],
    targets: [
        // Pure modules: the Swift standard library and nothing else.
        .target(name: "PawnDomain"),
        .target(name: "PawnProtocol"),
        // The shell around them.
        // Ports, in-memory implementations, threads of our own.
        .target(
            name: "PawnAdapters", dependencies: ["PawnDomain", "CPawnSystem"],
            path: "Sources/PawnAdapters/Core"),
        // epoll and eventfd, which Glibc's Swift module leaves out (kernel interfaces, no library).
        .systemLibrary(name: "CPawnSystem", path: "Sources/CPawnSystem"),
        // The three C clients, from Debian packages, each wrapped by one adapter module.
        .systemLibrary(
            name: "CRdKafka", path: "Sources/PawnAdapters/CRdKafka", pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(
            name: "CMongoc", path: "Sources/PawnAdapters/CMongoc", pkgConfig: "libmongoc-1.0",
            providers: [.apt(["libmongoc-dev"])]),
        .systemLibrary(
            name: "CHiredis", path: "Sources/PawnAdapters/CHiredis", pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]),
        .target(
            name: "PawnKafka", dependencies: ["PawnAdapters", "CRdKafka"], path: "Sources/PawnAdapters/Kafka"),
        .target(
            name: "PawnMongo", dependencies: ["PawnAdapters", "PawnDomain", "CMongoc"],
            path: "Sources/PawnAdapters/Mongo"),
        .target(
            name: "PawnRedis", dependencies: ["PawnAdapters", "CHiredis"], path: "Sources/PawnAdapters/Redis"),
        // S3 over Foundation's URLSession, with our own SHA-256, HMAC and SigV4.
        .target(name: "PawnS3", dependencies: ["PawnAdapters"], path: "Sources/PawnAdapters/S3"),
        .target(
            name: "PawnServices",
            dependencies: ["PawnDomain", "PawnProtocol", "PawnAdapters", "CPawnSystem"]
        ),
        .executableTarget(
            name: "pawnshop", dependencies: ["PawnServices", "PawnKafka", "PawnMongo", "PawnRedis", "PawnS3"]),
        .executableTarget(
            name: "pawn-bench",
            dependencies: ["PawnDomain", "PawnProtocol", "PawnServices", "PawnKafka", "PawnMongo"]),
        // Helpers shared by the test targets (a seeded generator, process runners).
        .target(name: "PawnTestSupport", path: "Tests/PawnTestSupport"),
        .testTarget(name: "PawnDomainTests", dependencies: ["PawnDomain", "PawnTestSupport"]),
        .testTarget(
            name: "PawnProtocolTests",
            dependencies: ["PawnProtocol", "PawnTestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "PawnAdaptersTests",
            dependencies: [
                "PawnAdapters", "PawnDomain", "PawnKafka", "PawnMongo", "PawnRedis", "PawnS3",
                "PawnTestSupport",
            ]),
        .testTarget(
            name: "PawnServicesTests",
            dependencies: ["PawnServices", "PawnAdapters", "PawnProtocol", "PawnTestSupport"]),
        // The real adapters against real servers (scripts/servers.sh starts them).
        .testTarget(
            name: "PawnIntegrationTests",
            dependencies: [
                "PawnKafka", "PawnMongo", "PawnProtocol", "PawnRedis", "PawnS3", "PawnServices",
                "PawnTestSupport",
            ]),
    ],
    swiftLanguageModes: [.v6]
)
