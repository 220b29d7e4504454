// swift-tools-version: 6.0
// Benchmarks: PawnShop's hand-written codec, HTTP/1.1 server, gRPC stack and SHA-256 against the
// libraries a Swift user would otherwise pick. Only this package depends on them; the
// product never imports it. Run everything with Benchmarks/run.sh.
import PackageDescription

let package = Package(
    name: "PawnBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "PawnShop", path: ".."),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        // Counts allocations (codec-bench's allocations per operation); C, benchmarks only.
        .target(name: "CMallocCounter"),
        .executableTarget(
            name: "codec-bench",
            dependencies: [
                "CMallocCounter",
                .product(name: "PawnProtocol", package: "PawnShop"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Generated/README.md"]
        ),
        .executableTarget(
            name: "http-peer", dependencies: [.product(name: "Hummingbird", package: "hummingbird")]),
        .executableTarget(
            name: "http-ours",
            dependencies: [
                .product(name: "PawnHTTP1", package: "PawnShop"),
                .product(name: "PawnIO", package: "PawnShop"),
            ]),
        .executableTarget(
            name: "grpc-peer",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Generated/README.md"]
        ),
        .executableTarget(
            name: "crypto-bench",
            dependencies: [
                .product(name: "PawnSigV4", package: "PawnShop"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "grpc-ours",
            dependencies: [
                .product(name: "PawnProtocol", package: "PawnShop"),
                .product(name: "PawnGRPC", package: "PawnShop"),
                .product(name: "PawnIO", package: "PawnShop"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
