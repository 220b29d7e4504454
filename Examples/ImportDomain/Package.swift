// swift-tools-version: 6.0
// A separate package that uses PawnShop's domain as an SDK: it depends on PawnShop by
// path and imports PawnDomain alone, which itself depends on nothing.
import PackageDescription

let package = Package(
    name: "ImportDomain",
    dependencies: [.package(name: "PawnShop", path: "../..")],
    targets: [
        .executableTarget(
            name: "ImportDomain",
            dependencies: [.product(name: "PawnDomain", package: "PawnShop")]
        )
    ],
    swiftLanguageModes: [.v6]
)
