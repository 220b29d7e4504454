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
        .library(name: "PawnServices", targets: ["PawnServices"]),
        .executable(name: "pawnshop", targets: ["pawnshop"]),
        .executable(name: "pawn-bench", targets: ["pawn-bench"]),
    ],
    targets: [
        // Pure modules: the Swift standard library and nothing else.
        .target(name: "PawnDomain"),
        .target(name: "PawnProtocol"),
        // The shell around them.
        .target(name: "PawnAdapters", dependencies: ["PawnDomain"]),
        // epoll and eventfd, which Glibc's Swift module leaves out (kernel interfaces, no library).
        .systemLibrary(name: "CPawnSystem", path: "Sources/CPawnSystem"),
        .target(
            name: "PawnServices",
            dependencies: ["PawnDomain", "PawnProtocol", "PawnAdapters", "CPawnSystem"]
        ),
        .executableTarget(name: "pawnshop", dependencies: ["PawnServices"]),
        .executableTarget(name: "pawn-bench", dependencies: ["PawnDomain", "PawnProtocol"]),
        // Helpers shared by the test targets (a seeded generator, process runners).
        .target(name: "PawnTestSupport", path: "Tests/PawnTestSupport"),
        .testTarget(name: "PawnDomainTests", dependencies: ["PawnDomain", "PawnTestSupport"]),
        .testTarget(
            name: "PawnProtocolTests",
            dependencies: ["PawnProtocol", "PawnTestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "PawnAdaptersTests", dependencies: ["PawnAdapters", "PawnDomain"]),
        .testTarget(name: "PawnServicesTests", dependencies: ["PawnServices", "PawnTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
