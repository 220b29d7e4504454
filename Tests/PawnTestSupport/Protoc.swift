import Foundation

/// Runs Google's `protoc` (Debian `protobuf-compiler`) as an independent peer: it encodes
/// text-format messages to bytes and decodes bytes back to canonical text.
public enum Protoc {
    /// The repository's root, found from this file's path.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `protoc`'s path, or `nil` when it is not installed.
    public static let executable: String? = Command.find("protoc")

    /// Whether `protoc` can be run.
    public static var isAvailable: Bool { executable != nil }

    /// What a failed `protoc` run printed.
    public struct Failure: Error, CustomStringConvertible {
        public let status: Int32
        public let stderr: String
        public var description: String { "protoc exited \(status): \(stderr)" }
    }

    /// The include paths and files every run passes: the product's protos and the test fixtures.
    static var arguments: [String] {
        let protos = repositoryRoot.appendingPathComponent("Protos").path
        let fixtures = repositoryRoot.appendingPathComponent("Tests/PawnProtocolTests/Fixtures").path
        return [
            "-I\(protos)", "-I\(fixtures)", "pawnshop.proto", "grpc/health/v1/health.proto", "future.proto",
            "scalars.proto", "opentelemetry/proto/collector/trace/v1/trace_service.proto",
        ]
    }

    /// `protoc --encode=TYPE` of a text-format message.
    public static func encode(_ type: String, text: String) throws -> [UInt8] {
        try run(["--encode=\(type)"] + arguments, input: Array(text.utf8))
    }

    /// `protoc --decode=TYPE` of bytes: the canonical text format.
    public static func decode(_ type: String, _ bytes: [UInt8]) throws -> String {
        String(decoding: try run(["--decode=\(type)"] + arguments, input: bytes), as: UTF8.self)
    }

    /// `protoc --decode_raw`: the fields by number, without a schema.
    public static func decodeRaw(_ bytes: [UInt8]) throws -> String {
        String(decoding: try run(["--decode_raw"], input: bytes), as: UTF8.self)
    }

    static func run(_ arguments: [String], input: [UInt8]) throws -> [UInt8] {
        guard let executable else { throw Failure(status: -1, stderr: "protoc is not installed") }
        let result = try Command.run(executable, arguments, input: input, directory: repositoryRoot)
        guard result.status == 0 else { throw Failure(status: result.status, stderr: result.stderr) }
        return result.stdout
    }
}
