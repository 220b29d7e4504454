// swift-tools-version: 6.0
// Fuzz: libFuzzer harnesses for PawnShop's parsers and decoders, one executable per target,
// each defining `LLVMFuzzerTestOneInput` in Sources/<Target>/<Target>.swift (no main: libFuzzer
// brings its own). Only scripts/fuzz.sh builds and runs them (see Fuzz/README.md); the
// product never imports this package. Every dependency is a library of the root package
// that needs no C client library (no Kafka, MongoDB or Redis adapter).
import PackageDescription

/// A fuzz target in `Sources/<name>/<name>.swift` over PawnShop's `libraries`.
func fuzzTarget(_ name: String, _ libraries: [String]) -> Target {
    .executableTarget(
        name: name, dependencies: libraries.map { Target.Dependency.product(name: $0, package: "PawnShop") })
}

let package = Package(
    name: "PawnFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "PawnShop", path: "..")],
    targets: [
        fuzzTarget("FuzzHTTP1Request", ["PawnHTTP1"]),
        fuzzTarget("FuzzHPACK", ["PawnHPACK"]),
        fuzzTarget("FuzzHTTP2Server", ["PawnHTTP2", "PawnHPACK"]),
        fuzzTarget("FuzzHTTP2Client", ["PawnHTTP2", "PawnHPACK"]),
        fuzzTarget("FuzzGRPC", ["PawnGRPC", "PawnProtocol", "PawnHPACK"]),
        fuzzTarget("FuzzProtobuf", ["PawnProtocol"]),
        fuzzTarget("FuzzBSON", ["PawnBSON"]),
        fuzzTarget("FuzzDispatcherJSON", ["PawnDispatcher", "PawnHTTP1", "PawnPorts", "PawnWire"]),
        fuzzTarget("FuzzKafkaRecord", ["PawnWire", "PawnPorts", "PawnDomain"]),
        fuzzTarget("FuzzFraudList", ["PawnPorts"]),
        fuzzTarget("FuzzS3XML", ["PawnS3"]),
    ],
    swiftLanguageModes: [.v6]
)
