// swift-tools-version: 6.0
// A client of PawnShop's HTTP API with nothing but Foundation.
import PackageDescription

let package = Package(
    name: "HTTPClient",
    targets: [.executableTarget(name: "HTTPClient")],
    swiftLanguageModes: [.v6]
)
