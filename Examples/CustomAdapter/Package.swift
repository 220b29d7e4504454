// swift-tools-version: 6.0
// Plugging your own infrastructure into PawnShop: a fraud list read from a local file.
import PackageDescription

let package = Package(
    name: "CustomAdapter",
    dependencies: [.package(name: "PawnShop", path: "../..")],
    targets: [
        .executableTarget(
            name: "CustomAdapter",
            dependencies: [
                .product(name: "PawnPorts", package: "PawnShop"),
                .product(name: "PawnIO", package: "PawnShop"),
                .product(name: "PawnPlatform", package: "PawnShop"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
