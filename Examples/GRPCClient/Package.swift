// swift-tools-version: 6.0
// A gRPC client of a PawnShop worker, with PawnProtocol's messages and PawnGRPC's client.
import PackageDescription

let package = Package(
    name: "GRPCClient",
    dependencies: [.package(name: "PawnShop", path: "../..")],
    targets: [
        .executableTarget(
            name: "GRPCClient",
            dependencies: [
                .product(name: "PawnProtocol", package: "PawnShop"),
                .product(name: "PawnGRPC", package: "PawnShop"),
                .product(name: "PawnIO", package: "PawnShop"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
